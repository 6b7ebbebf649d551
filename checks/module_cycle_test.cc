#include "checks/module_cycle.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "trial/console_monitor.h"
#include "base/testing/source_path.h"

namespace kgate {
namespace {

std::string Testdata(const std::string& name) {
  auto text = ReadTextFile(testing::SourcePath({"checks/testdata/module_cycle", name}),
                           1 << 20, false);
  REQUIRE(text.ok());
  return *text;
}

ModuleCycleRequest Request(const std::string& ko) {
  ModuleCycleRequest r;
  r.kernel_ref = "debian:6.12-cloud";
  r.ko_path = "/cache/module-builds/6.12.117+deb12-cloud-amd64/0123/" + ko;
  return r;
}

// A finished trial as TrialRunner returns it, from events and console text.
TrialResult Trial(const std::string& events, const std::string& console,
                  TrialStatus status = TrialStatus::kOk, const std::string& message = "") {
  TrialResult t;
  GuestEvents ev = ParseEvents(events, "events.jsonl");
  t.module_cycle = ev.module_cycle;
  t.trial.guest_kernel = ev.kernel;
  t.trial.status = status;
  t.trial.message = message;
  t.findings = ScanConsole(console, {.file = "console.log"});
  return t;
}

std::string Event(const std::string& fields, double sunreclaim_after = 7956,
                  double vmalloc_after = 7452, std::uint64_t taint_after = 12288) {
  nlohmann::json j = nlohmann::json::parse("{" + fields + "}");
  j["event"] = "module_cycle";
  for (const char* k : {"count", "loaded", "unloaded"}) {
    if (!j.contains(k)) j[k] = 20;
  }
  j["taint_start"] = 0;
  j["before"] = {{"sunreclaim_kb", 7936}, {"vmalloc_used_kb", 7452}, {"taint", 12288}};
  j["after"] = {{"sunreclaim_kb", sunreclaim_after},
                {"vmalloc_used_kb", vmalloc_after},
                {"taint", taint_after}};
  return R"({"event":"ready","kernel":"6.12.117+deb12-cloud-amd64","uptime_s":5})"
         "\n" +
         j.dump() +
         "\n"
         R"({"event":"done"})"
         "\n";
}

const char kConsole[] =
    "Booting from ROM..[    5.410000] kgate-agent: module_cycle begin m\n"
    "[    5.550000] m: loading out-of-tree module taints kernel.\n"
    "[    7.120000] kgate-agent: module_cycle end m\n";

std::vector<std::string> Rules(const ModuleCycleResult& r) {
  std::vector<std::string> rules;
  for (const FindingRecord& f : r.findings) rules.push_back(f.rule);
  return rules;
}

TEST_CASE("the clean module's real cycle passes", "[module_cycle]") {
  ModuleCycleResult r = EvaluateModuleCycle(
      Request("ra_hint.ko"), Trial(Testdata("clean_events.jsonl"), Testdata("clean_console.log")),
      Testdata("clean_console.log"));
  CHECK(r.cycled);
  CHECK(r.status == "ok");
  CHECK(r.module == "ra_hint");
  CHECK(r.kernel_version == "6.12.117+deb12-cloud-amd64");
  CHECK(r.cycle.loaded == 20);
  CHECK(r.cycle.unloaded == 20);
  CHECK(r.SUnreclaimDeltaKb() == 24);  // noise, below the threshold
  CHECK(r.MemoryDeltaKb() == 0);
  CHECK(r.findings.empty());
  CHECK(r.console_findings.empty());
  CHECK(ModuleCycleSummary(r) ==
        "20/20 loads, 20/20 unloads, SUnreclaim +24 kB, memory +0 kB, no splat, taint OE");
  CheckRecord c = ModuleCycleCheck(r, "candidate");
  CHECK(c.kind == "module-cycle");
  CHECK(c.status == CheckStatus::kPassed);
  CHECK(c.arm == "candidate");
}

TEST_CASE("the leaky module's real cycle leaks slab and vmalloc", "[module_cycle]") {
  ModuleCycleResult r = EvaluateModuleCycle(
      Request("leaky.ko"), Trial(Testdata("leaky_events.jsonl"), Testdata("leaky_console.log")),
      Testdata("leaky_console.log"));
  CHECK(r.SUnreclaimDeltaKb() == 1280);  // 20 x 16 x 4 KiB
  CHECK(r.MemoryDeltaKb() == 5120);      // 20 x 256 KiB
  REQUIRE(Rules(r) == std::vector<std::string>{"module-slab-leak", "module-memory-leak"});
  CHECK(r.findings[0].level == "error");
  CHECK(r.findings[0].file == r.ko_path);
  CHECK(r.findings[0].message.rfind(
            "leaky on debian:6.12-cloud: SUnreclaim grew by 1280 kB over 20 load/unload cycles "
            "(64.0 kB per cycle; threshold 128 kB): ",
            0) == 0);
  CHECK(r.findings[0].excerpt == "SUnreclaim 7936 kB -> 9216 kB");
  CHECK(r.findings[1].message.find(
            "grew by 5120 kB over 20 load/unload cycles (256.0 kB per cycle") != std::string::npos);
  CHECK(ModuleCycleCheck(r, "a").status == CheckStatus::kFailed);
}

TEST_CASE("a leak is judged against the threshold, not above or at it", "[module_cycle]") {
  ModuleCycleRequest req = Request("m.ko");
  auto at = EvaluateModuleCycle(req, Trial(Event("", 7936 + 128, 7452 + 128), kConsole), kConsole);
  CHECK(at.findings.empty());
  auto above =
      EvaluateModuleCycle(req, Trial(Event("", 7936 + 129, 7452 + 129), kConsole), kConsole);
  CHECK(Rules(above) == std::vector<std::string>{"module-slab-leak", "module-memory-leak"});
  req.thresholds.slab_leak_kb = 512;
  auto custom = EvaluateModuleCycle(req, Trial(Event("", 7936 + 129), kConsole), kConsole);
  CHECK(custom.findings.empty());
}

TEST_CASE("a module that cannot load is a load failure and no leak", "[module_cycle]") {
  const std::string error =
      "finit_module /kgate/modules/m.ko: Unknown symbol in module "
      "(kernel: m: Unknown symbol folio_end_read (err -2))";
  nlohmann::json errors = {{{"op", "warmup-load"}, {"iteration", -1}, {"error", error}}};
  std::string events = Event(R"("loaded":0,"unloaded":0,"errors":)" + errors.dump(), 9000, 9000);
  auto r = EvaluateModuleCycle(Request("m.ko"), Trial(events, kConsole), kConsole);
  REQUIRE(Rules(r) == std::vector<std::string>{"module-load-failed"});
  CHECK(r.findings[0].message.rfind(
            "m on debian:6.12-cloud: 0 of 20 loads succeeded; the warm-up failed: ", 0) == 0);
  CHECK(r.findings[0].excerpt == error);
}

TEST_CASE("a module that stays loaded is an unload failure and no leak", "[module_cycle]") {
  std::string events = Event(R"("unloaded":3,"still_loaded":true,"errors":[
    {"op":"unload","iteration":3,"error":"delete_module m: Resource temporarily unavailable"},
    {"op":"load","iteration":4,"error":"finit_module /kgate/modules/m.ko: File exists"}])",
                             9000, 9000);
  auto r = EvaluateModuleCycle(Request("m.ko"), Trial(events, kConsole), kConsole);
  REQUIRE(Rules(r) == std::vector<std::string>{"module-load-failed", "module-unload-failed"});
  CHECK(r.findings[1].message.rfind(
            "m on debian:6.12-cloud: 3 of 20 unloads succeeded; cycle 4 failed", 0) == 0);
  CHECK(r.findings[1].excerpt == "delete_module m: Resource temporarily unavailable");
}

TEST_CASE("splats count from the cycle's begin marker on, boot splats do not", "[module_cycle]") {
  std::string console =
      "[    1.000000] WARNING: CPU: 0 PID: 1 at drivers/base/core.c:10 boot_thing+0x1/0x2\n"
      "Booting from ROM..[    5.410000] kgate-agent: module_cycle begin m\n"
      "[    5.600000] WARNING: CPU: 0 PID: 1 at mm/slub.c:4580 kmem_cache_destroy+0x1/0x2\n"
      "[    5.610000] Modules linked in: m(OE)\n"
      "[    7.120000] kgate-agent: module_cycle end m\n";
  auto r = EvaluateModuleCycle(Request("m.ko"), Trial(Event("", 7936, 7452, 12288 | 512), console),
                               console);
  REQUIRE(r.console_findings.size() == 1);
  CHECK(r.console_findings[0].line == 3);
  REQUIRE(Rules(r) == std::vector<std::string>{"module-splat", "module-splat"});
  CHECK(r.findings[0].message.rfind("m on debian:6.12-cloud: console-warning at console line 3: ",
                                    0) == 0);
  // W appeared in the cycle; O and E, set by any out-of-tree load, do not count.
  CHECK(r.findings[1].message.rfind("m on debian:6.12-cloud: the kernel became tainted W (", 0) ==
        0);
  CHECK(r.findings[1].excerpt == "taint WOE");
  CHECK(ModuleCycleSummary(r).find("1 splat(s), taint WOE") != std::string::npos);
}

TEST_CASE("a guest that dies inside the cycle is a load failure and a splat", "[module_cycle]") {
  std::string console =
      "Booting from ROM..[    5.410000] kgate-agent: module_cycle begin m\n"
      "[    5.600000] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
      "[    5.610000] Oops: 0002 [#1] PREEMPT SMP NOPTI\n"
      "[    5.700000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009\n";
  std::string events = R"({"event":"ready","kernel":"6.12.117+deb12-cloud-amd64","uptime_s":5})"
                       "\n";
  auto r = EvaluateModuleCycle(
      Request("m.ko"),
      Trial(events, console, TrialStatus::kCrashed, "console-bug at console line 2"), console);
  CHECK_FALSE(r.cycled);
  REQUIRE(Rules(r).size() >= 2);
  CHECK(Rules(r)[0] == "module-load-failed");
  CHECK(
      r.findings[0].message.find(
          "the guest ended crashed inside the load/unload cycle: console-bug at console line 2") !=
      std::string::npos);
  CHECK(Rules(r)[1] == "module-splat");
  CHECK(ModuleCycleCheck(r, "a").status == CheckStatus::kFailed);
}

TEST_CASE("a guest that never reached the cycle has no findings and is not run", "[module_cycle]") {
  auto r = EvaluateModuleCycle(Request("m.ko"),
                               Trial("", "", TrialStatus::kInfraError, "QEMU failed: x"), "");
  CHECK(r.findings.empty());
  CHECK(ModuleCycleCheck(r, "a").status == CheckStatus::kNotRun);
  CHECK(ModuleCycleSummary(r) == "no cycle: the guest ended infra-error: QEMU failed: x");
}

TEST_CASE("the JSON form has the figures, deltas and decoded taint", "[module_cycle]") {
  ModuleCycleResult r = EvaluateModuleCycle(
      Request("leaky.ko"), Trial(Testdata("leaky_events.jsonl"), Testdata("leaky_console.log")),
      Testdata("leaky_console.log"));
  nlohmann::ordered_json j = ModuleCycleJson(r);
  CHECK(j["ran"] == true);
  CHECK(j["kernel"] == "debian:6.12-cloud");
  CHECK(j["module"] == "leaky");
  CHECK(j["count"] == 20);
  CHECK(j["loaded"] == 20);
  CHECK(j["before"]["sunreclaim_kb"] == 7936);
  CHECK(j["delta"]["sunreclaim_kb"] == 1280);
  CHECK(j["delta"]["vmalloc_used_kb"] == 5120);
  CHECK(j["delta"]["memory_kb"] == 5120);
  CHECK(j["taint"]["start"]["letters"] == "G");
  CHECK(j["taint"]["after"]["letters"] == "OE");
  CHECK(j["taint"]["after"]["mask"] == 12288);
  CHECK(j["taint"]["new_in_cycle"] == "G");
  CHECK(j["thresholds"]["slab_leak_kb"] == 128);
  CHECK(j["findings"].size() == 2);
  CHECK(j["findings"][0]["rule"] == "module-slab-leak");
  auto stored = nlohmann::json::parse(ModuleCycleCheck(r, "a").detail_json);
  CHECK(stored["delta"]["sunreclaim_kb"] == 1280);
}

}  // namespace
}  // namespace kgate
