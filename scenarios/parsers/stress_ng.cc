// Parser "stress-ng" (stress-ng --metrics --yaml FILE, the file printed after
// the run; the workload.yaml runs `cat` on it).
//
// The YAML document starts at a line "---"; its `metrics` list has one entry
// per stressor. Values per stressor, prefixed "<stressor>.": bogo_ops,
// bogo_ops_per_sec (real time), bogo_ops_per_sec_cpu (usr+sys time),
// wall_time_s. With exactly one stressor they also appear unprefixed.
#include "scenarios/parsers/parser.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>

#include "scenarios/parsers/parse_util.h"

namespace kgate {
namespace {

using Values = std::vector<std::pair<std::string, double>>;

const std::vector<std::pair<std::string, std::string>> kFields = {
    {"bogo_ops", "bogo-ops"},
    {"bogo_ops_per_sec", "bogo-ops-per-second-real-time"},
    {"bogo_ops_per_sec_cpu", "bogo-ops-per-second-usr-sys-time"},
    {"wall_time_s", "wall-clock-time"}};

Result<YAML::Node> ExtractYaml(std::string_view output) {
  if (output.size() > kMaxParsedOutputBytes) return OutputError("stress-ng: output too large", "");
  std::size_t begin = output.starts_with("---") ? 0 : output.find("\n---");
  if (begin == std::string_view::npos) {
    return OutputError("stress-ng: expected its --yaml document (a line '---')", output);
  }
  std::string_view text = output.substr(begin);
  if (!NestingWithin(text, kMaxStructuredDepth)) {
    return OutputError("stress-ng: YAML nests too deeply", output);
  }
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return OutputError(fmt::format("stress-ng: the --yaml document does not parse: {}", e.what()),
                       text);
  }
}

Result<double> FiniteField(const YAML::Node& entry, const std::string& key) {
  const YAML::Node value = entry[key];
  if (!value.IsDefined() || !value.IsScalar()) {
    return Status::BadInput(fmt::format("no '{}'", key));
  }
  Result<double> number = ParseFiniteNumber(value.Scalar());
  if (!number.ok()) return number.status().Prefixed(key);
  return number;
}

Result<Values> ParseStressNg(const ScenarioSpec&, const RepetitionOutput& rep) {
  Result<YAML::Node> doc = ExtractYaml(rep.output);
  if (!doc.ok()) return doc.status();
  const YAML::Node metrics = doc->IsMap() ? (*doc)["metrics"] : YAML::Node();
  if (!metrics.IsDefined() || !metrics.IsSequence() || metrics.size() == 0) {
    return OutputError("stress-ng: expected a non-empty 'metrics' list (was --metrics given?)",
                       rep.output);
  }
  Values prefixed, plain;
  for (const YAML::Node& entry : metrics) {
    if (!entry.IsMap() || !entry["stressor"].IsScalar()) {
      return Status::BadInput("stress-ng: a 'metrics' entry names no stressor");
    }
    const std::string stressor = entry["stressor"].Scalar().substr(0, 64);
    for (const auto& [name, key] : kFields) {
      Result<double> value = FiniteField(entry, key);
      if (!value.ok()) return value.status().Prefixed("stress-ng stressor " + stressor);
      prefixed.emplace_back(stressor + "." + name, *value);
      plain.emplace_back(name, *value);
    }
  }
  if (metrics.size() == 1) prefixed.insert(prefixed.end(), plain.begin(), plain.end());
  return prefixed;
}

}  // namespace

KGATE_REGISTER_PARSER("stress-ng", ParseStressNg);

}  // namespace kgate
