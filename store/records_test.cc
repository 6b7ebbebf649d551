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

}  // namespace kgate
