// The gate: a policy's rules applied to a judgement, giving the verdict.
//
// Each rule adds Reasons (outcome fail, inconclusive, warn or pass) naming
// what decided it (warn: worth a reviewer's eye, decides nothing); the verdict is FAIL when any reason fails, else INCONCLUSIVE
// when any is inconclusive, else PASS. Rules, by id:
//   safety          a candidate trial crashed or hung, or its console showed a
//                   splat (oops, BUG, WARN, lockdep, hung task, RCU stall)
//                   or new taint (one the baseline does not show): fail.
//                   The same in the baseline is said beside it.
//   trials          a candidate trial failed where the baseline ran: fail;
//                   both failed, or an infrastructure error: inconclusive.
//   forbid          a finding whose rule the policy forbids: fail.
//   regression      a deciding comparison against the baseline regressed by
//                   more than max_guard_regression (point estimate): fail
//                   (targets too: a target's other metrics are guarded like
//                   any guard). A low-fidelity one that regressed: warn.
//   target-gain     (require_target_gain, with targets) some deciding target
//                   comparison improved against the baseline: pass; else
//                   inconclusive if one is inconclusive, else fail.
//   beat-tuned      (require_beat_tuned, with tuned arms and targets) some
//                   target comparison improved against the best tuned arm.
//   claims          (require_claims) every claim reproduced.
//   unresolved      (unless allow_inconclusive) a scenario's deciding
//                   primary comparison against the baseline stayed
//                   inconclusive: a regression was not ruled out. Secondary
//                   metrics fail on a significant regression but do not
//                   hold the verdict open.
//   nothing-decides no comparison decides at this tier: inconclusive.
#pragma once

#include "judge/judge.h"

namespace kgate {

// Sets j->verdict and j->reasons from the trials of rounds < round_limit.
void ApplyPolicy(const JudgeInput& in, int round_limit, Judgement* j);

}  // namespace kgate
