#include "vm/vm_backend.h"

namespace kgate {

const char* TierName(Tier tier) {
  switch (tier) {
    case Tier::kTcg: return "tcg";
    case Tier::kIcount: return "icount";
    case Tier::kKvm: return "kvm";
  }
  return "?";
}

Result<Tier> ParseTier(const std::string& name) {
  for (Tier t : {Tier::kTcg, Tier::kIcount, Tier::kKvm}) {
    if (name == TierName(t)) return t;
  }
  return Status::BadInput("unknown tier '" + name + "': expected tcg, icount or kvm");
}

const char* MachineName(Machine machine) {
  switch (machine) {
    case Machine::kPc: return "pc";
    case Machine::kQ35: return "q35";
    case Machine::kMicrovm: return "microvm";
  }
  return "?";
}

const char* ExitReasonName(ExitReason reason) {
  switch (reason) {
    case ExitReason::kPoweredOff: return "powered-off";
    case ExitReason::kPanicked: return "panicked";
    case ExitReason::kTimedOut: return "timed-out";
    case ExitReason::kLogLimit: return "log-limit";
    case ExitReason::kQemuFailed: return "qemu-failed";
  }
  return "?";
}

}  // namespace kgate
