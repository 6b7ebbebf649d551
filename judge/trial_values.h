// Per-trial values: what the judge compares.
//
// A trial yields several samples of each metric (one per measured
// repetition); the judge takes their median as the trial's value, so each
// trial is one independent observation (judge/comparison.h says why).
// Only trials whose status is ok contribute: a failed, crashed or hung
// trial's partial samples would describe the failure, not the arm.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "store/records.h"

namespace kgate {

struct TrialValues {
  std::int64_t trial_id = 0;
  int seq = 0;
  int round = 0;
  std::string arm;
  std::string scenario;
  std::string shape;
  std::map<std::string, double> values;  // metric -> median over repetitions
};

// One entry per ok trial with at least one sample, ordered by seq.
std::vector<TrialValues> PerTrialValues(const std::vector<TrialRecord>& trials,
                                        const std::vector<SampleRow>& samples);

}  // namespace kgate
