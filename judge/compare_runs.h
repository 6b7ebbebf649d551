// Comparing any two stored sets of trials: one arm of one run against one
// arm of another run (yesterday's kernel vs today's), or two arms of one run.
// This is what `kgate compare` prints; it is a report, not a verdict, and it
// writes nothing.
//
// Contract of CompareTrialSets:
//   - One comparison per scenario x shape x metric for which both sets have
//     at least one ok trial carrying the metric; anything present in only one
//     set is skipped. Order: the reference's scenario x shape cells in trial
//     order, each cell's metrics in the scenario's declared order, then
//     metrics the scenario no longer declares, by name.
//   - Every trial of a set counts, whatever its round: the arm is named, not
//     chosen from several, so there is no winner's curse to hold rounds
//     apart for (judge.h). The comparisons are one Benjamini-Hochberg family
//     judged at one look: alpha and the CI level (1 - alpha) are the policy's
//     own, with policy.resamples bootstrap resamples and a fixed seed, so the
//     same two sets always give the same intervals.
//   - Which comparisons decide is MetricDecides() with the scenario's spec
//     as measured (RunScenarios) at the reference's tier. A scenario missing from
//     scenarios, or a metric its spec no longer declares, is still compared,
//     with the metric's unit, kind and direction as stored with the samples,
//     but does not decide, and its note says why. When the two sets were
//     measured at different tiers no comparison decides: a ratio of two
//     tiers' times measures the tiers, not the kernels.
//   - Comparison::arm / reference name the sides: the arm names when both
//     sets come from one run ("tuned:read_ahead_kb=512" vs "baseline"), else
//     "run 3 candidate" / "run 2 candidate". vs is "tuned" when the reference
//     arm is a tuned arm, else "baseline"; target is false (there is no
//     proposal to say which scenarios are targets).
//   - BadInput ("nothing to compare: ...") when no scenario x metric x shape
//     is present in both sets.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/load_options.h"
#include "config/model.h"
#include "judge/comparison.h"
#include "judge/trial_values.h"
#include "store/records_json.h"
#include "store/store.h"

namespace kgate {

// One arm's ok trials in one run, with what the report says about them.
struct TrialSet {
  std::int64_t run_id = 0;
  std::string arm;
  std::string tier;    // the run's tier
  std::string kernel;  // the arm's kernel version (uname -r), as stored
  std::vector<TrialValues> values;  // this arm's ok trials only
  // "scenario/metric" -> unit, kind and direction as stored with the samples;
  // used when the current tree no longer declares the metric.
  std::map<std::string, MetricSpec> stored_specs;

  // "run 3 candidate", or just the arm when other comes from the same run.
  std::string SideName(const TrialSet& other) const;
};

// Loads arm's ok trials of run_id. NotFound ("run 7 does not exist") for an
// unknown run; BadInput naming the run's arms when it has no such arm;
// the store's own errors otherwise. An arm with no ok trial loads, empty.
Result<TrialSet> LoadTrialSet(Store& store, std::int64_t run_id, const std::string& arm);

// The scenarios named by the trials of either set, sorted.
std::set<std::string> ScenarioNames(const TrialSet& a, const TrialSet& b);

// The spec of every scenario the sets name, as the runs were measured with
// it: from the arm's run's stored configuration, else the reference's, else
// current (the tree) for runs stored without one (stored_run.h). A scenario
// found nowhere is left out (its stored metric specs serve). Errors other
// than NotFound are returned.
Result<std::map<std::string, ScenarioSpec>> RunScenarios(Store& store, const TrialSet& reference,
                                                         const TrialSet& arm,
                                                         const LoadOptions& current);

// arm against reference; see the contract above. scenarios: RunScenarios.
Result<std::vector<Comparison>> CompareTrialSets(
    const TrialSet& reference, const TrialSet& arm, const Policy& policy,
    const std::map<std::string, ScenarioSpec>& scenarios);

// What `kgate compare` and the dashboard's /api/compare show: two stored
// sides compared under a policy.
struct StoredComparison {
  TrialSet reference;
  TrialSet arm;
  Policy policy;
  std::vector<ComparisonRecord> records;
};
// Errors as LoadTrialSet, RunScenarios and CompareTrialSets.
Result<StoredComparison> CompareStoredArms(Store& store, std::int64_t reference_run,
                                           const std::string& reference_arm,
                                           std::int64_t arm_run, const std::string& arm,
                                           const Policy& policy, const LoadOptions& current);

// {"kgate": 1, "policy", "reference": side, "arm": side, "comparisons":
// [records_json.h ToJson(ComparisonRecord)...]}, side = {"run", "arm",
// "tier", "kernel"}: `kgate compare --json` and GET /api/compare.
RecordJson ToJson(const StoredComparison& comparison);

}  // namespace kgate
