// The documents of the JSON API that other libraries compute: a run's full
// report (the JSON reporter) and the comparison of two runs
// (judge/compare_runs.h, the same table `kgate compare --json` prints).
#include <sstream>

#include <fmt/format.h>

#include "config/policy_loader.h"
#include "config/scenario_loader.h"
#include "dashboard/api.h"
#include "judge/compare_runs.h"
#include "judge/stored_run.h"
#include "reports/report_data.h"
#include "reports/reporter.h"

namespace kgate::dashboard {
namespace {

Json Side(const TrialSet& set) {
  return {{"run", set.run_id}, {"arm", set.arm}, {"tier", set.tier}, {"kernel", set.kernel}};
}

Json ComparisonJson(const ComparisonRecord& r) {
  return {{"scenario", r.scenario},
          {"metric", r.metric},
          {"shape", r.shape},
          {"arm", r.arm},
          {"reference", r.reference},
          {"kind", r.kind},
          {"better", r.better},
          {"unit", r.unit},
          {"primary", r.primary},
          {"n_arm", r.n_arm},
          {"n_reference", r.n_reference},
          {"median_arm", Number(r.median_arm)},
          {"median_reference", Number(r.median_reference)},
          {"effect", Number(r.effect)},
          {"ci_low", Number(r.ci_low)},
          {"ci_high", Number(r.ci_high)},
          {"ci_level", Number(r.ci_level)},
          {"p_value", Number(r.p_value)},
          {"q_value", Number(r.q_value)},
          {"classification", r.classification},
          {"decides", r.decides},
          {"note", r.note}};
}

}  // namespace

Result<std::string> RunJson(Store& store, std::int64_t run_id) {
  auto data = LoadReportData(store, run_id);
  if (!data.ok()) return data.status();
  std::ostringstream out;
  KG_RETURN_IF_ERROR(MakeJsonReporter()->Render(*data, out));
  return out.str();
}

Result<Json> CompareJson(Store& store, const CompareQuery& q, const LoadOptions& options) {
  auto reference = LoadTrialSet(store, q.a, q.arm);
  if (!reference.ok()) return reference.status();
  auto arm = LoadTrialSet(store, q.b, q.arm);
  if (!arm.ok()) return arm.status();
  auto policy = LoadPolicy(q.policy, ".", options.policies_dir);
  if (!policy.ok()) {
    // An unknown policy is the caller's mistake, not a missing page.
    return Status::BadInput(policy.status().message());
  }
  auto scenarios = CurrentScenarios(*reference, *arm, options);
  if (!scenarios.ok()) return scenarios.status();
  auto comparisons = CompareTrialSets(*reference, *arm, *policy, *scenarios);
  if (!comparisons.ok()) return comparisons.status();
  Json rows = Json::array();
  for (const Comparison& c : *comparisons) rows.push_back(ComparisonJson(ToRecord(arm->run_id, c)));
  return Json{{"kgate", 1},
              {"policy", policy->name},
              {"reference", Side(*reference)},
              {"arm", Side(*arm)},
              {"comparisons", rows}};
}

}  // namespace kgate::dashboard
