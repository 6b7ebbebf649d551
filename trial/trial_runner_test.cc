#include "trial/trial_runner.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "vm/testing/fake_vm_backend.h"

// FakeBoot is filled with designated initializers that name only what a test
// cares about; the other members have defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace kgate {
namespace {

const char kReady[] =
    R"({"event":"ready","kernel":"6.12.117+deb12-cloud-amd64","clocksource":"tsc","uptime_s":1.9})" "\n";
const char kDone[] = R"({"event":"done"})" "\n";

std::string Rep(int rep, bool warmup, int exit, const std::string& output, double pgfault = 10) {
  nlohmann::json j = {{"event", "rep"}, {"rep", rep}, {"warmup", warmup}, {"exit", exit},
                      {"seconds", 1.5}, {"output", output}, {"truncated", false},
                      {"counters", {{"vmstat.pgfault", pgfault}}}};
  return j.dump() + "\n";
}

ScenarioSpec Scenario() {
  ScenarioSpec s;
  s.name = "echo-value";
  s.run = "echo value={v}";
  s.params = {{"v", "7"}};
  s.warmup = 1;
  s.reps = 2;
  s.parser = "regex";
  s.regex = {{"value", R"(value=(\d+))"}};
  s.metrics = {{"value", "ops", Direction::kHigherIsBetter, MetricKind::kRate},
               {"vmstat.pgfault", "faults", Direction::kLowerIsBetter, MetricKind::kCount}};
  s.timeout_seconds = 30;
  return s;
}

struct Fixture {
  std::string dir;
  FakeVmBackend backend;
  TrialRequest request;
  Fixture() {
    dir = std::filesystem::temp_directory_path() / ("kgate-trial-test-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    REQUIRE(WriteFileAtomic(dir + "/base.cpio", "BASE").ok());
    request.seq = 3;
    request.arm.name = "candidate";
    request.arm.sysctl = {{"vm.swappiness", "10"}};
    request.arm.knobs = {{"/sys/block/vda/queue/read_ahead_kb", "16"}};
    request.kernel_image = dir + "/vmlinuz";
    request.scenario = Scenario();
    request.base_image = dir + "/base.cpio";
    request.trial_dir = dir + "/trial-3";
  }
  ~Fixture() { std::filesystem::remove_all(dir); }
  TrialResult Run(FakeBoot boot) {
    backend.Push(std::move(boot));
    // The writer is faked too: the test is about the runner, not cpio.
    TrialRunner runner(backend, [](const std::string& base, const std::string& task, const std::string& out) {
      return WriteFileAtomic(out, base + "|" + task);
    });
    auto r = runner.Run(request);
    REQUIRE(r.ok());
    return *r;
  }
};

TEST_CASE("a clean trial is ok with one sample per metric per measured rep", "[trial_runner]") {
  Fixture f;
  auto r = f.Run({.events = std::string(kReady) + Rep(0, true, 0, "value=1\n") + Rep(0, false, 0, "value=7\n", 11) +
                            Rep(1, false, 0, "value=8\n", 12) + kDone});
  CHECK(r.trial.status == TrialStatus::kOk);
  CHECK(r.trial.message.empty());
  CHECK(r.trial.guest_kernel == "6.12.117+deb12-cloud-amd64");
  CHECK(r.trial.clocksource == "tsc");
  CHECK(r.trial.boot_seconds == Approx(2.5));
  CHECK(r.trial.seq == 3);
  CHECK(r.trial.arm == "candidate");
  REQUIRE(r.samples.size() == 4);
  std::map<std::pair<std::string, int>, double> got;
  for (const auto& s : r.samples) got[{s.metric, s.repetition}] = s.value;
  CHECK(got[{"value", 0}] == 7);
  CHECK(got[{"value", 1}] == 8);
  CHECK(got[{"vmstat.pgfault", 1}] == 12);
  CHECK(r.findings.empty());
  CHECK(r.vm_command.find("fake-qemu") == 0);
}

TEST_CASE("the task written for the guest follows guest/protocol.h", "[trial_runner]") {
  Fixture f;
  f.request.scenario.scratch_disk = true;
  f.request.scenario.scratch_fs = "ext4";
  f.request.arm.agent = {"agents/ra_tuner.cc", {"--fast"}};
  auto j = nlohmann::json::parse(BuildTaskJson(f.request));
  CHECK(j["version"] == 1);
  CHECK(j["trial"] == 3);
  CHECK(j["command"] == "echo value=7");
  CHECK(j["modules"] == nlohmann::json::array({"virtio_blk"}));
  CHECK(j["scratch"]["device"] == "/dev/vda");
  CHECK(j["scratch"]["fs"] == "ext4");
  CHECK(j["sysctl"]["vm.swappiness"] == "10");
  CHECK(j["knobs"]["/sys/block/vda/queue/read_ahead_kb"] == "16");
  CHECK(j["agent"]["path"] == "/kgate/agent/ra_tuner");
  CHECK(j["agent"]["args"][0] == "--fast");
  CHECK(j["warmup"] == 1);
  CHECK(j["reps"] == 2);
  CHECK(j["timeout_s"] == 30);
}

TEST_CASE("insmod and module_cycle reach the task; a cycle alone has no command", "[trial_runner]") {
  Fixture f;
  auto plain = nlohmann::json::parse(BuildTaskJson(f.request));
  CHECK(plain["insmod"] == nlohmann::json::array());
  CHECK(plain["module_cycle"].is_null());
  f.request.insmod = {{"/kgate/modules/ra_hint.ko", "enable=1"}, {"/kgate/modules/b.ko", ""}};
  f.request.module_cycle = guest::ModuleCycleSpec{"/kgate/modules/leaky.ko", "leaky", 7, "leak=1", 250};
  f.request.scenario = ScenarioSpec{};
  f.request.scenario.name = "module-cycle";
  f.request.scenario.warmup = 0;
  f.request.scenario.reps = 0;
  auto j = nlohmann::json::parse(BuildTaskJson(f.request));
  CHECK(j["insmod"] == nlohmann::json::parse(R"([{"path":"/kgate/modules/ra_hint.ko","params":"enable=1"},
                                                  {"path":"/kgate/modules/b.ko","params":""}])"));
  CHECK(j["module_cycle"] == nlohmann::json::parse(R"({"path":"/kgate/modules/leaky.ko","name":"leaky",
                                                        "count":7,"params":"leak=1","settle_ms":250})"));
  CHECK(j["command"] == "");
  CHECK(j["reps"] == 0);
}

TEST_CASE("a module cycle is ok with no repetitions and its event is returned", "[trial_runner]") {
  Fixture f;
  f.request.scenario = ScenarioSpec{};
  f.request.scenario.name = "module-cycle";
  f.request.scenario.warmup = 0;
  f.request.scenario.reps = 0;
  f.request.boot_deadline_s = 40;
  f.request.module_cycle = guest::ModuleCycleSpec{"/kgate/modules/m.ko", "m", 20, "", 1000};
  auto r = f.Run({.events = std::string(kReady) +
                            R"({"event":"module_cycle","count":20,"loaded":20,"unloaded":19,"before":{"sunreclaim_kb":100},"after":{"sunreclaim_kb":164}})" "\n" +
                            kDone});
  CHECK(r.trial.status == TrialStatus::kOk);
  CHECK(r.samples.empty());
  REQUIRE(r.module_cycle);
  CHECK(r.module_cycle->unloaded == 19);
  CHECK(r.module_cycle->after.sunreclaim_kb == 164);
  // The agent reports the cycle once, at its end: 21 loads (warm-up
  // included) at 5 s each and the settle time may pass in silence, twice
  // over (guest time), plus a minute.
  const BootRequest& boot = f.backend.requests()[0];
  CHECK(boot.ready_timeout_seconds == 40);
  CHECK(boot.quiet_timeout_seconds == Approx(2 * (21 * 5 + 1) + 60));
  CHECK(boot.timeout_seconds > boot.quiet_timeout_seconds);
}

TEST_CASE("a fault boot sends faults, parses no repetitions and keeps the fault event",
          "[trial_runner][faults]") {
  Fixture f;
  f.request.faults = guest::FaultSpec{1.5, {}, 5};
  auto task = nlohmann::json::parse(BuildTaskJson(f.request));
  CHECK(task["faults"]["kill_agent_after_s"] == 1.5);
  std::string fault = R"({"event":"fault","taint_before":0,"taint_after":512})";
  TrialResult r = f.Run({.events = std::string(kReady) + fault + "\n" + kDone});
  CHECK(r.trial.status == TrialStatus::kOk);
  CHECK(r.samples.empty());
  CHECK(r.fault_event == fault);
  Fixture measured;
  CHECK_FALSE(nlohmann::json::parse(BuildTaskJson(measured.request)).contains("faults"));
}

TEST_CASE("setup lines get the scenario's params like the command", "[trial_runner]") {
  Fixture f;
  f.request.scenario.setup = {"make-file --size={v}", "true"};
  f.request.param_overrides = {{"v", "9"}};
  auto j = nlohmann::json::parse(BuildTaskJson(f.request));
  CHECK(j["setup"] == nlohmann::json::array({"make-file --size=9", "true"}));
  CHECK(j["command"] == "echo value=9");
}

TEST_CASE("the boot deadline, a progress deadline per repetition, and a cap on the whole",
          "[trial_runner]") {
  Fixture f;
  f.request.boot_deadline_s = 25;
  f.Run({.events = std::string(kReady) + Rep(0, true, 0, "value=1") + Rep(0, false, 0, "value=1") +
                   Rep(1, false, 0, "value=1") + kDone});
  REQUIRE(f.backend.requests().size() == 1);
  const BootRequest& boot = f.backend.requests()[0];
  // The guest must be ready within the boot deadline, not within minutes of
  // every repetition's timeout.
  CHECK(boot.ready_timeout_seconds == 25);
  // One repetition (timeout 30 s) plus the idle settle, doubled, plus a minute.
  CHECK(boot.quiet_timeout_seconds == Approx(2 * (30 + 30) + 60));
  // The whole: boot, four steps (warm-up, two reps, one spare) and the settle.
  CHECK(boot.timeout_seconds == Approx(25 + 2 * (4 * 30 + 30) + 60));
  CHECK(boot.initrd == f.request.trial_dir + "/initrd.img");
  auto initrd = ReadTextFile(f.request.trial_dir + "/initrd.img");
  REQUIRE(initrd.ok());
  CHECK(initrd->rfind(f.request.base_image + "|{", 0) == 0);  // the writer got the base path and the task
}

TEST_CASE("a guest killed at its boot deadline is hung, with its console kept", "[trial_runner]") {
  Fixture f;
  auto r = f.Run({.reason = ExitReason::kTimedOut,
                  .detail = "no ready event from the agent within 25 s of boot (the boot "
                            "deadline); QEMU killed",
                  .console = "SeaBIOS (version 1.16.2-debian-1.16.2-1)\nBooting from ROM..\n",
                  .events = ""});
  CHECK(r.trial.status == TrialStatus::kHung);
  CHECK(r.trial.message.find("boot deadline") != std::string::npos);
  CHECK(r.trial.console_log.find("Booting from ROM") != std::string::npos);
  CHECK(r.trial.boot_seconds == 0);
  CHECK(r.samples.empty());
}

TEST_CASE("a workload that exits non-zero fails the trial and keeps no samples", "[trial_runner]") {
  Fixture f;
  auto r = f.Run({.events = std::string(kReady) + Rep(0, true, 0, "value=1") +
                            Rep(0, false, 2, "hackbench: not found") + Rep(1, false, 0, "value=1") + kDone});
  CHECK(r.trial.status == TrialStatus::kFailed);
  CHECK(r.trial.message == "repetition 0 exited 2: hackbench: not found");
  CHECK(r.samples.empty());
}

TEST_CASE("a knob error event fails the trial with the guest's message", "[trial_runner]") {
  Fixture f;
  auto r = f.Run({.events = std::string(kReady) +
                            R"({"event":"step","step":"knob","target":"/sys/nope","ok":false,"error":"open /sys/nope: No such file or directory"})" "\n"
                            R"({"event":"error","message":"knob /sys/nope: open /sys/nope: No such file or directory"})" "\n"});
  CHECK(r.trial.status == TrialStatus::kFailed);
  CHECK(r.trial.message == "guest: knob /sys/nope: open /sys/nope: No such file or directory");
}

TEST_CASE("output the parser cannot read fails the trial", "[trial_runner]") {
  Fixture f;
  auto r = f.Run({.events = std::string(kReady) + Rep(0, true, 0, "value=1") + Rep(0, false, 0, "garbage") +
                            Rep(1, false, 0, "value=3") + kDone});
  CHECK(r.trial.status == TrialStatus::kFailed);
  CHECK(r.trial.message.find("repetition 0: parse error") == 0);
}

TEST_CASE("a panic on the console is a crash with its console tail", "[trial_runner]") {
  Fixture f;
  std::string console =
      "[    1.0] Run /nonexistent as init process\n"
      "[    1.1] Kernel panic - not syncing: Requested init /nonexistent failed (error -2).\n";
  auto r = f.Run({.reason = ExitReason::kPanicked,
                  .detail = "Kernel panic - not syncing: Requested init /nonexistent failed (error -2).",
                  .console = console});
  CHECK(r.trial.status == TrialStatus::kCrashed);
  CHECK(r.trial.message.find("console-panic at console line 2") == 0);
  CHECK(r.trial.console_log == console);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].arm == "candidate");
  CHECK(r.trial.boot_seconds == 0);
}

TEST_CASE("a WARN followed by no done event is a crash; with done it is only a finding", "[trial_runner]") {
  std::string warn = "[ 3.0] ------------[ cut here ]------------\n"
                     "[ 3.1] WARNING: CPU: 0 PID: 9 at mm/filemap.c:1 f+0x1/0x2\n";
  Fixture f;
  auto crashed = f.Run({.console = warn, .events = std::string(kReady) + Rep(0, true, 0, "value=1")});
  CHECK(crashed.trial.status == TrialStatus::kCrashed);
  CHECK(crashed.trial.message.find("console-warning at console line 2 and no done event") == 0);

  Fixture g;
  auto ok = g.Run({.console = warn, .events = std::string(kReady) + Rep(0, true, 0, "value=1") +
                                              Rep(0, false, 0, "value=1") + Rep(1, false, 0, "value=1") + kDone});
  CHECK(ok.trial.status == TrialStatus::kOk);
  REQUIRE(ok.findings.size() == 1);
  CHECK(ok.findings[0].rule == "console-warning");
}

TEST_CASE("a watchdog kill is a hung trial", "[trial_runner]") {
  Fixture f;
  auto r = f.Run({.reason = ExitReason::kTimedOut, .detail = "no power-off within 190 s; QEMU killed",
                  .events = std::string(kReady) + Rep(0, true, 0, "value=1")});
  CHECK(r.trial.status == TrialStatus::kHung);
  CHECK(r.trial.message == "no power-off within 190 s; QEMU killed");
}

TEST_CASE("QEMU that cannot start is an infra-error", "[trial_runner]") {
  Fixture f;
  auto r = f.Run({.reason = ExitReason::kQemuFailed, .detail = "exit 1: qemu: could not load kernel"});
  CHECK(r.trial.status == TrialStatus::kInfraError);
  CHECK(r.trial.message == "QEMU failed: exit 1: qemu: could not load kernel");
}

TEST_CASE("malformed event lines are noted, not fatal", "[trial_runner]") {
  Fixture f;
  auto r = f.Run({.events = std::string(kReady) + "\x01garbage{{\n" + Rep(0, true, 0, "value=1") +
                            Rep(0, false, 0, "value=1") + Rep(1, false, 0, "value=1") + kDone});
  CHECK(r.trial.status == TrialStatus::kOk);
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].find("events.jsonl:2: not a JSON object") != std::string::npos);
}

TEST_CASE("a guest that flooded its log fails, and one that never got ready too", "[trial_runner]") {
  Fixture f;
  auto flood = f.Run({.reason = ExitReason::kLogLimit, .detail = "console log passed 67108864 bytes; QEMU killed",
                      .events = kReady});
  CHECK(flood.trial.status == TrialStatus::kFailed);
  CHECK(flood.trial.message.find("console log passed") == 0);
  Fixture g;
  auto silent = g.Run({.console = "SeaBIOS\n"});
  CHECK(silent.trial.status == TrialStatus::kFailed);
  CHECK(silent.trial.message == "the guest stopped before the agent was ready");
}

TEST_CASE("fewer measured repetitions than asked fails the trial", "[trial_runner]") {
  Fixture f;
  auto r = f.Run({.events = std::string(kReady) + Rep(0, true, 0, "value=1") + Rep(0, false, 0, "value=1") + kDone});
  CHECK(r.trial.status == TrialStatus::kFailed);
  CHECK(r.trial.message == "expected 2 measured repetitions, got 1");
}

}  // namespace
}  // namespace kgate
