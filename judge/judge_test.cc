// Judge() on synthetic runs built in code: every test states an effect it
// planted and checks that the comparisons and verdict see it. The gate's
// safety rules, claims and scores have their own files beside this one.
#include "judge/judge.h"

#include <catch2/catch.hpp>

#include "judge/adaptive.h"
#include "judge/testing/judge_fixtures.h"

namespace kgate {
using namespace judge_testing;

// --- classification and verdict ----------------------------------------

TEST_CASE("identical deterministic arms are equivalent on every metric and PASS", "[judge]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Time(), Insns()});
  b.AddScenario("fio-randread", {Ops()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddPair("fio-randread", 5, {}, 0.001);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  REQUIRE(j.comparisons.size() == 3);
  for (const Comparison& c : j.comparisons) {
    CHECK(c.decides);
    CHECK(c.classification == Classification::kEquivalent);
    CHECK(c.arm_values.size() == 5);
    CHECK(c.reference_values.size() == 5);
    CHECK(c.ci.low >= 0.98);
    CHECK(c.ci.high <= 1.02);
  }
  CHECK(j.verdict == Verdict::kPass);
  CHECK(j.Settled());
  CHECK(j.Final());
  CHECK(j.rounds == 5);
  CHECK(ReasonsOf(j, "target-gain").empty());  // no targets, no target rule
}

TEST_CASE("a guard 10% slower with 1% noise over 8 rounds is a regression and FAILs", "[judge]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Time()});
  b.AddPair("hackbench-pipe", 8, {{"time", 1.10}}, 0.01);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  const Comparison& c = Find(j, "hackbench-pipe", "time");
  CHECK(c.classification == Classification::kRegressed);
  CHECK(c.effect == Approx(1.10).margin(0.02));
  CHECK(c.Gain() == Approx(-0.10).margin(0.02));
  CHECK(c.ci.low > 1.02);
  CHECK(c.q_value <= 0.05);
  CHECK(c.Label() == "hackbench-pipe/time/1cpu-512M vs baseline");
  CHECK(j.verdict == Verdict::kFail);
  bool named = false;
  for (const Reason& r : ReasonsOf(j, "regression")) {
    named = named || (r.outcome == Outcome::kFail && r.comparison == c.Label());
  }
  CHECK(named);
  CHECK(j.Final());  // a FAIL more trials cannot undo
}

TEST_CASE("a shift smaller than the margin is equivalent, not a regression", "[judge]") {
  // 1.5% slower with 0.1% noise: significant, but the whole interval lies
  // inside the 2% margin, so it is equivalent and PASSes.
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Time()});
  b.AddPair("hackbench-pipe", 8, {{"time", 1.015}}, 0.001);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  const Comparison& c = Find(j, "hackbench-pipe", "time");
  CHECK(c.q_value <= 0.05);
  CHECK(c.classification == Classification::kEquivalent);
  CHECK(j.verdict == Verdict::kPass);
}

TEST_CASE("a significant regression within max_guard_regression is shown but does not FAIL",
          "[judge]") {
  // 1.8% slower with 1% noise: the interval excludes 1 and pokes past the
  // margin (regressed), but the effect is within the 2% limit.
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Time()});
  b.AddPair("hackbench-pipe", 8, {{"time", 1.018}}, 0.01);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  const Comparison& c = Find(j, "hackbench-pipe", "time");
  REQUIRE(c.classification == Classification::kRegressed);
  CHECK(-c.Gain() <= 0.02);
  CHECK(HasReason(j, "regression", Outcome::kPass));
  CHECK_FALSE(HasReason(j, "regression", Outcome::kFail));
  CHECK(j.verdict == Verdict::kPass);
}

TEST_CASE("a target 10% faster is improved and the target-gain rule lets it PASS", "[judge]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("db-readrandom", 8, {{"time", 0.90}}, 0.01);
  b.AddPair("hackbench-pipe", 8, {}, 0.001);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  const Comparison& c = Find(j, "db-readrandom", "time");
  CHECK(c.target);
  CHECK(c.classification == Classification::kImproved);
  CHECK(c.Gain() == Approx(0.10).margin(0.02));
  REQUIRE(ReasonsOf(j, "target-gain").size() == 1);
  CHECK(ReasonsOf(j, "target-gain")[0].outcome == Outcome::kPass);
  CHECK(ReasonsOf(j, "target-gain")[0].comparison == c.Label());
  CHECK(j.verdict == Verdict::kPass);
}

TEST_CASE("targets that do not improve FAIL the target-gain rule", "[judge]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
  b.AddPair("db-readrandom", 8, {}, 0.001);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(Find(j, "db-readrandom", "time").classification == Classification::kEquivalent);
  CHECK(HasReason(j, "target-gain", Outcome::kFail));
  CHECK(j.verdict == Verdict::kFail);
}

TEST_CASE("a target too noisy to tell (CV 30%, 5 rounds) is INCONCLUSIVE", "[judge]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
  b.AddPair("db-readrandom", 5, {}, 0.30);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(Find(j, "db-readrandom", "time").classification == Classification::kInconclusive);
  CHECK(HasReason(j, "target-gain", Outcome::kInconclusive));
  CHECK(HasReason(j, "unresolved", Outcome::kInconclusive));
  CHECK(j.verdict == Verdict::kInconclusive);
  CHECK_FALSE(j.Settled());
  CHECK_FALSE(j.Final());
}

TEST_CASE("sampling does not wait for a secondary metric the rounds left could not classify",
          "[judge][adaptive]") {
  // A/A: time is tight, the context-switch count scatters by 8 % a trial.
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Time(), Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001, {{"insns", 0.08}});
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  const Comparison& ctxt = Find(j, "hackbench-pipe", "insns");
  CHECK(ctxt.decides);
  CHECK(ctxt.classification == Classification::kInconclusive);
  CHECK(ctxt.futile);
  CHECK(j.Open() == 0);
  CHECK(j.Settled());
  CHECK(j.verdict == Verdict::kPass);

  SECTION("a cost that is showing keeps the run going") {
    RunBuilder c;
    c.AddScenario("hackbench-pipe", {Time(), Insns()});
    c.AddPair("hackbench-pipe", 5, {{"insns", 1.12}}, 0.001, {{"insns", 0.08}});
    Judgement k = Judge(c.in());
    INFO(Dump(k));
    const Comparison& cost = Find(k, "hackbench-pipe", "insns");
    REQUIRE(cost.classification == Classification::kInconclusive);
    CHECK_FALSE(cost.futile);
    CHECK(k.Open() == 1);
    CHECK_FALSE(k.Final());
  }
  SECTION("at runs.max there are no rounds left to wait for") {
    JudgeOptions at_max;
    at_max.rounds = 5;
    b.in().proposal.runs = {5, 5};
    Judgement last = Judge(b.in(), at_max);
    CHECK_FALSE(Find(last, "hackbench-pipe", "insns").futile);
    CHECK(last.Open() == 1);
  }
  SECTION("the primary comparison is always waited for") {
    RunBuilder n;
    n.AddScenario("hackbench-pipe", {Time()});
    n.AddPair("hackbench-pipe", 5, {}, 0.08);
    Judgement k = Judge(n.in());
    CHECK_FALSE(Find(k, "hackbench-pipe", "time").futile);
    CHECK_FALSE(k.Settled());
  }
}

TEST_CASE("Futile projects the interval to the rounds left about the effect seen",
          "[judge][adaptive]") {
  Comparison c;
  c.arm_values = c.reference_values = {1, 1, 1, 1, 1};
  c.median_reference = 1;
  c.classification = Classification::kInconclusive;
  c.effect = 1.0;
  c.ci = {0.85, 1.15};  // 10 more a side (15): about [0.91, 1.09]
  CHECK(Futile(c, 0.02, 10));
  CHECK_FALSE(Futile(c, 0.10, 10));  // a wider margin could hold it
  c.ci = {0.97, 1.03};  // about [0.983, 1.017]: could become equivalent
  CHECK_FALSE(Futile(c, 0.02, 10));
  c.effect = 1.10;
  c.ci = {0.98, 1.25};  // about [1.03, 1.18]: could become significant
  CHECK_FALSE(Futile(c, 0.02, 10));
  c.ci = {0.85, 1.15};
  c.effect = 1.0;
  c.classification = Classification::kEquivalent;  // nothing to wait for
  CHECK_FALSE(Futile(c, 0.02, 10));
  c.classification = Classification::kInconclusive;
  c.reference_values = {1};  // too few values to project
  CHECK_FALSE(Futile(c, 0.02, 10));
}

TEST_CASE("a higher-is-better rate that drops is regressed, one that rises improved",
          "[judge]") {
  RunBuilder b;
  b.AddScenario("fio-randread", {Ops()});
  b.AddScenario("fio-seqread", {Ops()});
  b.AddPair("fio-randread", 8, {{"ops", 0.90}}, 0.01);
  b.AddPair("fio-seqread", 8, {{"ops", 1.10}}, 0.01);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  const Comparison& down = Find(j, "fio-randread", "ops");
  const Comparison& up = Find(j, "fio-seqread", "ops");
  CHECK(down.effect < 1);
  CHECK(down.classification == Classification::kRegressed);
  CHECK(down.Gain() == Approx(-0.10).margin(0.02));
  CHECK(up.effect > 1);
  CHECK(up.classification == Classification::kImproved);
  CHECK(up.Gain() == Approx(0.10).margin(0.02));
  CHECK(j.verdict == Verdict::kFail);  // the drop is a guard regression
  bool names_drop = false;
  for (const Reason& r : ReasonsOf(j, "regression")) {
    names_drop = names_drop || (r.outcome == Outcome::kFail && r.comparison == down.Label());
    CHECK(r.comparison != up.Label());
  }
  CHECK(names_drop);
}

// --- fidelity: what decides at a tier -------------------------------------

TEST_CASE("at tier tcg a time metric is low-fidelity and does not decide, even 50% worse",
          "[judge][tier]") {
  RunBuilder b("tcg");
  b.AddScenario("hackbench-pipe", {Time(), Insns()});
  b.AddPair("hackbench-pipe", 8, {{"time", 1.50}}, 0.01);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  const Comparison& time = Find(j, "hackbench-pipe", "time");
  CHECK_FALSE(time.decides);
  CHECK_THAT(time.note, Catch::Contains("low-fidelity"));
  CHECK(time.classification == Classification::kRegressed);  // shown as measured
  const Comparison& insns = Find(j, "hackbench-pipe", "insns");
  CHECK(insns.decides);
  CHECK(insns.classification == Classification::kEquivalent);
  CHECK(j.verdict == Verdict::kPass);
  CHECK_FALSE(HasReason(j, "regression", Outcome::kFail));
}

TEST_CASE("at tier tcg with only time metrics nothing decides: INCONCLUSIVE", "[judge][tier]") {
  RunBuilder b("tcg");
  b.AddScenario("hackbench-pipe", {Time()});
  b.AddPair("hackbench-pipe", 8, {{"time", 1.50}}, 0.01);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK_FALSE(Find(j, "hackbench-pipe", "time").decides);
  CHECK(j.verdict == Verdict::kInconclusive);
  CHECK(HasReason(j, "nothing-decides", Outcome::kInconclusive));
  CHECK_FALSE(HasReason(j, "regression", Outcome::kFail));
}

TEST_CASE("a scenario whose measured CV exceeds max_cv has its time metrics not decide",
          "[judge][tier]") {
  RunBuilder b;
  ScenarioSpec& s = b.AddScenario("stress-ng-vm", {Time(), Insns()});
  s.determinism.cv_by_tier["icount"] = 0.5;
  // Time 10% worse (would FAIL if it decided); instructions 10% worse too.
  b.AddPair("stress-ng-vm", 8, {{"time", 1.10}, {"insns", 1.10}}, 0.01);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  const Comparison& time = Find(j, "stress-ng-vm", "time");
  const Comparison& insns = Find(j, "stress-ng-vm", "insns");
  CHECK_FALSE(time.decides);
  CHECK_THAT(time.note, Catch::Contains("max_cv"));
  CHECK(insns.decides);
  CHECK(insns.classification == Classification::kRegressed);
  CHECK(j.verdict == Verdict::kFail);
  REQUIRE(HasReason(j, "regression", Outcome::kFail));
  // The time regression is said (warn), but no FAIL rests on it.
  for (const Reason& r : ReasonsOf(j, "regression")) {
    if (r.comparison == time.Label()) CHECK(r.outcome == Outcome::kWarn);
  }
  CHECK(HasReason(j, "regression", Outcome::kWarn));

  SECTION("the same scenario on another tier without a measured CV decides on time") {
    std::string why;
    CHECK_FALSE(MetricDecides(s, Time(), b.in().policy, "icount", &why));
    s.determinism.cv_by_tier["icount"] = 0.05;  // at the limit: still decides
    CHECK(MetricDecides(s, Time(), b.in().policy, "icount", &why));
    CHECK(why.empty());
  }
}

TEST_CASE("a metric's own measured CV decides its fidelity, whatever its kind",
          "[judge][tier]") {
  RunBuilder b;
  MetricSpec ctxt = Insns();
  ctxt.cv_by_tier["icount"] = 0.11;  // hackbench's context switches
  MetricSpec time = Time();
  time.cv_by_tier["icount"] = 0.004;  // below the scenario's own figure
  ScenarioSpec& s = b.AddScenario("hackbench-pipe", {time, ctxt});
  s.determinism.cv_by_tier["icount"] = 0.5;  // would make time low-fidelity
  b.AddPair("hackbench-pipe", 8, {{"insns", 1.3}}, 0.01);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  const Comparison& c = Find(j, "hackbench-pipe", "insns");
  CHECK_FALSE(c.decides);
  CHECK_THAT(c.note, Catch::Contains("hackbench-pipe insns measured CV 11.0%"));
  CHECK(Find(j, "hackbench-pipe", "time").decides);
  CHECK_FALSE(HasReason(j, "regression", Outcome::kFail));  // the 30 % is shown, warned
  CHECK(HasReason(j, "regression", Outcome::kWarn));
  std::string why;
  CHECK(MetricDecides(s, ctxt, b.in().policy, "tcg", &why) ==
        MetricDecides(s, Insns(), b.in().policy, "tcg", &why));  // no figure at tcg
}

TEST_CASE("a metric declared 'decides: false' is compared and shown but never judged",
          "[judge][tier]") {
  RunBuilder b;
  MetricSpec requests = Insns();
  requests.decides = false;
  b.AddScenario("fio-seqread", {Time(), requests});
  // Twice the requests in the same time: fewer, smaller ones or more work.
  b.AddPair("fio-seqread", 8, {{"time", 1.0}, {"insns", 2.0}}, 0.01);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  const Comparison& r = Find(j, "fio-seqread", "insns");
  CHECK_FALSE(r.decides);
  CHECK_THAT(r.note, Catch::Contains("recorded only"));
  CHECK(r.classification == Classification::kRegressed);  // shown as measured
  CHECK_FALSE(HasReason(j, "regression", Outcome::kFail));
  CHECK(j.verdict == Verdict::kPass);
  ScenarioSpec only;
  only.name = "x";
  only.metrics = {requests, Time()};
  CHECK(PrimaryMetric(only, TestPolicy(), "icount").name == "time");
}

TEST_CASE("the primary metric is the first that decides at the tier", "[judge][tier]") {
  ScenarioSpec s;
  s.name = "x";
  s.metrics = {Time(), Insns()};
  Policy p = TestPolicy();
  CHECK(PrimaryMetric(s, p, "icount").name == "time");
  CHECK(PrimaryMetric(s, p, "tcg").name == "insns");
  CHECK(PrimaryMetric(s, p, "kvm").name == "time");  // none decides: the first
}

// --- looks ----------------------------------------------------------------

TEST_CASE("JudgeOptions.rounds judges only the rounds before it", "[judge]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Time()});
  b.AddPair("hackbench-pipe", 8, {}, 0.001);
  // A candidate crash in round 5: outside a 3-round look.
  b.AddTrial("candidate", "hackbench-pipe", 5, {}, TrialStatus::kCrashed);
  JudgeOptions options;
  options.rounds = 3;
  Judgement j = Judge(b.in(), options);
  INFO(Dump(j));
  CHECK(j.rounds == 3);
  const Comparison& c = Find(j, "hackbench-pipe", "time");
  CHECK(c.arm_values.size() == 3);
  CHECK(c.reference_values.size() == 3);
  CHECK_FALSE(HasReason(j, "safety", Outcome::kFail));
  CHECK(j.verdict == Verdict::kPass);

  Judgement all = Judge(b.in());
  CHECK(all.rounds == 8);
  CHECK(Find(all, "hackbench-pipe", "time").arm_values.size() == 8);
  CHECK(all.verdict == Verdict::kFail);  // the crash is now judged
}

TEST_CASE("a look spends alpha / looks and widens its intervals to match", "[judge]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Time()});
  b.AddPair("hackbench-pipe", 8, {{"time", 1.10}}, 0.01);
  JudgeOptions one, three;
  three.looks = 3;
  Judgement j1 = Judge(b.in(), one), j3 = Judge(b.in(), three);
  CHECK(j1.alpha == Approx(0.05));
  CHECK(j3.alpha == Approx(0.05 / 3));
  const Comparison& c1 = Find(j1, "hackbench-pipe", "time");
  const Comparison& c3 = Find(j3, "hackbench-pipe", "time");
  CHECK(c1.ci_level == Approx(0.95));
  CHECK(c3.ci_level == Approx(1 - 0.05 / 3));
  CHECK(c3.ci.high - c3.ci.low >= c1.ci.high - c1.ci.low);
}

TEST_CASE("the same input and seed give the same judgement", "[judge]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Time()});
  b.AddPair("hackbench-pipe", 8, {{"time", 1.01}}, 0.02);
  Judgement a = Judge(b.in()), c = Judge(b.in());
  CHECK(Find(a, "hackbench-pipe", "time").ci.low == Find(c, "hackbench-pipe", "time").ci.low);
  CHECK(Find(a, "hackbench-pipe", "time").ci.high == Find(c, "hackbench-pipe", "time").ci.high);
  CHECK(a.verdict == c.verdict);
}

}  // namespace kgate
