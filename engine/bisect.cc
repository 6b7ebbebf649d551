#include "engine/bisect.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include <fmt/format.h>

namespace kgate {

const char* StepResultName(StepResult result) {
  switch (result) {
    case StepResult::kGood: return "good";
    case StepResult::kBad: return "bad";
    case StepResult::kSkip: return "skip";
  }
  return "skip";
}

Result<BisectOutcome> Bisect(int count, const BisectProbe& probe) {
  if (count < 1) return Status::BadInput("nothing to bisect: no commits after the good ref up to the bad one");
  BisectOutcome outcome;
  int good = -1, bad = count - 1;
  std::set<int> skipped;
  for (;;) {
    int middle = good + (bad - good) / 2;
    int pick = -1;
    for (int i = good + 1; i < bad; ++i) {
      if (skipped.count(i)) continue;
      if (pick < 0 || std::abs(i - middle) < std::abs(pick - middle)) pick = i;
    }
    if (pick < 0) break;
    KG_ASSIGN_OR_RETURN(BisectStep step, probe(pick));
    step.index = pick;
    switch (step.result) {
      case StepResult::kGood: good = pick; break;
      case StepResult::kBad: bad = pick; break;
      case StepResult::kSkip: skipped.insert(pick); break;
    }
    outcome.steps.push_back(std::move(step));
  }
  for (int i : skipped) {
    if (i > good && i < bad) outcome.candidates.push_back(i);
  }
  if (outcome.candidates.empty()) outcome.first_bad = bad;
  outcome.candidates.push_back(bad);
  return outcome;
}

int ExpectedBisectSteps(int count) {
  int steps = 0;
  for (int span = 1; span < count; span *= 2) ++steps;
  return steps;
}

Result<BisectTarget> ParseBisectTarget(const std::string& text) {
  if (text.empty()) return BisectTarget{};
  std::size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size() ||
      text.find('/', slash + 1) != std::string::npos) {
    return Status::BadInput(fmt::format(
        "--metric '{}': expected SCENARIO/METRIC, e.g. microbench/getpid_ns", text));
  }
  return BisectTarget{text.substr(0, slash), text.substr(slash + 1)};
}

namespace {

std::string Describe(const ComparisonRecord& c) {
  return fmt::format("{}/{} {} x{:.4g} [{:.4g}, {:.4g}]", c.scenario, c.metric,
                     ClassificationName(c.classification), c.effect, c.ci_low, c.ci_high);
}

}  // namespace

BisectStep JudgeStep(const BisectTarget& target, const VerdictRecord& verdict,
                     const std::vector<ComparisonRecord>& comparisons) {
  BisectStep step;
  step.run_id = verdict.run_id;
  std::string verdict_name = VerdictName(verdict.verdict);
  if (target.by_verdict()) {
    step.result = verdict.verdict == Verdict::kFail   ? StepResult::kBad
                  : verdict.verdict == Verdict::kPass ? StepResult::kGood
                                                      : StepResult::kSkip;
    // The comparisons that made a FAIL, for the step's line.
    std::vector<std::string> regressed;
    for (const ComparisonRecord& c : comparisons) {
      if (c.vs == "baseline" && c.decides && c.classification == Classification::kRegressed) {
        regressed.push_back(Describe(c));
      }
    }
    step.why = verdict_name;
    if (!regressed.empty()) step.why += ": " + regressed.front();
    if (regressed.size() > 1) step.why += fmt::format(" and {} more", regressed.size() - 1);
    return step;
  }
  // The worst shape decides: any regression is bad; good needs every shape
  // equivalent or improved.
  int found = 0, regressed = 0, settled = 0;
  const ComparisonRecord* shown = nullptr;
  for (const ComparisonRecord& c : comparisons) {
    if (c.vs != "baseline" || c.scenario != target.scenario || c.metric != target.metric) continue;
    ++found;
    if (!shown) shown = &c;
    if (c.classification == Classification::kRegressed) {
      ++regressed;
      shown = &c;
    } else if (c.classification == Classification::kEquivalent ||
               c.classification == Classification::kImproved) {
      ++settled;
    }
  }
  if (found == 0) {
    step.result = StepResult::kSkip;
    step.why = fmt::format("{}: no comparison of {}/{} was judged", verdict_name, target.scenario,
                           target.metric);
    return step;
  }
  step.result = regressed > 0 ? StepResult::kBad : settled == found ? StepResult::kGood : StepResult::kSkip;
  step.why = fmt::format("{}: {}", verdict_name, Describe(*shown));
  return step;
}

}  // namespace kgate
