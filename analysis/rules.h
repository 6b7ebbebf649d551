// The maintainability rules of kgate analyze: their stable ids, levels and
// the reason maintainers object, and the pass that runs them over a change.
//
// A rule reads only added lines (every line of a module directory counts as
// added) and only code: comments and the contents of string literals are
// blanked by analysis/c_lexer.h, except where a rule is about a string
// (hardcoded-path, debugfs/procfs/sysctl file names). docs/analysis.md
// explains each rule, how it is detected and its known false positives and
// negatives. Findings come out as FindingRecord (store/records.h) with
// run_id 0 and no arm; a caller that stores them fills those in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/change_set.h"
#include "store/records.h"

namespace kgate {

struct RuleInfo {
  std::string_view id;     // stable: policies name it in forbid:
  std::string_view level;  // error | warning | note
  std::string_view why;    // one sentence: why maintainers object
};

// Every rule kgate's own analysis runs, in report order (the module-build-* and
// module-symbol-missing rules come from analysis/module_build.h; module-load-
// failed, module-unload-failed, module-slab-leak, module-memory-leak and
// module-splat from loading the built module in a guest,
// checks/module_cycle.h). The checkpatch
// findings (checkpatch-<TYPE>, analysis/checkpatch.h) are not listed here.
const std::vector<RuleInfo>& KgateRules();

// The rule with this id, or nullptr.
const RuleInfo* FindRule(std::string_view id);

// Whether a policy may name id in forbid: a kgate rule or checkpatch-<TYPE>.
bool IsKnownRuleId(std::string_view id);

// Runs every rule over the change. Findings are ordered by rule (catalogue
// order), then file, then line.
std::vector<FindingRecord> RunRules(const ChangeSet& change);

}  // namespace kgate
