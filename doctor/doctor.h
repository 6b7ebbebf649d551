// Doctor: what works on this host, each item proven by doing it, not guessed
// from the presence of a file.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace kgate {

struct DoctorCheck {
  enum class Result { kOk, kFailed, kSkipped };
  std::string name;      // "qemu", "tcg-boot", "kvm", "registry", "cache"
  Result result = Result::kSkipped;
  std::string detail;    // what was done and what it showed
  bool essential = false;  // kgate run cannot work without it
};

const char* DoctorResultName(DoctorCheck::Result r);

// Hooks for the checks that need parts built elsewhere (a booted guest), so
// the doctor can be tested without QEMU.
struct DoctorHooks {
  // Boots a real guest at the tier ("tcg" or "kvm"); returns "" on success or
  // why it failed, with *detail describing what was booted and how long it took.
  std::function<std::string(const std::string& tier, std::string* detail)> boot_guest;
};

std::vector<DoctorCheck> RunDoctor(const DoctorHooks& hooks);

DoctorCheck CheckQemu();
DoctorCheck CheckRegistry();
DoctorCheck CheckCacheWritable(const std::string& dir);
DoctorCheck CheckWorkloads();

}  // namespace kgate
