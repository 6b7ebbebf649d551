#include "judge/stored_run.h"

#include <fmt/format.h>

#include "config/policy_loader.h"
#include "config/proposal_loader.h"
#include "config/scenario_loader.h"
#include "judge/adaptive.h"
#include "judge/trial_values.h"

namespace kgate {

Result<RunConfiguration> RunConfiguration::Load(Store& store, std::int64_t run_id,
                                                const LoadOptions& current) {
  auto run = store.LoadRun(run_id);
  if (!run.ok()) return run.status();
  auto files = store.LoadRunFiles(run_id);
  if (!files.ok()) return files.status();
  RunConfiguration config;
  config.options_ = current;
  if (files->empty()) return config;
  config.files_ = std::make_shared<SnapshotConfigFiles>(std::move(*files),
                                                        fmt::format("run {}", run_id));
  config.options_.scenarios_dir = run->scenarios_dir;
  config.options_.suites_dir = run->suites_dir;
  config.options_.policies_dir = run->policies_dir;
  config.options_.files = config.files_.get();
  return config;
}

Result<JudgeInput> LoadJudgeInput(Store& store, std::int64_t run_id, const std::string& policy,
                                  const LoadOptions& current) {
  auto run = store.LoadRun(run_id);
  if (!run.ok()) return run.status();
  if (run->proposal_yaml.empty()) {
    return Status::BadInput(fmt::format("run {} has no stored proposal to judge it by", run_id));
  }
  KG_ASSIGN_OR_RETURN(auto config, RunConfiguration::Load(store, run_id, current));
  // The files an arm named (agents, modules) need not exist any more: the
  // judge reads none of them.
  LoadOptions options = config.options();
  options.check_files = false;
  auto proposal = LoadProposalText(run->proposal_yaml, run->proposal_file, options);
  if (!proposal.ok()) {
    return proposal.status().Prefixed(fmt::format("run {}: its stored proposal", run_id));
  }
  JudgeInput in;
  in.proposal = std::move(*proposal);
  KG_ASSIGN_OR_RETURN(
      auto loaded, policy.empty() ? LoadPolicy(in.proposal.policy, in.proposal.dir,
                                               options.policies_dir, options.Files())
                                  : LoadPolicy(policy, ".", current.policies_dir, current.Files()));
  in.policy = std::move(loaded);
  in.tier = run->tier;
  for (const std::string& name : in.proposal.scenarios) {
    KG_ASSIGN_OR_RETURN(auto spec, FindScenario(name, options.scenarios_dir, options.Files()));
    in.scenarios.emplace(name, std::move(spec));
  }
  KG_ASSIGN_OR_RETURN(auto arms, store.LoadArms(run_id));
  for (const ArmRecord& a : arms) in.arms.push_back(a.name);
  auto trials = store.LoadTrials(run_id);
  if (!trials.ok()) return trials.status();
  in.trials = std::move(*trials);
  KG_ASSIGN_OR_RETURN(auto samples, store.LoadSamples(run_id));
  in.values = PerTrialValues(in.trials, samples);
  auto findings = store.LoadFindings(run_id);
  if (!findings.ok()) return findings.status();
  in.findings = std::move(*findings);
  auto checks = store.LoadChecks(run_id);
  if (!checks.ok()) return checks.status();
  in.checks = std::move(*checks);
  return in;
}

int LooksOf(const Proposal& proposal, const Policy& policy) {
  return static_cast<int>(LookRounds(proposal.runs.min, proposal.runs.max, policy.looks).size());
}

Result<Judgement> JudgeStoredRun(Store& store, std::int64_t run_id, const std::string& policy,
                                 std::optional<int> rounds, const LoadOptions& current) {
  KG_ASSIGN_OR_RETURN(auto input, LoadJudgeInput(store, run_id, policy, current));
  JudgeOptions options;
  options.rounds = rounds;
  options.looks = LooksOf(input.proposal, input.policy);
  Judgement j = Judge(input, options);
  KG_RETURN_IF_ERROR(SaveJudgement(store, run_id, j));
  return j;
}

ComparisonRecord ToRecord(std::int64_t run_id, const Comparison& c) {
  ComparisonRecord r;
  r.run_id = run_id;
  r.scenario = c.scenario;
  r.metric = c.metric;
  r.shape = c.shape;
  r.arm = c.arm;
  r.reference = c.reference;
  r.n_arm = static_cast<int>(c.arm_values.size());
  r.n_reference = static_cast<int>(c.reference_values.size());
  r.effect = c.effect;
  r.ci_low = c.ci.low;
  r.ci_high = c.ci.high;
  r.p_value = c.p_value;
  r.q_value = c.q_value;
  r.classification = c.classification;
  r.decides = c.decides;
  r.vs = c.vs;
  r.role = c.target ? "target" : "guard";
  r.kind = MetricKindName(c.spec.kind);
  r.better = DirectionName(c.spec.better);
  r.unit = c.spec.unit;
  r.median_arm = c.median_arm;
  r.median_reference = c.median_reference;
  r.hl_shift = c.hl_shift;
  r.ci_level = c.ci_level;
  r.note = c.note;
  r.primary = c.primary;
  return r;
}

VerdictRecord ToVerdictRecord(std::int64_t run_id, const Judgement& j) {
  nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
  for (const Reason& r : j.reasons) {
    reasons.push_back({{"rule", r.rule},
                       {"outcome", OutcomeName(r.outcome)},
                       {"message", r.message},
                       {"comparison", r.comparison}});
  }
  nlohmann::ordered_json scores = j.scores;
  nlohmann::ordered_json tuned = nlohmann::ordered_json::array();
  for (const TunedChoice& t : j.tuned) {
    tuned.push_back({{"scenario", t.scenario},
                     {"shape", t.shape},
                     {"metric", t.metric},
                     {"chosen", t.arm},
                     {"selection_rounds", t.selection_rounds},
                     {"medians", t.medians}});
  }
  scores["tuned_choice"] = tuned;
  scores["alpha_at_look"] = j.alpha;
  VerdictRecord v;
  v.run_id = run_id;
  v.policy = j.policy;
  v.verdict = j.verdict;
  v.reasons_json = reasons.dump();
  v.scores_json = scores.dump();
  v.tier = j.tier;
  v.rounds = j.rounds;
  return v;
}

ClaimRecord ToRecord(std::int64_t run_id, const ClaimResult& c) {
  ClaimRecord r;
  r.run_id = run_id;
  r.claim_id = c.spec.id;
  r.text = c.spec.text;
  r.expected = c.spec.expect;
  r.measured = c.measured;
  r.ci_low = c.ci.low;
  r.ci_high = c.ci.high;
  r.status = c.status;
  r.scenario = c.spec.scenario;
  r.metric = c.spec.metric;
  r.shape = c.shape;
  r.reference = c.reference;
  r.claimed = c.spec.ratio;
  r.note = c.note;
  return r;
}

Status SaveJudgement(Store& store, std::int64_t run_id, const Judgement& j) {
  std::vector<ComparisonRecord> comparisons;
  for (const Comparison& c : j.comparisons) comparisons.push_back(ToRecord(run_id, c));
  std::vector<ClaimRecord> claims;
  for (const ClaimResult& c : j.claims) claims.push_back(ToRecord(run_id, c));
  return store.SaveJudgement(run_id, comparisons, ToVerdictRecord(run_id, j), claims);
}

}  // namespace kgate
