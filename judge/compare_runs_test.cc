// CompareTrialSets on synthetic trial sets, and LoadTrialSet on an in-memory
// store: each test plants a difference (or none) and checks the comparison
// reports it, in the metric's direction, and decides only when it should.
#include "judge/compare_runs.h"

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace kgate {
namespace {

constexpr const char* kShape = "1cpu-512M";

MetricSpec Metric(const std::string& name, MetricKind kind, Direction better,
                  const std::string& unit) {
  MetricSpec m;
  m.name = name;
  m.kind = kind;
  m.better = better;
  m.unit = unit;
  return m;
}

ScenarioSpec Scenario(const std::string& name) {
  ScenarioSpec s;
  s.name = name;
  s.metrics = {Metric("time", MetricKind::kTime, Direction::kLowerIsBetter, "s"),
               Metric("ops", MetricKind::kRate, Direction::kHigherIsBetter, "ops/s")};
  return s;
}

Policy TestPolicy() {
  Policy p;
  p.name = "test";
  p.margin = 0.02;
  p.alpha = 0.05;
  p.resamples = 2000;
  p.trusted_kinds["icount"] = {MetricKind::kTime, MetricKind::kRate, MetricKind::kLatency,
                               MetricKind::kCount, MetricKind::kBytes};
  p.trusted_kinds["tcg"] = {MetricKind::kCount, MetricKind::kBytes};
  return p;
}

std::map<std::string, ScenarioSpec> Tree() { return {{"bench", Scenario("bench")}}; }

// n trials of scenario "bench" whose metrics are level * factor * (1 + 0.5%
// noise), the noise drawn from a generator seeded by seed.
TrialSet Set(std::int64_t run_id, const std::string& arm, const std::string& tier,
             std::map<std::string, double> factors, int n = 8, std::uint64_t seed = 1) {
  TrialSet set;
  set.run_id = run_id;
  set.arm = arm;
  set.tier = tier;
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> noise(0, 0.005);
  for (int i = 0; i < n; ++i) {
    TrialValues t;
    t.seq = i;
    t.arm = arm;
    t.scenario = "bench";
    t.shape = kShape;
    for (const auto& [metric, factor] : factors) t.values[metric] = 100 * factor * (1 + noise(gen));
    set.values.push_back(t);
  }
  return set;
}

const Comparison& Find(const std::vector<Comparison>& cs, const std::string& metric) {
  for (const Comparison& c : cs) {
    if (c.metric == metric) return c;
  }
  FAIL("no comparison of " << metric);
  return cs.front();
}

TEST_CASE("compare: identical trial sets are equivalent") {
  TrialSet a = Set(1, "candidate", "icount", {{"time", 1}, {"ops", 1}});
  TrialSet b = a;
  b.run_id = 2;
  auto cs = CompareTrialSets(a, b, TestPolicy(), Tree());
  REQUIRE(cs.ok());
  REQUIRE(cs->size() == 2);
  for (const Comparison& c : *cs) {
    CHECK(c.decides);
    CHECK(c.effect == 1);
    CHECK(c.classification == Classification::kEquivalent);
  }
}

TEST_CASE("compare: a 10% slower time over 8 trials each is a regression") {
  TrialSet yesterday = Set(2, "candidate", "icount", {{"time", 1}}, 8, 1);
  TrialSet today = Set(3, "candidate", "icount", {{"time", 1.10}}, 8, 2);
  auto cs = CompareTrialSets(yesterday, today, TestPolicy(), Tree());
  REQUIRE(cs.ok());
  REQUIRE(cs->size() == 1);
  const Comparison& c = cs->front();
  CHECK(c.classification == Classification::kRegressed);
  CHECK(c.effect == Approx(1.10).epsilon(0.01));
  CHECK(c.ci.low > 1.05);
  CHECK(c.arm == "run 3 candidate");
  CHECK(c.reference == "run 2 candidate");
  CHECK(c.primary);
  CHECK(c.arm_values.size() == 8);
  CHECK(c.reference_values.size() == 8);
  // Swapped, yesterday's kernel reads as an improvement on today's.
  auto back = CompareTrialSets(today, yesterday, TestPolicy(), Tree());
  REQUIRE(back.ok());
  CHECK(back->front().classification == Classification::kImproved);
}

TEST_CASE("compare: the direction of a rate metric is respected") {
  TrialSet ref = Set(1, "baseline", "icount", {{"time", 1}, {"ops", 1}}, 8, 1);
  // Faster: less time and more ops/s; both are improvements.
  TrialSet arm = Set(1, "candidate", "icount", {{"time", 0.9}, {"ops", 1.1}}, 8, 2);
  auto cs = CompareTrialSets(ref, arm, TestPolicy(), Tree());
  REQUIRE(cs.ok());
  CHECK(Find(*cs, "time").classification == Classification::kImproved);
  CHECK(Find(*cs, "ops").classification == Classification::kImproved);
  CHECK(Find(*cs, "ops").Gain() == Approx(0.1).epsilon(0.05));
  // Fewer ops/s is a regression even though the number went down.
  TrialSet slower = Set(1, "candidate", "icount", {{"ops", 0.9}}, 8, 3);
  auto worse = CompareTrialSets(ref, slower, TestPolicy(), Tree());
  REQUIRE(worse.ok());
  REQUIRE(worse->size() == 1);
  CHECK(worse->front().classification == Classification::kRegressed);
  // One run: the sides are named by their arms alone.
  CHECK(Find(*cs, "ops").arm == "candidate");
  CHECK(Find(*cs, "ops").reference == "baseline");
}

TEST_CASE("compare: runs measured at different tiers decide nothing") {
  TrialSet icount = Set(1, "candidate", "icount", {{"time", 1}, {"ops", 1}}, 8, 1);
  TrialSet tcg = Set(2, "candidate", "tcg", {{"time", 1.5}, {"ops", 0.5}}, 8, 2);
  auto cs = CompareTrialSets(icount, tcg, TestPolicy(), Tree());
  REQUIRE(cs.ok());
  REQUIRE(cs->size() == 2);
  for (const Comparison& c : *cs) {
    CHECK_FALSE(c.decides);
    CHECK(c.note.rfind("runs measured at different tiers (icount vs tcg)", 0) == 0);
  }
  // The reference's tier decides trust: at tcg time is not trusted either,
  // and the note says so too.
  auto rev = CompareTrialSets(tcg, icount, TestPolicy(), Tree());
  REQUIRE(rev.ok());
  const Comparison& t = Find(*rev, "time");
  CHECK_FALSE(t.decides);
  CHECK(t.note.find("(tcg vs icount)") != std::string::npos);
  CHECK(t.note.find("does not trust time metrics at tier tcg") != std::string::npos);
}

TEST_CASE("compare: a metric or cell in only one set is skipped") {
  TrialSet ref = Set(1, "candidate", "icount", {{"time", 1}, {"ops", 1}});
  TrialSet arm = Set(2, "candidate", "icount", {{"time", 1}});
  TrialValues other_shape = arm.values.front();
  other_shape.shape = "2cpu-1G";
  arm.values.push_back(other_shape);
  auto cs = CompareTrialSets(ref, arm, TestPolicy(), Tree());
  REQUIRE(cs.ok());
  REQUIRE(cs->size() == 1);
  CHECK(cs->front().metric == "time");
  CHECK(cs->front().shape == kShape);
}

TEST_CASE("compare: nothing in common is bad input naming both sides") {
  TrialSet ref = Set(1, "candidate", "icount", {{"time", 1}});
  TrialSet arm = Set(2, "candidate", "icount", {{"ops", 1}});
  auto cs = CompareTrialSets(ref, arm, TestPolicy(), Tree());
  REQUIRE_FALSE(cs.ok());
  CHECK(cs.status().code() == Status::Code::kBadInput);
  CHECK(cs.status().message().rfind("nothing to compare:", 0) == 0);
  CHECK(cs.status().message().find("run 1 candidate (bench/1cpu-512M)") != std::string::npos);
  TrialSet empty = Set(2, "candidate", "icount", {}, 0);
  auto none = CompareTrialSets(ref, empty, TestPolicy(), Tree());
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().message().find("run 2 candidate (no ok trials)") != std::string::npos);
}

TEST_CASE("compare: a scenario gone from the tree is shown, not deciding, with stored units") {
  TrialSet ref = Set(1, "candidate", "icount", {{"time", 1}}, 8, 1);
  TrialSet arm = Set(2, "candidate", "icount", {{"time", 1.10}}, 8, 2);
  ref.stored_specs["bench/time"] = Metric("time", MetricKind::kTime, Direction::kLowerIsBetter, "s");
  auto cs = CompareTrialSets(ref, arm, TestPolicy(), {});
  REQUIRE(cs.ok());
  const Comparison& c = cs->front();
  CHECK_FALSE(c.decides);
  CHECK(c.note == "scenario bench no longer exists in this tree");
  CHECK(c.spec.unit == "s");
  CHECK(c.classification == Classification::kRegressed);  // shown as measured
}

TEST_CASE("compare: the same sets give the same intervals") {
  TrialSet ref = Set(1, "candidate", "icount", {{"time", 1}}, 8, 1);
  TrialSet arm = Set(2, "candidate", "icount", {{"time", 1.01}}, 8, 2);
  auto a = CompareTrialSets(ref, arm, TestPolicy(), Tree());
  auto b = CompareTrialSets(ref, arm, TestPolicy(), Tree());
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->front().ci.low == b->front().ci.low);
  CHECK(a->front().ci.high == b->front().ci.high);
}

TEST_CASE("compare: LoadTrialSet reads one arm's ok trials and names a run's arms") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  RunRecord run;
  run.proposal = "p";
  run.tier = "tcg";
  auto run_id = (*store)->CreateRun(run);
  REQUIRE(run_id.ok());
  for (const char* name : {"baseline", "candidate"}) {
    ArmRecord arm;
    arm.run_id = *run_id;
    arm.name = name;
    arm.kernel_version = "6.12.57-cloud-amd64";
    REQUIRE((*store)->SaveArm(arm).ok());
  }
  int seq = 0;
  for (TrialStatus status : {TrialStatus::kOk, TrialStatus::kCrashed, TrialStatus::kOk}) {
    for (const char* name : {"baseline", "candidate"}) {
      TrialRecord t;
      t.run_id = *run_id;
      t.seq = seq++;
      t.arm = name;
      t.scenario = "boot-only";
      t.shape = kShape;
      t.tier = "tcg";
      t.status = status;
      SampleRecord s{"stat.ctxt", 100.0 + seq, "switches", "count", "lower", 0};
      REQUIRE((*store)->RecordTrial(t, {s}, {}).ok());
    }
  }
  auto set = LoadTrialSet(**store, *run_id, "candidate");
  REQUIRE(set.ok());
  CHECK(set->tier == "tcg");
  CHECK(set->kernel == "6.12.57-cloud-amd64");
  REQUIRE(set->values.size() == 2);  // the crashed trial does not count
  CHECK(set->values[0].values.at("stat.ctxt") == 102);
  CHECK(set->values[1].values.at("stat.ctxt") == 106);
  CHECK(set->stored_specs.at("boot-only/stat.ctxt").kind == MetricKind::kCount);

  auto no_arm = LoadTrialSet(**store, *run_id, "tuned:x=1");
  REQUIRE_FALSE(no_arm.ok());
  CHECK(no_arm.status().code() == Status::Code::kBadInput);
  CHECK(no_arm.status().message() ==
        "run 1 has no arm 'tuned:x=1'; its arms: baseline, candidate");
  auto no_run = LoadTrialSet(**store, 99, "candidate");
  REQUIRE_FALSE(no_run.ok());
  CHECK(no_run.status().code() == Status::Code::kNotFound);
}

}  // namespace
}  // namespace kgate
