#include "judge/judge.h"

#include <algorithm>
#include <climits>
#include <set>

#include <fmt/format.h>

#include "base/strings.h"
#include "judge/adaptive.h"
#include "judge/claims.h"
#include "judge/verdict_rules.h"
#include "judge/scores.h"

namespace kgate {
namespace {

bool IsTimeLike(MetricKind kind) {
  return kind == MetricKind::kTime || kind == MetricKind::kRate || kind == MetricKind::kLatency;
}

// A half-open range of rounds.
struct Rounds {
  int begin = 0;
  int end = INT_MAX;
  bool Contains(int r) const { return begin <= r && r < end; }
};

std::vector<double> ValuesOf(const JudgeInput& in, const std::string& arm,
                             const std::string& scenario, const std::string& shape,
                             const std::string& metric, Rounds rounds) {
  std::vector<double> out;
  for (const TrialValues& t : in.values) {
    if (t.arm != arm || t.scenario != scenario || t.shape != shape || !rounds.Contains(t.round)) {
      continue;
    }
    auto it = t.values.find(metric);
    if (it != t.values.end()) out.push_back(it->second);
  }
  return out;
}

// (scenario, shape) cells that have trials, in the proposal's scenario order.
std::vector<std::pair<std::string, std::string>> Cells(const JudgeInput& in) {
  std::vector<std::pair<std::string, std::string>> cells;
  for (const std::string& scenario : in.proposal.scenarios) {
    std::set<std::string> seen;
    for (const TrialRecord& t : in.trials) {
      if (t.scenario == scenario && seen.insert(t.shape).second) cells.emplace_back(scenario, t.shape);
    }
  }
  return cells;
}

Comparison MakeComparison(const JudgeInput& in, const ScenarioSpec& scenario,
                          const MetricSpec& metric, const std::string& shape,
                          const std::string& reference, Rounds rounds) {
  Comparison c;
  c.scenario = scenario.name;
  c.metric = metric.name;
  c.shape = shape;
  c.arm = "candidate";
  c.reference = reference;
  c.vs = StartsWith(reference, "tuned:") ? "tuned" : "baseline";
  c.target = in.proposal.IsTarget(scenario.name);
  c.spec = metric;
  c.primary = metric.name == PrimaryMetric(scenario, in.policy, in.tier).name;
  c.arm_values = ValuesOf(in, c.arm, scenario.name, shape, metric.name, rounds);
  c.reference_values = ValuesOf(in, reference, scenario.name, shape, metric.name, rounds);
  std::string why;
  c.decides = MetricDecides(scenario, metric, in.policy, in.tier, &why);
  c.note = why;
  return c;
}

// Marks the deciding comparisons that sampling need not wait for: those the
// rounds left could not classify (comparison.h Futile). A scenario's primary
// comparison against the baseline is always waited for, because the verdict
// waits for it (the `unresolved` rule). Not written into the note: the
// stored proposal gives runs.max, but a `--runs N` run stops at N whatever
// it says, so only the look line (run_command.cc) speaks of it.
void MarkFutile(int rounds_left, double margin, std::vector<Comparison>* comparisons) {
  if (rounds_left <= 0) return;
  for (Comparison& c : *comparisons) {
    if (!c.decides || (c.primary && c.vs == "baseline")) continue;
    c.futile = Futile(c, margin, rounds_left);
  }
}

TunedChoice ChooseTuned(const JudgeInput& in, const ScenarioSpec& scenario,
                        const std::string& shape, const std::vector<std::string>& tuned_arms,
                        int selection_rounds) {
  const MetricSpec& metric = PrimaryMetric(scenario, in.policy, in.tier);
  TunedChoice choice{scenario.name, shape, metric.name, "", {}, selection_rounds};
  bool higher = metric.better == Direction::kHigherIsBetter;
  for (const std::string& arm : tuned_arms) {
    auto values = ValuesOf(in, arm, scenario.name, shape, metric.name, {0, selection_rounds});
    if (values.empty()) continue;
    double median = Median(values);
    choice.medians[arm] = median;
    double best = choice.arm.empty() ? 0 : choice.medians[choice.arm];
    if (choice.arm.empty() || (higher ? median > best : median < best)) choice.arm = arm;
  }
  return choice;
}

}  // namespace

std::vector<const FindingRecord*> CandidateConsoleFindings(const JudgeInput& in, int round_limit,
                                                           int* set_aside) {
  static const std::set<std::string> kGuestClockWatchdogs = {
      "console-hung-task", "console-soft-lockup", "console-rcu-stall"};
  std::set<std::int64_t> candidate, baseline;
  for (const TrialRecord& t : in.trials) {
    if (t.round >= round_limit) continue;
    if (t.arm == "candidate") candidate.insert(t.id);
    if (t.arm == "baseline") baseline.insert(t.id);
  }
  auto in_arm = [](const FindingRecord& f, const std::set<std::int64_t>& ids) {
    return f.trial_id && ids.count(*f.trial_id) && StartsWith(f.rule, "console-");
  };
  bool baseline_tainted = std::any_of(in.findings.begin(), in.findings.end(), [&](const auto& f) {
    return in_arm(f, baseline) && f.rule == "console-taint";
  });
  std::vector<const FindingRecord*> out;
  if (set_aside) *set_aside = 0;
  for (const FindingRecord& f : in.findings) {
    if (!in_arm(f, candidate) || (f.rule == "console-taint" && baseline_tainted)) continue;
    if (in.tier == "icount" && kGuestClockWatchdogs.count(f.rule)) {
      if (set_aside) ++*set_aside;
      continue;
    }
    out.push_back(&f);
  }
  return out;
}

bool MetricDecides(const ScenarioSpec& scenario, const MetricSpec& metric, const Policy& policy,
                   const std::string& tier, std::string* why) {
  if (!metric.decides) {
    *why = fmt::format("recorded only: {} declares {} 'decides: false'", scenario.name,
                       metric.name);
    return false;
  }
  auto trusted = policy.trusted_kinds.find(tier);
  bool kind_trusted = trusted != policy.trusted_kinds.end() &&
                      std::count(trusted->second.begin(), trusted->second.end(), metric.kind);
  if (!kind_trusted) {
    *why = fmt::format("low-fidelity: policy {} does not trust {} metrics at tier {}",
                       policy.name, MetricKindName(metric.kind), tier);
    return false;
  }
  if (auto own = metric.cv_by_tier.find(tier); own != metric.cv_by_tier.end()) {
    if (own->second > policy.max_cv) {
      *why = fmt::format(
          "low-fidelity: {} {} measured CV {:.1f}% at tier {} exceeds max_cv {:.1f}%",
          scenario.name, metric.name, own->second * 100, tier, policy.max_cv * 100);
      return false;
    }
    why->clear();
    return true;
  }
  auto cv = scenario.determinism.cv_by_tier.find(tier);
  if (IsTimeLike(metric.kind) && cv != scenario.determinism.cv_by_tier.end() &&
      cv->second > policy.max_cv) {
    *why = fmt::format("low-fidelity: {} measured CV {:.1f}% at tier {} exceeds max_cv {:.1f}%",
                       scenario.name, cv->second * 100, tier, policy.max_cv * 100);
    return false;
  }
  why->clear();
  return true;
}

const MetricSpec& PrimaryMetric(const ScenarioSpec& scenario, const Policy& policy,
                                const std::string& tier) {
  std::string why;
  for (const MetricSpec& m : scenario.metrics) {
    if (MetricDecides(scenario, m, policy, tier, &why)) return m;
  }
  return scenario.metrics.front();
}

int SelectionRounds(const Proposal& proposal) { return std::max(1, proposal.runs.min / 5); }

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kPass: return "pass";
    case Outcome::kWarn: return "warn";
    case Outcome::kInconclusive: return "inconclusive";
    case Outcome::kFail: return "fail";
  }
  return "";
}

int Judgement::Open() const {
  return static_cast<int>(std::count_if(comparisons.begin(), comparisons.end(), [](const auto& c) {
    return c.decides && c.classification == Classification::kInconclusive && !c.futile;
  }));
}

bool Judgement::Settled() const { return Open() == 0; }

bool Judgement::Final() const { return verdict == Verdict::kFail || Settled(); }

Judgement Judge(const JudgeInput& in, const JudgeOptions& options) {
  Judgement j;
  j.policy = in.policy.name;
  j.tier = in.tier;
  int limit = options.rounds.value_or(INT_MAX);
  for (const TrialValues& t : in.values) {
    if (t.round < limit) j.rounds = std::max(j.rounds, t.round + 1);
  }
  j.alpha = AlphaPerLook(in.policy.alpha, options.looks);
  CompareOptions compare{1 - j.alpha, in.policy.resamples, options.seed};

  std::vector<std::string> tuned_arms;
  for (const std::string& arm : in.arms) {
    if (StartsWith(arm, "tuned:")) tuned_arms.push_back(arm);
  }
  int selection = SelectionRounds(in.proposal);
  for (const auto& [name, shape] : Cells(in)) {
    auto spec = in.scenarios.find(name);
    if (spec == in.scenarios.end() || spec->second.metrics.empty()) continue;
    const ScenarioSpec& scenario = spec->second;
    for (const MetricSpec& metric : scenario.metrics) {
      j.comparisons.push_back(MakeComparison(in, scenario, metric, shape, "baseline", {0, limit}));
    }
    if (tuned_arms.empty()) continue;
    TunedChoice choice = ChooseTuned(in, scenario, shape, tuned_arms, selection);
    if (!choice.arm.empty()) {
      for (const MetricSpec& metric : scenario.metrics) {
        j.comparisons.push_back(
            MakeComparison(in, scenario, metric, shape, choice.arm, {selection, limit}));
      }
    }
    j.tuned.push_back(std::move(choice));
  }
  for (Comparison& c : j.comparisons) Measure(compare, &c);
  AdjustAndClassify(&j.comparisons, in.policy.margin, j.alpha);
  MarkFutile(in.proposal.runs.max - j.rounds, in.policy.margin, &j.comparisons);
  j.claims = CheckClaims(in.proposal, j.comparisons, j.alpha);
  j.scores = ComputeScores(in, j, limit);
  ApplyPolicy(in, limit, &j);
  return j;
}

}  // namespace kgate
