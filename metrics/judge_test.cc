// Judge() on synthetic runs built in code: every test states an effect it
// planted and checks that the comparisons, claims, scores and verdict see it.
#include "metrics/judge.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "metrics/adaptive.h"

namespace kgate {
namespace {

constexpr const char* kShape = "1cpu-512M";
constexpr double kLevel = 100;  // every metric's baseline level

MetricSpec Metric(const std::string& name, MetricKind kind, Direction better) {
  MetricSpec m;
  m.name = name;
  m.kind = kind;
  m.better = better;
  m.unit = kind == MetricKind::kRate ? "ops/s" : kind == MetricKind::kCount ? "insns" : "s";
  return m;
}
MetricSpec Time() { return Metric("time", MetricKind::kTime, Direction::kLowerIsBetter); }
MetricSpec Ops() { return Metric("ops", MetricKind::kRate, Direction::kHigherIsBetter); }
MetricSpec Insns() { return Metric("insns", MetricKind::kCount, Direction::kLowerIsBetter); }

// The policy of the brief: mainline-like, with fewer resamples than the
// default so the suite stays fast.
Policy TestPolicy() {
  Policy p;
  p.name = "test";
  p.margin = 0.02;
  p.alpha = 0.05;
  p.max_guard_regression = 0.02;
  p.max_cv = 0.05;
  p.looks = 3;
  p.resamples = 2000;
  p.trusted_kinds["icount"] = {MetricKind::kTime, MetricKind::kRate, MetricKind::kLatency,
                               MetricKind::kCount, MetricKind::kBytes};
  p.trusted_kinds["tcg"] = {MetricKind::kCount, MetricKind::kBytes};
  return p;
}

ClaimSpec Claim(const std::string& id, const std::string& scenario, const std::string& metric,
                const std::string& op, double ratio, const std::string& vs = "baseline") {
  ClaimSpec c;
  c.id = id;
  c.scenario = scenario;
  c.metric = metric;
  c.op = op;
  c.ratio = ratio;
  c.vs = vs;
  c.expect = op + " " + std::to_string(ratio) + "x";
  return c;
}

// Builds a JudgeInput: scenarios, arms, trials and their per-trial values.
// Values are kLevel * factor * (1 + cv * N(0, 1)) from a seeded generator,
// so every test is deterministic.
class RunBuilder {
 public:
  explicit RunBuilder(const std::string& tier = "icount", std::uint64_t seed = 1) : gen_(seed) {
    in_.tier = tier;
    in_.policy = TestPolicy();
    in_.proposal.name = "judge-test";
    in_.proposal.baseline.name = "baseline";
    in_.proposal.candidate.name = "candidate";
    in_.proposal.runs = {5, 15};
    in_.arms = {"baseline", "candidate"};
  }

  JudgeInput& in() { return in_; }

  ScenarioSpec& AddScenario(const std::string& name, std::vector<MetricSpec> metrics,
                            bool target = false) {
    ScenarioSpec s;
    s.name = name;
    s.metrics = std::move(metrics);
    in_.proposal.scenarios.push_back(name);
    if (target) in_.proposal.targets.push_back(name);
    return in_.scenarios[name] = s;
  }

  void AddArm(const std::string& arm) { in_.arms.push_back(arm); }

  // One trial; its values only when ok. Returns the trial id.
  std::int64_t AddTrial(const std::string& arm, const std::string& scenario, int round,
                        const std::map<std::string, double>& values,
                        TrialStatus status = TrialStatus::kOk) {
    TrialRecord t;
    t.id = next_id_++;
    t.run_id = 1;
    t.seq = next_seq_++;
    t.round = round;
    t.arm = arm;
    t.scenario = scenario;
    t.shape = kShape;
    t.tier = in_.tier;
    t.status = status;
    t.boot_seconds = 1;
    if (status != TrialStatus::kOk) t.message = "synthetic";
    in_.trials.push_back(t);
    if (status == TrialStatus::kOk) {
      in_.values.push_back({t.id, t.seq, t.round, t.arm, t.scenario, t.shape, values});
    }
    return t.id;
  }

  // Rounds [first, first + rounds) of `arm` on `scenario`: each of the
  // scenario's metrics at kLevel * factor (factors[metric], default 1) with
  // noise of coefficient of variation cv.
  void AddRounds(const std::string& arm, const std::string& scenario, int rounds,
                 const std::map<std::string, double>& factors, double cv, int first = 0) {
    for (int r = first; r < first + rounds; ++r) {
      std::map<std::string, double> values;
      for (const MetricSpec& m : in_.scenarios.at(scenario).metrics) {
        auto f = factors.find(m.name);
        values[m.name] = kLevel * (f == factors.end() ? 1.0 : f->second) * (1 + cv * Normal());
      }
      AddTrial(arm, scenario, r, values);
    }
  }

  // Baseline at 1, candidate at the factors, the same noise and rounds.
  void AddPair(const std::string& scenario, int rounds,
               const std::map<std::string, double>& candidate, double cv) {
    AddRounds("baseline", scenario, rounds, {}, cv);
    AddRounds("candidate", scenario, rounds, candidate, cv);
  }

  FindingRecord& AddFinding(std::int64_t trial_id, const std::string& rule) {
    FindingRecord f;
    f.run_id = 1;
    f.trial_id = trial_id;
    f.arm = "candidate";
    f.rule = rule;
    f.level = "error";
    f.message = "synthetic " + rule;
    in_.findings.push_back(f);
    return in_.findings.back();
  }

  // The first ok trial of `arm`.
  std::int64_t FirstTrialOf(const std::string& arm) const {
    for (const TrialRecord& t : in_.trials) {
      if (t.arm == arm && t.status == TrialStatus::kOk) return t.id;
    }
    return 0;
  }

 private:
  double Normal() {  // Box-Muller: the same draws on every standard library
    double u1 = ((gen_() >> 11) + 1) * 0x1.0p-53;
    double u2 = (gen_() >> 11) * 0x1.0p-53;
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
  }

  JudgeInput in_;
  std::mt19937_64 gen_;
  std::int64_t next_id_ = 1;
  int next_seq_ = 0;
};

const Comparison& Find(const Judgement& j, const std::string& scenario, const std::string& metric,
                       const std::string& reference = "baseline") {
  for (const Comparison& c : j.comparisons) {
    if (c.scenario == scenario && c.metric == metric && c.reference == reference) return c;
  }
  FAIL("no comparison " << scenario << "/" << metric << " vs " << reference);
  throw;  // unreachable
}

// The reasons of a rule, in order.
std::vector<Reason> ReasonsOf(const Judgement& j, const std::string& rule) {
  std::vector<Reason> out;
  for (const Reason& r : j.reasons) {
    if (r.rule == rule) out.push_back(r);
  }
  return out;
}

bool HasReason(const Judgement& j, const std::string& rule, const std::string& outcome) {
  for (const Reason& r : ReasonsOf(j, rule)) {
    if (r.outcome == outcome) return true;
  }
  return false;
}

std::string Dump(const Judgement& j) {
  std::string out = "verdict " + j.verdict + "\n";
  for (const Comparison& c : j.comparisons) {
    out += c.Label() + ": x" + std::to_string(c.effect) + " [" + std::to_string(c.ci.low) + ", " +
           std::to_string(c.ci.high) + "] q=" + std::to_string(c.q_value) + " " +
           ClassificationName(c.classification) + (c.decides ? "" : " (shown)") + "\n";
  }
  for (const Reason& r : j.reasons) out += r.rule + " " + r.outcome + ": " + r.message + "\n";
  return out;
}

const ClaimResult& ClaimById(const Judgement& j, const std::string& id) {
  for (const ClaimResult& c : j.claims) {
    if (c.spec.id == id) return c;
  }
  FAIL("no claim " << id);
  throw;
}

}  // namespace

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
  CHECK(j.verdict == "PASS");
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
  CHECK(j.verdict == "FAIL");
  bool named = false;
  for (const Reason& r : ReasonsOf(j, "regression")) {
    named = named || (r.outcome == "fail" && r.comparison == c.Label());
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
  CHECK(j.verdict == "PASS");
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
  CHECK(HasReason(j, "regression", "pass"));
  CHECK_FALSE(HasReason(j, "regression", "fail"));
  CHECK(j.verdict == "PASS");
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
  CHECK(ReasonsOf(j, "target-gain")[0].outcome == "pass");
  CHECK(ReasonsOf(j, "target-gain")[0].comparison == c.Label());
  CHECK(j.verdict == "PASS");
}

TEST_CASE("targets that do not improve FAIL the target-gain rule", "[judge]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
  b.AddPair("db-readrandom", 8, {}, 0.001);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(Find(j, "db-readrandom", "time").classification == Classification::kEquivalent);
  CHECK(HasReason(j, "target-gain", "fail"));
  CHECK(j.verdict == "FAIL");
}

TEST_CASE("a target too noisy to tell (CV 30%, 5 rounds) is INCONCLUSIVE", "[judge]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
  b.AddPair("db-readrandom", 5, {}, 0.30);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(Find(j, "db-readrandom", "time").classification == Classification::kInconclusive);
  CHECK(HasReason(j, "target-gain", "inconclusive"));
  CHECK(HasReason(j, "unresolved", "inconclusive"));
  CHECK(j.verdict == "INCONCLUSIVE");
  CHECK_FALSE(j.Settled());
  CHECK_FALSE(j.Final());
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
  CHECK(j.verdict == "FAIL");  // the drop is a guard regression
  bool names_drop = false;
  for (const Reason& r : ReasonsOf(j, "regression")) {
    names_drop = names_drop || (r.outcome == "fail" && r.comparison == down.Label());
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
  CHECK(j.verdict == "PASS");
  CHECK_FALSE(HasReason(j, "regression", "fail"));
}

TEST_CASE("at tier tcg with only time metrics nothing decides: INCONCLUSIVE", "[judge][tier]") {
  RunBuilder b("tcg");
  b.AddScenario("hackbench-pipe", {Time()});
  b.AddPair("hackbench-pipe", 8, {{"time", 1.50}}, 0.01);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK_FALSE(Find(j, "hackbench-pipe", "time").decides);
  CHECK(j.verdict == "INCONCLUSIVE");
  CHECK(HasReason(j, "nothing-decides", "inconclusive"));
  CHECK_FALSE(HasReason(j, "regression", "fail"));
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
  CHECK(j.verdict == "FAIL");
  REQUIRE(HasReason(j, "regression", "fail"));
  // The time regression is said (warn), but no FAIL rests on it.
  for (const Reason& r : ReasonsOf(j, "regression")) {
    if (r.comparison == time.Label()) CHECK(r.outcome == "warn");
  }
  CHECK(HasReason(j, "regression", "warn"));

  SECTION("the same scenario on another tier without a measured CV decides on time") {
    std::string why;
    CHECK_FALSE(MetricDecides(s, Time(), b.in().policy, "icount", &why));
    s.determinism.cv_by_tier["icount"] = 0.05;  // at the limit: still decides
    CHECK(MetricDecides(s, Time(), b.in().policy, "icount", &why));
    CHECK(why.empty());
  }
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

// --- tuned arms ----------------------------------------------------------

TEST_CASE("the selection rounds are max(1, runs.min / 5)", "[judge][tuned]") {
  Proposal p;
  p.runs = {3, 6};
  CHECK(SelectionRounds(p) == 1);
  p.runs = {5, 15};
  CHECK(SelectionRounds(p) == 1);
  p.runs = {10, 20};
  CHECK(SelectionRounds(p) == 2);
}

TEST_CASE("the best tuned arm on the selection round is chosen and judged on later rounds only",
          "[judge][tuned]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
  b.AddArm("tuned:x=1");
  b.AddArm("tuned:x=2");
  // Candidate 10% faster than the baseline, and exactly as fast as tuned:x=2.
  b.AddRounds("baseline", "db-readrandom", 8, {}, 0.001);
  b.AddRounds("candidate", "db-readrandom", 8, {{"time", 0.90}}, 0.001);
  b.AddRounds("tuned:x=1", "db-readrandom", 8, {{"time", 0.95}}, 0.001);
  b.AddRounds("tuned:x=2", "db-readrandom", 8, {{"time", 0.90}}, 0.001);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  REQUIRE(j.tuned.size() == 1);
  const TunedChoice& choice = j.tuned[0];
  CHECK(choice.arm == "tuned:x=2");
  CHECK(choice.metric == "time");
  CHECK(choice.selection_rounds == 1);
  CHECK(choice.medians.at("tuned:x=1") == Approx(95).epsilon(0.005));
  CHECK(choice.medians.at("tuned:x=2") == Approx(90).epsilon(0.005));

  const Comparison& vs_base = Find(j, "db-readrandom", "time");
  CHECK(vs_base.arm_values.size() == 8);
  CHECK(vs_base.classification == Classification::kImproved);
  const Comparison& vs_tuned = Find(j, "db-readrandom", "time", "tuned:x=2");
  CHECK(vs_tuned.vs == "tuned");
  CHECK(vs_tuned.arm_values.size() == 7);  // rounds 1..7: round 0 chose the arm
  CHECK(vs_tuned.reference_values.size() == 7);
  CHECK(vs_tuned.classification == Classification::kEquivalent);
  CHECK(vs_tuned.Label() == "db-readrandom/time/1cpu-512M vs tuned:x=2");

  CHECK(HasReason(j, "target-gain", "pass"));
  REQUIRE(ReasonsOf(j, "beat-tuned").size() == 1);
  CHECK(ReasonsOf(j, "beat-tuned")[0].outcome == "fail");
  CHECK(ReasonsOf(j, "beat-tuned")[0].comparison == vs_tuned.Label());
  CHECK(j.verdict == "FAIL");

  SECTION("with two selection rounds the comparison starts at round 2") {
    b.in().proposal.runs = {10, 20};
    Judgement j2 = Judge(b.in());
    const Comparison& c = Find(j2, "db-readrandom", "time", "tuned:x=2");
    CHECK(j2.tuned.at(0).selection_rounds == 2);
    CHECK(c.arm_values.size() == 6);
    CHECK(c.reference_values.size() == 6);
  }
}

TEST_CASE("a candidate that beats the best tuned arm passes beat-tuned", "[judge][tuned]") {
  RunBuilder b;
  b.AddScenario("fio-randread", {Ops()}, /*target=*/true);
  b.AddArm("tuned:ra=128");
  b.AddArm("tuned:ra=512");
  b.AddRounds("baseline", "fio-randread", 8, {}, 0.001);
  b.AddRounds("candidate", "fio-randread", 8, {{"ops", 1.30}}, 0.001);
  b.AddRounds("tuned:ra=128", "fio-randread", 8, {{"ops", 0.98}}, 0.001);
  b.AddRounds("tuned:ra=512", "fio-randread", 8, {{"ops", 1.10}}, 0.001);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(j.tuned.at(0).arm == "tuned:ra=512");  // higher is better: the highest
  CHECK(Find(j, "fio-randread", "ops", "tuned:ra=512").classification ==
        Classification::kImproved);
  CHECK(HasReason(j, "beat-tuned", "pass"));
  CHECK(j.verdict == "PASS");
}

TEST_CASE("the tuned choice rests on the selection rounds alone (no winner's curse reuse)",
          "[judge][tuned]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
  b.AddArm("tuned:x=1");
  b.AddArm("tuned:x=2");
  b.AddRounds("baseline", "db-readrandom", 8, {}, 0.001);
  b.AddRounds("candidate", "db-readrandom", 8, {{"time", 0.90}}, 0.001);
  // tuned:x=1 is lucky on round 0 only (85), then 95; tuned:x=2 is 90 always.
  b.AddTrial("tuned:x=1", "db-readrandom", 0, {{"time", 85}});
  b.AddRounds("tuned:x=1", "db-readrandom", 7, {{"time", 0.95}}, 0.001, /*first=*/1);
  b.AddRounds("tuned:x=2", "db-readrandom", 8, {{"time", 0.90}}, 0.001);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  const TunedChoice& choice = j.tuned.at(0);
  CHECK(choice.arm == "tuned:x=1");  // chosen on round 0, where it was best
  CHECK(choice.medians.at("tuned:x=1") == 85);
  // Its lucky round is not reused: the comparison sees only its later 95s, so
  // the candidate honestly beats it.
  const Comparison& c = Find(j, "db-readrandom", "time", "tuned:x=1");
  REQUIRE(c.reference_values.size() == 7);
  for (double v : c.reference_values) CHECK(v > 90);
  CHECK(c.median_reference == Approx(95).epsilon(0.005));
  CHECK(c.classification == Classification::kImproved);
  // And the choice does not change when later rounds are judged or not.
  JudgeOptions early;
  early.rounds = 3;
  CHECK(Judge(b.in(), early).tuned.at(0).arm == "tuned:x=1");
}

// --- safety and trials ---------------------------------------------------

TEST_CASE("a crashed candidate trial FAILs on safety even when every comparison is fine",
          "[judge][safety]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddTrial("candidate", "hackbench-pipe", 2, {}, TrialStatus::kCrashed);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(Find(j, "hackbench-pipe", "insns").classification == Classification::kEquivalent);
  CHECK(HasReason(j, "safety", "fail"));
  CHECK(j.verdict == "FAIL");
  CHECK(j.scores["safety"]["score"] == 0);
  CHECK(j.scores["safety"]["candidate_crashed"] == 1);
}

TEST_CASE("a hung candidate trial FAILs on safety", "[judge][safety]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddTrial("candidate", "hackbench-pipe", 1, {}, TrialStatus::kHung);
  Judgement j = Judge(b.in());
  CHECK(HasReason(j, "safety", "fail"));
  CHECK(j.verdict == "FAIL");
}

TEST_CASE("an oops on a candidate trial's console FAILs on safety", "[judge][safety]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddFinding(b.FirstTrialOf("candidate"), "console-oops");
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(HasReason(j, "safety", "fail"));
  CHECK(j.verdict == "FAIL");
  CHECK(j.scores["safety"]["score"] == 0);
}

TEST_CASE("baseline crashes and baseline console splats alone do not FAIL", "[judge][safety]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddTrial("baseline", "hackbench-pipe", 3, {}, TrialStatus::kCrashed);
  b.AddFinding(b.FirstTrialOf("baseline"), "console-oops").arm = "baseline";
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK_FALSE(HasReason(j, "safety", "fail"));
  REQUIRE(HasReason(j, "safety", "pass"));
  CHECK_THAT(ReasonsOf(j, "safety")[0].message, Catch::Contains("baseline"));
  CHECK(j.verdict == "PASS");
  CHECK(j.scores["safety"]["score"] == 100);
  CHECK(j.scores["safety"]["baseline_crashed_or_hung"] == 1);
}

TEST_CASE("a candidate trial that failed where the baseline ran FAILs the trials rule",
          "[judge][trials]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddTrial("candidate", "hackbench-pipe", 4, {}, TrialStatus::kFailed);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(HasReason(j, "trials", "fail"));
  CHECK(j.verdict == "FAIL");
  CHECK_FALSE(HasReason(j, "safety", "fail"));  // a failure is not a crash
}

TEST_CASE("a candidate failure where the baseline also never ran is INCONCLUSIVE",
          "[judge][trials]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddScenario("broken", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddTrial("baseline", "broken", 0, {}, TrialStatus::kFailed);
  b.AddTrial("candidate", "broken", 0, {}, TrialStatus::kFailed);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(HasReason(j, "trials", "inconclusive"));
  CHECK_FALSE(HasReason(j, "trials", "fail"));
  CHECK(j.verdict == "INCONCLUSIVE");
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
  CHECK_FALSE(HasReason(j, "safety", "fail"));
  CHECK(j.verdict == "PASS");

  Judgement all = Judge(b.in());
  CHECK(all.rounds == 8);
  CHECK(Find(all, "hackbench-pipe", "time").arm_values.size() == 8);
  CHECK(all.verdict == "FAIL");  // the crash is now judged
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

// --- claims ----------------------------------------------------------------

TEST_CASE("claims are reproduced, partially, contradicted or not reproduced as measured",
          "[judge][claims]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Ops()}, /*target=*/true);
  b.AddScenario("db-readseq", {Ops(), Time()}, /*target=*/true);
  b.AddPair("db-readrandom", 8, {{"ops", 2.0}}, 0.01);  // throughput doubles
  b.AddPair("db-readseq", 8, {}, 0.01);                 // nothing changes
  Proposal& p = b.in().proposal;
  p.claims = {Claim("up-2.3x", "db-readrandom", "ops", ">=", 2.3),
              Claim("up-1.5x", "db-readrandom", "ops", ">=", 1.5),
              Claim("down-20pct", "db-readrandom", "ops", "<=", 0.8),
              Claim("seq-up-10pct", "db-readseq", "ops", ">=", 1.1),
              Claim("seq-time-bound", "db-readseq", "time", "<=", 1.05),
              Claim("random-bound-broken", "db-readrandom", "ops", "<=", 1.05),
              Claim("no-such-metric", "db-readrandom", "latency", ">=", 1.1)};
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  REQUIRE(j.claims.size() == p.claims.size());
  const ClaimResult& c23 = ClaimById(j, "up-2.3x");
  CHECK(c23.status == "partially");  // significant, but the whole CI < 2.3
  CHECK(c23.measured == Approx(2.0).margin(0.05));
  CHECK(c23.ci.high < 2.3);
  CHECK(c23.reference == "baseline");
  CHECK(c23.shape == kShape);
  CHECK(ClaimById(j, "up-1.5x").status == "reproduced");
  CHECK(ClaimById(j, "down-20pct").status == "contradicted");
  CHECK(ClaimById(j, "seq-up-10pct").status == "not-reproduced");
  CHECK(ClaimById(j, "seq-time-bound").status == "reproduced");  // at most 5% slower: holds
  CHECK(ClaimById(j, "random-bound-broken").status == "contradicted");
  CHECK(ClaimById(j, "no-such-metric").status == "not-checkable");
}

TEST_CASE("a claim the data can reach is reproduced when its ratio lies inside the interval",
          "[judge][claims]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
  b.AddPair("db-readrandom", 8, {{"time", 0.80}}, 0.01);  // 20% less time
  b.in().proposal.claims = {Claim("time-20pct", "db-readrandom", "time", "<=", 0.80),
                            Claim("time-50pct", "db-readrandom", "time", "<=", 0.50)};
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(ClaimById(j, "time-20pct").status == "reproduced");
  CHECK(ClaimById(j, "time-50pct").status == "partially");
}

TEST_CASE("a time claim at tier tcg is not checkable", "[judge][claims]") {
  RunBuilder b("tcg");
  b.AddScenario("db-readrandom", {Time(), Insns()}, /*target=*/true);
  b.AddPair("db-readrandom", 8, {{"time", 0.5}, {"insns", 0.5}}, 0.01);
  b.in().proposal.claims = {Claim("time-2x", "db-readrandom", "time", "<=", 0.5),
                            Claim("insns-2x", "db-readrandom", "insns", "<=", 0.5)};
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  const ClaimResult& time = ClaimById(j, "time-2x");
  CHECK(time.status == "not-checkable");
  CHECK_THAT(time.note, Catch::Contains("low-fidelity"));
  CHECK(ClaimById(j, "insns-2x").status == "reproduced");
}

TEST_CASE("a claim against the tuned arm is checked on the vs-tuned comparison",
          "[judge][claims][tuned]") {
  RunBuilder b;
  b.AddScenario("fio-randread", {Ops()}, /*target=*/true);
  b.AddArm("tuned:ra=512");
  b.AddRounds("baseline", "fio-randread", 8, {}, 0.01);
  b.AddRounds("candidate", "fio-randread", 8, {{"ops", 2.0}}, 0.01);
  b.AddRounds("tuned:ra=512", "fio-randread", 8, {{"ops", 2.0}}, 0.01);
  b.in().proposal.claims = {Claim("vs-base", "fio-randread", "ops", ">=", 1.5),
                            Claim("vs-tuned", "fio-randread", "ops", ">=", 1.5, "tuned")};
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(ClaimById(j, "vs-base").status == "reproduced");
  const ClaimResult& t = ClaimById(j, "vs-tuned");
  CHECK(t.reference == "tuned:ra=512");
  CHECK(t.status == "not-reproduced");
  CHECK(t.measured == Approx(1.0).margin(0.03));
}

TEST_CASE("require_claims makes an unreproduced claim FAIL the verdict", "[judge][claims]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Ops()}, /*target=*/true);
  b.AddPair("db-readrandom", 8, {{"ops", 2.0}}, 0.01);
  b.in().proposal.claims = {Claim("up-2.3x", "db-readrandom", "ops", ">=", 2.3)};
  Judgement lenient = Judge(b.in());
  CHECK(lenient.verdict == "PASS");  // claims are reported, not required
  b.in().policy.require_claims = true;
  Judgement strict = Judge(b.in());
  CHECK(HasReason(strict, "claims", "fail"));
  CHECK(strict.verdict == "FAIL");
}

TEST_CASE("with require_claims a claim whose comparison is still open is INCONCLUSIVE, not FAIL",
          "[judge][claims]") {
  // More trials may yet reproduce the claim, so it must not end the run as a
  // FAIL (Judgement::Final() promises FAILs that more trials cannot undo).
  RunBuilder b;
  b.AddScenario("db-readrandom", {Ops()}, /*target=*/true);
  b.AddPair("db-readrandom", 5, {{"ops", 1.10}}, 0.30);
  b.in().proposal.claims = {Claim("up-10pct", "db-readrandom", "ops", ">=", 1.1)};
  b.in().policy.require_claims = true;
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  REQUIRE(Find(j, "db-readrandom", "ops").classification == Classification::kInconclusive);
  CHECK(ClaimById(j, "up-10pct").status == "not-reproduced");
  CHECK(HasReason(j, "claims", "inconclusive"));
  CHECK_FALSE(HasReason(j, "claims", "fail"));
  CHECK(j.verdict == "INCONCLUSIVE");
  CHECK_FALSE(j.Final());

  SECTION("a claim ruled out by an equivalent comparison still FAILs") {
    RunBuilder e;
    e.AddScenario("db-readrandom", {Ops()}, /*target=*/true);
    e.AddPair("db-readrandom", 8, {}, 0.001);
    e.in().proposal.claims = {Claim("up-10pct", "db-readrandom", "ops", ">=", 1.1)};
    e.in().policy.require_claims = true;
    Judgement je = Judge(e.in());
    CHECK(ClaimById(je, "up-10pct").status == "not-reproduced");
    CHECK(HasReason(je, "claims", "fail"));
    CHECK(je.verdict == "FAIL");
  }
}

// --- scores -----------------------------------------------------------------

TEST_CASE("benefit is 0 without an improvement and 50 for a 10% target gain", "[judge][scores]") {
  SECTION("no improvement") {
    RunBuilder b;
    b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
    b.AddPair("db-readrandom", 8, {}, 0.0001);
    Judgement j = Judge(b.in());
    CHECK(j.scores["benefit"]["score"] == 0);
    CHECK(j.scores["benefit"]["vs_baseline"].is_null());
  }
  SECTION("10% gain, no tuned arms: both halves from the baseline") {
    RunBuilder b;
    b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
    b.AddPair("db-readrandom", 8, {{"time", 0.90}}, 0.0001);
    Judgement j = Judge(b.in());
    INFO(j.scores.dump(2));
    CHECK(j.scores["benefit"]["score"] == 50);
    CHECK(j.scores["benefit"]["vs_baseline"]["gain"].get<double>() == Approx(0.10).margin(0.002));
  }
  SECTION("10% gain over the baseline, none over the tuned arm: only the baseline half") {
    RunBuilder b;
    b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
    b.AddArm("tuned:x=1");
    b.AddRounds("baseline", "db-readrandom", 8, {}, 0.0001);
    b.AddRounds("candidate", "db-readrandom", 8, {{"time", 0.90}}, 0.0001);
    b.AddRounds("tuned:x=1", "db-readrandom", 8, {{"time", 0.90}}, 0.0001);
    Judgement j = Judge(b.in());
    INFO(j.scores.dump(2));
    CHECK(j.scores["benefit"]["score"] == 25);
  }
  SECTION("no targets: null") {
    RunBuilder b;
    b.AddScenario("hackbench-pipe", {Time()});
    b.AddPair("hackbench-pipe", 5, {}, 0.0001);
    CHECK(Judge(b.in()).scores["benefit"]["score"].is_null());
  }
}

TEST_CASE("overhead is 100 without a regression and 50 with a 5% guard regression",
          "[judge][scores]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
  b.AddScenario("hackbench-pipe", {Time()});
  b.AddRounds("baseline", "db-readrandom", 8, {}, 0.0001);
  b.AddRounds("candidate", "db-readrandom", 8, {{"time", 0.90}}, 0.0001);
  SECTION("guard unchanged") {
    b.AddPair("hackbench-pipe", 8, {}, 0.0001);
    Judgement j = Judge(b.in());
    INFO(j.scores.dump(2));
    CHECK(j.scores["overhead"]["score"] == 100);
    CHECK(j.scores["overhead"]["worst_significant_slowdown"].is_null());
    CHECK(j.verdict == "PASS");
  }
  SECTION("guard 5% slower") {
    b.AddPair("hackbench-pipe", 8, {{"time", 1.05}}, 0.0001);
    Judgement j = Judge(b.in());
    INFO(j.scores.dump(2));
    CHECK(j.scores["overhead"]["score"] == 50);
    CHECK(j.scores["overhead"]["geomean_slowdown"]["value"].get<double>() ==
          Approx(0.05).margin(0.002));
    CHECK(j.verdict == "FAIL");
  }
}

TEST_CASE("generality is the share of good cells and flags wins only on the own benchmark",
          "[judge][scores]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Time()}, /*target=*/true);
  b.AddScenario("hackbench-pipe", {Time()});
  b.AddRounds("baseline", "db-readrandom", 8, {}, 0.001);
  b.AddRounds("candidate", "db-readrandom", 8, {{"time", 0.90}}, 0.001);
  SECTION("target improved, guard equivalent: 100, wins only on its own benchmark") {
    b.AddPair("hackbench-pipe", 8, {}, 0.001);
    Judgement j = Judge(b.in());
    INFO(j.scores.dump(2));
    CHECK(j.scores["generality"]["score"] == 100);
    CHECK(j.scores["generality"]["cells"] == 2);
    CHECK(j.scores["generality"]["wins_only_on_own_benchmark"] == true);
  }
  SECTION("target improved, guard regressed: 50") {
    b.AddPair("hackbench-pipe", 8, {{"time", 1.05}}, 0.001);
    Judgement j = Judge(b.in());
    INFO(j.scores.dump(2));
    CHECK(j.scores["generality"]["score"] == 50);
    CHECK(j.scores["generality"]["worst_regression"]["comparison"] ==
          "hackbench-pipe/time/1cpu-512M vs baseline");
  }
  SECTION("the guard improves too: not only on its own benchmark") {
    b.AddPair("hackbench-pipe", 8, {{"time", 0.95}}, 0.001);
    Judgement j = Judge(b.in());
    INFO(j.scores.dump(2));
    CHECK(j.scores["generality"]["score"] == 100);
    CHECK(j.scores["generality"]["improved"] == 2);
    CHECK(j.scores["generality"]["wins_only_on_own_benchmark"] == false);
  }
}

TEST_CASE("safety scores 100 clean, 50 for console warnings only, 0 after a crash",
          "[judge][scores][safety]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  CHECK(Judge(b.in()).scores["safety"]["score"] == 100);
  b.AddFinding(b.FirstTrialOf("candidate"), "console-warning");
  CHECK(Judge(b.in()).scores["safety"]["score"] == 50);
  b.AddTrial("candidate", "hackbench-pipe", 1, {}, TrialStatus::kCrashed);
  CHECK(Judge(b.in()).scores["safety"]["score"] == 0);
}

TEST_CASE("maintainability has no score until the patch analysis exists", "[judge][scores]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  Judgement j = Judge(b.in());
  CHECK(j.scores["maintainability"]["score"].is_null());
  for (const char* key : {"benefit", "overhead", "generality", "safety", "maintainability"}) {
    CHECK(j.scores.contains(key));
  }
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
