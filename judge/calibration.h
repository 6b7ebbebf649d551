// Calibration: how often the gate is wrong, measured on real samples.
//
// Input: a stored A/A run (baseline and candidate are the same system),
// measured with more rounds than a proposal uses. Each iteration builds a
// simulated run from it:
//   1. per scenario x shape, the ok trials of both arms are pooled and
//      shuffled (seeded); the first R go to "baseline", the next R to
//      "candidate", as rounds 0..R-1, R = runs.max (drawn without
//      replacement, so no trial is used twice in one iteration);
//   2. optionally a known cost is injected: every candidate value is made
//      worse by the fraction `inject` (times x(1 + inject), rates /(1 + inject));
//   3. the run is judged the way `kgate run` judges it: at each look of
//      adaptive sampling (judge/adaptive.h) until the judgement is final.
// With inject = 0 every FAIL is a false positive and every INCONCLUSIVE a
// failure to resolve; with inject > 0 the share of FAIL is the power to catch
// that cost. Shuffling labels is valid because the arms are exchangeable in
// an A/A run; iterations reuse the same trials, so they are not
// independent, and the pool bounds how far the figure can be trusted
// (CalibrationResult::pool_per_cell says how big it was).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "judge/judge.h"

namespace kgate {

struct CalibrationOptions {
  int iterations = 200;
  std::uint64_t seed = 1;
  double inject = 0;   // worsening applied to the simulated candidate
  int min_rounds = 0;  // 0: the proposal's runs.min
  int max_rounds = 0;  // 0: the proposal's runs.max (capped by the pool)
};

struct CalibrationResult {
  int iterations = 0;
  double inject = 0;
  std::vector<int> looks;                  // rounds at which each simulated run was judged
  std::map<std::string, int> verdicts;     // PASS / FAIL / INCONCLUSIVE -> count
  std::map<std::string, int> fail_rules;   // rule -> iterations it failed
  std::map<std::string, int> open_comparisons;  // label -> iterations it stayed inconclusive
  double mean_rounds = 0;                  // rounds a simulated run used
  int pool_per_cell = 0;                   // smallest pool of trials of one scenario x shape

  double Share(const std::string& verdict) const;
};

// BadInput when the run is not an A/A run (arms other than baseline and
// candidate) or its pool cannot fill min_rounds per arm.
Result<CalibrationResult> Calibrate(const JudgeInput& aa, const CalibrationOptions& options);

}  // namespace kgate
