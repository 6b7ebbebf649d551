// The parser registry and ParseRepetition (scenarios/parsers/parser.h).
//
// Two parser names are built in rather than registered: "regex", which applies
// the scenario's own RegexRule list, and "counters", for scenarios judged only
// by the kernel counters the guest agent reports (mm-pressure).
#include "scenarios/parsers/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <regex>

#include "base/strings.h"
#include "scenarios/parsers/parse_util.h"

namespace kgate {
namespace {

using Values = std::vector<std::pair<std::string, double>>;

// Counter keys the agent reports; a metric with one of these prefixes takes
// its value from the counters, never from the workload's output.
const std::vector<std::string> kCounterPrefixes = {"vmstat.",  "stat.", "psi.",  "schedstat.",
                                                   "meminfo.", "slab.", "agent.", "disk."};

// Regex rules run line by line; std::regex recurses per character, so lines
// are cut short enough that a pathological guest line cannot exhaust the stack.
constexpr std::size_t kMaxRegexLine = 1024;

std::map<std::string, ParserFn>& Registry() {
  static auto* registry = new std::map<std::string, ParserFn>();
  return *registry;
}

std::mutex& RegistryMutex() {
  static auto* mu = new std::mutex();
  return *mu;
}

bool IsCounterMetric(const std::string& name) {
  return std::any_of(kCounterPrefixes.begin(), kCounterPrefixes.end(),
                     [&](const std::string& p) { return StartsWith(name, p); });
}

Result<Values> ApplyRegexRules(const ScenarioSpec& scenario, const RepetitionOutput& rep) {
  Values values;
  std::vector<std::string_view> lines = OutputLines(rep.output, kMaxRegexLine);
  for (const RegexRule& rule : scenario.regex) {
    std::regex re;
    try {
      re = std::regex(rule.pattern);
    } catch (const std::regex_error& e) {
      return Status::BadInput(
          fmt::format("regex for metric '{}' does not compile: {}", rule.metric, e.what()));
    }
    for (std::string_view line : lines) {
      std::match_results<std::string_view::const_iterator> m;
      if (!std::regex_search(line.begin(), line.end(), m, re)) continue;
      if (m.size() < 2 || !m[1].matched) {
        return Status::BadInput(
            fmt::format("regex for metric '{}' has no capture group", rule.metric));
      }
      Result<double> value = ParseFiniteNumber(m[1].str());
      if (!value.ok()) {
        return Status::BadInput(fmt::format("metric '{}': {} in line '{}'", rule.metric,
                                            value.status().message(), Excerpt(line)));
      }
      values.emplace_back(rule.metric, *value);
      break;  // the first matching line wins
    }
  }
  return values;
}

Result<Values> RunParser(const ScenarioSpec& scenario, const RepetitionOutput& rep) {
  if (scenario.parser == "regex") return ApplyRegexRules(scenario, rep);
  if (scenario.parser == "counters") return Values{};
  const ParserFn* fn = FindParser(scenario.parser);
  if (fn == nullptr) {
    std::vector<std::string> names = ParserNames();
    std::string hint = ClosestMatch(scenario.parser, names);
    return Status::BadInput(fmt::format("unknown parser '{}'{} (known: {})", scenario.parser,
                                        hint.empty() ? "" : "; did you mean '" + hint + "'?",
                                        Join(names, ", ")));
  }
  // Parsers validate what they read, but a guest controls the bytes: a library
  // exception on some unforeseen shape becomes a parse error, not a crash.
  try {
    return (*fn)(scenario, rep);
  } catch (const std::exception& e) {
    return OutputError(fmt::format("parser '{}' failed: {}", scenario.parser, e.what()),
                       rep.output);
  }
}

std::string ValueNames(const Values& values) {
  std::vector<std::string> names;
  for (const auto& v : values) names.push_back(v.first);
  return names.empty() ? "none" : Join(names, ", ");
}

// The value of one declared metric: from the counters for a counter key, else
// the last value the parser produced under that name.
Result<double> MetricValue(const MetricSpec& metric, const Values& values,
                           const RepetitionOutput& rep, const std::string& parser) {
  if (IsCounterMetric(metric.name)) {
    auto it = rep.counters.find(metric.name);
    if (it == rep.counters.end()) {
      return Status::BadInput(
          fmt::format("metric '{}': the guest reported no such counter ({} counters reported; "
                      "does this kernel have it?)",
                      metric.name, rep.counters.size()));
    }
    if (!std::isfinite(it->second)) {
      return Status::BadInput(fmt::format("metric '{}': counter is not finite", metric.name));
    }
    return it->second;
  }
  for (auto it = values.rbegin(); it != values.rend(); ++it) {
    if (it->first == metric.name) return it->second;
  }
  return OutputError(fmt::format("metric '{}' is missing from what parser '{}' found ({})",
                                 metric.name, parser, ValueNames(values)),
                     rep.output);
}

}  // namespace

bool RegisterParser(const std::string& name, ParserFn fn) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  KG_CHECK(!Registry().count(name)) << "parser '" << name << "' registered twice";
  Registry()[name] = std::move(fn);
  return true;
}

const ParserFn* FindParser(const std::string& name) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  auto it = Registry().find(name);
  return it == Registry().end() ? nullptr : &it->second;
}

std::vector<std::string> ParserNames() {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  std::vector<std::string> names = {"counters", "regex"};
  for (const auto& entry : Registry()) names.push_back(entry.first);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<SampleRecord>> ParseRepetition(const ScenarioSpec& scenario,
                                                  const RepetitionOutput& rep) {
  const std::string where =
      fmt::format("scenario '{}' repetition {}", scenario.name, rep.repetition);
  if (rep.exit_code != 0) {
    return OutputError(fmt::format("{}: the command exited with status {}", where, rep.exit_code),
                       rep.output);
  }
  Result<Values> values = RunParser(scenario, rep);
  if (!values.ok()) return values.status().Prefixed(where);
  for (const auto& [name, value] : *values) {
    // Parsers promise finite values; should one slip, it must not reach the store.
    if (!std::isfinite(value)) {
      return Status::BadInput(
          fmt::format("{}: parser '{}' produced a non-finite {}", where, scenario.parser, name));
    }
  }
  std::vector<SampleRecord> samples;
  for (const MetricSpec& metric : scenario.metrics) {
    Result<double> value = MetricValue(metric, *values, rep, scenario.parser);
    if (!value.ok()) return value.status().Prefixed(where);
    SampleRecord sample;
    sample.metric = metric.name;
    sample.value = *value;
    sample.unit = metric.unit;
    sample.kind = MetricKindName(metric.kind);
    sample.better = DirectionName(metric.better);
    sample.repetition = rep.repetition;
    samples.push_back(std::move(sample));
  }
  return samples;
}

}  // namespace kgate
