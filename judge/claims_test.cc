// Claims checked by Judge() on synthetic runs with planted effects.
#include "judge/judge.h"

#include <catch2/catch.hpp>

#include "judge/testing/judge_fixtures.h"

namespace kgate {
using namespace judge_testing;

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
  CHECK(c23.status == ClaimStatus::kPartially);  // significant, but the whole CI < 2.3
  CHECK(c23.measured == Approx(2.0).margin(0.05));
  CHECK(c23.ci.high < 2.3);
  CHECK(c23.reference == "baseline");
  CHECK(c23.shape == kShape);
  CHECK(ClaimById(j, "up-1.5x").status == ClaimStatus::kReproduced);
  CHECK(ClaimById(j, "down-20pct").status == ClaimStatus::kContradicted);
  CHECK(ClaimById(j, "seq-up-10pct").status == ClaimStatus::kNotReproduced);
  CHECK(ClaimById(j, "seq-time-bound").status == ClaimStatus::kReproduced);  // at most 5% slower: holds
  CHECK(ClaimById(j, "random-bound-broken").status == ClaimStatus::kContradicted);
  CHECK(ClaimById(j, "no-such-metric").status == ClaimStatus::kNotCheckable);
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
  CHECK(ClaimById(j, "time-20pct").status == ClaimStatus::kReproduced);
  CHECK(ClaimById(j, "time-50pct").status == ClaimStatus::kPartially);
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
  CHECK(time.status == ClaimStatus::kNotCheckable);
  CHECK_THAT(time.note, Catch::Contains("low-fidelity"));
  CHECK(ClaimById(j, "insns-2x").status == ClaimStatus::kReproduced);
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
  CHECK(ClaimById(j, "vs-base").status == ClaimStatus::kReproduced);
  const ClaimResult& t = ClaimById(j, "vs-tuned");
  CHECK(t.reference == "tuned:ra=512");
  CHECK(t.status == ClaimStatus::kNotReproduced);
  CHECK(t.measured == Approx(1.0).margin(0.03));
}

TEST_CASE("require_claims makes an unreproduced claim FAIL the verdict", "[judge][claims]") {
  RunBuilder b;
  b.AddScenario("db-readrandom", {Ops()}, /*target=*/true);
  b.AddPair("db-readrandom", 8, {{"ops", 2.0}}, 0.01);
  b.in().proposal.claims = {Claim("up-2.3x", "db-readrandom", "ops", ">=", 2.3)};
  Judgement lenient = Judge(b.in());
  CHECK(lenient.verdict == Verdict::kPass);  // claims are reported, not required
  b.in().policy.require_claims = true;
  Judgement strict = Judge(b.in());
  CHECK(HasReason(strict, "claims", Outcome::kFail));
  CHECK(strict.verdict == Verdict::kFail);
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
  CHECK(ClaimById(j, "up-10pct").status == ClaimStatus::kNotReproduced);
  CHECK(HasReason(j, "claims", Outcome::kInconclusive));
  CHECK_FALSE(HasReason(j, "claims", Outcome::kFail));
  CHECK(j.verdict == Verdict::kInconclusive);
  CHECK_FALSE(j.Final());

  SECTION("a claim ruled out by an equivalent comparison still FAILs") {
    RunBuilder e;
    e.AddScenario("db-readrandom", {Ops()}, /*target=*/true);
    e.AddPair("db-readrandom", 8, {}, 0.001);
    e.in().proposal.claims = {Claim("up-10pct", "db-readrandom", "ops", ">=", 1.1)};
    e.in().policy.require_claims = true;
    Judgement je = Judge(e.in());
    CHECK(ClaimById(je, "up-10pct").status == ClaimStatus::kNotReproduced);
    CHECK(HasReason(je, "claims", Outcome::kFail));
    CHECK(je.verdict == Verdict::kFail);
  }
}

}  // namespace kgate
