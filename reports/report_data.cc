#include "reports/report_data.h"

#include <exception>

#include <fmt/format.h>

#include "config/policy_loader.h"
#include "config/yaml_reader.h"

namespace kgate {

Status NotJudged(std::int64_t run_id) {
  return Status::BadInput(
      fmt::format("run {} has not been judged; kgate gate {} judges it", run_id, run_id));
}

std::string ProposalTitle(const std::string& proposal_yaml) {
  if (proposal_yaml.empty()) return "";
  auto node = ParseYamlText(proposal_yaml, "<stored proposal>");
  if (!node.ok()) return "";
  try {
    if (node->IsMap() && (*node)["title"] && (*node)["title"].IsScalar()) {
      return (*node)["title"].as<std::string>();
    }
  } catch (const std::exception&) {
    // A malformed stored proposal only costs the report its title.
  }
  return "";
}

Result<ReportData> LoadReportData(Store& store, std::int64_t run_id,
                                  const LoadOptions& options) {
  ReportData d;
  auto run = store.LoadRun(run_id);
  if (!run.ok()) return run.status();
  d.run = std::move(run).value();
  d.title = ProposalTitle(d.run.proposal_yaml);
  d.schema_version = store.SchemaVersion();

  auto arms = store.LoadArms(run_id);
  if (!arms.ok()) return arms.status();
  d.arms = std::move(arms).value();
  auto trials = store.LoadTrials(run_id);
  if (!trials.ok()) return trials.status();
  d.trials = std::move(trials).value();
  auto samples = store.LoadSamples(run_id);
  if (!samples.ok()) return samples.status();
  d.samples = std::move(samples).value();
  auto findings = store.LoadFindings(run_id);
  if (!findings.ok()) return findings.status();
  d.findings = std::move(findings).value();
  auto checks = store.LoadChecks(run_id);
  if (!checks.ok()) return checks.status();
  d.checks = std::move(checks).value();

  auto verdict = store.LoadVerdict(run_id);
  if (verdict.ok()) {
    d.verdict = std::move(verdict).value();
  } else if (verdict.status().code() != Status::Code::kNotFound) {
    return verdict.status();
  }
  if (d.verdict) {
    // A name, not a path: the verdict stores the policy's name only.
    auto policy = LoadPolicy(d.verdict->policy, ".", options.policies_dir);
    if (policy.ok()) d.margin = policy->margin;
  }
  auto comparisons = store.LoadComparisons(run_id);
  if (!comparisons.ok()) return comparisons.status();
  d.comparisons = std::move(comparisons).value();
  auto claims = store.LoadClaims(run_id);
  if (!claims.ok()) return claims.status();
  d.claims = std::move(claims).value();
  return d;
}

}  // namespace kgate
