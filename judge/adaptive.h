// Adaptive sampling: when the judge looks, and at what alpha.
//
// A run starts with runs.min rounds and may grow to runs.max. Looking at the
// data after every round and stopping at the first significant result would
// inflate the false-positive rate well past alpha (with ten looks, roughly
// threefold). kgate looks a fixed, small number of times, K = policy.looks
// (default 3), at rounds spread evenly from runs.min to runs.max, and spends
// alpha / K at each look (a Bonferroni split of alpha over the looks: the
// chance of any false positive across all K looks is at most K * alpha/K,
// whatever the correlation between looks). Each look's confidence
// intervals use the same level, 1 - alpha/K, so "equivalent" is as strict
// as "significant". adaptive_test.cc measures both by simulation: the split
// holds the A/A false-positive rate under alpha, naive repeated looks do not.
//
// A run stops at the first look where the judgement is final
// (Judgement::Final: every deciding comparison classified, or one the rounds
// left could not classify, or a FAIL that more trials cannot undo), else at
// runs.max.
#pragma once

#include <vector>

namespace kgate {

// The rounds after which the judge looks: min_rounds first, max_rounds last,
// at most `looks` of them, ascending and distinct. max_rounds < min_rounds
// is treated as equal. One look is a fixed sample: {min_rounds}.
std::vector<int> LookRounds(int min_rounds, int max_rounds, int looks);

// The alpha each of `looks` looks spends.
double AlphaPerLook(double alpha, int looks);

}  // namespace kgate
