// Store benchmarks on a real SQLite file (WAL, synchronous=NORMAL) in a
// temporary directory, as `kgate run` and `kgate gate` use it:
//   BM_RecordTrialSamples/N  one RecordTrial of N samples (one transaction);
//                            items/s is the sample insert rate.
//   BM_LoadSamples/N         LoadSamples of a run holding N samples (1M by
//                            default), the query the judge runs.
// Rates are per wall-clock second (UseRealTime): WAL writes and page faults
// are part of what a user waits for.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/store.h"

namespace kgate {
namespace {

namespace fs = std::filesystem;

// A fresh store file in its own directory, removed at the end.
class BenchStore {
 public:
  explicit BenchStore(const std::string& name) {
    dir_ = fs::temp_directory_path() / ("kgate-bench-" + std::to_string(getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = Store::Open((dir_ / "kgate.db").string());
    if (!store.ok()) throw std::runtime_error(store.status().message());
    store_ = std::move(*store);
    RunRecord run;
    run.proposal = "bench";
    run_id_ = *store_->CreateRun(run);
  }
  ~BenchStore() {
    store_.reset();
    fs::remove_all(dir_);
  }
  Store& store() { return *store_; }
  std::int64_t run_id() const { return run_id_; }

 private:
  fs::path dir_;
  std::unique_ptr<Store> store_;
  std::int64_t run_id_ = 0;
};

// Samples as a scenario produces them: a handful of metrics, repeated.
std::vector<SampleRecord> MakeSamples(std::int64_t n) {
  static const SampleRecord kMetrics[] = {
      {"elapsed", 0, "s", "time", "lower", 0},
      {"ops_per_second", 0, "ops/s", "rate", "higher", 0},
      {"p99_latency", 0, "us", "latency", "lower", 0},
      {"context_switches", 0, "count", "count", "lower", 0},
  };
  std::vector<SampleRecord> samples;
  samples.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    SampleRecord s = kMetrics[i % 4];
    s.value = 1000.0 + static_cast<double>(i % 977) * 0.25;
    s.repetition = static_cast<int>(i / 4);
    samples.push_back(std::move(s));
  }
  return samples;
}

TrialRecord MakeTrial(std::int64_t run_id, int seq) {
  TrialRecord t;
  t.run_id = run_id;
  t.seq = seq;
  t.arm = seq % 2 ? "candidate" : "baseline";
  t.scenario = "fio-randread";
  t.shape = "2cpu-1g";
  t.tier = "tcg";
  return t;
}

void BM_RecordTrialSamples(benchmark::State& state) {
  BenchStore bench("insert-" + std::to_string(state.range(0)));
  std::vector<SampleRecord> samples = MakeSamples(state.range(0));
  int seq = 0;
  for (auto _ : state) {
    auto id = bench.store().RecordTrial(MakeTrial(bench.run_id(), seq++), samples, {});
    if (!id.ok()) {
      state.SkipWithError(id.status().message().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RecordTrialSamples)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_LoadSamples(benchmark::State& state) {
  BenchStore bench("load-" + std::to_string(state.range(0)));
  // 100 trials of n/100 samples: a run of many trials, as the judge sees it.
  constexpr int kTrials = 100;
  std::vector<SampleRecord> samples = MakeSamples(state.range(0) / kTrials);
  for (int seq = 0; seq < kTrials; ++seq) {
    if (!bench.store().RecordTrial(MakeTrial(bench.run_id(), seq), samples, {}).ok()) {
      state.SkipWithError("could not fill the run");
      return;
    }
  }
  for (auto _ : state) {
    auto rows = bench.store().LoadSamples(bench.run_id());
    if (!rows.ok() || rows->size() != samples.size() * kTrials) {
      state.SkipWithError("LoadSamples returned the wrong rows");
      break;
    }
    benchmark::DoNotOptimize(rows->data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LoadSamples)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace kgate
