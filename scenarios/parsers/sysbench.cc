// Parser "sysbench" (sysbench 1.0 `run` report, any test).
//
// Every sysbench test prints "total time:", "total number of events:" and a
// "Latency (ms):" block; memory adds "Total operations: N (R per second)" and
// "X MiB transferred (R MiB/sec)", cpu adds "events per second:".
// Values: total_time_s, events, events_per_sec (printed, else events / total
// time), latency_min_ms, latency_avg_ms, latency_max_ms, latency_p95_ms
// (whatever percentile --percentile asked for, 95 by default), and when
// printed: ops_per_sec, mib_per_sec.
#include "scenarios/parsers/parser.h"

#include <fmt/format.h>

#include <regex>

#include "scenarios/parsers/parse_util.h"

namespace kgate {
namespace {

using Values = std::vector<std::pair<std::string, double>>;

struct Rule {
  std::string name;
  std::regex pattern;  // capture 1 is the value
};

const std::vector<Rule>& Rules() {
  static const auto* rules = new std::vector<Rule>{
      {"total_time_s", std::regex(R"(^\s*total time:\s+(\S+)s\s*$)")},
      {"events", std::regex(R"(^\s*total number of events:\s+(\S+)\s*$)")},
      {"events_per_sec", std::regex(R"(^\s*events per second:\s+(\S+)\s*$)")},
      {"latency_min_ms", std::regex(R"(^\s*min:\s+(\S+)\s*$)")},
      {"latency_avg_ms", std::regex(R"(^\s*avg:\s+(\S+)\s*$)")},
      {"latency_max_ms", std::regex(R"(^\s*max:\s+(\S+)\s*$)")},
      {"latency_p95_ms", std::regex(R"(^\s*\d+(?:\.\d+)?th percentile:\s+(\S+)\s*$)")},
      {"ops_per_sec", std::regex(R"(^\s*Total operations:\s+\S+\s+\((\S+) per second\)\s*$)")},
      {"mib_per_sec", std::regex(R"(^\s*\S+ MiB transferred \((\S+) MiB/sec\)\s*$)")},
  };
  return *rules;
}

Result<Values> ParseSysbench(const ScenarioSpec&, const RepetitionOutput& rep) {
  Values values;
  // Lines are short in a real report; longer ones cannot match and are cut so
  // std::regex's recursion stays bounded.
  for (std::string_view line : OutputLines(rep.output, 256)) {
    for (const Rule& rule : Rules()) {
      std::match_results<std::string_view::const_iterator> m;
      if (!std::regex_match(line.begin(), line.end(), m, rule.pattern)) continue;
      Result<double> value = ParseFiniteNumber(m[1].str());
      if (!value.ok()) return value.status().Prefixed("sysbench " + rule.name);
      values.emplace_back(rule.name, *value);
    }
  }
  auto find = [&](const std::string& name) -> const double* {
    for (const auto& v : values) {
      if (v.first == name) return &v.second;
    }
    return nullptr;
  };
  const double* total = find("total_time_s");
  const double* events = find("events");
  if (total == nullptr || events == nullptr) {
    return OutputError("sysbench: expected 'total time:' and 'total number of events:'",
                       rep.output);
  }
  if (find("events_per_sec") == nullptr && *total > 0) {
    values.emplace_back("events_per_sec", *events / *total);
  }
  return values;
}

}  // namespace

KGATE_REGISTER_PARSER("sysbench", ParseSysbench);

}  // namespace kgate
