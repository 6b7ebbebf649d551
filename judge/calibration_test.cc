// Calibrate() on synthetic A/A runs whose noise is known: label shuffling
// must find no effect where there is none, and find an injected one.
#include "judge/calibration.h"

#include <random>

#include <catch2/catch.hpp>

namespace kgate {
namespace {

// An A/A run of one scenario with one lower-is-better time metric: `rounds`
// trials per arm, values 100 * (1 + cv * N(0,1)).
JudgeInput AaRun(int rounds, double cv, std::uint64_t seed = 7) {
  JudgeInput in;
  in.tier = "icount";
  in.proposal.name = "aa";
  in.proposal.scenarios = {"s"};
  in.proposal.runs = {5, 10};
  in.policy.name = "test";
  in.policy.resamples = 1000;
  in.policy.trusted_kinds["icount"] = {MetricKind::kTime};
  in.arms = {"baseline", "candidate"};
  ScenarioSpec s;
  s.name = "s";
  s.metrics = {{"time", "s", Direction::kLowerIsBetter, MetricKind::kTime}};
  in.scenarios["s"] = s;
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal;
  int seq = 0;
  for (int r = 0; r < rounds; ++r) {
    for (const char* arm : {"baseline", "candidate"}) {
      TrialRecord t;
      t.id = t.seq = seq++;
      t.round = r;
      t.arm = arm;
      t.scenario = "s";
      t.shape = "1cpu-512M";
      in.trials.push_back(t);
      in.values.push_back({t.id, t.seq, r, arm, "s", t.shape, {{"time", 100 * (1 + cv * normal(gen))}}});
    }
  }
  return in;
}

TEST_CASE("calibration of a quiet A/A run finds no effect and resolves at the first look",
          "[calibration]") {
  CalibrationOptions options;
  options.iterations = 50;
  auto r = Calibrate(AaRun(12, 0.002), options);
  REQUIRE(r.ok());
  CHECK(r->looks == std::vector<int>{5, 7, 10});
  CHECK(r->pool_per_cell == 24);
  CHECK(r->Share("PASS") == 1.0);
  CHECK(r->mean_rounds == 5.0);
  CHECK(r->fail_rules.empty());
}

TEST_CASE("calibration catches an injected cost larger than the margin", "[calibration]") {
  CalibrationOptions options;
  options.iterations = 50;
  options.inject = 0.05;
  auto r = Calibrate(AaRun(12, 0.002), options);
  REQUIRE(r.ok());
  CHECK(r->Share("FAIL") == 1.0);
  CHECK(r->fail_rules.at("regression") == 50);
  // A cost inside the margin is, by the policy's own terms, equivalent.
  options.inject = 0.005;
  auto small = Calibrate(AaRun(12, 0.002), options);
  REQUIRE(small.ok());
  CHECK(small->Share("FAIL") == 0.0);
}

TEST_CASE("calibration of a noisy A/A run says it could not resolve, not that it failed",
          "[calibration]") {
  CalibrationOptions options;
  options.iterations = 40;
  auto r = Calibrate(AaRun(20, 0.10), options);
  REQUIRE(r.ok());
  CHECK(r->Share("INCONCLUSIVE") > 0.8);
  CHECK(r->Share("FAIL") <= 0.1);
  CHECK(r->mean_rounds > 9.5);  // nearly every simulated run went to its last look
  CHECK(r->open_comparisons.count("s/time/1cpu-512M vs baseline") == 1);
}

TEST_CASE("calibration refuses runs it cannot simulate", "[calibration]") {
  CalibrationOptions options;
  options.iterations = 1;
  JudgeInput tuned = AaRun(12, 0.01);
  tuned.arms.push_back("tuned:x=1");
  auto r = Calibrate(tuned, options);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("tuned:x=1"));

  auto small = Calibrate(AaRun(4, 0.01), options);  // 8 trials: not 2 x 5
  REQUIRE_FALSE(small.ok());
  CHECK_THAT(small.status().message(), Catch::Contains("too few for two arms of 5 rounds"));
}

}  // namespace
}  // namespace kgate
