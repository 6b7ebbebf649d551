#include "store/records.h"

#include <array>
#include <utility>

#include "base/check.h"

namespace kgate {
namespace {

constexpr std::array<std::pair<TrialStatus, const char*>, 5> kTrialStatusNames = {{
    {TrialStatus::kOk, "ok"},
    {TrialStatus::kFailed, "failed"},
    {TrialStatus::kCrashed, "crashed"},
    {TrialStatus::kHung, "hung"},
    {TrialStatus::kInfraError, "infra-error"},
}};

}  // namespace

const char* TrialStatusName(TrialStatus s) {
  for (const auto& [status, name] : kTrialStatusNames) {
    if (status == s) return name;
  }
  KG_CHECK(false) << "unknown TrialStatus " << static_cast<int>(s);
  return "";
}

std::optional<TrialStatus> ParseTrialStatus(const std::string& s) {
  for (const auto& [status, name] : kTrialStatusNames) {
    if (s == name) return status;
  }
  return std::nullopt;
}

}  // namespace kgate
