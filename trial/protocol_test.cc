// The host-guest protocol, both ends joined: the task the host builds for a
// trial is parsed by the agent's own parser, and the events the agent's own
// emitters write are parsed by the host's reader, for every kind of task.
// Neither side is checked against hand-written JSON here; a field one side
// renames or retypes breaks these tests.
#include <catch2/catch.hpp>

#include "guest/agent/events.h"
#include "guest/agent/faults.h"
#include "guest/task.h"
#include "trial/event_reader.h"
#include "trial/trial_runner.h"

namespace kgate {
namespace {

// A request that sets every field a task carries.
TrialRequest FullRequest() {
  TrialRequest r;
  r.seq = 17;
  r.arm.name = "candidate";
  r.arm.sysctl = {{"vm.swappiness", "10"}};
  r.arm.knobs = {{"/sys/block/vda/queue/read_ahead_kb", "512"}};
  r.arm.agent = {"/proposals/x/tuner.sh", {"--fast", "a b"}};
  r.agent_guest_path = "/kgate/agent/tuner.sh";
  r.scenario.name = "fio-randread";
  r.scenario.run = "fio --size={size}";
  r.scenario.params = {{"size", "64M"}};
  r.scenario.setup = {"mkdata {size}"};
  r.scenario.warmup = 2;
  r.scenario.reps = 5;
  r.scenario.timeout_seconds = 120;
  r.scenario.scratch_disk = true;
  r.scenario.scratch_fs = "ext4";
  r.scenario.drop_caches = true;
  r.param_overrides = {{"size", "32M"}};
  r.modules = {"btrfs"};
  r.insmod = {{"/kgate/modules/1/ra.ko", "level=2"}};
  r.max_output_bytes = 4096;
  return r;
}

guest::Task RoundTrip(const guest::Task& sent) {
  std::string error;
  std::optional<guest::Task> parsed = guest::ParseTask(guest::TaskToJson(sent), &error);
  INFO(error);
  REQUIRE(parsed);
  // What the agent read is what the host meant, field by field: written
  // again, it is the same text.
  CHECK(guest::TaskToJson(*parsed) == guest::TaskToJson(sent));
  return *parsed;
}

TEST_CASE("protocol: a measured trial's task reaches the agent whole", "[protocol]") {
  TrialRequest r = FullRequest();
  guest::Task task = RoundTrip(TaskOf(r));
  CHECK(task.kind() == guest::TaskKind::kMeasured);
  CHECK(task.version == guest::kProtocolVersion);
  CHECK(task.trial == 17);
  CHECK(task.scenario == "fio-randread");
  CHECK(task.modules == std::vector<std::string>{"virtio_blk", "btrfs"});
  REQUIRE(task.insmod.size() == 1);
  CHECK(task.insmod[0].path == "/kgate/modules/1/ra.ko");
  CHECK(task.insmod[0].params == "level=2");
  CHECK(task.sysctl.at("vm.swappiness") == "10");
  CHECK(task.knobs.at("/sys/block/vda/queue/read_ahead_kb") == "512");
  REQUIRE(task.agent);
  CHECK(task.agent->path == "/kgate/agent/tuner.sh");
  CHECK(task.agent->args == std::vector<std::string>{"--fast", "a b"});
  REQUIRE(task.scratch);
  CHECK(task.scratch->fs == "ext4");
  CHECK(task.scratch->mount == guest::kScratchMount);
  CHECK(task.setup == std::vector<std::string>{"mkdata 32M"});
  CHECK(task.command == "fio --size=32M");
  CHECK(task.warmup == 2);
  CHECK(task.reps == 5);
  CHECK(task.timeout_s == 120);
  CHECK(task.drop_caches);
  CHECK(task.max_output_bytes == 4096);
  CHECK_FALSE(task.module_cycle);
  CHECK_FALSE(task.faults);
}

TEST_CASE("protocol: a modelled scratch disk reaches the agent as a null_blk device",
          "[protocol][storage]") {
  TrialRequest r = FullRequest();
  r.scenario.scratch_model = *FindStorageProfile("cloud-volume");
  guest::Task task = RoundTrip(TaskOf(r));
  REQUIRE(task.scratch);
  CHECK(task.scratch->device == "/dev/kgate-disk");
  CHECK(task.scratch->fs == "ext4");
  REQUIRE(task.scratch->null_blk);
  CHECK(task.scratch->null_blk->name == "kgate-disk");
  CHECK(task.scratch->null_blk->profile == "cloud-volume");
  CHECK(task.scratch->null_blk->completion_nsec == 1'000'000);
  CHECK(task.scratch->null_blk->mbps == 125);
  CHECK(task.scratch->null_blk->queue_depth == 32);
  CHECK(task.scratch->null_blk->max_sectors == 512);  // 256 KiB requests
  CHECK(task.scratch->null_blk->size_mb == 512);
  // No virtio disk, so no virtio_blk to load for it.
  CHECK(task.modules == std::vector<std::string>{"btrfs"});
  CHECK_FALSE(RoundTrip(TaskOf(FullRequest())).scratch->null_blk);

  std::string error;
  CHECK_FALSE(guest::ParseTask(
      R"({"version":1,"command":"true","scratch":{"fs":"ext4","null_blk":{"name":"a/b","size_mb":1}}})",
      &error));
  CHECK_THAT(error, Catch::Contains("key 'scratch.null_blk.name'"));
  CHECK_FALSE(guest::ParseTask(
      R"({"version":1,"command":"true","scratch":{"null_blk":{"name":"d"}}})", &error));
  CHECK_THAT(error, Catch::Contains("key 'scratch.null_blk.size_mb'"));
}

TEST_CASE("protocol: a sched_ext arm's task waits for its scheduler by ops name", "[protocol][sched_ext]") {
  TrialRequest r = FullRequest();
  r.arm.sched_ext.scheduler = "scx_simple";
  guest::Task task = RoundTrip(TaskOf(r));
  REQUIRE(task.sched_ext);
  CHECK(task.sched_ext->ops == "simple");
  CHECK(task.sched_ext->enable_timeout_s == 30);
  CHECK_FALSE(RoundTrip(TaskOf(FullRequest())).sched_ext);

  std::string error;
  CHECK_FALSE(guest::ParseTask(R"({"version":1,"command":"true","sched_ext":{"ops":"simple"}})", &error));
  CHECK_THAT(error, Catch::Contains("key 'sched_ext': expected null when there is no agent program"));
  CHECK_FALSE(guest::ParseTask(
      R"({"version":1,"command":"true","agent":{"path":"/a"},"sched_ext":{"ops":""}})", &error));
  CHECK_THAT(error, Catch::Contains("key 'sched_ext.ops'"));
}

TEST_CASE("protocol: a module cycle's task has no command and no repetitions", "[protocol]") {
  TrialRequest r;
  r.scenario.name = "module-cycle";
  r.scenario.warmup = 0;
  r.scenario.reps = 0;
  r.module_cycle = guest::ModuleCycleSpec{"/kgate/modules/leaky.ko", "leaky", 7, "leak=1", 250};
  guest::Task task = RoundTrip(TaskOf(r));
  CHECK(task.kind() == guest::TaskKind::kModuleCycle);
  REQUIRE(task.module_cycle);
  CHECK(task.module_cycle->name == "leaky");
  CHECK(task.module_cycle->count == 7);
  CHECK(task.module_cycle->params == "leak=1");
  CHECK(task.module_cycle->settle_ms == 250);
  CHECK(task.command.empty());
  CHECK(task.reps == 0);
}

TEST_CASE("protocol: a fault pass's task carries its kill time and garbage", "[protocol]") {
  TrialRequest r = FullRequest();
  r.faults = guest::FaultSpec{1.25, {{"/proc/sys/vm/swappiness", {"-1", "", "1 2"}}}, 3};
  guest::Task task = RoundTrip(TaskOf(r));
  CHECK(task.kind() == guest::TaskKind::kFaultPass);
  REQUIRE(task.faults);
  CHECK(task.faults->kill_agent_after_s == 1.25);
  CHECK(task.faults->responsive_timeout_s == 3);
  CHECK(task.faults->garbage.at("/proc/sys/vm/swappiness") ==
        std::vector<std::string>{"-1", "", "1 2"});
}

TEST_CASE("protocol: every event the agent writes is read back by the host", "[protocol]") {
  agent::ExecResult rep;
  rep.started = true;
  rep.exit_code = 0;
  rep.seconds = 1.25;
  rep.output = "Time: 0.512\n\xff not UTF-8\n";
  rep.truncated = true;
  agent::ExecResult slow = rep;
  slow.timed_out = true;
  slow.exit_code = 137;
  agent::CycleReport cycle;
  cycle.count = 20;
  cycle.loaded = 20;
  cycle.unloaded = 19;
  cycle.errors = {{"unload", 7, "delete_module: Resource temporarily unavailable"}};
  cycle.taint_start = 4096;
  cycle.before.sunreclaim_kb = 100;
  cycle.after.sunreclaim_kb = 164;
  cycle.after.taint = 12288;
  cycle.still_loaded = true;
  cycle.seconds = 2.5;
  agent::FaultReport faults;
  faults.taint_after = 512;
  faults.agent.killed = true;
  faults.agent.status = "signal 9";
  guest::ModuleCycleSpec spec{"/kgate/modules/m.ko", "m", 20, "", 1000};

  std::string text = agent::ReadyEvent("6.12.57+deb13-cloud-amd64", "tsc", 1.93) +
                     agent::StepEvent("knob", "/sys/x", false, "Permission denied") +
                     agent::RepEvent(0, true, rep, {{"stat.ctxt", 1200}}) +
                     agent::RepEvent(0, false, slow, {}) +
                     agent::ModuleCycleEvent(spec, cycle) + agent::FaultEvent(faults) +
                     agent::ErrorEvent("setup: exit 2") + agent::DoneEvent();
  GuestEvents events = ParseEvents(text, "events.jsonl");
  CHECK(events.malformed.empty());
  CHECK(events.ready);
  CHECK(events.kernel == "6.12.57+deb13-cloud-amd64");
  CHECK(events.clocksource == "tsc");
  CHECK(events.ready_uptime_s == 1.93);
  REQUIRE(events.steps.size() == 1);
  CHECK(events.steps[0].step == "knob");
  CHECK_FALSE(events.steps[0].ok);
  CHECK(events.steps[0].error == "Permission denied");
  REQUIRE(events.reps.size() == 2);
  CHECK(events.reps[0].output.warmup);
  CHECK(events.reps[0].output.seconds == 1.25);
  CHECK(events.reps[0].output.counters.at("stat.ctxt") == 1200);
  CHECK(events.reps[0].output.output.rfind("Time: 0.512\n", 0) == 0);
  CHECK(events.reps[0].truncated);
  CHECK(events.reps[1].timed_out);
  CHECK(events.reps[1].output.exit_code == 137);
  REQUIRE(events.module_cycle);
  CHECK(events.module_cycle->name == "m");
  CHECK(events.module_cycle->unloaded == 19);
  REQUIRE(events.module_cycle->errors.size() == 1);
  CHECK(events.module_cycle->errors[0].iteration == 7);
  CHECK(events.module_cycle->taint_start == 4096);
  CHECK(events.module_cycle->after.sunreclaim_kb == 164);
  CHECK(events.module_cycle->after.taint == 12288);
  CHECK(events.module_cycle->still_loaded);
  CHECK(events.fault.find("\"taint_after\":512") != std::string::npos);
  CHECK(events.errors == std::vector<std::string>{"setup: exit 2"});
  CHECK(events.done);
}

}  // namespace
}  // namespace kgate
