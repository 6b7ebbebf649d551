// Parser "hackbench" (rt-tests hackbench, pipe and socket modes).
//
// hackbench prints its setup, then one line "Time: <seconds>" for the whole
// run. Values: time (s).
#include "scenarios/parsers/parser.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "scenarios/parsers/parse_util.h"

namespace kgate {
namespace {

Result<std::vector<std::pair<std::string, double>>> ParseHackbench(const ScenarioSpec&,
                                                                   const RepetitionOutput& rep) {
  const std::string_view kPrefix = "Time:";
  std::string_view found;
  for (std::string_view line : OutputLines(rep.output)) {
    if (StartsWith(line, kPrefix)) found = line.substr(kPrefix.size());
  }
  if (found.data() == nullptr) {
    return OutputError("hackbench: expected a line 'Time: <seconds>'", rep.output);
  }
  Result<double> seconds = ParseFiniteNumber(found);
  if (!seconds.ok()) return seconds.status().Prefixed("hackbench 'Time:'");
  if (*seconds < 0) return Status::BadInput("hackbench 'Time:' is negative");
  return std::vector<std::pair<std::string, double>>{{"time", *seconds}};
}

}  // namespace

KGATE_REGISTER_PARSER("hackbench", ParseHackbench);

}  // namespace kgate
