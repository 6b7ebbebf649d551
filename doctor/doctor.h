// Doctor: what works on this host, each item proven by doing it, not guessed
// from the presence of a file.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace kgate {

struct DoctorCheck {
  enum class Result {
    kOk,           // proven to work
    kFailed,       // tried, and it does not work
    kUnavailable,  // an optional feature this host cannot offer (KVM here)
    kNotChecked,   // cannot be proven yet (no kernel fetched to boot)
  };
  std::string name;      // "qemu", "tcg-boot", "kvm", "registry", "cache", "store"
  Result result = Result::kNotChecked;
  std::string detail;    // what was done and what it showed
  bool essential = false;  // kgate run cannot work without it
};

// "ok", "FAILED", "unavailable", "not checked"
const char* DoctorResultName(DoctorCheck::Result r);

DoctorCheck CheckRegistry();

// The checks that boot a guest or reach the network, as hooks, so the doctor
// is tested without QEMU and offline.
struct DoctorHooks {
  // Boots a real guest at the tier ("tcg" or "kvm"): kOk with what booted and
  // how fast, kFailed with why, kNotChecked when there is nothing to boot yet.
  std::function<DoctorCheck::Result(const std::string& tier, std::string* detail)> boot_guest;
  std::function<DoctorCheck()> registry = [] { return CheckRegistry(); };
};

// Every check, in the order printed. cache_dir and db_path are where kgate
// writes; each is reported with the free space there.
std::vector<DoctorCheck> RunDoctor(const DoctorHooks& hooks, const std::string& cache_dir,
                                   const std::string& db_path);

DoctorCheck CheckQemu();
DoctorCheck CheckCacheWritable(const std::string& dir);
// The store's folder: writable, and its free space.
DoctorCheck CheckStoreFolder(const std::string& db_path);
DoctorCheck CheckWorkloads();

}  // namespace kgate
