// Scores: five 0-100 numbers a reviewer reads first, each stored with the
// components that made it (so a score is never a bare number).
//
//   benefit          targets. Half from the best significant target gain
//                    against the baseline, half from the best against the
//                    best tuned arm (against the baseline again when the
//                    proposal has no tuned arms); a 20 % gain earns a half's
//                    full 50. 0 when no target improved; null without targets.
//   overhead         guards against the baseline. 100 minus 10 points per 1 %
//                    of the worst significant slowdown (0 at 10 %). Shown
//                    beside it: the worst slowdown of any guard, the
//                    geometric-mean slowdown over the deciding guards with a
//                    bootstrap interval, and the boot-time change.
//   generality       the share of scenario x shape cells whose primary metric
//                    improved or is equivalent and where no metric regressed;
//                    the worst regression;
//                    and "wins only on its own benchmark" when every improved
//                    cell is a target and no guard cell improved.
//   safety           100 with no candidate crash, hang or splat; 50 when the
//                    candidate's console shows only warnings, taint or UBSAN
//                    reports; 0 after a crash, hang, oops, BUG, panic, KASAN,
//                    lockdep, soft lockup, hung task or RCU stall. The
//                    fault pass (checks/fault_pass.h) caps it: 0 when the
//                    candidate's fault-injection check failed, 50 when it
//                    passed but gained taint or a knob accepted garbage.
//   maintainability  null: filled by the patch and module analysis.
// Slowdown: the metric's worsening as a fraction, whichever its direction
// (time x1.05 -> 5 %; ops/s x0.95 -> 5 %).
#pragma once

#include <nlohmann/json.hpp>

#include "judge/judge.h"

namespace kgate {

nlohmann::ordered_json ComputeScores(const JudgeInput& in, const Judgement& j, int round_limit);

}  // namespace kgate
