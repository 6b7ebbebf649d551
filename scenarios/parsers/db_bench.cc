// Parser "db_bench" (RocksDB db_bench report lines).
//
// Each benchmark prints one line
//   readrandom   :  10.395 micros/op 96077 ops/sec 0.208 seconds 20000 operations;
//   95.3 MB/s (20000 of 20000 found)
// (on one line). Values per benchmark, prefixed "<benchmark>.": micros_per_op,
// ops_per_sec, and when printed mb_per_sec and found_ratio; the last
// benchmark's values also appear unprefixed. A read that found none of its
// keys means the data set was never filled, which is an error, not a sample.
#include "scenarios/parsers/parser.h"

#include <fmt/format.h>

#include <regex>

#include "scenarios/parsers/parse_util.h"

namespace kgate {
namespace {

using Values = std::vector<std::pair<std::string, double>>;

const std::regex& ReportLine() {
  static const auto* re =
      new std::regex(R"(^(\w+)\s*:\s*(\S+) micros/op (\S+) ops/sec(?:[^;]*;\s*(\S+) MB/s)?)"
                     R"((?:.*\((\d+) of (\d+) found\))?)");
  return *re;
}

Status ParseLine(const std::smatch& m, Values* values, Values* last) {
  const std::string bench = m[1].str();
  Values found;
  Result<double> micros = ParseFiniteNumber(m[2].str());
  Result<double> ops = ParseFiniteNumber(m[3].str());
  if (!micros.ok()) return micros.status().Prefixed("db_bench " + bench + " micros/op");
  if (!ops.ok()) return ops.status().Prefixed("db_bench " + bench + " ops/sec");
  found.emplace_back("micros_per_op", *micros);
  found.emplace_back("ops_per_sec", *ops);
  if (m[4].matched) {
    Result<double> mb = ParseFiniteNumber(m[4].str());
    if (!mb.ok()) return mb.status().Prefixed("db_bench " + bench + " MB/s");
    found.emplace_back("mb_per_sec", *mb);
  }
  if (m[5].matched) {
    Result<double> hits_or = ParseFiniteNumber(m[5].str());
    Result<double> reads_or = ParseFiniteNumber(m[6].str());
    if (!hits_or.ok() || !reads_or.ok()) {
      return Status::BadInput("db_bench " + bench + ": bad '(N of M found)'");
    }
    const double hits = *hits_or, reads = *reads_or;
    if (reads > 0 && hits == 0) {
      return Status::BadInput(
          fmt::format("db_bench {}: found 0 of {} keys; was the database filled by the setup?",
                      bench, m[6].str()));
    }
    if (reads > 0) found.emplace_back("found_ratio", hits / reads);
  }
  for (const auto& [name, value] : found) values->emplace_back(bench + "." + name, value);
  *last = found;
  return Status::Ok();
}

Result<Values> ParseDbBench(const ScenarioSpec&, const RepetitionOutput& rep) {
  Values values, last;
  for (std::string_view view : OutputLines(rep.output, 512)) {
    std::string line(view);
    std::smatch m;
    if (!std::regex_search(line, m, ReportLine())) continue;
    KG_RETURN_IF_ERROR(ParseLine(m, &values, &last));
  }
  if (last.empty()) {
    return OutputError("db_bench: expected a line '<benchmark> : <x> micros/op <y> ops/sec'",
                       rep.output);
  }
  values.insert(values.end(), last.begin(), last.end());
  return values;
}

}  // namespace

KGATE_REGISTER_PARSER("db_bench", ParseDbBench);

}  // namespace kgate
