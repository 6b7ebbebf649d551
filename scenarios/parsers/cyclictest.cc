// Parser "cyclictest" (rt-tests cyclictest --json=FILE, the file printed after
// the run; the workload.yaml runs `cat` on it).
//
// The JSON holds per thread a sparse latency histogram ("<µs>": count) plus
// cycles, min, max and avg. Threads are merged: avg weighted by cycles, max
// and min over threads, percentiles from the summed histogram. A percentile
// that falls past the histogram's range (`-h`, overflows) is reported as the
// max latency, the only bound known for those samples.
// Values: latency_min_us, latency_avg_us, latency_max_us, latency_p50_us,
// latency_p99_us, latency_p999_us, cycles.
#include "scenarios/parsers/parser.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "scenarios/parsers/parse_util.h"

namespace kgate {
namespace {

using Values = std::vector<std::pair<std::string, double>>;

struct Merged {
  std::map<long, double> histogram;  // bucket (µs) -> count
  double cycles = 0;
  double weighted_avg = 0;
  double min = INFINITY;
  double max = 0;
};

Status MergeThread(const std::string& id, const nlohmann::json& thread, Merged* merged) {
  Result<double> cycles = JsonNumberAt(thread, "/cycles");
  Result<double> min = JsonNumberAt(thread, "/min");
  Result<double> max = JsonNumberAt(thread, "/max");
  Result<double> avg = JsonNumberAt(thread, "/avg");
  for (const Result<double>* r : {&cycles, &min, &max, &avg}) {
    if (!r->ok()) return r->status().Prefixed("cyclictest thread " + id);
  }
  const nlohmann::json* histogram = thread.contains("histogram") ? &thread["histogram"] : nullptr;
  if (histogram == nullptr || !histogram->is_object()) {
    return Status::BadInput(fmt::format("cyclictest thread {}: no histogram (run with -h)", id));
  }
  for (const auto& [bucket, count] : histogram->items()) {
    Result<double> us = ParseFiniteNumber(bucket);
    if (!us.ok() || !count.is_number() || !std::isfinite(count.get<double>()) ||
        count.get<double>() < 0) {
      return Status::BadInput(
          fmt::format("cyclictest thread {}: bad histogram bucket '{}'", id, bucket.substr(0, 32)));
    }
    merged->histogram[static_cast<long>(*us)] += count.get<double>();
  }
  merged->cycles += *cycles;
  merged->weighted_avg += *avg * *cycles;
  merged->min = std::min(merged->min, *min);
  merged->max = std::max(merged->max, *max);
  return Status::Ok();
}

// The smallest bucket at or below which a fraction q of all cycles fall.
double Percentile(const Merged& merged, double q) {
  const double target = std::ceil(q * merged.cycles);
  double seen = 0;
  for (const auto& [bucket, count] : merged.histogram) {
    seen += count;
    if (seen >= target) return static_cast<double>(bucket);
  }
  return merged.max;  // in the overflow: only the max bounds it
}

Result<Values> ParseCyclictest(const ScenarioSpec&, const RepetitionOutput& rep) {
  Result<nlohmann::json> doc = ExtractJsonObject(rep.output);
  if (!doc.ok()) return doc.status().Prefixed("cyclictest --json");
  const nlohmann::json& root = *doc;
  const nlohmann::json threads = root.contains("thread") ? root["thread"] : nlohmann::json();
  if (!threads.is_object() || threads.empty()) {
    return OutputError("cyclictest --json: expected a non-empty 'thread' object", rep.output);
  }
  Merged merged;
  for (const auto& [id, thread] : threads.items()) {
    KG_RETURN_IF_ERROR(MergeThread(id, thread, &merged));
  }
  if (merged.cycles <= 0) return Status::BadInput("cyclictest --json: no cycles measured");
  return Values{{"cycles", merged.cycles},
                {"latency_min_us", merged.min},
                {"latency_avg_us", merged.weighted_avg / merged.cycles},
                {"latency_max_us", merged.max},
                {"latency_p50_us", Percentile(merged, 0.50)},
                {"latency_p99_us", Percentile(merged, 0.99)},
                {"latency_p999_us", Percentile(merged, 0.999)}};
}

}  // namespace

KGATE_REGISTER_PARSER("cyclictest", ParseCyclictest);

}  // namespace kgate
