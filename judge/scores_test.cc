// The five scores computed by Judge() on synthetic runs with planted effects.
#include "judge/judge.h"

#include <catch2/catch.hpp>

#include "judge/testing/judge_fixtures.h"

namespace kgate {
using namespace judge_testing;

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
    CHECK(j.verdict == Verdict::kPass);
  }
  SECTION("guard 5% slower") {
    b.AddPair("hackbench-pipe", 8, {{"time", 1.05}}, 0.0001);
    Judgement j = Judge(b.in());
    INFO(j.scores.dump(2));
    CHECK(j.scores["overhead"]["score"] == 50);
    CHECK(j.scores["overhead"]["geomean_slowdown"]["value"].get<double>() ==
          Approx(0.05).margin(0.002));
    CHECK(j.verdict == Verdict::kFail);
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

TEST_CASE("maintainability comes from the candidate's stored analysis", "[judge][scores]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  SECTION("no analysis: no score, and the note says why") {
    Judgement j = Judge(b.in());
    CHECK(j.scores["maintainability"]["score"].is_null());
    CHECK(j.scores["maintainability"]["note"] ==
          "not analysed: the candidate adds no kernel code (no patch: or modules:)");
    for (const char* key : {"benefit", "overhead", "generality", "safety", "maintainability"}) {
      CHECK(j.scores.contains(key));
    }
  }
  SECTION("the candidate's analysis check gives score and components") {
    JudgeInput in = b.in();
    in.checks.push_back({1, "baseline", "analysis", CheckStatus::kPassed, "maintainability 100/100",
                         R"({"maintainability":{"score":100,"components":[]}})"});
    in.checks.push_back(
        {1, "candidate", "analysis", CheckStatus::kFailed,
         "maintainability 42/100; 2 error(s), 0 warning(s)",
         R"({"maintainability":{"score":42,"components":[{"name":"rule:fpu-in-kernel",)"
         R"("penalty":58,"detail":"x"}],"input":"m"},"inputs":[],"modules":[]})"});
    Judgement j = Judge(in);
    INFO(j.scores["maintainability"].dump());
    CHECK(j.scores["maintainability"]["score"] == 42);
    CHECK(j.scores["maintainability"]["components"][0]["name"] == "rule:fpu-in-kernel");
    CHECK(j.scores["maintainability"]["note"] ==
          "maintainability 42/100; 2 error(s), 0 warning(s)");
  }
  SECTION("an unreadable stored analysis is said to be so") {
    JudgeInput in = b.in();
    in.checks.push_back({1, "candidate", "analysis", CheckStatus::kFailed, "s", "{not json"});
    CHECK(Judge(in).scores["maintainability"]["score"].is_null());
  }
}

}  // namespace kgate
