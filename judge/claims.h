// Claims: a paper's sentence checked against the run's comparisons.
//
// A claim names a scenario, a metric, a reference (baseline, or the best
// tuned arm) and an expected ratio candidate / reference with an operator
// (">= 2.3x", "+15%", "<= -20%"). It is checked on the comparison of that
// scenario x metric against that reference, on the proposal's first shape
// that has one, and becomes:
//   reproduced       significant in the claimed direction and the interval
//                    reaches the claimed ratio (contains it or lies beyond);
//   partially        significant in the claimed direction, but the whole
//                    interval falls short of the claimed ratio;
//   contradicted     significant the other way;
//   not-reproduced   neither: equivalent or inconclusive;
//   not-checkable    the metric does not decide at this tier (a time claim
//                    on tcg), or there is no data.
// A bound ("<= 1.05x": at most 5 % slower; ">= 0.95x") is reproduced when
// the whole interval lies within it, contradicted when the whole interval
// lies past it, else not reproduced.
#pragma once

#include <vector>

#include "config/model.h"
#include "judge/comparison.h"
#include "judge/judge.h"

namespace kgate {

std::vector<ClaimResult> CheckClaims(const Proposal& proposal,
                                     const std::vector<Comparison>& comparisons, double alpha);

}  // namespace kgate
