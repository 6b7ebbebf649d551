// Comparison: one arm against a reference for one scenario x metric x
// shape, from per-trial values.
//
// The unit of observation is the trial, not the sample: the repetitions of
// one trial share a boot, a page cache and a host moment, so they are not
// independent, and treating them as such would shrink every interval and
// p-value by a factor the data does not justify. Each trial contributes the
// median of its repetitions (PerTrialValues in judge/trial_values.h).
//
// Effect is median(arm) / median(reference) with a percentile-bootstrap
// interval; the p-value is the two-sided Mann-Whitney U test; q is the
// Benjamini-Hochberg value across the comparisons judged together.
//
// Classification, in this order, against the policy's margin m and alpha:
//   equivalent    the whole interval lies inside [1 - m, 1 + m]: whatever
//                 the difference is, it is smaller than the margin;
//   improved /    q <= alpha and the interval excludes 1, on the metric's
//   regressed     better / worse side;
//   inconclusive  anything else: more trials might tell.
// A reference median <= 0 leaves the ratio undefined; such a comparison is
// classified on q alone, on the side of the Hodges-Lehmann shift.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/model.h"
#include "judge/stats.h"
#include "store/records.h"  // Classification

namespace kgate {

struct Comparison {
  std::string scenario;
  std::string metric;
  std::string shape;
  std::string arm;        // usually "candidate"
  std::string reference;  // "baseline" or a tuned arm's name
  std::string vs = "baseline";  // baseline | tuned
  bool target = false;          // the scenario is one of the proposal's targets
  bool primary = false;         // the scenario's primary metric (judge.h PrimaryMetric)
  MetricSpec spec;              // unit, kind, direction

  std::vector<double> arm_values;        // one per ok trial
  std::vector<double> reference_values;
  double median_arm = 0;
  double median_reference = 0;
  double effect = 1;      // median_arm / median_reference
  double hl_shift = 0;    // Hodges-Lehmann, arm - reference
  Interval ci{1, 1};
  double ci_level = 0.95;
  double p_value = 1;
  double q_value = 1;
  Classification classification = Classification::kInconclusive;
  bool decides = true;    // false: shown, but the verdict ignores it
  bool futile = false;    // inconclusive, and the rounds left would not classify it
  std::string note;       // why it does not decide, or what limited it

  // The effect read in the metric's direction: > 0 better, < 0 worse, as a
  // fraction of the reference (time 0.9x -> +0.10; ops/s 0.9x -> -0.10).
  double Gain() const;
  // "hackbench-pipe/time/1cpu-512M vs baseline"
  std::string Label() const;
};

struct CompareOptions {
  double ci_level = 0.95;
  int resamples = 4000;
  std::uint64_t seed = 0;  // mixed with the comparison's label
};

// Fills the medians, effect, shift, interval and p-value of c from its
// values (q_value and classification untouched). Fewer than two values on a
// side leaves p = 1 and an unbounded interval, with a note.
void Measure(const CompareOptions& options, Comparison* c);

// The classification of a measured comparison whose q_value is set.
Classification Classify(const Comparison& c, double margin, double alpha);

// Whether an inconclusive comparison would stay inconclusive with
// rounds_left more values a side: its interval, narrowed about the effect by
// sqrt(n / (n + rounds_left)) (a median's spread falls as 1 / sqrt(n)), would
// still reach past the margin and still hold 1. A projection from the
// spread and the effect seen so far, for when to stop sampling; it judges
// nothing. False when classified, with fewer than two values a side, or
// when the ratio is undefined.
bool Futile(const Comparison& c, double margin, int rounds_left);

// Sets q_value on every comparison that decides (one Benjamini-Hochberg
// family) and, separately, on those that do not (shown only), then
// classifies all of them.
void AdjustAndClassify(std::vector<Comparison>* comparisons, double margin, double alpha);

// A stable 64-bit FNV-1a hash, for seeds derived from names.
std::uint64_t StableHash(const std::string& text, std::uint64_t seed = 0);

}  // namespace kgate
