// The maintainability score (0-100) of an analysed change, with its parts.
//
// 100 minus penalties, floored at 0 and rounded; each penalty is one
// component, stored and shown with the score (docs/analysis.md, "Score"):
//   rule:<id>     per kgate rule that fired n times: w * (1 + 0.5 * (min(n,5) - 1))
//                 with w = 15 for an error, 6 for a warning, 2 for a note
//   checkpatch    2 per ERROR, 1 per WARNING, 0.25 per CHECK; at most 20.
//                 When checkpatch did not run the component has penalty 0 and
//                 says why: the score then covers less, and says so
//   comments      with at least 20 added C lines and a comment density under
//                 10 %: 10 * (0.10 - density) / 0.10
//   complexity    (complexity - 10) per added function above 10; at most 15
//   subsystems    2 per most-specific MAINTAINERS section beyond the second
//                 touched (THE REST, the catch-all, not counted); at most 10
//   size          1 per 100 inserted lines beyond 400; at most 10
//   exports       1 per exported symbol added; at most 5
// More findings, or severer ones, never raise the score.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analysis/change_metrics.h"
#include "store/records.h"

namespace kgate {

struct ScoreComponent {
  std::string name;  // rule:<id>, checkpatch, comments, complexity, subsystems, size, exports
  double penalty = 0;
  std::string detail;
};

struct MaintainabilityScore {
  int score = 100;
  std::vector<ScoreComponent> components;  // every component, penalised or not
};

// checkpatch_ran false: checkpatch findings are absent, and why_not says why.
MaintainabilityScore ComputeMaintainabilityScore(const std::vector<FindingRecord>& findings,
                                                 const ChangeMetrics& metrics, bool checkpatch_ran,
                                                 const std::string& why_not);

// {"score": N, "components": [{"name", "penalty", "detail"}...]}: the shape
// judge/scores.h gives its other scores.
nlohmann::ordered_json MaintainabilityScoreJson(const MaintainabilityScore& score);

}  // namespace kgate
