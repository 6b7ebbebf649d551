#include "store/records.h"

#include <catch2/catch.hpp>

namespace kgate {

TEST_CASE("Trial status names round-trip and unknown names are refused", "[store]") {
  for (TrialStatus s : {TrialStatus::kOk, TrialStatus::kFailed, TrialStatus::kCrashed,
                        TrialStatus::kHung, TrialStatus::kInfraError}) {
    auto parsed = ParseTrialStatus(TrialStatusName(s));
    REQUIRE(parsed.has_value());
    CHECK(*parsed == s);
  }
  CHECK(std::string(TrialStatusName(TrialStatus::kInfraError)) == "infra-error");
  CHECK(std::string(TrialStatusName(TrialStatus::kHung)) == "hung");
  CHECK_FALSE(ParseTrialStatus("OK").has_value());
  CHECK_FALSE(ParseTrialStatus("infra_error").has_value());
  CHECK_FALSE(ParseTrialStatus("").has_value());
}

TEST_CASE("Check, claim, classification and verdict names round-trip", "[store]") {
  for (CheckStatus s : {CheckStatus::kPassed, CheckStatus::kFailed, CheckStatus::kNotRun}) {
    CHECK(ParseCheckStatus(CheckStatusName(s)) == s);
  }
  for (Classification c : {Classification::kImproved, Classification::kRegressed,
                           Classification::kEquivalent, Classification::kInconclusive}) {
    CHECK(ParseClassification(ClassificationName(c)) == c);
  }
  for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kInconclusive}) {
    CHECK(ParseVerdict(VerdictName(v)) == v);
  }
  for (ClaimStatus s : {ClaimStatus::kReproduced, ClaimStatus::kPartially,
                        ClaimStatus::kNotReproduced, ClaimStatus::kContradicted,
                        ClaimStatus::kNotCheckable}) {
    CHECK(ParseClaimStatus(ClaimStatusName(s)) == s);
  }
  // The stored words, which the schema's CHECK constraints and old files hold.
  CHECK(std::string(CheckStatusName(CheckStatus::kNotRun)) == "not-run");
  CHECK(std::string(ClassificationName(Classification::kEquivalent)) == "equivalent");
  CHECK(std::string(VerdictName(Verdict::kInconclusive)) == "INCONCLUSIVE");
  CHECK(std::string(ClaimStatusName(ClaimStatus::kNotCheckable)) == "not-checkable");
  CHECK(std::string(ClaimStatusName(ClaimStatus::kPartially)) == "partially");
  // Case matters: the verdict is upper case, the rest lower.
  CHECK_FALSE(ParseVerdict("pass").has_value());
  CHECK_FALSE(ParseCheckStatus("PASSED").has_value());
  CHECK_FALSE(ParseCheckStatus("not_run").has_value());
  CHECK_FALSE(ParseClassification("").has_value());
  CHECK_FALSE(ParseClaimStatus("partial").has_value());
}

}  // namespace kgate
