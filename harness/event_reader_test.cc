#include "harness/event_reader.h"

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

}  // namespace
}  // namespace kgate
