#include "vm/tier_probe.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>


namespace kgate {
namespace {

std::mutex cache_mutex;
std::map<std::string, TierProbeResult>& Cache() {
  static std::map<std::string, TierProbeResult> cache;
  return cache;
}

std::string CacheKey(Tier tier, const TierProbeRequest& r) {
  return std::string(TierName(tier)) + "|" + r.kernel_image + "|" + r.initrd + "|" + r.kvm_device;
}

std::string Tail(const std::string& s, std::size_t n) { return s.size() > n ? "..." + s.substr(s.size() - n) : s; }

TierProbeResult ProbeByBooting(Tier tier, VmBackend& backend, const TierProbeRequest& request) {
  TierProbeResult result{tier, false, "", false};
  BootRequest boot;
  boot.kernel_image = request.kernel_image;
  boot.initrd = request.initrd;
  boot.tier = tier;
  boot.trial_dir = request.work_dir + "/probe-" + TierName(tier);
  boot.timeout_seconds = request.timeout_seconds;
  auto outcome = backend.Boot(boot);
  if (!outcome.ok()) {
    result.reason = "probe not runnable: " + outcome.status().message();
    return result;
  }
  bool ready = outcome->ready_seconds >= 0;
  switch (outcome->reason) {
    case ExitReason::kQemuFailed:
      result.reason = "QEMU failed: " + Tail(outcome->detail, 300);
      return result;
    case ExitReason::kTimedOut:
      result.reason = std::string("guest did not power off within ") +
                      std::to_string(static_cast<int>(request.timeout_seconds)) + " s" +
                      (ready ? " (agent was ready)" : " (agent never ready)");
      return result;
    case ExitReason::kPanicked:
      result.reason = "guest kernel panicked: " + outcome->detail;
      return result;
    case ExitReason::kLogLimit:
      result.reason = "guest flooded its logs: " + outcome->detail;
      return result;
    case ExitReason::kPoweredOff:
      break;
  }
  if (!ready) {
    result.reason = "QEMU exited but the agent never reported ready";
    return result;
  }
  result.ok = true;
  result.reason = "guest ready in " + std::to_string(outcome->ready_seconds).substr(0, 5) + " s";
  return result;
}

}  // namespace

TierProbeResult ProbeTier(Tier tier, VmBackend& backend, const TierProbeRequest& request) {
  std::string key = CacheKey(tier, request);
  {
    std::lock_guard<std::mutex> lock(cache_mutex);
    auto it = Cache().find(key);
    if (it != Cache().end()) {
      TierProbeResult r = it->second;
      r.cached = true;
      return r;
    }
  }
  TierProbeResult result{tier, false, "", false};
  if (tier == Tier::kKvm) {
    int fd = open(request.kvm_device.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
      result.reason = request.kvm_device + ": " + strerror(errno);
    } else {
      close(fd);
      result = ProbeByBooting(tier, backend, request);
    }
  } else {
    result = ProbeByBooting(tier, backend, request);
  }
  std::lock_guard<std::mutex> lock(cache_mutex);
  Cache()[key] = result;
  return result;
}

Tier ResolveAutoTier(VmBackend& backend, const TierProbeRequest& request, std::string* why) {
  TierProbeResult kvm = ProbeTier(Tier::kKvm, backend, request);
  if (kvm.ok) {
    *why = "kvm: the probe guest booted (" + kvm.reason + ")";
    return Tier::kKvm;
  }
  *why = "icount: kvm probe failed (" + kvm.reason + ")";
  return Tier::kIcount;
}

void ClearTierProbeCache() {
  std::lock_guard<std::mutex> lock(cache_mutex);
  Cache().clear();
}

}  // namespace kgate
