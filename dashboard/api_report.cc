// The documents of the JSON API that other libraries compute: a run's full
// report (the JSON reporter) and the comparison of two runs
// (judge/compare_runs.h, the same table `kgate compare --json` prints).
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/policy_loader.h"
#include "dashboard/api.h"
#include "judge/compare_runs.h"
#include "reports/report_data.h"
#include "reports/reporter.h"

namespace kgate::dashboard {

Result<std::string> RunJson(Store& store, std::int64_t run_id) {
  KG_ASSIGN_OR_RETURN(auto data, LoadReportData(store, run_id));
  std::ostringstream out;
  KG_RETURN_IF_ERROR(MakeJsonReporter()->Render(data, out));
  return out.str();
}

Result<Json> CompareJson(Store& store, const CompareQuery& q, const LoadOptions& options) {
  auto policy = LoadPolicy(q.policy, ".", options.policies_dir, options.Files());
  if (!policy.ok()) {
    // An unknown policy is the caller's mistake, not a missing page.
    return Status::BadInput(policy.status().message());
  }
  KG_ASSIGN_OR_RETURN(auto compared,
                      CompareStoredArms(store, q.a, q.arm, q.b, q.arm, *policy, options));
  return ToJson(compared);
}

}  // namespace kgate::dashboard
