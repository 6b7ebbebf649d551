// The judgement a run ends with: comparisons, verdict and claims saved
// together, replaced as a whole, and refused whole when one value is bad.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "store/store.h"
#include "store/testing/store_fixtures.h"

namespace kgate {
using namespace testing;

TEST_CASE("SaveJudgement round-trips and replaces the run's judgement", "[store]") {
  auto store = OpenMemory();
  auto run = store->CreateRun(SampleRun("p"));
  CHECK(store->LoadVerdict(*run).status().code() == Status::Code::kNotFound);

  constexpr double kInf = std::numeric_limits<double>::infinity();
  ComparisonRecord c;
  c.run_id = *run;
  c.scenario = "fio-randread";
  c.metric = "iops";
  c.shape = "2cpu-1g";
  c.arm = "candidate";
  c.reference = "baseline";
  c.n_arm = 10;
  c.n_reference = 12;
  c.effect = 1.25;
  c.ci_low = 1.1;
  c.ci_high = 1.4;
  c.p_value = 0.001;
  c.q_value = 0.004;
  c.classification = Classification::kImproved;
  c.decides = false;
  // Every schema v3 field away from its default, so an unsaved one shows.
  c.vs = "tuned";
  c.role = "target";
  c.kind = "rate";
  c.better = "higher";
  c.unit = "IOPS";
  c.median_arm = 12500.5;
  c.median_reference = 10000.25;
  c.hl_shift = 2480.75;
  c.ci_level = 0.9;
  c.note = "rate metrics do not decide at tier tcg";
  // An interval that could not be bounded above is stored as +inf.
  ComparisonRecord unbounded = c;
  unbounded.metric = "lat_p99";
  unbounded.ci_low = -kInf;
  unbounded.ci_high = kInf;
  unbounded.effect = kInf;
  VerdictRecord v;
  v.run_id = *run;
  v.policy = "default";
  v.verdict = Verdict::kPass;
  v.reasons_json = "[\"iops improved\"]";
  v.scores_json = "{\"gain\":0.25}";
  v.created_at = "2026-11-27T06:00:00Z";
  v.tier = "kvm";
  v.rounds = 3;
  ClaimRecord claim;
  claim.run_id = *run;
  claim.claim_id = "table2-row3";
  claim.text = "readahead 1.25x";
  claim.expected = ">=1.2x";
  claim.measured = 1.25;
  claim.ci_low = 1.1;
  claim.ci_high = 1.4;
  claim.status = ClaimStatus::kReproduced;
  claim.scenario = "fio-randread";
  claim.metric = "iops";
  claim.shape = "4cpu-8g";
  claim.reference = "tuned";
  claim.claimed = 1.3;
  claim.note = "within the claimed interval";
  REQUIRE(store->SaveJudgement(*run, {c, unbounded}, v, {claim}).ok());

  auto comparisons = store->LoadComparisons(*run);
  REQUIRE(comparisons->size() == 2);
  const ComparisonRecord& got = (*comparisons)[0];
  CHECK(got.run_id == *run);
  CHECK(got.scenario == "fio-randread");
  CHECK(got.metric == "iops");
  CHECK(got.shape == "2cpu-1g");
  CHECK(got.arm == "candidate");
  CHECK(got.reference == "baseline");
  CHECK(got.n_arm == 10);
  CHECK(got.n_reference == 12);
  CHECK(got.effect == 1.25);
  CHECK(got.ci_low == 1.1);
  CHECK(got.ci_high == 1.4);
  CHECK(got.p_value == 0.001);
  CHECK(got.q_value == 0.004);
  CHECK(got.classification == Classification::kImproved);
  CHECK_FALSE(got.decides);
  CHECK(got.vs == "tuned");
  CHECK(got.role == "target");
  CHECK(got.kind == "rate");
  CHECK(got.better == "higher");
  CHECK(got.unit == "IOPS");
  CHECK(got.median_arm == 12500.5);
  CHECK(got.median_reference == 10000.25);
  CHECK(got.hl_shift == 2480.75);
  CHECK(got.ci_level == 0.9);
  CHECK(got.note == c.note);
  const ComparisonRecord& inf = (*comparisons)[1];
  CHECK(inf.metric == "lat_p99");
  CHECK(inf.effect == kInf);
  CHECK(inf.ci_low == -kInf);
  CHECK(inf.ci_high == kInf);
  CHECK(inf.p_value == 0.001);
  auto verdict = store->LoadVerdict(*run);
  REQUIRE(verdict.ok());
  CHECK(verdict->run_id == *run);
  CHECK(verdict->policy == "default");
  CHECK(verdict->verdict == Verdict::kPass);
  CHECK(verdict->reasons_json == v.reasons_json);
  CHECK(verdict->scores_json == v.scores_json);
  CHECK(verdict->created_at == v.created_at);
  CHECK(verdict->tier == "kvm");
  CHECK(verdict->rounds == 3);
  auto claims = store->LoadClaims(*run);
  REQUIRE(claims->size() == 1);
  CHECK((*claims)[0].claim_id == "table2-row3");
  CHECK((*claims)[0].text == claim.text);
  CHECK((*claims)[0].expected == ">=1.2x");
  CHECK((*claims)[0].measured == 1.25);
  CHECK((*claims)[0].ci_low == 1.1);
  CHECK((*claims)[0].ci_high == 1.4);
  CHECK((*claims)[0].status == ClaimStatus::kReproduced);
  CHECK((*claims)[0].scenario == "fio-randread");
  CHECK((*claims)[0].metric == "iops");
  CHECK((*claims)[0].shape == "4cpu-8g");
  CHECK((*claims)[0].reference == "tuned");
  CHECK((*claims)[0].claimed == 1.3);
  CHECK((*claims)[0].note == claim.note);

  c.classification = Classification::kRegressed;
  v.verdict = Verdict::kFail;
  REQUIRE(store->SaveJudgement(*run, {c}, v, {}).ok());
  REQUIRE(store->LoadComparisons(*run)->size() == 1);
  CHECK((*store->LoadComparisons(*run))[0].classification == Classification::kRegressed);
  CHECK(store->LoadVerdict(*run)->verdict == Verdict::kFail);
  CHECK(store->LoadClaims(*run)->empty());

}

TEST_CASE("SaveJudgement stores v3 defaults for records that leave the new fields alone",
          "[store]") {
  auto store = OpenMemory();
  auto run = store->CreateRun(SampleRun("p"));
  ComparisonRecord c;
  c.scenario = "hackbench";
  c.metric = "elapsed";
  c.shape = "1cpu";
  c.arm = "candidate";
  c.reference = "baseline";
  c.classification = Classification::kEquivalent;
  VerdictRecord v;
  v.policy = "default";
  v.verdict = Verdict::kInconclusive;
  ClaimRecord claim;
  claim.claim_id = "fig4";
  claim.status = ClaimStatus::kNotCheckable;
  REQUIRE(store->SaveJudgement(*run, {c}, v, {claim}).ok());
  auto comparisons = store->LoadComparisons(*run);
  REQUIRE(comparisons->size() == 1);
  CHECK((*comparisons)[0].vs == "baseline");
  CHECK((*comparisons)[0].role == "guard");
  CHECK((*comparisons)[0].ci_level == 0.95);
  CHECK((*comparisons)[0].kind.empty());
  CHECK(store->LoadVerdict(*run)->rounds == 0);
  CHECK(store->LoadClaims(*run)->at(0).claimed == 0);
}

TEST_CASE("SaveJudgement refuses a NaN, naming the comparison, and keeps the old judgement",
          "[store]") {
  auto store = OpenMemory();
  auto run = store->CreateRun(SampleRun("p"));
  REQUIRE(run.ok());
  ComparisonRecord c;
  c.scenario = "fio-randread";
  c.metric = "iops";
  c.shape = "2cpu-1g";
  c.arm = "candidate";
  c.reference = "baseline";
  c.effect = 1.1;
  c.ci_low = 1.0;
  c.ci_high = 1.2;
  c.classification = Classification::kInconclusive;
  VerdictRecord v;
  v.policy = "default";
  v.verdict = Verdict::kPass;
  REQUIRE(store->SaveJudgement(*run, {c}, v, {}).ok());

  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    const char* field;
    double ComparisonRecord::*member;
  };
  for (Case field : {Case{"effect", &ComparisonRecord::effect},
                     Case{"ci_low", &ComparisonRecord::ci_low},
                     Case{"ci_high", &ComparisonRecord::ci_high},
                     Case{"p_value", &ComparisonRecord::p_value},
                     Case{"q_value", &ComparisonRecord::q_value}}) {
    INFO(field.field);
    ComparisonRecord bad = c;
    bad.metric = "lat_p99";
    bad.*field.member = nan;
    VerdictRecord fail = v;
    fail.verdict = Verdict::kFail;
    Status saved = store->SaveJudgement(*run, {c, bad}, fail, {});
    INFO(saved.message());
    REQUIRE_FALSE(saved.ok());
    CHECK(saved.code() == Status::Code::kInternal);
    CHECK(saved.message().find("comparison fio-randread/lat_p99/2cpu-1g candidate vs baseline") !=
          std::string::npos);
    CHECK(saved.message().find(std::string(field.field) + " is NaN") != std::string::npos);
    CHECK(saved.message().find("constraint") == std::string::npos);
    // Nothing of the refused judgement was written.
    CHECK(store->LoadVerdict(*run)->verdict == Verdict::kPass);
    auto comparisons = store->LoadComparisons(*run);
    REQUIRE(comparisons->size() == 1);
    CHECK((*comparisons)[0].metric == "iops");
  }

  ClaimRecord claim;
  claim.claim_id = "table2-row3";
  claim.measured = nan;
  Status saved = store->SaveJudgement(*run, {c}, v, {claim});
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.message().find("claim table2-row3: measured is NaN") != std::string::npos);
}

}  // namespace kgate
