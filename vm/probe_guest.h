// The probe guest: the smallest real trial — kgate-agent running `true` — used
// to prove that a tier boots (the KVM probe of `tier: auto`, `kgate doctor`).
#pragma once

#include <string>

#include "base/process.h"
#include "base/status.h"
#include "vm/tier_probe.h"
#include "vm/vm_backend.h"

namespace kgate {

// Writes work_dir/initrd.cpio (base image + a task that runs `true` once) and
// returns the probe request for kernel_image. Infrastructure when the files
// cannot be written.
Result<TierProbeRequest> MakeProbeRequest(const std::string& kernel_image,
                                          const std::string& base_image,
                                          const std::string& work_dir);

enum class ProbeBoot {
  kBooted,     // *detail: what booted and how fast
  kFailed,     // *detail: why (no agent, the boot's failure)
  kNoKernel,   // nothing to boot yet: the cache holds no kernel
};

// Boots the probe guest at tier with a kernel already in the cache (the
// newest 6.12 cloud kernel when there is one) and an agent-only image.
ProbeBoot BootProbeGuest(Tier tier, const std::string& cache_dir, ProcessRunner& runner,
                         VmBackend& backend, std::string* detail);

}  // namespace kgate
