#include "trial/event_reader.h"

#include <catch2/catch.hpp>

namespace kgate {
namespace {

TEST_CASE("events of a whole trial", "[event_reader]") {
  auto ev = ParseEvents(
      R"({"clocksource":"tsc","event":"ready","kernel":"6.12.117","uptime_s":5.85})" "\n"
      R"({"event":"step","ok":true,"step":"module","target":"virtio_blk"})" "\n"
      R"({"counters":{"vmstat.pgfault":120.0,"stat.ctxt":33},"event":"rep","exit":0,"output":"hello\n","rep":0,"seconds":0.004,"truncated":false,"warmup":true})" "\n"
      R"({"counters":{"vmstat.pgfault":118.0},"event":"rep","exit":0,"output":"hello\n","rep":0,"seconds":0.003,"truncated":true,"warmup":false,"timed_out":true})" "\n"
      R"({"event":"done"})" "\n",
      "events.jsonl");
  CHECK(ev.ready);
  CHECK(ev.kernel == "6.12.117");
  CHECK(ev.clocksource == "tsc");
  CHECK(ev.ready_uptime_s == Approx(5.85));
  REQUIRE(ev.steps.size() == 1);
  CHECK(ev.steps[0].target == "virtio_blk");
  REQUIRE(ev.reps.size() == 2);
  CHECK(ev.reps[0].output.warmup);
  CHECK(ev.reps[0].output.counters.at("stat.ctxt") == 33);
  CHECK(ev.reps[1].output.counters.at("vmstat.pgfault") == 118);
  CHECK(ev.reps[1].timed_out);
  CHECK(ev.reps[1].truncated);
  CHECK(ev.measured_reps() == 1);
  CHECK(ev.done);
  CHECK(ev.malformed.empty());
}

TEST_CASE("malformed lines are noted with file:line and skipped", "[event_reader]") {
  auto ev = ParseEvents("not json\n{\"event\":\"rep\",\"rep\":\"x\",\"exit\":0}\n[1]\n"
                        "{\"event\":\"reboot\"}\n{\"event\":\"error\",\"message\":\"knob x\"}\n",
                        "e.jsonl");
  REQUIRE(ev.malformed.size() == 4);
  CHECK(ev.malformed[0] == "e.jsonl:1: not a JSON object");
  CHECK(ev.malformed[1] == "e.jsonl:2: rep without an integer 'rep'");
  CHECK(ev.malformed[2] == "e.jsonl:3: not a JSON object");
  CHECK(ev.malformed[3] == "e.jsonl:4: unknown event 'reboot'");
  CHECK(ev.errors == std::vector<std::string>{"knob x"});
  CHECK_FALSE(ev.ready);
}

TEST_CASE("notes are bounded and a missing file is no events", "[event_reader]") {
  std::string junk;
  for (int i = 0; i < 1000; ++i) junk += "junk\n";
  CHECK(ParseEvents(junk, "f").malformed.size() == 20);
  auto none = ReadEvents("/nonexistent/events.jsonl");
  CHECK_FALSE(none.ready);
  CHECK(none.reps.empty());
}

TEST_CASE("the module_cycle event of a real guest", "[event_reader]") {
  // Captured from kgate-agent on Debian 6.12.117 cloud under TCG, loading
  // analysis/testdata/leaky_module 20 times.
  auto ev = ParseEvents(
      R"({"after":{"modules_bytes":0.0,"percpu_kb":276.0,"slab_kb":9844.0,"sreclaimable_kb":628.0,"sunreclaim_kb":9216.0,"taint":12288,"vmalloc_used_kb":12572.0},"before":{"modules_bytes":0.0,"percpu_kb":276.0,"slab_kb":8564.0,"sreclaimable_kb":628.0,"sunreclaim_kb":7936.0,"taint":12288,"vmalloc_used_kb":7452.0},"count":20,"errors":[{"op":"unload","iteration":4,"error":"delete_module leaky: Resource temporarily unavailable"}],"event":"module_cycle","loaded":20,"name":"leaky","path":"/kgate/modules/leaky.ko","seconds":0.620698677,"settle_ms":1000,"still_loaded":false,"taint_start":0,"unloaded":20})"
      "\n",
      "events.jsonl");
  CHECK(ev.malformed.empty());
  REQUIRE(ev.module_cycle);
  const GuestModuleCycle& c = *ev.module_cycle;
  CHECK(c.name == "leaky");
  CHECK(c.path == "/kgate/modules/leaky.ko");
  CHECK(c.count == 20);
  CHECK(c.loaded == 20);
  CHECK(c.unloaded == 20);
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].op == "unload");
  CHECK(c.errors[0].iteration == 4);
  CHECK(c.before.sunreclaim_kb == 7936);
  CHECK(c.after.sunreclaim_kb == 9216);
  CHECK(c.after.vmalloc_used_kb == 12572);
  CHECK(c.after.taint == 12288);
  CHECK(c.taint_start == 0);
  CHECK(c.settle_ms == 1000);
  CHECK_FALSE(c.still_loaded);
}

TEST_CASE("a module_cycle event without its figures is noted, not used", "[event_reader]") {
  auto ev = ParseEvents(R"({"event":"module_cycle","count":20,"loaded":"20","unloaded":20})" "\n"
                        R"({"event":"module_cycle","count":20,"loaded":20,"unloaded":20,"before":{}})" "\n",
                        "e.jsonl");
  CHECK_FALSE(ev.module_cycle);
  REQUIRE(ev.malformed.size() == 2);
  CHECK(ev.malformed[0] == "e.jsonl:1: module_cycle without an integer 'loaded'");
  CHECK(ev.malformed[1] == "e.jsonl:2: module_cycle without 'before' and 'after' objects");
}

}  // namespace
}  // namespace kgate
