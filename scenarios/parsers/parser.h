// Parsers: a workload's raw output (and the kernel counters the guest agent
// snapshotted around it) in, metric samples out.
//
// A parser is a function registered under a name with KGATE_REGISTER_PARSER
// in scenarios/parsers/<tool>.cc, one file per tool, whichever scenarios use
// it; workload.yaml selects it with `parser:`. No registry to edit: the
// build links every file of scenarios/parsers/.
//
// Counters: any declared metric whose name is a counter key reported by the
// agent ("vmstat.pgmajfault", "stat.ctxt", "psi.memory.some_us", ...) takes
// its value from the counter delta of that repetition, whatever the parser.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/model.h"
#include "store/records.h"

namespace kgate {

// One repetition of a scenario's command, as the guest agent reported it.
struct RepetitionOutput {
  int repetition = 0;  // 0-based among measured repetitions
  bool warmup = false;
  int exit_code = 0;
  double seconds = 0;                      // wall time in the guest
  std::string output;                      // stdout then stderr, bounded by the agent
  std::map<std::string, double> counters;  // deltas around the repetition
};

// Returns the values the output yields, as (metric, value) in any order.
// Error (BadInput) when the output does not have the expected form; the
// message says what was expected and quotes a bounded excerpt.
using ParserFn = std::function<Result<std::vector<std::pair<std::string, double>>>(
    const ScenarioSpec& scenario, const RepetitionOutput& rep)>;

// Registers fn under name; returns true so it can initialise a static.
bool RegisterParser(const std::string& name, ParserFn fn);
const ParserFn* FindParser(const std::string& name);
std::vector<std::string> ParserNames();

// Runs the scenario's parser (or its regex rules) and the counter lookup, and
// returns one sample per declared metric, tagged with unit, kind, direction
// and repetition. Error when a declared metric is missing from the output.
Result<std::vector<SampleRecord>> ParseRepetition(const ScenarioSpec& scenario,
                                                  const RepetitionOutput& rep);

}  // namespace kgate

#define KGATE_REGISTER_PARSER(name, fn) \
  static const bool kgate_parser_registered_##fn = ::kgate::RegisterParser(name, fn)
