// Bisection of a regression over a kernel history — `kgate bisect`.
//
// The commits are those after the good ref up to and including the bad ref,
// oldest first (git rev-list --first-parent --reverse good..bad): index
// count-1 is the bad ref, and the good ref sits before index 0. Each step
// builds one commit and runs the proposal with it as the candidate and the
// good ref as the baseline; the stored judgement says what the commit is:
//
//   bad    the tracked comparison regressed (with --metric), or the
//          verdict is FAIL (without);
//   good   it is equivalent or improved (with --metric), or PASS;
//   skip   anything else after the run's adaptive rounds (inconclusive),
//          or a commit that does not build. As with `git bisect skip`, a
//          neighbour is tried instead; when only skipped commits are left
//          between the last good and the first bad, the answer is the
//          range, not one commit.
//
// The search itself (Bisect) is pure: the steps come from a probe, so the
// order of steps and the handling of skips are tested without kernels.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/records.h"

namespace kgate {

enum class StepResult { kGood, kBad, kSkip };
const char* StepResultName(StepResult result);  // "good" | "bad" | "skip"

struct BisectStep {
  int index = 0;            // into the commits
  StepResult result = StepResult::kSkip;
  std::int64_t run_id = 0;  // the stored run that judged it; 0 when nothing ran
  std::string why;          // "FAIL: microbench/getpid_ns regressed x2.739 [2.739, 2.740]"
};

struct BisectOutcome {
  std::vector<BisectStep> steps;  // in the order they ran
  // The first bad commit's index when it is known. Otherwise the indices
  // it is among (commits skipped between the last good and the first bad,
  // and that bad one).
  std::optional<int> first_bad;
  std::vector<int> candidates;
};

// Probes the commit at index; an error stops the bisection (the run could
// not be carried out at all: bad input, infrastructure, interrupted).
using BisectProbe = std::function<Result<BisectStep>(int index)>;

// Binary search over count commits (count >= 1) whose last one is bad.
// Each step probes the unprobed commit nearest the middle of the open
// range; a skipped commit is never probed again.
Result<BisectOutcome> Bisect(int count, const BisectProbe& probe);

// How many steps a clean bisection of count commits takes: ceil(log2(count)).
int ExpectedBisectSteps(int count);

// What the target of a bisection is: one comparison (scenario/metric,
// against the baseline, any shape), or the verdict when metric is empty.
struct BisectTarget {
  std::string scenario;
  std::string metric;
  bool by_verdict() const { return metric.empty(); }
};

// "microbench/getpid_ns" -> {microbench, getpid_ns}; "" -> the verdict.
// BadInput for anything else.
Result<BisectTarget> ParseBisectTarget(const std::string& text);

// A step's result from its stored judgement. A tracked metric missing from
// the comparisons is a skip that says so.
BisectStep JudgeStep(const BisectTarget& target, const VerdictRecord& verdict,
                     const std::vector<ComparisonRecord>& comparisons);

}  // namespace kgate
