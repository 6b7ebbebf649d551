#include "judge/calibration.h"

#include <algorithm>
#include <random>

#include <fmt/format.h>

#include "judge/adaptive.h"

namespace kgate {
namespace {

using Cell = std::pair<std::string, std::string>;  // scenario, shape

std::map<Cell, std::vector<const TrialValues*>> Pools(const JudgeInput& aa) {
  std::map<Cell, std::vector<const TrialValues*>> pools;
  for (const TrialValues& t : aa.values) pools[{t.scenario, t.shape}].push_back(&t);
  return pools;
}

void Worsen(const ScenarioSpec& scenario, double inject, TrialValues* t) {
  for (auto& [metric, value] : t->values) {
    const MetricSpec* spec = scenario.FindMetric(metric);
    if (spec == nullptr) continue;
    value = spec->better == Direction::kHigherIsBetter ? value / (1 + inject) : value * (1 + inject);
  }
}

// One simulated run: trials drawn from the pools, relabelled, judged.
JudgeInput Simulate(const JudgeInput& aa, const std::map<Cell, std::vector<const TrialValues*>>& pools,
                    int rounds, double inject, std::mt19937_64& rng) {
  JudgeInput in;
  in.proposal = aa.proposal;
  in.policy = aa.policy;
  in.tier = aa.tier;
  in.scenarios = aa.scenarios;
  in.arms = {"baseline", "candidate"};
  int seq = 0;
  for (const auto& [cell, pool] : pools) {
    std::vector<const TrialValues*> drawn = pool;
    std::shuffle(drawn.begin(), drawn.end(), rng);
    for (int i = 0; i < 2 * rounds; ++i) {
      TrialValues t = *drawn[i];
      t.arm = i < rounds ? "baseline" : "candidate";
      t.round = i % rounds;
      t.trial_id = t.seq = seq++;
      if (t.arm == "candidate" && inject != 0) Worsen(aa.scenarios.at(cell.first), inject, &t);
      TrialRecord record;
      record.id = t.trial_id;
      record.seq = t.seq;
      record.round = t.round;
      record.arm = t.arm;
      record.scenario = t.scenario;
      record.shape = t.shape;
      record.tier = aa.tier;
      in.trials.push_back(std::move(record));
      in.values.push_back(std::move(t));
    }
  }
  return in;
}

}  // namespace

double CalibrationResult::Share(const std::string& verdict) const {
  auto it = verdicts.find(verdict);
  return iterations == 0 || it == verdicts.end() ? 0 : double(it->second) / iterations;
}

Result<CalibrationResult> Calibrate(const JudgeInput& aa, const CalibrationOptions& options) {
  for (const std::string& arm : aa.arms) {
    if (arm != "baseline" && arm != "candidate") {
      return Status::BadInput(fmt::format(
          "calibration needs an A/A run of baseline and candidate only; this run has arm '{}'", arm));
    }
  }
  auto pools = Pools(aa);
  if (pools.empty()) return Status::BadInput("the run has no ok trials to calibrate on");
  CalibrationResult result;
  result.inject = options.inject;
  result.pool_per_cell = INT32_MAX;
  for (const auto& [cell, pool] : pools) {
    result.pool_per_cell = std::min(result.pool_per_cell, static_cast<int>(pool.size()));
  }
  int min_rounds = options.min_rounds > 0 ? options.min_rounds : aa.proposal.runs.min;
  int max_rounds = options.max_rounds > 0 ? options.max_rounds : aa.proposal.runs.max;
  max_rounds = std::min(max_rounds, result.pool_per_cell / 2);
  if (max_rounds < min_rounds || min_rounds < 2) {
    return Status::BadInput(fmt::format(
        "the run's smallest pool holds {} ok trials of one scenario x shape: too few for two arms "
        "of {} rounds (run it with more rounds, or lower --min)",
        result.pool_per_cell, min_rounds));
  }
  result.looks = LookRounds(min_rounds, max_rounds, aa.policy.looks);
  int looks = static_cast<int>(result.looks.size());
  std::mt19937_64 rng(options.seed);
  double rounds_used = 0;
  for (int i = 0; i < options.iterations; ++i) {
    JudgeInput in = Simulate(aa, pools, max_rounds, options.inject, rng);
    Judgement j;
    for (int look : result.looks) {
      JudgeOptions judge{look, looks, options.seed + static_cast<std::uint64_t>(i)};
      j = Judge(in, judge);
      if (j.Final()) break;
    }
    rounds_used += j.rounds;
    ++result.verdicts[VerdictName(j.verdict)];
    std::map<std::string, bool> failed;
    for (const Reason& r : j.reasons) {
      if (r.outcome == Outcome::kFail) failed[r.rule] = true;
      if (r.rule == "unresolved") ++result.open_comparisons[r.comparison];
    }
    for (const auto& [rule, yes] : failed) ++result.fail_rules[rule];
  }
  result.iterations = options.iterations;
  result.mean_rounds = options.iterations ? rounds_used / options.iterations : 0;
  return result;
}

}  // namespace kgate
