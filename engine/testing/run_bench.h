// A bench for driving RunEngine end to end in tests: a kgate home with one
// simulated workload and a policy in a temporary folder, a real SQLite
// store, the real judge, and every other collaborator faked; the fake VM
// backend reads the task each trial was given and answers as kgate-agent
// would (SimulatedGuest).
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/file_util.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_programs.h"
#include "checks/testing/fake_arm_analyzer.h"
#include "engine/run_engine.h"
#include "image/testing/fake_image_builder.h"
#include "kbuild/testing/fake_kernel_builder.h"
#include "kernels/testing/fake_kernel_source.h"
#include "vm/testing/fake_vm_backend.h"

namespace kgate::testing {

inline constexpr char kWorkload[] = R"(kgate: 1
scenario: work
description: a simulated workload for the engine's tests
needs: [worker]
run: worker --n {n}
params: {n: 10}
warmup: 1
reps: 3
parser: regex
regex:
  - {metric: op_ns, pattern: 'op_ns=([0-9.]+)'}
metrics:
  op_ns: {unit: ns, better: lower, kind: time}
timeout: 60
determinism:
  icount: {cv: 0.004, deterministic: true}
)";

inline constexpr char kPolicy[] = R"(kgate: 1
policy: mainline
margin: 2%
alpha: 0.05
max_guard_regression: 2%
require_target_gain: false
require_beat_tuned: false
looks: 3
trusted:
  icount: [time, rate, latency, count, bytes]
)";

// The arms differ by their cmdline, which the simulated guest reads:
// "cost=N" makes the workload N % slower, "noise=N" scatters it by +-N %.
inline std::string Proposal(const std::string& candidate_extra, const std::string& runs,
                            const std::string& extra = "") {
  return "kgate: 1\nproposal: engine-test\ntitle: the engine's test proposal\n"
         "baseline:\n  kernel: debian:6.12-cloud\n"
         "candidate:\n  kernel: debian:6.12-cloud\n" +
         candidate_extra + "scenarios: [work]\ntier: icount\nruns: " + runs +
         "\npolicy: mainline\n" + extra;
}

inline double Param(const std::string& cmdline, const std::string& key) {
  auto at = cmdline.find(key + "=");
  return at == std::string::npos ? 0 : std::atof(cmdline.c_str() + at + key.size() + 1);
}

inline std::string Rep(int rep, bool warmup, double value) {
  return nlohmann::json{{"event", "rep"},
                        {"rep", rep},
                        {"warmup", warmup},
                        {"exit", 0},
                        {"seconds", 1.5},
                        {"output", "op_ns=" + std::to_string(value) + "\n"},
                        {"counters", nlohmann::json::object()}}
             .dump() +
         "\n";
}

inline constexpr char kReady[] =
    R"({"event":"ready","kernel":"6.12.0-test-cloud-amd64","clocksource":"tsc","uptime_s":1.9})"
    "\n";
inline constexpr char kDone[] = R"({"event":"done"})"
                                "\n";

// What kgate-agent would report for the task in request's trial directory.
inline FakeBoot SimulatedGuest(const BootRequest& request) {
  auto text = ReadTextFile(request.trial_dir + "/task.json");
  KG_CHECK(text.ok()) << text.status().message();
  nlohmann::json task = nlohmann::json::parse(*text);
  FakeBoot boot;
  boot.console = "[    0.000000] Linux version 6.12.0-test\n";
  boot.events = kReady;
  for (const auto& [path, value] : task["knobs"].items()) {
    if (path.find("missing") == std::string::npos) continue;
    boot.events += nlohmann::json{{"event", "step"},
                                  {"step", "knob"},
                                  {"target", path},
                                  {"ok", false},
                                  {"error", "No such file or directory"}}
                       .dump() +
                   "\n";
    boot.events += nlohmann::json{{"event", "error"},
                                  {"message", "knob " + path + ": No such file or directory"}}
                       .dump() +
                   "\n";
    return boot;
  }
  if (!task["module_cycle"].is_null()) {
    boot.events += nlohmann::json{{"event", "module_cycle"},
                                  {"path", task["module_cycle"]["path"]},
                                  {"name", task["module_cycle"]["name"]},
                                  {"count", 20},
                                  {"loaded", 20},
                                  {"unloaded", 20},
                                  {"errors", nlohmann::json::array()},
                                  {"taint_start", 0},
                                  {"before", {{"sunreclaim_kb", 100}}},
                                  {"after", {{"sunreclaim_kb", 104}}},
                                  {"still_loaded", false},
                                  {"seconds", 1.0},
                                  {"settle_ms", 1000}}
                       .dump() +
                   "\n";
  } else if (task.contains("faults")) {
    nlohmann::json workload = {
        {"started", true}, {"exit", 0}, {"seconds", 4.0}, {"timed_out", false}};
    boot.events +=
        nlohmann::json{{"event", "fault"},
                       {"taint_boot", 0},
                       {"taint_before", 0},
                       {"taint_after", 0},
                       {"agent", {{"pid", 97}, {"killed", true}, {"status", "signal 9"}}},
                       {"workload_after_kill", workload},
                       {"garbage", nlohmann::json::array()},
                       {"workload_after_garbage", workload},
                       {"responsive", {{"ok", true}, {"seconds", 0.02}}}}
            .dump() +
        "\n";
  } else {
    int seq = task["trial"];
    double cost = Param(request.cmdline, "cost") / 100;
    double noise = Param(request.cmdline, "noise") / 100;
    int warmup = task["warmup"], reps = task["reps"];
    for (int i = 0; i < warmup + reps; ++i) {
      int wiggle = (seq * 7 + i * 3) % 5 - 2;  // -2..2, the same for A and A
      double value = 1000 * (1 + cost) * (1 + 0.002 * wiggle + noise * wiggle / 2);
      boot.events += Rep(i < warmup ? i : i - warmup, i < warmup, value);
    }
  }
  boot.events += kDone;
  return boot;
}

class RecordingObserver : public RunObserver {
 public:
  void OnRunStarted(std::int64_t run_id, const std::string&, int) override {
    run_ids.push_back(run_id);
  }
  void OnTrial(const RunProgress& p) override {
    if (p.status != "running") finished.push_back(p.trial->seq);
  }
  void OnLook(int rounds, const Judgement& j) override {
    looks.push_back(rounds);
    look_verdicts.push_back(VerdictName(j.verdict));
  }
  void OnNotice(const std::string& line) override { notices.push_back(line); }

  std::vector<std::int64_t> run_ids;
  std::vector<int> finished;
  std::vector<int> looks;
  std::vector<std::string> look_verdicts;
  std::vector<std::string> notices;
};

// A kgate home (scenarios, policies) and a proposal in a temporary folder,
// a store, and every collaborator of the engine faked but the store and
// the judge.
class Bench {
 public:
  Bench() {
    static int counter = 0;
    // On tmpfs when there is one: the store's fsyncs are then free, and the
    // whole file runs in a second or two.
    std::filesystem::path root = std::filesystem::is_directory("/dev/shm")
                                     ? std::filesystem::path("/dev/shm")
                                     : std::filesystem::temp_directory_path();
    dir_ =
        (root / ("kgate-engine-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
            .string();
    std::filesystem::remove_all(dir_);
    for (const char* sub :
         {"home/scenarios/work", "home/policies", "home/suites", "cache", "work"}) {
      std::filesystem::create_directories(dir_ + "/" + sub);
    }
    Write("home/scenarios/work/workload.yaml", kWorkload);
    Write("home/policies/mainline.yaml", kPolicy);
    kernels_ = std::make_unique<FakeKernelSource>(dir_ + "/cache");
    builder = std::make_unique<FakeKernelBuilder>(dir_ + "/cache");
    images_ = std::make_unique<FakeImageBuilder>(dir_ + "/cache");
    analyzer_ = std::make_unique<FakeArmAnalyzer>(dir_ + "/cache");
    backend.SetScript(
        [](const BootRequest& r, int) -> Result<FakeBoot> { return SimulatedGuest(r); });
    NewStore();
  }
  ~Bench() { std::filesystem::remove_all(dir_); }

  void Write(const std::string& relative, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(dir_ + "/" + relative).parent_path());
    std::ofstream(dir_ + "/" + relative) << text;
  }
  std::string Path(const std::string& relative) const { return dir_ + "/" + relative; }
  std::string WriteProposal(const std::string& text) {
    Write("proposal.yaml", text);
    return Path("proposal.yaml");
  }
  void NewStore() {
    auto opened = Store::Open(Path("kgate-" + std::to_string(stores_++) + ".db"));
    REQUIRE(opened.ok());
    store = std::move(*opened);
  }
  LoadOptions Load() const { return LoadOptions::FromHome(Path("home")); }

  RunEnvironment Environment() {
    RunEnvironment env;
    env.store = store.get();
    env.backend = &backend;
    env.kernels = kernels_.get();
    env.builder = builder.get();
    env.images = images_.get();
    env.analyzer = analyzer_.get();
    env.programs = &programs;
    env.clock = &clock;
    env.observer = &observer;
    env.load = Load();
    env.provenance = {"testhost", "6.1.0-host", "QEMU emulator version 7.2.0", "0.2.0", "abc123"};
    return env;
  }
  RunOptions Options() const {
    RunOptions o;
    o.work_dir = Path("work");
    return o;
  }
  Result<RunSummary> Run(const std::string& proposal, RunOptions options) {
    return RunEngine(Environment()).Run(proposal, options);
  }
  Result<RunSummary> Run(const std::string& proposal) { return Run(proposal, Options()); }

  std::vector<TrialRecord> Trials(std::int64_t run) {
    auto t = store->LoadTrials(run);
    REQUIRE(t.ok());
    return *t;
  }

  std::unique_ptr<Store> store;
  std::unique_ptr<FakeKernelBuilder> builder;
  FakeVmBackend backend;
  FakePrograms programs;
  FakeClock clock;
  RecordingObserver observer;

 private:
  std::string dir_;
  int stores_ = 0;
  std::unique_ptr<FakeKernelSource> kernels_;
  std::unique_ptr<FakeImageBuilder> images_;
  std::unique_ptr<FakeArmAnalyzer> analyzer_;
};

// A module arm with an agent: the module cycle boots before any trial, the
// fault pass after the last one, each stored once as a check.
inline std::string ModuleProposal(Bench& b) {
  b.Write("mods/a/Makefile", "obj-m := a.o\n");
  b.Write("agent.sh", "#!/bin/sh\nwhile :; do sleep 1; done\n");
  return b.WriteProposal(Proposal("  modules: [mods/a]\n  agent: {source: agent.sh}\n",
                                  "{min: 3, max: 3}", "fault_injection: true\n"));
}

}  // namespace kgate::testing
