// kgate analyze as a library call: one patch, series, mbox or module
// directory in; findings, metrics and the maintainability score out.
//
// Analyze() is what `kgate analyze` prints and what `kgate run` calls for
// arms with patch: or modules:, storing Analysis::findings as FindingRecords
// of the arm (filling run_id and arm) and MaintainabilityScoreJson(score) as
// the maintainability score.
//
// JSON form (AnalysisToJson, schema 2; schema 1 had "kernels": {"refs",
// "build_check"} and no "build"):
//   {"kgate": 1, "schema": 2,
//    "context": {"kgate_version", "host", "input", "kind": "patch"|"module"},
//    "findings": [{"rule", "level", "file", "line", "message", "excerpt"}...],
//    "checkpatch": {"ran", "reason", "package", "version", "errors",
//                   "warnings", "checks"},
//    "metrics": {"patches", "files_changed", "insertions", "deletions",
//                "files", "subsystems", "subsystems_by_file",
//                "added_c_lines", "added_comment_lines", "comment_density",
//                "functions": [{"file","line","name","complexity","lines"}],
//                "max_complexity", "exported_symbols"},
//    "build": {"ran": bool, "reason": "why not, when not run"},
//    "kernels": [{"ref", "package", "version", "ran", "reason", "ok", "seconds",
//                 "modules", "warnings", "errors": [first lines], "symbols",
//                 "ko_paths": [kept .ko files],
//                 "missing_elsewhere": {"<other ref>": [symbols]},
//                 "load": {"ran": false, "reason"} or
//                         {"ran": true, "cycles": [ModuleCycleJson per .ko,
//                          checks/module_cycle.h]}}...],
//    "maintainability": {"score", "components": [...]}}
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/change_metrics.h"
#include "analysis/checkpatch.h"
#include "analysis/maintainability_score.h"
#include "analysis/module_build.h"
#include "base/process.h"
#include "base/status.h"
#include "config/model.h"
#include "store/records.h"

namespace kgate {

// What loading one kernel's build of the module in a guest gave. The
// analysis library only carries it: kgate analyze --load fills it through
// AnalyzeOptions::load_module with checks/module_cycle.h, which boots
// kernels and so sits above this library.
struct ModuleLoadCheck {
  bool ran = false;
  std::string reason;                   // why not, when !ran
  std::vector<FindingRecord> findings;  // module-load-failed, -unload-failed, -slab-leak, ...
  std::vector<std::string> summaries;   // one line per .ko
  nlohmann::ordered_json cycles = nlohmann::ordered_json::array();  // one object per .ko
};
using ModuleLoader = std::function<ModuleLoadCheck(const ModuleBuild& build)>;

struct AnalyzeOptions {
  std::string cache_dir;             // checkpatch and MAINTAINERS cache; "": CacheDir()
  ProcessRunner* runner = nullptr;   // null: DefaultProcessRunner()
  bool run_checkpatch = true;        // false: recorded as not run, with that reason
  bool build_modules = true;         // false: recorded as not run, with that reason
  std::vector<std::string> kernels;  // --kernel refs, built against besides kDefaultBuildKernels
  // Headers already at hand, by ref (a kernel kgate built, for its arm's
  // "build:<arm>" ref); other refs are fetched as Debian headers.
  std::map<std::string, KernelHeaders> headers_of_ref;
  ModuleLoader load_module;          // called for each ok build; null: loads not run
};

struct Analysis {
  std::string input;
  std::string kind;  // patch | module
  std::vector<FindingRecord> findings;  // kgate rules first (catalogue order), then checkpatch
  ChangeMetrics metrics;
  CheckpatchResult checkpatch;  // its findings are moved into findings
  std::string checkpatch_package;
  MaintainabilityScore score;
  std::vector<ModuleBuild> builds;  // one per kernel (module inputs only)
  std::vector<ModuleLoadCheck> loads;  // one per build
  std::string build_reason;         // why nothing was built; "" when builds ran
};

// Analyses input. With options.load_module, each ok build is loaded too and
// its findings join the build's (and count in the score). BadInput (with file:line) for a missing path, a file that
// is not a diff, or a directory without module source. A module directory
// is built against kDefaultBuildKernels plus options.kernels (module-build-*
// findings; a build that cannot run is recorded, not an error). Checkpatch and the
// MAINTAINERS map are best effort: when they cannot be had, Analysis says so
// (checkpatch.ran false with a reason; metrics.subsystems_known false) and
// the call still succeeds.
Result<Analysis> Analyze(const std::string& input, const AnalyzeOptions& options);

nlohmann::ordered_json AnalysisToJson(const Analysis& analysis, const std::string& kgate_version);

// BadInput naming the policy file and suggesting the closest rule when the
// policy's forbid: names a rule id kgate does not know.
Status CheckForbidList(const Policy& policy);

// The distinct rule ids of findings that the policy forbids, in finding order.
std::vector<std::string> ForbiddenRulesFired(const Analysis& analysis, const Policy& policy);

}  // namespace kgate
