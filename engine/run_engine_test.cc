// The run loop, driven end to end in milliseconds: a real SQLite store and
// the real judge, with fake kernels, images, arm analysis, programs and a
// simulated guest (the fake VM backend reads the task each trial was given
// and answers as kgate-agent would).
#include "engine/run_engine.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/interrupt.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_programs.h"
#include "checks/testing/fake_arm_analyzer.h"
#include "image/testing/fake_image_builder.h"
#include "judge/stored_run.h"
#include "kernels/testing/fake_kernel_source.h"
#include "vm/testing/fake_vm_backend.h"

namespace kgate {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::FakeArmAnalyzer;
using testing::FakeClock;
using testing::FakeImageBuilder;
using testing::FakeKernelSource;
using testing::FakePrograms;

constexpr char kWorkload[] = R"(kgate: 1
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

constexpr char kPolicy[] = R"(kgate: 1
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
std::string Proposal(const std::string& candidate_extra, const std::string& runs,
                     const std::string& extra = "") {
  return "kgate: 1\nproposal: engine-test\ntitle: the engine's test proposal\n"
         "baseline:\n  kernel: debian:6.12-cloud\n"
         "candidate:\n  kernel: debian:6.12-cloud\n" + candidate_extra +
         "scenarios: [work]\ntier: icount\nruns: " + runs + "\npolicy: mainline\n" + extra;
}

double Param(const std::string& cmdline, const std::string& key) {
  auto at = cmdline.find(key + "=");
  return at == std::string::npos ? 0 : std::atof(cmdline.c_str() + at + key.size() + 1);
}

std::string Rep(int rep, bool warmup, double value) {
  return json{{"event", "rep"},   {"rep", rep},
              {"warmup", warmup}, {"exit", 0},
              {"seconds", 1.5},   {"output", "op_ns=" + std::to_string(value) + "\n"},
              {"counters", json::object()}}
             .dump() + "\n";
}

constexpr char kReady[] =
    R"({"event":"ready","kernel":"6.12.0-test-cloud-amd64","clocksource":"tsc","uptime_s":1.9})" "\n";
constexpr char kDone[] = R"({"event":"done"})" "\n";

// What kgate-agent would report for the task in request's trial directory.
FakeBoot SimulatedGuest(const BootRequest& request) {
  auto text = ReadTextFile(request.trial_dir + "/task.json");
  KG_CHECK(text.ok()) << text.status().message();
  json task = json::parse(*text);
  FakeBoot boot;
  boot.console = "[    0.000000] Linux version 6.12.0-test\n";
  boot.events = kReady;
  for (const auto& [path, value] : task["knobs"].items()) {
    if (path.find("missing") == std::string::npos) continue;
    boot.events += json{{"event", "step"}, {"step", "knob"}, {"target", path}, {"ok", false},
                        {"error", "No such file or directory"}}.dump() + "\n";
    boot.events += json{{"event", "error"},
                        {"message", "knob " + path + ": No such file or directory"}}.dump() + "\n";
    return boot;
  }
  if (!task["module_cycle"].is_null()) {
    boot.events += json{{"event", "module_cycle"}, {"path", task["module_cycle"]["path"]},
                        {"name", task["module_cycle"]["name"]}, {"count", 20}, {"loaded", 20},
                        {"unloaded", 20}, {"errors", json::array()}, {"taint_start", 0},
                        {"before", {{"sunreclaim_kb", 100}}}, {"after", {{"sunreclaim_kb", 104}}},
                        {"still_loaded", false}, {"seconds", 1.0}, {"settle_ms", 1000}}.dump() + "\n";
  } else if (task.contains("faults")) {
    json workload = {{"started", true}, {"exit", 0}, {"seconds", 4.0}, {"timed_out", false}};
    boot.events += json{{"event", "fault"}, {"taint_boot", 0}, {"taint_before", 0},
                        {"taint_after", 0},
                        {"agent", {{"pid", 97}, {"killed", true}, {"status", "signal 9"}}},
                        {"workload_after_kill", workload}, {"garbage", json::array()},
                        {"workload_after_garbage", workload},
                        {"responsive", {{"ok", true}, {"seconds", 0.02}}}}.dump() + "\n";
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
  void OnRunStarted(std::int64_t run_id, const std::string&, int) override { run_ids.push_back(run_id); }
  void OnTrial(const RunProgress& p) override {
    if (p.status != "running") finished.push_back(p.trial->seq);
  }
  void OnLook(int rounds, const Judgement& j) override {
    looks.push_back(rounds);
    look_verdicts.push_back(j.verdict);
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
    fs::path root = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    dir_ = (root /
            ("kgate-engine-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
               .string();
    fs::remove_all(dir_);
    for (const char* sub : {"home/scenarios/work", "home/policies", "home/suites", "cache", "work"}) {
      fs::create_directories(dir_ + "/" + sub);
    }
    Write("home/scenarios/work/workload.yaml", kWorkload);
    Write("home/policies/mainline.yaml", kPolicy);
    kernels_ = std::make_unique<FakeKernelSource>(dir_ + "/cache");
    images_ = std::make_unique<FakeImageBuilder>(dir_ + "/cache");
    analyzer_ = std::make_unique<FakeArmAnalyzer>(dir_ + "/cache");
    backend.SetScript([](const BootRequest& r, int) -> Result<FakeBoot> { return SimulatedGuest(r); });
    NewStore();
  }
  ~Bench() { fs::remove_all(dir_); }

  void Write(const std::string& relative, const std::string& text) {
    fs::create_directories(fs::path(dir_ + "/" + relative).parent_path());
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

TEST_CASE("an A/A run stops at the first look it can: equivalent, PASS", "[engine]") {
  Bench b;
  auto summary = b.Run(b.WriteProposal(Proposal("", "{min: 3, max: 9}")));
  REQUIRE(summary.ok());
  CHECK(summary->verdict == "PASS");
  CHECK(summary->rounds == 3);
  CHECK(summary->trials_run == 6);
  CHECK(summary->by_status.at("ok") == 6);
  CHECK(b.observer.looks == std::vector<int>{3});
  CHECK(b.observer.look_verdicts == std::vector<std::string>{"PASS"});
  auto run = b.store->LoadRun(summary->run_id);
  REQUIRE(run.ok());
  CHECK(run->status == "done");
  CHECK(run->git_sha == "abc123");
  CHECK(run->tier == "icount");
  CHECK(run->scenarios_dir == b.Path("home/scenarios"));
  auto comparisons = b.store->LoadComparisons(summary->run_id);
  REQUIRE(comparisons.ok());
  REQUIRE(comparisons->size() == 1);
  CHECK((*comparisons)[0].classification == "equivalent");
  // Every file the run's loaders read is stored with it.
  auto files = b.store->LoadRunFiles(summary->run_id);
  REQUIRE(files.ok());
  CHECK(files->count(b.Path("home/scenarios/work/workload.yaml")) == 1);
  CHECK(files->count(b.Path("home/policies/mainline.yaml")) == 1);
  CHECK(files->count(b.Path("proposal.yaml")) == 1);
}

TEST_CASE("a known cost is caught at a later look, FAIL naming the regression", "[engine]") {
  Bench b;
  auto summary = b.Run(b.WriteProposal(Proposal("  cmdline: cost=10\n", "{min: 3, max: 9}")));
  REQUIRE(summary.ok());
  CHECK(summary->verdict == "FAIL");
  // 3 vs 3 trials cannot reach p <= alpha/3; 6 vs 6 can.
  CHECK(b.observer.looks == std::vector<int>{3, 6});
  CHECK(summary->rounds == 6);
  CHECK(b.Trials(summary->run_id).size() == 12);
  auto comparisons = b.store->LoadComparisons(summary->run_id);
  REQUIRE(comparisons.ok());
  CHECK((*comparisons)[0].classification == "regressed");
  CHECK((*comparisons)[0].effect == Approx(1.10).epsilon(0.01));
}

TEST_CASE("a comparison that stays unresolved runs to runs.max, INCONCLUSIVE", "[engine]") {
  Bench b;
  auto summary = b.Run(b.WriteProposal(Proposal("  cmdline: noise=10\n", "{min: 3, max: 9}")));
  REQUIRE(summary.ok());
  CHECK(b.observer.looks == std::vector<int>{3, 6});
  CHECK(summary->rounds == 9);
  CHECK(b.Trials(summary->run_id).size() == 18);
  CHECK(summary->verdict == "INCONCLUSIVE");
}

TEST_CASE("a fixed number of rounds (kgate run --runs) takes no looks", "[engine]") {
  Bench b;
  RunOptions options = b.Options();
  options.plan.runs = 2;
  options.adaptive = false;
  auto summary = b.Run(b.WriteProposal(Proposal("", "{min: 3, max: 9}")), options);
  REQUIRE(summary.ok());
  CHECK(b.observer.looks.empty());
  CHECK(b.Trials(summary->run_id).size() == 4);
}

TEST_CASE("crashed and hung guests are trials, the run goes on, and boot deadlines follow "
          "the measured boots", "[engine]") {
  Bench b;
  b.backend.SetScript([](const BootRequest& r, int index) -> Result<FakeBoot> {
    FakeBoot boot = SimulatedGuest(r);
    if (index == 1) {
      boot.reason = ExitReason::kPanicked;
      boot.events = "";
      boot.console = "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009\n";
      boot.detail = "Kernel panic - not syncing: Attempted to kill init!";
    } else if (index == 2) {
      boot.reason = ExitReason::kTimedOut;
      boot.events = "";
      boot.console = "SeaBIOS (version 1.16.2-debian-1.16.2-1)\n";
      boot.detail = "no ready event from the agent within 120 s of boot (the boot deadline); QEMU killed";
    }
    return boot;
  });
  RunOptions options = b.Options();
  options.plan.runs = 3;
  options.adaptive = false;
  auto summary = b.Run(b.WriteProposal(Proposal("", "{min: 3, max: 9}")), options);
  REQUIRE(summary.ok());
  std::vector<TrialRecord> trials = b.Trials(summary->run_id);
  REQUIRE(trials.size() == 6);
  CHECK(trials[1].status == TrialStatus::kCrashed);
  CHECK(trials[1].message.find("console-panic") == 0);
  CHECK(trials[2].status == TrialStatus::kHung);
  CHECK(trials[2].message.find("boot deadline") != std::string::npos);
  CHECK(trials[2].console_log.find("SeaBIOS") != std::string::npos);
  CHECK(summary->by_status.at("ok") == 4);
  // A fresh store knows no boot of this kernel: the first trials get the
  // first-boot allowance; once one booted (2.5 s), five times that, at
  // least 20 s.
  const auto& requests = b.backend.requests();
  CHECK(requests[0].ready_timeout_seconds == 120);
  CHECK(requests[1].ready_timeout_seconds == 20);
  CHECK(requests[5].ready_timeout_seconds == 20);
  // The next run of the kernel knows it from the store at once.
  b.backend.SetScript([](const BootRequest& r, int) -> Result<FakeBoot> { return SimulatedGuest(r); });
  REQUIRE(b.Run(b.Path("proposal.yaml"), options).ok());
  CHECK(b.backend.requests()[6].ready_timeout_seconds == 20);
}

TEST_CASE("a knob missing in one arm fails that arm's trials, not the run", "[engine]") {
  Bench b;
  std::string proposal = Proposal("  knobs: {/sys/kernel/mm/missing/knob: 1}\n", "{min: 3, max: 3}");
  auto summary = b.Run(b.WriteProposal(proposal));
  REQUIRE(summary.ok());
  for (const TrialRecord& t : b.Trials(summary->run_id)) {
    INFO(t.arm << " " << t.message);
    if (t.arm == "candidate") {
      CHECK(t.status == TrialStatus::kFailed);
      CHECK(t.message == "guest: knob /sys/kernel/mm/missing/knob: No such file or directory");
    } else {
      CHECK(t.status == TrialStatus::kOk);
    }
  }
  CHECK(summary->verdict != "PASS");
}

TEST_CASE("a scenario whose program the host lacks fails without a boot", "[engine]") {
  Bench b;
  b.programs.missing = {"worker"};
  auto summary = b.Run(b.WriteProposal(Proposal("", "{min: 3, max: 3}")));
  REQUIRE(summary.ok());
  CHECK(b.backend.requests().empty());
  for (const TrialRecord& t : b.Trials(summary->run_id)) {
    CHECK(t.status == TrialStatus::kFailed);
    CHECK(t.message.find("needs worker on the host") != std::string::npos);
  }
}

// A module arm with an agent: the module cycle boots before any trial, the
// fault pass after the last one, each stored once as a check.
std::string ModuleProposal(Bench& b) {
  b.Write("mods/a/Makefile", "obj-m := a.o\n");
  b.Write("agent.sh", "#!/bin/sh\nwhile :; do sleep 1; done\n");
  return b.WriteProposal(Proposal("  modules: [mods/a]\n  agent: {source: agent.sh}\n",
                                  "{min: 3, max: 3}", "fault_injection: true\n"));
}

TEST_CASE("the module cycle comes before the trials and the fault pass after them",
          "[engine]") {
  Bench b;
  auto summary = b.Run(ModuleProposal(b));
  REQUIRE(summary.ok());
  const auto& requests = b.backend.requests();
  REQUIRE(requests.size() == 1 + 6 + 1);
  auto task = [&](std::size_t i) {
    return json::parse(*ReadTextFile(requests[i].trial_dir + "/task.json"));
  };
  CHECK_FALSE(task(0)["module_cycle"].is_null());
  for (std::size_t i = 1; i <= 6; ++i) {
    CHECK(task(i)["module_cycle"].is_null());
    CHECK_FALSE(task(i).contains("faults"));
  }
  CHECK(task(7).contains("faults"));
  // The module's parameter is among the knobs the fault pass feeds garbage.
  CHECK(task(7)["faults"]["garbage"].contains("/sys/module/mod0/parameters/level"));
  auto checks = b.store->LoadChecks(summary->run_id);
  REQUIRE(checks.ok());
  std::vector<std::string> kinds;
  for (const CheckRecord& c : *checks) kinds.push_back(c.arm + "/" + c.kind + "/" + c.status);
  CHECK(kinds == std::vector<std::string>{"candidate/analysis/passed",
                                          "candidate/fault-injection/passed",
                                          "candidate/module-cycle/passed"});
}

// The stored state a run leaves, for comparing an interrupted and resumed
// run with one that ran straight through.
struct Outcome {
  std::vector<std::string> trials;  // seq status value...
  std::vector<std::string> checks;
  std::size_t findings = 0;
  std::string verdict;
  std::string status;
};

Outcome OutcomeOf(Store& store, std::int64_t run) {
  Outcome o;
  auto samples = store.LoadSamples(run);
  auto trials = store.LoadTrials(run);
  auto checks = store.LoadChecks(run);
  REQUIRE((samples.ok() && trials.ok() && checks.ok()));
  for (const TrialRecord& t : *trials) {
    std::string row = std::to_string(t.seq) + " " + TrialStatusName(t.status);
    for (const SampleRow& s : *samples) {
      if (s.seq == t.seq) row += " " + std::to_string(s.sample.value);
    }
    o.trials.push_back(row);
  }
  for (const CheckRecord& c : *checks) o.checks.push_back(c.arm + c.kind + c.status);
  o.findings = store.LoadFindings(run)->size();
  o.verdict = store.LoadVerdict(run).ok() ? store.LoadVerdict(run)->verdict : "";
  o.status = store.LoadRun(run)->status;
  return o;
}

TEST_CASE("a run stopped at any boot and resumed ends as if it had not stopped", "[engine]") {
  Bench b;
  std::string proposal = ModuleProposal(b);
  auto reference = b.Run(proposal);
  REQUIRE(reference.ok());
  Outcome want = OutcomeOf(*b.store, reference->run_id);
  int boots = static_cast<int>(b.backend.requests().size());
  REQUIRE(boots == 8);
  for (int stop = 0; stop < boots; ++stop) {
    INFO("stopped at boot " << stop);
    b.NewStore();
    auto count = std::make_shared<int>(0);
    b.backend.SetScript([stop, count](const BootRequest& r, int) -> Result<FakeBoot> {
      if ((*count)++ == stop) {
        RequestStop(SIGTERM);
        return Status::Interrupted("stopped by signal 15");
      }
      return SimulatedGuest(r);
    });
    auto stopped = b.Run(proposal);
    ClearStopRequest();
    REQUIRE_FALSE(stopped.ok());
    CHECK(stopped.status().code() == Status::Code::kInterrupted);
    REQUIRE(b.store->ListRuns()->size() == 1);
    std::int64_t run = b.store->ListRuns()->front().id;
    CHECK(b.store->LoadRun(run)->status == "interrupted");
    b.backend.SetScript([](const BootRequest& r, int) -> Result<FakeBoot> { return SimulatedGuest(r); });
    RunOptions resume = b.Options();
    resume.resume_run_id = run;
    auto resumed = b.Run(proposal, resume);
    REQUIRE(resumed.ok());
    Outcome got = OutcomeOf(*b.store, run);
    CHECK(got.trials == want.trials);
    CHECK(got.checks == want.checks);
    CHECK(got.findings == want.findings);
    CHECK(got.verdict == want.verdict);
    CHECK(got.status == "done");
    CHECK(resumed->trials_skipped + resumed->trials_run == 6);
  }
}

TEST_CASE("a resume of another proposal's run, or at another tier, is refused and changes "
          "nothing", "[engine]") {
  Bench b;
  auto first = b.Run(b.WriteProposal(Proposal("", "{min: 3, max: 3}")));
  REQUIRE(first.ok());
  std::string other = Proposal("", "{min: 3, max: 3}");
  other.replace(other.find("engine-test"), 11, "other-proposal");
  b.Write("other.yaml", other);
  RunOptions resume = b.Options();
  resume.resume_run_id = first->run_id;
  auto refused = b.Run(b.Path("other.yaml"), resume);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kBadInput);
  CHECK(refused.status().message() ==
        "run 1 is of proposal 'engine-test', not 'other-proposal'");
  // Nor does a run resume at another tier than it was measured at.
  RunOptions retier = resume;
  retier.tier = "tcg";
  auto moved = b.Run(b.Path("proposal.yaml"), retier);
  REQUIRE_FALSE(moved.ok());
  CHECK(moved.status().message() == "run 1 was measured at tier icount; it cannot resume at tcg");
  CHECK(b.Trials(first->run_id).size() == 6);
}

TEST_CASE("a stored run is re-judged with the configuration it was measured with", "[engine]") {
  Bench b;
  auto summary = b.Run(b.WriteProposal(Proposal("  cmdline: cost=10\n", "{min: 6, max: 6}")));
  REQUIRE(summary.ok());
  REQUIRE(summary->verdict == "FAIL");
  // The tree changes after the run: the metric's better side flips, which
  // would turn the 10 % cost into a 10 % gain, and the margin widens.
  std::string flipped = kWorkload;
  flipped.replace(flipped.find("better: lower"), 13, "better: higher");
  b.Write("home/scenarios/work/workload.yaml", flipped);
  std::string policy = kPolicy;
  policy.replace(policy.find("margin: 2%"), 10, "margin: 20%");
  b.Write("home/policies/mainline.yaml", policy);

  auto again = JudgeStoredRun(*b.store, summary->run_id, "", std::nullopt, b.Load());
  REQUIRE(again.ok());
  CHECK(again->verdict == "FAIL");
  REQUIRE(again->comparisons.size() == 1);
  CHECK(again->comparisons[0].classification == Classification::kRegressed);

  // Judged with the tree as it is now, the same samples pass: the stored
  // configuration is what kept the verdict.
  auto run = b.store->LoadRun(summary->run_id);
  RunRecord copy = *run;
  copy.scenarios_dir = copy.suites_dir = copy.policies_dir = "";
  auto tree_run = b.store->CreateRun(copy);
  REQUIRE(tree_run.ok());
  auto stored_samples = b.store->LoadSamples(summary->run_id);
  auto stored_arms = b.store->LoadArms(summary->run_id);
  REQUIRE((stored_samples.ok() && stored_arms.ok()));
  for (const TrialRecord& t : b.Trials(summary->run_id)) {
    std::vector<SampleRecord> samples;
    for (const SampleRow& s : *stored_samples) {
      if (s.trial_id == t.id) samples.push_back(s.sample);
    }
    TrialRecord moved = t;
    moved.run_id = *tree_run;
    REQUIRE(b.store->RecordTrial(moved, samples, {}).ok());
  }
  for (const ArmRecord& a : *stored_arms) {
    ArmRecord moved = a;
    moved.run_id = *tree_run;
    REQUIRE(b.store->SaveArm(moved).ok());
  }
  auto by_tree = JudgeStoredRun(*b.store, *tree_run, "", std::nullopt, b.Load());
  REQUIRE(by_tree.ok());
  CHECK(by_tree->verdict != "FAIL");
}

TEST_CASE("a run stopped by a signal is marked interrupted", "[engine]") {
  Bench b;
  b.backend.SetScript([](const BootRequest& r, int index) -> Result<FakeBoot> {
    if (index == 2) RequestStop(SIGINT);
    return SimulatedGuest(r);
  });
  auto summary = b.Run(b.WriteProposal(Proposal("", "{min: 3, max: 3}")));
  ClearStopRequest();
  REQUIRE_FALSE(summary.ok());
  CHECK(summary.status().code() == Status::Code::kInterrupted);
  CHECK(b.store->LoadRun(1)->status == "interrupted");
  // The trial the signal arrived in was finished and stored; none after it.
  CHECK(b.Trials(1).size() == 3);
}

}  // namespace
}  // namespace kgate
