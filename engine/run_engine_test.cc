// The run loop, driven end to end in milliseconds against fakes and the real
// judge and store (engine/testing/run_bench.h): looks, statuses, deadlines,
// missing programs and knobs, the order of checks.
#include "engine/run_engine.h"

#include <catch2/catch.hpp>
#include <csignal>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/interrupt.h"
#include "engine/testing/run_bench.h"
#include "judge/stored_run.h"

namespace kgate {
namespace {

using nlohmann::json;
using testing::Bench;
using testing::kWorkload;
using testing::ModuleProposal;
using testing::Proposal;
using testing::SimulatedGuest;

TEST_CASE("an A/A run stops at the first look it can: equivalent, PASS", "[engine]") {
  Bench b;
  auto summary = b.Run(b.WriteProposal(Proposal("", "{min: 3, max: 9}")));
  REQUIRE(summary.ok());
  CHECK(summary->verdict == Verdict::kPass);
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
  CHECK((*comparisons)[0].classification == Classification::kEquivalent);
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
  CHECK(summary->verdict == Verdict::kFail);
  // 3 vs 3 trials cannot reach p <= alpha/3; 6 vs 6 can.
  CHECK(b.observer.looks == std::vector<int>{3, 6});
  CHECK(summary->rounds == 6);
  CHECK(b.Trials(summary->run_id).size() == 12);
  auto comparisons = b.store->LoadComparisons(summary->run_id);
  REQUIRE(comparisons.ok());
  CHECK((*comparisons)[0].classification == Classification::kRegressed);
  CHECK((*comparisons)[0].effect == Approx(1.10).epsilon(0.01));
}

TEST_CASE("a comparison that stays unresolved runs to runs.max, INCONCLUSIVE", "[engine]") {
  Bench b;
  auto summary = b.Run(b.WriteProposal(Proposal("  cmdline: noise=10\n", "{min: 3, max: 9}")));
  REQUIRE(summary.ok());
  CHECK(b.observer.looks == std::vector<int>{3, 6});
  CHECK(summary->rounds == 9);
  CHECK(b.Trials(summary->run_id).size() == 18);
  CHECK(summary->verdict == Verdict::kInconclusive);
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

TEST_CASE(
    "crashed and hung guests are trials, the run goes on, and boot deadlines follow "
    "the measured boots",
    "[engine]") {
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
      boot.detail =
          "no ready event from the agent within 120 s of boot (the boot deadline); QEMU killed";
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
  b.backend.SetScript(
      [](const BootRequest& r, int) -> Result<FakeBoot> { return SimulatedGuest(r); });
  REQUIRE(b.Run(b.Path("proposal.yaml"), options).ok());
  CHECK(b.backend.requests()[6].ready_timeout_seconds == 20);
}

TEST_CASE("a knob missing in one arm fails that arm's trials, not the run", "[engine]") {
  Bench b;
  std::string proposal =
      Proposal("  knobs: {/sys/kernel/mm/missing/knob: 1}\n", "{min: 3, max: 3}");
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
  CHECK(summary->verdict != Verdict::kPass);
}

// "work" with a scratch disk of the given kind.
std::string ScratchWorkload(const std::string& disk) {
  std::string w = kWorkload;
  return w + "scratch_disk: {fs: ext4, device: " + disk + "}\nicount_shift: 0\n";
}

TEST_CASE("a modelled scratch disk is made in the guest, and the proposal's disk: wins",
          "[engine][storage]") {
  Bench b;
  b.Write("home/scenarios/work/workload.yaml", ScratchWorkload("sata-ssd"));
  REQUIRE(b.Run(b.WriteProposal(Proposal("", "{min: 1, max: 1}", "disk: cloud-volume\n"))).ok());
  REQUIRE_FALSE(b.backend.requests().empty());
  for (const BootRequest& r : b.backend.requests()) {
    CHECK_FALSE(r.scratch_disk);  // no virtio disk: the device is in the guest
    CHECK(r.icount_shift == 0);   // the scenario's, not the run's 3
    json task = json::parse(*ReadTextFile(r.trial_dir + "/task.json"));
    CHECK(task["scratch"]["device"] == "/dev/kgate-disk");
    CHECK(task["scratch"]["null_blk"]["profile"] == "cloud-volume");
    CHECK(task["scratch"]["null_blk"]["completion_nsec"] == 1000000);
  }
}

TEST_CASE("a block knob must be on the disk its scenarios get", "[engine][storage]") {
  Bench b;
  b.Write("home/scenarios/work/workload.yaml", ScratchWorkload("sata-ssd"));
  auto wrong = b.Run(b.WriteProposal(
      Proposal("  knobs: {/sys/block/vda/queue/read_ahead_kb: 16}\n", "{min: 1, max: 1}")));
  REQUIRE_FALSE(wrong.ok());
  CHECK_THAT(wrong.status().message(),
             Catch::Contains("an arm sets /sys/block/vda/queue/read_ahead_kb, and "
                             "scenario work's scratch disk is the modelled kgate-disk"));
  CHECK(b.backend.requests().empty());

  // A knob on the modelled disk gives a scenario without a scratch disk the
  // proposal's profile, and needs one named.
  b.Write("home/scenarios/work/workload.yaml", kWorkload);
  std::string knob = "  knobs: {/sys/block/kgate-disk/queue/read_ahead_kb: 16}\n";
  auto unnamed = b.Run(b.WriteProposal(Proposal(knob, "{min: 1, max: 1}")));
  REQUIRE_FALSE(unnamed.ok());
  CHECK_THAT(unnamed.status().message(),
             Catch::Contains("name the disk every scenario gets with `disk: <profile>`"));
  REQUIRE(b.Run(b.WriteProposal(Proposal(knob, "{min: 1, max: 1}", "disk: nvme-ssd\n"))).ok());
  REQUIRE_FALSE(b.backend.requests().empty());
  json task = json::parse(*ReadTextFile(b.backend.requests()[0].trial_dir + "/task.json"));
  CHECK(task["scratch"]["null_blk"]["profile"] == "nvme-ssd");
  CHECK(b.backend.requests()[0].icount_shift == kDefaultIcountShift);
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

TEST_CASE("the module cycle comes before the trials and the fault pass after them", "[engine]") {
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
  for (const CheckRecord& c : *checks) kinds.push_back(c.arm + "/" + c.kind + "/" + CheckStatusName(c.status));
  CHECK(kinds == std::vector<std::string>{"candidate/analysis/passed",
                                          "candidate/fault-injection/passed",
                                          "candidate/module-cycle/passed"});
}

}  // namespace
}  // namespace kgate
