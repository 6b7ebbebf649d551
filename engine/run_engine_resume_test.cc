// Runs that stop and resume, and stored runs judged again: no trial lost or
// doubled, the same verdict as a run that went straight through, and the
// configuration a run was measured with (engine/testing/run_bench.h).
#include <catch2/catch.hpp>
#include <csignal>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/interrupt.h"
#include "engine/run_engine.h"
#include "engine/testing/run_bench.h"
#include "judge/stored_run.h"

namespace kgate {
namespace {

using nlohmann::json;
using testing::Bench;
using testing::kPolicy;
using testing::kWorkload;
using testing::ModuleProposal;
using testing::Proposal;
using testing::SimulatedGuest;

// The stored state a run leaves, for comparing an interrupted and resumed
// run with one that ran straight through.
struct RunOutcome {
  std::vector<std::string> trials;  // seq status value...
  std::vector<std::string> checks;
  std::size_t findings = 0;
  std::string verdict;
  std::string status;
};

RunOutcome OutcomeOf(Store& store, std::int64_t run) {
  RunOutcome o;
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
  for (const CheckRecord& c : *checks) o.checks.push_back(c.arm + c.kind + CheckStatusName(c.status));
  o.findings = store.LoadFindings(run)->size();
  o.verdict = store.LoadVerdict(run).ok() ? VerdictName(store.LoadVerdict(run)->verdict) : "";
  o.status = store.LoadRun(run)->status;
  return o;
}

TEST_CASE("a run stopped at any boot and resumed ends as if it had not stopped", "[engine]") {
  Bench b;
  std::string proposal = ModuleProposal(b);
  auto reference = b.Run(proposal);
  REQUIRE(reference.ok());
  RunOutcome want = OutcomeOf(*b.store, reference->run_id);
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
    b.backend.SetScript(
        [](const BootRequest& r, int) -> Result<FakeBoot> { return SimulatedGuest(r); });
    RunOptions resume = b.Options();
    resume.resume_run_id = run;
    auto resumed = b.Run(proposal, resume);
    REQUIRE(resumed.ok());
    RunOutcome got = OutcomeOf(*b.store, run);
    CHECK(got.trials == want.trials);
    CHECK(got.checks == want.checks);
    CHECK(got.findings == want.findings);
    CHECK(got.verdict == want.verdict);
    CHECK(got.status == "done");
    CHECK(resumed->trials_skipped + resumed->trials_run == 6);
  }
}

TEST_CASE(
    "a resume of another proposal's run, or at another tier, is refused and changes "
    "nothing",
    "[engine]") {
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
  CHECK(refused.status().message() == "run 1 is of proposal 'engine-test', not 'other-proposal'");
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
  REQUIRE(summary->verdict == Verdict::kFail);
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
  CHECK(again->verdict == Verdict::kFail);
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
  CHECK(by_tree->verdict != Verdict::kFail);
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
