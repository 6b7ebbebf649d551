// Statistics benchmarks: the judge runs these once per comparison, for up
// to hundreds of comparisons per gate, so their cost bounds a verdict's.
//   BM_BootstrapRatioOfMediansCi/N  one 95% interval, N values a group,
//                                   2000 resamples.
//   BM_MannWhitneyU/N               one test, N values a group: exact
//                                   (rank-sum table) while 2N <=
//                                   kMannWhitneyExactLimit, else normal.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "judge/stats.h"

namespace kgate {
namespace {

// n values around `center`, deterministic, no ties.
std::vector<double> Sample(int n, double center, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::vector<double> values(n);
  for (double& v : values) v = center * (1 + ((gen() >> 11) * 0x1.0p-53 - 0.5) / 5);
  return values;
}

void BM_BootstrapRatioOfMediansCi(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  std::vector<double> arm = Sample(n, 105, 1), reference = Sample(n, 100, 2);
  std::uint64_t seed = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(BootstrapRatioOfMediansCi(arm, reference, 0.95, 2000, ++seed));
  }
}
BENCHMARK(BM_BootstrapRatioOfMediansCi)->Arg(5)->Arg(15)->Arg(50);

void BM_MannWhitneyU(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  std::vector<double> arm = Sample(n, 105, 1), reference = Sample(n, 100, 2);
  for (auto _ : state) benchmark::DoNotOptimize(MannWhitneyU(arm, reference));
  state.SetLabel(2 * n <= kMannWhitneyExactLimit ? "exact" : "normal");
}
// 15 and 30 a group are exact (30 + 30 is the largest exact case); 100 a
// group (200 values) takes the normal approximation.
BENCHMARK(BM_MannWhitneyU)->Arg(15)->Arg(30)->Arg(100);

}  // namespace
}  // namespace kgate
