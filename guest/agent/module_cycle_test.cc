#include "guest/agent/module_cycle.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "guest/agent/events.h"

namespace kgate::agent {
namespace {

const char kMeminfo[] = R"(MemTotal:         466436 kB
Slab:              21532 kB
SReclaimable:       6420 kB
SUnreclaim:        15112 kB
VmallocTotal:   34359738367 kB
VmallocUsed:        5632 kB
Percpu:              904 kB
)";

const char kModules[] =
    "ra_hint 12288 0 - Live 0x0000000000000000 (OE)\n"
    "virtio_blk 28672 0 - Live 0x0000000000000000\n";

TEST_CASE("a memory snapshot reads meminfo in kB, module sizes and taint",
          "[agent][module_cycle]") {
  MemorySnapshot s = ParseMemorySnapshot(kMeminfo, kModules, "12288\n");
  CHECK(s.slab_kb == 21532);
  CHECK(s.sunreclaim_kb == 15112);
  CHECK(s.sreclaimable_kb == 6420);
  CHECK(s.vmalloc_used_kb == 5632);
  CHECK(s.percpu_kb == 904);
  CHECK(s.modules_bytes == 12288 + 28672);
  CHECK(s.taint == 12288);  // O and E
  CHECK(ModuleListed(kModules, "ra_hint"));
  CHECK_FALSE(ModuleListed(kModules, "ra_hin"));  // a prefix is not the module
  CHECK(ParseMemorySnapshot("", "", "").modules_bytes == 0);
}

// A fake kernel: a module set, memory that grows per load, scripted failures.
struct FakeKernel {
  bool loaded = false;
  double vmalloc_kb = 1000;
  double leak_per_load_kb = 0;
  int loads = 0;
  int fail_load_at = -1;    // the n-th load call (0 = warm-up) fails
  int fail_unload_at = -1;  // the n-th unload call fails
  int unloads = 0;
  std::vector<std::string> log;

  ModuleOps Ops() {
    ModuleOps ops;
    ops.load = [this](const std::string& path, const std::string& params) -> std::string {
      int n = loads++;
      log.push_back("load " + path + " " + params);
      if (n == fail_load_at) return "finit_module " + path + ": Invalid argument";
      if (loaded) return "finit_module " + path + ": File exists";
      loaded = true;
      vmalloc_kb += leak_per_load_kb;
      return "";
    };
    ops.unload = [this](const std::string& name) -> std::string {
      int n = unloads++;
      log.push_back("unload " + name);
      if (n == fail_unload_at)
        return "delete_module " + name + ": Resource temporarily unavailable";
      loaded = false;
      return "";
    };
    ops.drop_caches = [this] {
      log.push_back("drop");
      return std::string();
    };
    ops.snapshot = [this] {
      MemorySnapshot s;
      s.vmalloc_used_kb = vmalloc_kb;
      s.taint = loads > 0 ? 12288 : 0;
      return s;
    };
    ops.loaded = [this](const std::string&) { return loaded; };
    ops.sleep_ms = [this](int ms) { log.push_back("sleep " + std::to_string(ms)); };
    ops.now_s = [this] { return static_cast<double>(loads); };
    ops.mark = [this](const std::string& text) { log.push_back("mark " + text); };
    return ops;
  }
};

ModuleCycleSpec Spec(int count) { return {"/kgate/modules/m.ko", "m", count, "p=1", 500}; }

TEST_CASE("a clean cycle warms up, then loads and unloads count times", "[agent][module_cycle]") {
  FakeKernel k;
  k.leak_per_load_kb = 4;
  CycleReport r = RunModuleCycle(Spec(3), k.Ops());
  CHECK(r.count == 3);
  CHECK(r.loaded == 3);
  CHECK(r.unloaded == 3);
  CHECK(r.errors.empty());
  CHECK_FALSE(r.still_loaded);
  CHECK(r.taint_start == 0);
  CHECK(r.before.taint == 12288);
  // The warm-up load's growth is in "before"; three measured loads after it.
  CHECK(r.after.vmalloc_used_kb - r.before.vmalloc_used_kb == 12);
  CHECK(k.log == std::vector<std::string>{
                     "mark module_cycle begin m", "load /kgate/modules/m.ko p=1", "unload m",
                     "drop", "load /kgate/modules/m.ko p=1", "unload m",
                     "load /kgate/modules/m.ko p=1", "unload m", "load /kgate/modules/m.ko p=1",
                     "unload m", "sleep 500", "drop", "mark module_cycle end m"});
}

TEST_CASE("the first failure of each kind is kept, with its iteration", "[agent][module_cycle]") {
  FakeKernel k;
  k.fail_unload_at = 2;  // warm-up is unload 0, so measured iteration 1
  CycleReport r = RunModuleCycle(Spec(4), k.Ops());
  // Iteration 1's unload fails, so the module stays and the loads of
  // iterations 2 and 3 find it there; only the first of them is recorded.
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].op == "unload");
  CHECK(r.errors[0].iteration == 1);
  CHECK(r.errors[0].error == "delete_module m: Resource temporarily unavailable");
  CHECK(r.errors[1].op == "load");
  CHECK(r.errors[1].iteration == 2);
  CHECK(r.errors[1].error == "finit_module /kgate/modules/m.ko: File exists");
  CHECK(r.loaded == 2);
  CHECK(r.unloaded == 1);
  CHECK(r.still_loaded);
}

TEST_CASE("a module that cannot load skips the measured loop", "[agent][module_cycle]") {
  FakeKernel k;
  k.fail_load_at = 0;
  CycleReport r = RunModuleCycle(Spec(20), k.Ops());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].op == "warmup-load");
  CHECK(r.errors[0].iteration == -1);
  CHECK(r.loaded == 0);
  CHECK(k.loads == 1);
  CHECK_FALSE(r.still_loaded);
}

TEST_CASE("the module_cycle event carries the report", "[agent][module_cycle]") {
  CycleReport r;
  r.count = 20;
  r.loaded = 20;
  r.unloaded = 19;
  r.errors.push_back({"unload", 7, "delete_module m: Resource temporarily unavailable"});
  r.taint_start = 0;
  r.before.sunreclaim_kb = 15112;
  r.after.sunreclaim_kb = 15180;
  r.after.taint = 12288;
  r.still_loaded = true;
  r.seconds = 1.5;
  std::string line = ModuleCycleEvent(Spec(20), r);
  REQUIRE(line.back() == '\n');
  auto j = nlohmann::json::parse(line);
  CHECK(j["event"] == "module_cycle");
  CHECK(j["path"] == "/kgate/modules/m.ko");
  CHECK(j["name"] == "m");
  CHECK(j["count"] == 20);
  CHECK(j["loaded"] == 20);
  CHECK(j["unloaded"] == 19);
  CHECK(j["errors"][0]["op"] == "unload");
  CHECK(j["errors"][0]["iteration"] == 7);
  CHECK(j["before"]["sunreclaim_kb"] == 15112);
  CHECK(j["after"]["sunreclaim_kb"] == 15180);
  CHECK(j["after"]["taint"] == 12288);
  CHECK(j["still_loaded"] == true);
  CHECK(j["settle_ms"] == 500);
}

}  // namespace
}  // namespace kgate::agent
