#include "judge/stats.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <random>

namespace kgate {
namespace {

// A uniform draw from [0, n), n > 0, by Lemire's multiply-and-reject
// method. std::uniform_int_distribution would do, but its algorithm is
// unspecified and differs between libstdc++ and libc++; the bootstrap
// interval must be a function of (inputs, seed) alone.
std::uint64_t Bounded(std::mt19937_64& gen, std::uint64_t n) {
  unsigned __int128 m = static_cast<unsigned __int128>(gen()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      m = static_cast<unsigned __int128>(gen()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

// Resamples medians of one group without copying values. The group is
// sorted once, so the median of a resample is the value at the median of
// the drawn indices; those come from a histogram of the draws walked in
// order, O(n) per resample with no sort, no nth_element and no allocation.
class MedianResampler {
 public:
  explicit MedianResampler(const std::vector<double>& values)
      : sorted_(values), counts_(values.size()) {
    std::sort(sorted_.begin(), sorted_.end());
  }

  double Draw(std::mt19937_64& gen) {
    const std::size_t n = sorted_.size();
    std::fill(counts_.begin(), counts_.end(), 0);
    for (std::size_t i = 0; i < n; ++i) ++counts_[Bounded(gen, n)];
    // 0-based order statistics lo <= hi of the resample; equal when n is odd.
    const std::size_t hi = n / 2;
    const std::size_t lo = (n - 1) / 2;
    std::size_t seen = 0, index = 0;
    while (seen + counts_[index] <= lo) seen += counts_[index++];
    const double low_value = sorted_[index];
    while (seen + counts_[index] <= hi) seen += counts_[index++];
    return (low_value + sorted_[index]) / 2;
  }

 private:
  std::vector<double> sorted_;
  std::vector<std::uint32_t> counts_;
};

// The q-quantile (0 <= q <= 1) of `values` by linear interpolation between
// order statistics (R's type 7: h = (N - 1) q). Reorders `values`.
double Quantile(std::vector<double>& values, double q) {
  const double h = (values.size() - 1) * q;
  const auto k = static_cast<std::size_t>(std::floor(h));
  std::nth_element(values.begin(), values.begin() + k, values.end());
  const double below = values[k];
  if (k + 1 >= values.size()) return below;
  const double above = *std::min_element(values.begin() + k + 1, values.end());
  return below + (h - k) * (above - below);
}

// The exact two-sided p-value of a rank-sum statistic. `doubled_ranks`
// holds twice the midrank of every pooled observation (integers even with
// ties); `k` observations form the group whose doubled rank sum is
// `observed`. Counts the subsets of size k by their doubled rank sum, one
// observation at a time (a 0/1 knapsack), so the distribution is exact and
// conditional on the observed ties.
double ExactRankSumP(const std::vector<int>& doubled_ranks, int k, int observed) {
  const int n = static_cast<int>(doubled_ranks.size());
  const int max_sum = std::accumulate(doubled_ranks.begin(), doubled_ranks.end(), 0);
  // ways[c * width + s]: subsets of c observations with doubled rank sum s.
  // Counts reach C(60, 30) ~ 1.2e17, past 2^53, so they are doubles: the
  // relative error stays ~1e-16, far below anything a p-value resolves.
  const int width = max_sum + 1;
  std::vector<double> ways(static_cast<std::size_t>(k + 1) * width, 0.0);
  ways[0] = 1;
  int reach = 0;  // the largest sum any subset reaches so far
  for (int i = 0; i < n; ++i) {
    const int r = doubled_ranks[i];
    reach += r;
    for (int c = std::min(i + 1, k); c >= 1; --c) {
      double* to = &ways[static_cast<std::size_t>(c) * width];
      const double* from = &ways[static_cast<std::size_t>(c - 1) * width];
      for (int s = reach; s >= r; --s) to[s] += from[s - r];
    }
  }
  const double* dist = &ways[static_cast<std::size_t>(k) * width];
  double total = 0, at_most = 0, at_least = 0;
  for (int s = 0; s <= max_sum; ++s) {
    total += dist[s];
    if (s <= observed) at_most += dist[s];
    if (s >= observed) at_least += dist[s];
  }
  return std::min(1.0, 2 * std::min(at_most, at_least) / total);
}

}  // namespace

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + mid);
  return (lower + upper) / 2;
}

double HodgesLehmannShift(const std::vector<double>& arm, const std::vector<double>& reference) {
  std::vector<double> differences;
  differences.reserve(arm.size() * reference.size());
  for (double a : arm) {
    for (double r : reference) differences.push_back(a - r);
  }
  return Median(std::move(differences));
}

Interval BootstrapRatioOfMediansCi(const std::vector<double>& arm,
                                   const std::vector<double>& reference, double level,
                                   int resamples, std::uint64_t seed) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (arm.empty() || reference.empty()) return {-kInf, kInf};
  resamples = std::max(resamples, 100);  // the documented minimum
  std::mt19937_64 gen(seed);
  MedianResampler arm_medians(arm), reference_medians(reference);
  std::vector<double> ratios;
  ratios.reserve(resamples);
  for (int i = 0; i < resamples; ++i) {
    // Both draws happen every time, in this order, so a dropped resample
    // does not shift the stream the later ones see.
    const double a = arm_medians.Draw(gen);
    const double r = reference_medians.Draw(gen);
    if (r != 0) ratios.push_back(a / r);
  }
  if (ratios.size() * 2 < static_cast<std::size_t>(resamples)) return {-kInf, kInf};
  const double tail = (1 - level) / 2;
  Interval ci;
  ci.low = Quantile(ratios, tail);
  ci.high = Quantile(ratios, 1 - tail);
  return ci;
}

MannWhitney MannWhitneyU(const std::vector<double>& arm, const std::vector<double>& reference) {
  MannWhitney result;
  const int n1 = static_cast<int>(arm.size());
  const int n2 = static_cast<int>(reference.size());
  if (n1 == 0 || n2 == 0) return result;  // nothing to compare: u 0, p 1
  const int n = n1 + n2;

  // Pool the samples, sort, and give each tie block its doubled midrank
  // (first + last 1-based position), an integer.
  std::vector<std::pair<double, bool>> pooled;  // (value, is arm)
  pooled.reserve(n);
  for (double a : arm) pooled.emplace_back(a, true);
  for (double r : reference) pooled.emplace_back(r, false);
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<int> doubled_ranks(n);
  int arm_sum = 0;            // doubled rank sum of arm
  double tie_term = 0;        // sum over tie blocks of t^3 - t
  for (int i = 0; i < n;) {
    int j = i;
    while (j + 1 < n && pooled[j + 1].first == pooled[i].first) ++j;
    const int doubled = (i + 1) + (j + 1);
    for (int m = i; m <= j; ++m) {
      doubled_ranks[m] = doubled;
      if (pooled[m].second) arm_sum += doubled;
    }
    const double t = j - i + 1;
    tie_term += t * t * t - t;
    i = j + 1;
  }
  result.u = (arm_sum - n1 * (n1 + 1)) / 2.0;

  if (n <= kMannWhitneyExactLimit) {
    result.exact = true;
    // The two-sided p is the same for either group; count subsets of the
    // smaller one, which keeps the table small.
    const bool use_arm = n1 <= n2;
    const int observed = use_arm ? arm_sum : n * (n + 1) - arm_sum;
    result.p_value = ExactRankSumP(doubled_ranks, use_arm ? n1 : n2, observed);
    return result;
  }

  const double mean = n1 * static_cast<double>(n2) / 2;
  const double variance = n1 * static_cast<double>(n2) / 12 *
                          ((n + 1) - tie_term / (static_cast<double>(n) * (n - 1)));
  if (variance <= 0) return result;  // all values equal: p = 1
  // Unlike R, a |U - mean| under 0.5 is not over-corrected past zero.
  const double z = std::max(0.0, std::abs(result.u - mean) - 0.5) / std::sqrt(variance);
  // Two-sided normal tail: 2 (1 - Phi(z)) = erfc(z / sqrt 2), accurate far
  // into the tail where 1 - Phi(z) would cancel.
  result.p_value = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return result;
}

std::vector<double> BenjaminiHochberg(const std::vector<double>& p_values) {
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> q(m);
  double running = 1;  // the min over j >= i, walked from the largest p down
  for (std::size_t rank = m; rank >= 1; --rank) {
    const std::size_t i = order[rank - 1];
    running = std::min(running, p_values[i] * static_cast<double>(m) / rank);
    q[i] = running;
  }
  return q;
}

double CoefficientOfVariation(const std::vector<double>& values) {
  if (values.size() < 2) return 0;
  const double n = values.size();
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  if (mean == 0) return 0;
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / (n - 1)) / std::abs(mean);
}

}  // namespace kgate
