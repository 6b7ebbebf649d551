#include "judge/stats.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

namespace kgate {
namespace {

// U of `arm` by its definition: #(arm > ref) + 0.5 #(arm == ref).
double PairwiseU(const std::vector<double>& arm, const std::vector<double>& reference) {
  double u = 0;
  for (double a : arm) {
    for (double r : reference) u += a > r ? 1 : a == r ? 0.5 : 0;
  }
  return u;
}

// The exact two-sided p by brute force: every way of splitting the pooled
// values into groups of |arm| and |reference|, U by its definition. Shares
// no code with MannWhitneyU's rank-sum table, ties included.
double BruteForceP(const std::vector<double>& arm, const std::vector<double>& reference) {
  std::vector<double> pooled = arm;
  pooled.insert(pooled.end(), reference.begin(), reference.end());
  const int n = static_cast<int>(pooled.size());
  const double observed = PairwiseU(arm, reference);
  double total = 0, at_most = 0, at_least = 0;
  std::vector<double> x, y;
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    if (std::popcount(mask) != static_cast<int>(arm.size())) continue;
    x.clear();
    y.clear();
    for (int i = 0; i < n; ++i) (mask >> i & 1 ? x : y).push_back(pooled[i]);
    const double u = PairwiseU(x, y);
    ++total;
    at_most += u <= observed;
    at_least += u >= observed;
  }
  return std::min(1.0, 2 * std::min(at_most, at_least) / total);
}

// The exact two-sided p for U = u without ties, from the textbook
// recurrence on U's null frequencies, f(u; i, j) = f(u - j; i - 1, j) +
// f(u; i, j - 1): independent of the rank-sum table, and fast enough for
// sizes past kMannWhitneyExactLimit.
double RecurrenceP(int n1, int n2, int u) {
  const int width = n1 * n2 + 1;
  // layer[i][v]: f(v; i, j) for the current j.
  std::vector<std::vector<double>> layer(n1 + 1, std::vector<double>(width, 0));
  for (int i = 0; i <= n1; ++i) layer[i][0] = 1;  // j = 0: only U = 0
  for (int j = 1; j <= n2; ++j) {
    // In place: layer[i] still holds j - 1 when row i is updated, and
    // layer[i - 1] already holds j.
    for (int i = 1; i <= n1; ++i) {
      for (int v = width - 1; v >= j; --v) layer[i][v] += layer[i - 1][v - j];
    }
  }
  double total = 0, at_most = 0, at_least = 0;
  for (int v = 0; v < width; ++v) {
    total += layer[n1][v];
    if (v <= u) at_most += layer[n1][v];
    if (v >= u) at_least += layer[n1][v];
  }
  return std::min(1.0, 2 * std::min(at_most, at_least) / total);
}

// An arm of n1 distinct values with exactly U = u against `reference` =
// {10, 20, ..., 10 n2}: each arm value sits above as many reference values
// as it still needs.
std::vector<double> ArmWithU(int n1, int n2, int u, std::vector<double>& reference) {
  reference.clear();
  for (int j = 1; j <= n2; ++j) reference.push_back(10.0 * j);
  std::vector<double> arm;
  for (int i = 0; i < n1; ++i) {
    const int above = std::min(n2, u);
    u -= above;
    arm.push_back(10.0 * above + 5 + 0.01 * i);
  }
  return arm;
}

// A generator whose output is the same under every standard library
// (std::normal_distribution's is not), so the simulations below measure
// the same numbers everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}
  double Uniform() { return ((gen_() >> 11) + 0.5) * 0x1.0p-53; }  // (0, 1)
  double Normal() {  // Box-Muller
    return std::sqrt(-2 * std::log(Uniform())) * std::cos(2 * std::numbers::pi * Uniform());
  }

 private:
  std::mt19937_64 gen_;
};

}  // namespace

TEST_CASE("the median is the middle value, or the mean of the two middle ones", "[stats]") {
  CHECK(Median({3, 1, 2}) == 2);
  CHECK(Median({4, 1, 3, 2}) == 2.5);
  CHECK(Median({5, 5, 1, 5}) == 5);
  CHECK(Median({7}) == 7);
  CHECK(Median({2, 2, 1, 1}) == 1.5);
  CHECK(Median({}) == 0);
}

TEST_CASE("Hodges-Lehmann is the median of all pairwise differences", "[stats]") {
  // Differences {1-0, 1-1, 2-0, 2-1, 6-0, 6-1} = {1, 0, 2, 1, 6, 5}.
  CHECK(HodgesLehmannShift({1, 2, 6}, {0, 1}) == 1.5);
  // {3, 4, 5} - {1}: odd count.
  CHECK(HodgesLehmannShift({3, 4, 5}, {1}) == 3);
  // Ties: {2, 2} - {2, 1} = {0, 1, 0, 1}.
  CHECK(HodgesLehmannShift({2, 2}, {2, 1}) == 0.5);
  // A pure shift is recovered exactly, whatever the spread.
  CHECK(HodgesLehmannShift({11, 13, 20, 100}, {1, 3, 10, 90}) == 10);
}

TEST_CASE("Mann-Whitney U counts arm wins with ties as a half", "[stats][mann-whitney]") {
  CHECK(MannWhitneyU({1, 2, 3}, {2, 4}).u == PairwiseU({1, 2, 3}, {2, 4}));
  CHECK(MannWhitneyU({1, 2, 3}, {2, 4}).u == 1.5);
  CHECK(MannWhitneyU({5, 6}, {1, 2, 3}).u == 6);
}

TEST_CASE("Mann-Whitney exact p meets the published critical values at alpha 0.05",
          "[stats][mann-whitney]") {
  // Two-sided alpha = 0.05 critical U (reject when U <= critical) for
  // n1 = n2 = 5, 8, 10: 2, 13, 23. The mirror U' = n1 n2 - U must agree.
  struct Row {
    int n, critical;
  };
  for (Row row : {Row{5, 2}, Row{8, 13}, Row{10, 23}}) {
    CAPTURE(row.n, row.critical);
    std::vector<double> reference;
    for (int u : {row.critical, row.critical + 1}) {
      std::vector<double> arm = ArmWithU(row.n, row.n, u, reference);
      MannWhitney at = MannWhitneyU(arm, reference);
      MannWhitney mirrored = MannWhitneyU(reference, arm);
      CAPTURE(u, at.p_value);
      REQUIRE(at.u == u);
      CHECK(at.exact);
      CHECK(mirrored.u == row.n * row.n - u);
      CHECK(mirrored.p_value == Approx(at.p_value).epsilon(1e-12));
      CHECK((at.p_value <= 0.05) == (u == row.critical));
      CHECK(at.p_value == Approx(BruteForceP(arm, reference)).epsilon(1e-12));
    }
  }
}

TEST_CASE("Mann-Whitney complete separation of 5 vs 5 has p = 2/252", "[stats][mann-whitney]") {
  MannWhitney r = MannWhitneyU({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5});
  CHECK(r.u == 25);
  CHECK(r.exact);
  CHECK(r.p_value == Approx(2.0 / 252).epsilon(1e-12));
  CHECK(MannWhitneyU({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}).p_value == Approx(2.0 / 252).epsilon(1e-12));
}

TEST_CASE("Mann-Whitney matches R's exact wilcox.test", "[stats][mann-whitney]") {
  // wilcox.test(x, y): W = 35, p-value = 0.2544.
  std::vector<double> x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
  std::vector<double> y = {1.15, 0.88, 0.90, 0.74, 1.21};
  MannWhitney r = MannWhitneyU(x, y);
  CHECK(r.u == 35);
  CHECK(r.exact);
  CHECK(r.p_value == Approx(0.2544).margin(0.00005));
  CHECK(r.p_value == Approx(BruteForceP(x, y)).epsilon(1e-12));
}

TEST_CASE("Mann-Whitney exact p with ties equals the brute-force permutation p",
          "[stats][mann-whitney]") {
  struct Case {
    std::vector<double> arm, reference;
  };
  const std::vector<Case> cases = {
      {{1, 2, 2, 3, 5}, {2, 3, 3, 4}},
      {{1, 1, 1, 2}, {1, 2, 2, 2, 2}},
      {{4, 4, 5, 6, 6, 6, 9}, {1, 4, 6, 2, 2, 9, 9, 3}},
      {{10, 20, 20}, {20, 20, 30, 30, 30, 40}},
      {{0.5, 0.5, 0.7, 0.9, 1.1, 1.1, 1.3, 2.0}, {0.5, 0.6, 0.7, 0.7, 0.8, 1.1, 1.2, 1.4, 1.5}},
  };
  for (const Case& c : cases) {
    MannWhitney r = MannWhitneyU(c.arm, c.reference);
    CAPTURE(c.arm, c.reference, r.p_value);
    CHECK(r.exact);
    CHECK(r.u == PairwiseU(c.arm, c.reference));
    CHECK(r.p_value == Approx(BruteForceP(c.arm, c.reference)).epsilon(1e-12));
  }
}

TEST_CASE("Mann-Whitney of all-equal values has p = 1, exact or approximate",
          "[stats][mann-whitney]") {
  MannWhitney small = MannWhitneyU(std::vector<double>(5, 3.0), std::vector<double>(7, 3.0));
  CHECK(small.exact);
  CHECK(small.u == 17.5);
  CHECK(small.p_value == 1);
  MannWhitney large = MannWhitneyU(std::vector<double>(40, 3.0), std::vector<double>(40, 3.0));
  CHECK_FALSE(large.exact);
  CHECK(large.p_value == 1);
}

TEST_CASE("Mann-Whitney past the exact limit is within 0.005 of the exact p",
          "[stats][mann-whitney]") {
  // n1 = n2 = 40 is past kMannWhitneyExactLimit; compare with the exact
  // null distribution from the textbook recurrence, over a range of U.
  std::vector<double> reference;
  for (int u : {400, 500, 600, 640, 700, 760, 800, 1000, 1200}) {
    std::vector<double> arm = ArmWithU(40, 40, u, reference);
    MannWhitney r = MannWhitneyU(arm, reference);
    CAPTURE(u, r.p_value);
    REQUIRE(r.u == u);
    CHECK_FALSE(r.exact);
    CHECK(r.p_value == Approx(RecurrenceP(40, 40, u)).margin(0.005));
  }
  // The recurrence itself agrees with the rank-sum table where both apply.
  std::vector<double> arm = ArmWithU(10, 12, 37, reference);
  CHECK(MannWhitneyU(arm, reference).p_value == Approx(RecurrenceP(10, 12, 37)).epsilon(1e-12));
}

TEST_CASE("Mann-Whitney rejects a true null at most 5% of the time", "[stats][mann-whitney]") {
  constexpr int kDatasets = 4000;
  for (int n : {5, 10}) {
    Rng rng(77 + n);
    int rejected = 0;
    for (int d = 0; d < kDatasets; ++d) {
      std::vector<double> a(n), b(n);
      for (double& v : a) v = rng.Normal();
      for (double& v : b) v = rng.Normal();
      rejected += MannWhitneyU(a, b).p_value <= 0.05;
    }
    const double share = static_cast<double>(rejected) / kDatasets;
    CAPTURE(n, share);
    CHECK(share <= 0.05 + 3 * std::sqrt(0.05 * 0.95 / kDatasets));
  }
}

TEST_CASE("Benjamini-Hochberg adjusts in input order, monotone in p", "[stats][bh]") {
  std::vector<double> q = BenjaminiHochberg({0.01, 0.04, 0.03, 0.005});
  REQUIRE(q.size() == 4);
  CHECK(q[0] == Approx(0.02));
  CHECK(q[1] == Approx(0.04));
  CHECK(q[2] == Approx(0.04));
  CHECK(q[3] == Approx(0.02));

  // A larger p never gets a smaller q, and q >= p, capped at 1.
  std::vector<double> p = {0.9, 0.001, 0.2, 0.049, 0.05, 0.3, 0.0001, 0.6, 0.04, 0.8};
  std::vector<double> adjusted = BenjaminiHochberg(p);
  for (std::size_t i = 0; i < p.size(); ++i) {
    CHECK(adjusted[i] >= p[i]);
    CHECK(adjusted[i] <= 1);
    for (std::size_t j = 0; j < p.size(); ++j) {
      if (p[i] < p[j]) CHECK(adjusted[i] <= adjusted[j]);
    }
  }
  CHECK(BenjaminiHochberg({0.9, 0.95}) == std::vector<double>{0.95, 0.95});
  CHECK(BenjaminiHochberg({}).empty());
}

TEST_CASE("the coefficient of variation uses the sample standard deviation", "[stats]") {
  // {2, 4, 4, 4, 5, 5, 7, 9}: mean 5, sample variance 32/7.
  CHECK(CoefficientOfVariation({2, 4, 4, 4, 5, 5, 7, 9}) == Approx(std::sqrt(32.0 / 7) / 5));
  CHECK(CoefficientOfVariation({-2, -4}) == Approx(std::sqrt(2.0) / 3));
  CHECK(CoefficientOfVariation({5}) == 0);
  CHECK(CoefficientOfVariation({}) == 0);
  CHECK(CoefficientOfVariation({-1, 1}) == 0);
}

TEST_CASE("the bootstrap interval is a function of the inputs and the seed", "[stats][bootstrap]") {
  // Twenty values a group: the resampled medians of a handful of values
  // take so few distinct values that two seeds often give the same ends.
  Rng rng(9);
  std::vector<double> arm(20), ref(20);
  for (double& v : arm) v = 11 + rng.Normal();
  for (double& v : ref) v = 10 + rng.Normal();
  Interval a = BootstrapRatioOfMediansCi(arm, ref, 0.95, 2000, 42);
  Interval b = BootstrapRatioOfMediansCi(arm, ref, 0.95, 2000, 42);
  Interval c = BootstrapRatioOfMediansCi(arm, ref, 0.95, 2000, 43);
  CHECK(a.low == b.low);
  CHECK(a.high == b.high);
  CHECK((a.low != c.low || a.high != c.high));
  CHECK(a.low < a.high);
  CHECK(a.Contains(Median(arm) / Median(ref)));
  // A narrower level gives a nested interval from the same resamples.
  Interval narrow = BootstrapRatioOfMediansCi(arm, ref, 0.5, 2000, 42);
  CHECK(a.low <= narrow.low);
  CHECK(narrow.high <= a.high);
}

TEST_CASE("the bootstrap interval of constant samples is the exact ratio", "[stats][bootstrap]") {
  Interval ci = BootstrapRatioOfMediansCi({4, 4, 4, 4}, {4, 4, 4}, 0.95, 500, 1);
  CHECK(ci.low == 1);
  CHECK(ci.high == 1);
  Interval doubled = BootstrapRatioOfMediansCi({8, 8, 8}, {4, 4, 4, 4, 4}, 0.95, 500, 1);
  CHECK(doubled.low == 2);
  CHECK(doubled.high == 2);
}

TEST_CASE("the bootstrap interval is unbounded when most reference medians are 0",
          "[stats][bootstrap]") {
  Interval ci = BootstrapRatioOfMediansCi({1, 2, 3}, {0, 0, 0, 1}, 0.95, 1000, 5);
  CHECK(ci.low == -std::numeric_limits<double>::infinity());
  CHECK(ci.high == std::numeric_limits<double>::infinity());
  // A reference median of 0 in a minority of resamples only drops those.
  Interval some = BootstrapRatioOfMediansCi({1, 2, 3}, {0, 1, 1, 1, 1}, 0.95, 1000, 5);
  CHECK(std::isfinite(some.low));
  CHECK(std::isfinite(some.high));
}

// The coverage of the 95% percentile interval for a true median ratio of
// 1.10 (arm = 1.10 x reference in distribution), measured with 4000
// datasets per cell and 1000 resamples; the Monte Carlo standard error is
// ~0.35 points. Lognormal: exp(N(0, 0.5^2)); normal: N(100, 10^2);
// exponential: Exp(1).
//
//   n per group    3     4     5     6     7     8     9    10    11    12    15    20    30
//   lognormal    89.8  93.1  97.2  96.2  96.2  95.6  96.6  96.4  97.3  96.4  96.7  96.0  96.4
//   normal       89.8  92.7  96.7  95.9  96.0  96.2  96.7  96.1  96.8  96.2  97.4  96.3  96.4
//   exponential  90.5  93.1  97.0  95.8  94.4  95.8  96.9  95.8  96.9  96.8  97.0  96.7  95.8
//
// Of the sizes 10, 15, 20 and 30, n = 10 is the smallest in 93-97% for
// both families. The interval runs conservative, more so for odd n (a
// resampled median of odd n is one order statistic, so the bootstrap
// distribution is lumpier): n = 15 normal is 97.4. Below 5 it undercovers
// (n = 3: ~90%), so the judge should not trust it there. The test
// re-measures n = 10 and n = 30 with 5000 datasets each.
TEST_CASE("the 95% bootstrap interval covers the true median ratio 93-97% of the time",
          "[stats][simulation]") {
  constexpr int kDatasets = 5000;  // standard error ~0.3 points
  constexpr int kResamples = 1000;
  constexpr double kTrueRatio = 1.10;
  enum Family { kLognormal, kNormal };
  for (int n : {10, 30}) {
    for (Family family : {kLognormal, kNormal}) {
      Rng rng(1000 * n + family);
      int covered = 0;
      std::vector<double> arm(n), reference(n);
      for (int d = 0; d < kDatasets; ++d) {
        for (int i = 0; i < n; ++i) {
          // Scaling by the ratio scales the median by it in both families.
          if (family == kLognormal) {
            arm[i] = kTrueRatio * std::exp(0.5 * rng.Normal());
            reference[i] = std::exp(0.5 * rng.Normal());
          } else {
            arm[i] = kTrueRatio * (100 + 10 * rng.Normal());
            reference[i] = 100 + 10 * rng.Normal();
          }
        }
        covered += BootstrapRatioOfMediansCi(arm, reference, 0.95, kResamples, d).Contains(kTrueRatio);
      }
      const double coverage = static_cast<double>(covered) / kDatasets;
      CAPTURE(n, family, coverage);
      CHECK(coverage >= 0.93);
      CHECK(coverage <= 0.97);
    }
  }
}

}  // namespace kgate
