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

}  // namespace kgate
