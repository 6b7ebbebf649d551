#include "engine/bisect.h"

#include <set>

#include <catch2/catch.hpp>

namespace kgate {
namespace {

// A history whose commits from first_bad on are bad; the ones in skips do
// not build. Records the order of the probes.
struct History {
  int first_bad = 0;
  std::set<int> skips{};
  std::vector<int> probed{};
  BisectProbe Probe() {
    return [this](int i) -> Result<BisectStep> {
      probed.push_back(i);
      BisectStep step;
      step.result = skips.count(i) ? StepResult::kSkip : i >= first_bad ? StepResult::kBad : StepResult::kGood;
      return step;
    };
  }
};

}  // namespace

TEST_CASE("bisect finds every possible first bad commit in ceil(log2 n) steps", "[bisect]") {
  for (int count = 1; count <= 17; ++count) {
    for (int first_bad = 0; first_bad < count; ++first_bad) {
      History h{first_bad};
      Result<BisectOutcome> outcome = Bisect(count, h.Probe());
      REQUIRE(outcome.ok());
      REQUIRE(outcome->first_bad.has_value());
      CHECK(*outcome->first_bad == first_bad);
      CHECK(static_cast<int>(outcome->steps.size()) <= ExpectedBisectSteps(count));
      CHECK(outcome->candidates == std::vector<int>{first_bad});
    }
  }
}

TEST_CASE("bisect of one commit needs no step: the bad ref is the first bad commit", "[bisect]") {
  History h{0};
  Result<BisectOutcome> outcome = Bisect(1, h.Probe());
  REQUIRE(outcome.ok());
  CHECK(outcome->steps.empty());
  CHECK(outcome->first_bad == 0);
  CHECK(ExpectedBisectSteps(1) == 0);
  CHECK(ExpectedBisectSteps(5) == 3);
  CHECK(ExpectedBisectSteps(8) == 3);
}

TEST_CASE("bisect probes the middle first and steps around a commit that does not build", "[bisect]") {
  History h{4, {2}};
  Result<BisectOutcome> outcome = Bisect(6, h.Probe());
  REQUIRE(outcome.ok());
  // 0..5 with 5 bad: the middle of (-1, 5) is 2, which is skipped; its
  // nearer neighbour 1 is good, then 3 (2 is never tried again) is good
  // and 4 is bad.
  CHECK(h.probed == std::vector<int>{2, 1, 3, 4});
  CHECK(outcome->first_bad == 4);
  REQUIRE(outcome->steps.size() == 4);
  CHECK(outcome->steps[0].index == 2);
  CHECK(outcome->steps[0].result == StepResult::kSkip);
}

TEST_CASE("skips next to the first bad commit leave a range, not a guess", "[bisect]") {
  History h{3, {1, 2}};
  Result<BisectOutcome> outcome = Bisect(4, h.Probe());
  REQUIRE(outcome.ok());
  CHECK_FALSE(outcome->first_bad.has_value());
  // 0 is good; 1 and 2 cannot be judged; 3 is the bad ref.
  CHECK(outcome->candidates == std::vector<int>{1, 2, 3});
}

TEST_CASE("a probe that cannot run stops the bisection with its error", "[bisect]") {
  Result<BisectOutcome> outcome = Bisect(4, [](int) -> Result<BisectStep> {
    return Status::Infrastructure("the store is unwritable");
  });
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().message() == "the store is unwritable");
  CHECK_FALSE(Bisect(0, [](int) -> Result<BisectStep> { return BisectStep{}; }).ok());
}

TEST_CASE("a bisect target is SCENARIO/METRIC or the verdict", "[bisect]") {
  Result<BisectTarget> metric = ParseBisectTarget("microbench/getpid_ns");
  REQUIRE(metric.ok());
  CHECK(metric->scenario == "microbench");
  CHECK(metric->metric == "getpid_ns");
  CHECK(ParseBisectTarget("")->by_verdict());
  for (const char* bad : {"getpid_ns", "/getpid_ns", "microbench/", "a/b/c"}) {
    Result<BisectTarget> t = ParseBisectTarget(bad);
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().message().find("SCENARIO/METRIC") != std::string::npos);
  }
}

namespace {

ComparisonRecord Compared(const std::string& scenario, const std::string& metric, const std::string& shape,
                          Classification c, double effect) {
  ComparisonRecord r;
  r.scenario = scenario;
  r.metric = metric;
  r.shape = shape;
  r.classification = c;
  r.effect = effect;
  r.ci_low = effect * 0.99;
  r.ci_high = effect * 1.01;
  return r;
}

}  // namespace

TEST_CASE("a step is judged by its tracked metric on every shape, or by the verdict", "[bisect]") {
  VerdictRecord fail;
  fail.run_id = 7;
  fail.verdict = Verdict::kFail;
  std::vector<ComparisonRecord> cs = {
      Compared("microbench", "getpid_ns", "1cpu-512M", Classification::kRegressed, 2.739),
      Compared("microbench", "page_fault_ns", "1cpu-512M", Classification::kEquivalent, 1.0),
      Compared("microbench", "getpid_ns", "2cpu-1G", Classification::kEquivalent, 1.0)};

  BisectStep by_verdict = JudgeStep(BisectTarget{}, fail, cs);
  CHECK(by_verdict.result == StepResult::kBad);
  CHECK(by_verdict.run_id == 7);
  CHECK(by_verdict.why == "FAIL: microbench/getpid_ns regressed x2.739 [2.712, 2.766]");

  BisectTarget getpid{"microbench", "getpid_ns"};
  CHECK(JudgeStep(getpid, fail, cs).result == StepResult::kBad);  // one shape regressed is enough
  BisectTarget fault{"microbench", "page_fault_ns"};
  BisectStep good = JudgeStep(fault, fail, cs);
  CHECK(good.result == StepResult::kGood);  // the verdict does not matter here
  CHECK(good.why == "FAIL: microbench/page_fault_ns equivalent x1 [0.99, 1.01]");

  cs[0].classification = Classification::kInconclusive;
  CHECK(JudgeStep(getpid, fail, cs).result == StepResult::kSkip);

  BisectStep missing = JudgeStep(BisectTarget{"fio-randread", "iops"}, fail, cs);
  CHECK(missing.result == StepResult::kSkip);
  CHECK(missing.why == "FAIL: no comparison of fio-randread/iops was judged");

  VerdictRecord open;
  open.verdict = Verdict::kInconclusive;
  CHECK(JudgeStep(BisectTarget{}, open, {}).result == StepResult::kSkip);
  VerdictRecord pass;
  pass.verdict = Verdict::kPass;
  CHECK(JudgeStep(BisectTarget{}, pass, {}).result == StepResult::kGood);
}

}  // namespace kgate
