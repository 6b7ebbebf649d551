// Tuned arms: the best tuned arm is chosen on the selection rounds alone and
// the candidate judged against it on the rounds after (judge.h).
#include "judge/judge.h"

#include <catch2/catch.hpp>

#include "judge/testing/judge_fixtures.h"

namespace kgate {
using namespace judge_testing;

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

  CHECK(HasReason(j, "target-gain", Outcome::kPass));
  REQUIRE(ReasonsOf(j, "beat-tuned").size() == 1);
  CHECK(ReasonsOf(j, "beat-tuned")[0].outcome == Outcome::kFail);
  CHECK(ReasonsOf(j, "beat-tuned")[0].comparison == vs_tuned.Label());
  CHECK(j.verdict == Verdict::kFail);

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
  CHECK(HasReason(j, "beat-tuned", Outcome::kPass));
  CHECK(j.verdict == Verdict::kPass);
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

}  // namespace kgate
