// Parser "microbench" (guest/microbench/kgate-microbench, or any Google
// Benchmark binary, with --benchmark_format=json).
//
// Values per benchmark, named after its run_name without the "/real_time"
// suffix and any "/min_time:X" part ('/' otherwise becomes '_'): <name>_ns (real time per operation) and
// <name>_cpu_ns (CPU time of the benchmarking thread per operation), in ns
// whatever the time_unit. A benchmark reporting the user counter
// `ops_per_iteration` has both divided by it (page_fault: one iteration
// faults 1024 pages). With --benchmark_repetitions the "median" aggregate is
// used; otherwise the mean of the iteration runs.
#include "scenarios/parsers/parser.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "scenarios/parsers/parse_util.h"

namespace kgate {
namespace {

using Values = std::vector<std::pair<std::string, double>>;

struct Times {
  double real_ns = 0;
  double cpu_ns = 0;
};

struct Collected {
  std::map<std::string, Times> median;             // from aggregates
  std::map<std::string, std::vector<Times>> runs;  // from iteration runs
};

Result<double> NsPerUnit(const std::string& unit) {
  if (unit == "ns") return 1.0;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  return Status::BadInput(fmt::format("unknown time_unit '{}'", unit.substr(0, 16)));
}

std::string MetricBase(std::string name) {
  if (EndsWith(name, "/real_time")) name.resize(name.size() - std::string("/real_time").size());
  // A benchmark's own MinTime() shows in its name; the metric is the same.
  if (auto at = name.find("/min_time:"); at != std::string::npos) {
    auto end = name.find('/', at + 1);
    name.erase(at, end == std::string::npos ? std::string::npos : end - at);
  }
  for (char& c : name) {
    if (c == '/' || c == ':' || c == ' ') c = '_';
  }
  return name;
}

// A string member, or "" when absent or of another type.
std::string StringField(const nlohmann::json& b, const std::string& key) {
  return b.contains(key) && b[key].is_string() ? b[key].get<std::string>() : std::string();
}

Status CollectOne(const nlohmann::json& b, Collected* out) {
  if (!b.is_object()) return Status::BadInput("a 'benchmarks' entry is not an object");
  std::string raw_name = StringField(b, "run_name");
  if (raw_name.empty()) raw_name = StringField(b, "name");
  if (raw_name.empty()) return Status::BadInput("a benchmark has no name");
  const std::string name = MetricBase(raw_name.substr(0, 128));
  if (b.contains("error_occurred") && b["error_occurred"] == true) {
    std::string why = StringField(b, "error_message").substr(0, 200);
    return Status::BadInput(fmt::format("benchmark {} failed: {}", name, why));
  }
  Result<double> real = JsonNumberAt(b, "/real_time");
  Result<double> cpu = JsonNumberAt(b, "/cpu_time");
  if (!real.ok()) return real.status().Prefixed("benchmark " + name);
  if (!cpu.ok()) return cpu.status().Prefixed("benchmark " + name);
  const std::string unit = b.contains("time_unit") ? StringField(b, "time_unit") : "ns";
  Result<double> scale = NsPerUnit(unit);
  if (!scale.ok()) return scale.status().Prefixed("benchmark " + name);
  double ops = 1;
  if (b.contains("ops_per_iteration")) {
    Result<double> n = JsonNumberAt(b, "/ops_per_iteration");
    if (!n.ok() || *n < 1) return Status::BadInput("benchmark " + name + ": bad ops_per_iteration");
    ops = *n;
  }
  Times t{*real * *scale / ops, *cpu * *scale / ops};
  if (StringField(b, "run_type") == "aggregate") {
    if (StringField(b, "aggregate_name") == "median") out->median[name] = t;
  } else {
    out->runs[name].push_back(t);
  }
  return Status::Ok();
}

Result<Values> ParseMicrobench(const ScenarioSpec&, const RepetitionOutput& rep) {
  Result<nlohmann::json> doc = ExtractJsonObject(rep.output);
  if (!doc.ok()) return doc.status().Prefixed("google benchmark json");
  const nlohmann::json& root = *doc;
  if (!root.contains("benchmarks") || !root["benchmarks"].is_array() ||
      root["benchmarks"].empty()) {
    return OutputError("google benchmark json: expected a non-empty 'benchmarks' list", rep.output);
  }
  Collected collected;
  for (const nlohmann::json& b : root["benchmarks"]) {
    KG_RETURN_IF_ERROR(CollectOne(b, &collected));
  }
  Values values;
  for (const auto& [name, runs] : collected.runs) {
    Times t;
    if (auto it = collected.median.find(name); it != collected.median.end()) {
      t = it->second;
    } else {
      for (const Times& r : runs) {
        t.real_ns += r.real_ns / runs.size();
        t.cpu_ns += r.cpu_ns / runs.size();
      }
    }
    values.emplace_back(name + "_ns", t.real_ns);
    values.emplace_back(name + "_cpu_ns", t.cpu_ns);
  }
  return values;
}

}  // namespace

KGATE_REGISTER_PARSER("microbench", ParseMicrobench);

}  // namespace kgate
