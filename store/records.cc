#include "store/records.h"

#include <array>
#include <cstddef>
#include <utility>

#include "base/check.h"

namespace kgate {
namespace {

template <typename Enum, std::size_t N>
using Names = std::array<std::pair<Enum, const char*>, N>;

constexpr Names<TrialStatus, 5> kTrialStatusNames = {{
    {TrialStatus::kOk, "ok"},
    {TrialStatus::kFailed, "failed"},
    {TrialStatus::kCrashed, "crashed"},
    {TrialStatus::kHung, "hung"},
    {TrialStatus::kInfraError, "infra-error"},
}};

constexpr Names<CheckStatus, 3> kCheckStatusNames = {{
    {CheckStatus::kPassed, "passed"},
    {CheckStatus::kFailed, "failed"},
    {CheckStatus::kNotRun, "not-run"},
}};

constexpr Names<Classification, 4> kClassificationNames = {{
    {Classification::kImproved, "improved"},
    {Classification::kRegressed, "regressed"},
    {Classification::kEquivalent, "equivalent"},
    {Classification::kInconclusive, "inconclusive"},
}};

constexpr Names<Verdict, 3> kVerdictNames = {{
    {Verdict::kPass, "PASS"},
    {Verdict::kFail, "FAIL"},
    {Verdict::kInconclusive, "INCONCLUSIVE"},
}};

constexpr Names<ClaimStatus, 5> kClaimStatusNames = {{
    {ClaimStatus::kReproduced, "reproduced"},
    {ClaimStatus::kPartially, "partially"},
    {ClaimStatus::kNotReproduced, "not-reproduced"},
    {ClaimStatus::kContradicted, "contradicted"},
    {ClaimStatus::kNotCheckable, "not-checkable"},
}};

template <typename Enum, std::size_t N>
const char* NameOf(const Names<Enum, N>& names, Enum value, const char* type) {
  for (const auto& [e, name] : names) {
    if (e == value) return name;
  }
  KG_CHECK(false) << "unknown " << type << " " << static_cast<int>(value);
  return "";
}

template <typename Enum, std::size_t N>
std::optional<Enum> Parse(const Names<Enum, N>& names, const std::string& text) {
  for (const auto& [e, name] : names) {
    if (text == name) return e;
  }
  return std::nullopt;
}

}  // namespace

const char* TrialStatusName(TrialStatus s) { return NameOf(kTrialStatusNames, s, "TrialStatus"); }
std::optional<TrialStatus> ParseTrialStatus(const std::string& s) {
  return Parse(kTrialStatusNames, s);
}

const char* CheckStatusName(CheckStatus s) { return NameOf(kCheckStatusNames, s, "CheckStatus"); }
std::optional<CheckStatus> ParseCheckStatus(const std::string& s) {
  return Parse(kCheckStatusNames, s);
}

const char* ClassificationName(Classification c) {
  return NameOf(kClassificationNames, c, "Classification");
}
std::optional<Classification> ParseClassification(const std::string& s) {
  return Parse(kClassificationNames, s);
}

const char* VerdictName(Verdict v) { return NameOf(kVerdictNames, v, "Verdict"); }
std::optional<Verdict> ParseVerdict(const std::string& s) { return Parse(kVerdictNames, s); }

const char* ClaimStatusName(ClaimStatus s) { return NameOf(kClaimStatusNames, s, "ClaimStatus"); }
std::optional<ClaimStatus> ParseClaimStatus(const std::string& s) {
  return Parse(kClaimStatusNames, s);
}

}  // namespace kgate
