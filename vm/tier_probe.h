// Tier probing: which tiers actually work on this host, proven by booting.
//
// The KVM probe boots a real guest: /dev/kvm can exist and KVM_CREATE_VM
// succeed while stock kernels hang or hit "KVM internal error. Suberror: 1"
// (nested PVM-style KVM on the development machines), so only a guest agent
// that reports ready and powers off counts as a pass. TCG and icount need no
// probe beyond QEMU itself starting, which the trials prove.
//
// Results are cached per process (keyed by tier + kernel + initrd), so a run
// probes once. Thread-safe.
#pragma once

#include <string>

#include "vm/vm_backend.h"

namespace kgate {

struct TierProbeResult {
  Tier tier = Tier::kKvm;
  bool ok = false;
  std::string reason;  // why it failed, or "guest ready in 1.2 s"
  bool cached = false;
};

struct TierProbeRequest {
  std::string kernel_image;  // a kernel known to boot under TCG
  std::string initrd;        // an image whose task is trivial (e.g. `true`)
  std::string work_dir;      // logs of the probe boot go here
  double timeout_seconds = 30;
  std::string kvm_device = "/dev/kvm";
};

// Probes tier with backend. For kvm: fails fast without booting when the
// device is missing or not read-writable, else boots request's guest with
// tier kvm and passes only when the agent reported ready and QEMU exited
// cleanly (no panic, no timeout).
TierProbeResult ProbeTier(Tier tier, VmBackend& backend, const TierProbeRequest& request);

// `auto`: kvm when its probe passes, else icount (deterministic instruction
// counts beat noisy TCG wall times). *why explains the choice.
Tier ResolveAutoTier(VmBackend& backend, const TierProbeRequest& request, std::string* why);

// Forgets cached probe results (tests).
void ClearTierProbeCache();

}  // namespace kgate
