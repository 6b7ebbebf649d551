// The statistics kgate judges with: pure functions over samples.
//
// Every function takes plain values and returns plain values, so each is
// tested against published tables and simulation (stats_test.cc) and
// benchmarked (benchmarks/stats_benchmark.cc) on its own. The judge
// (judge/judge.h) decides which samples go in.
//
// Conventions: samples are finite doubles, each vector non-empty unless a
// function says otherwise; "ratio" is always arm / reference.
#pragma once

#include <cstdint>
#include <vector>

namespace kgate {

// The median; the mean of the two middle values for an even count. 0 for
// an empty vector.
double Median(std::vector<double> values);

// The Hodges-Lehmann estimate of the shift arm - reference: the median of
// all |arm| x |reference| pairwise differences.
double HodgesLehmannShift(const std::vector<double>& arm, const std::vector<double>& reference);

// A two-sided confidence interval.
struct Interval {
  double low = 0;
  double high = 0;
  bool Contains(double x) const { return low <= x && x <= high; }
};

// Percentile bootstrap CI of median(arm) / median(reference): each
// resample draws both groups independently with replacement, from a
// generator seeded with `seed` (the same inputs and seed give the same
// interval). `level` is the coverage, e.g. 0.95. Resamples whose reference
// median is 0 are dropped; when more than half are, the interval is
// [-inf, +inf], as it is when either group is empty. Requires resamples
// >= 100 (fewer are raised to 100). The ends are the (1 - level) / 2 and
// (1 + level) / 2 quantiles of the kept ratios, interpolated linearly
// between order statistics (R's quantile type 7). Indices are drawn by a
// fixed algorithm, not std::uniform_int_distribution, so the interval is
// the same under every standard library.
//
// Why percentile and not BCa: BCa's acceleration comes from the jackknife,
// and the jackknife of a median is degenerate (it moves in at most two
// steps), so BCa gains nothing for medians of small samples while adding a
// failure mode. stats_test.cc measures the percentile interval's coverage.
Interval BootstrapRatioOfMediansCi(const std::vector<double>& arm,
                                   const std::vector<double>& reference, double level,
                                   int resamples, std::uint64_t seed);

// The two-sided Mann-Whitney U test of arm vs reference.
struct MannWhitney {
  double u = 0;        // U of arm: #(arm > ref) + 0.5 #(arm == ref)
  double p_value = 1;  // two-sided
  bool exact = false;  // true: exact permutation distribution; false: normal approximation
};

// Exact when |arm| + |reference| <= kMannWhitneyExactLimit: the permutation
// distribution of the rank sum, counted with midranks so ties are exact too
// (conditional on the observed ties). Otherwise the normal approximation
// with the tie-corrected variance and a continuity correction of 0.5; the
// normal CDF is Boost.Math's. All values equal gives p = 1; so does an
// empty group (with u = 0). Exact two-sided p = min(1, 2 min(P(U <= u),
// P(U >= u))).
inline constexpr int kMannWhitneyExactLimit = 60;
MannWhitney MannWhitneyU(const std::vector<double>& arm, const std::vector<double>& reference);

// Benjamini-Hochberg adjusted p-values (q-values), in the input's order:
// q_(i) = min over j >= i of p_(j) * m / j, capped at 1. A comparison is
// significant at false-discovery rate alpha when q <= alpha.
std::vector<double> BenjaminiHochberg(const std::vector<double>& p_values);

// Coefficient of variation (sample standard deviation / |mean|); 0 for
// fewer than two values or a zero mean.
double CoefficientOfVariation(const std::vector<double>& values);

}  // namespace kgate
