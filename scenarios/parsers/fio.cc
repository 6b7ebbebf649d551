// Parser "fio" (fio --output-format=json).
//
// One job, or several reported as one with --group_reporting: several
// separate jobs have percentiles that cannot be merged, so they are an error.
// For each direction (read, write, trim) that moved data, values prefixed with
// the direction: <dir>_iops, <dir>_bw_mib_s, <dir>_clat_mean_us,
// <dir>_clat_p50_us, <dir>_clat_p99_us, <dir>_clat_p999_us. When exactly one
// direction moved data, the same values also appear unprefixed (iops,
// bw_mib_s, clat_p99_us, ...), which is what single-direction scenarios declare.
#include "scenarios/parsers/parser.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "scenarios/parsers/parse_util.h"

namespace kgate {
namespace {

using Values = std::vector<std::pair<std::string, double>>;

// fio's percentile keys are printed with six decimals.
const std::vector<std::pair<std::string, std::string>> kPercentiles = {
    {"clat_p50_us", "50.000000"}, {"clat_p99_us", "99.000000"}, {"clat_p999_us", "99.900000"}};

Status ParseDirection(const nlohmann::json& job, const std::string& dir, Values* values) {
  const std::string base = "/" + dir;
  Result<double> iops = JsonNumberAt(job, base + "/iops");
  Result<double> bw_kib = JsonNumberAt(job, base + "/bw");
  Result<double> mean_ns = JsonNumberAt(job, base + "/clat_ns/mean");
  for (const Result<double>* r : {&iops, &bw_kib, &mean_ns}) {
    if (!r->ok()) return r->status().Prefixed("fio " + dir);
  }
  values->emplace_back(dir + "_iops", *iops);
  values->emplace_back(dir + "_bw_mib_s", *bw_kib / 1024.0);
  values->emplace_back(dir + "_clat_mean_us", *mean_ns / 1000.0);
  for (const auto& [name, key] : kPercentiles) {
    Result<double> ns = JsonNumberAt(job, base + "/clat_ns/percentile/" + key);
    if (!ns.ok()) {
      return ns.status().Prefixed(
          fmt::format("fio {}: no clat percentile {} (is --clat_percentiles off?)", dir, key));
    }
    values->emplace_back(dir + "_" + name, *ns / 1000.0);
  }
  return Status::Ok();
}

Result<Values> ParseFio(const ScenarioSpec&, const RepetitionOutput& rep) {
  Result<nlohmann::json> doc = ExtractJsonObject(rep.output);
  if (!doc.ok()) return doc.status().Prefixed("fio --output-format=json");
  const nlohmann::json& root = *doc;
  if (!root.contains("jobs") || !root["jobs"].is_array() || root["jobs"].empty()) {
    return OutputError("fio: expected a non-empty 'jobs' list", rep.output);
  }
  if (root["jobs"].size() != 1) {
    return Status::BadInput(fmt::format(
        "fio: {} jobs reported separately; run them with --group_reporting", root["jobs"].size()));
  }
  const nlohmann::json& job = root["jobs"][0];
  Result<double> error = JsonNumberAt(job, "/error");
  if (!error.ok()) return error.status().Prefixed("fio job");
  if (*error != 0) return Status::BadInput(fmt::format("fio job failed with error {}", *error));

  Values values;
  std::vector<std::string> active;
  for (const std::string dir : {"read", "write", "trim"}) {
    Result<double> bytes = JsonNumberAt(job, "/" + dir + "/io_bytes");
    if (!bytes.ok() || *bytes <= 0) continue;
    KG_RETURN_IF_ERROR(ParseDirection(job, dir, &values));
    active.push_back(dir);
  }
  if (active.empty()) return OutputError("fio: the job moved no data", rep.output);
  if (active.size() == 1) {
    const std::string prefix = active[0] + "_";
    Values unprefixed;
    for (const auto& [name, value] : values)
      unprefixed.emplace_back(name.substr(prefix.size()), value);
    values.insert(values.end(), unprefixed.begin(), unprefixed.end());
  }
  return values;
}

}  // namespace

KGATE_REGISTER_PARSER("fio", ParseFio);

}  // namespace kgate
