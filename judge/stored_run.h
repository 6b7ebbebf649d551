// Between the judge and the store: a stored run becomes a JudgeInput, and a
// Judgement becomes the run's stored comparisons, verdict and claims.
//
// The proposal is re-read from the text stored with the run (not from the
// file, which may have changed since), without requiring the files its arms
// named to still exist; scenarios and policies come from the current tree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/load_options.h"
#include "judge/judge.h"
#include "store/store.h"

namespace kgate {

// policy: a name under policies/ or a path; "" = the proposal's. NotFound
// for an unknown run; BadInput when its stored proposal or the policy does
// not load.
Result<JudgeInput> LoadJudgeInput(Store& store, std::int64_t run_id, const std::string& policy,
                                  const LoadOptions& options = LoadOptions::Default());

ComparisonRecord ToRecord(std::int64_t run_id, const Comparison& c);
VerdictRecord ToVerdictRecord(std::int64_t run_id, const Judgement& j);
ClaimRecord ToRecord(std::int64_t run_id, const ClaimResult& c);

// Replaces the run's judgement in the store (one transaction).
Status SaveJudgement(Store& store, std::int64_t run_id, const Judgement& j);

}  // namespace kgate
