#include "judge/claims.h"

#include <fmt/format.h>

namespace kgate {
namespace {

const Comparison* FindComparison(const std::vector<Comparison>& comparisons,
                                 const ClaimSpec& claim) {
  for (const Comparison& c : comparisons) {
    if (c.scenario == claim.scenario && c.metric == claim.metric && c.vs == claim.vs) return &c;
  }
  return nullptr;
}

// The status of a claimed change (away from 1) given the comparison.
ClaimStatus ChangeStatus(const ClaimSpec& claim, const Comparison& c, bool significant) {
  bool up = claim.ratio > 1;
  bool sig_up = significant && c.ci.low > 1;
  bool sig_down = significant && c.ci.high < 1;
  if (up ? sig_down : sig_up) return ClaimStatus::kContradicted;
  if (!(up ? sig_up : sig_down)) return ClaimStatus::kNotReproduced;
  bool reaches = up ? c.ci.high >= claim.ratio : c.ci.low <= claim.ratio;
  return reaches ? ClaimStatus::kReproduced : ClaimStatus::kPartially;
}

// The status of a bound: the effect stays on one side of the ratio.
ClaimStatus BoundStatus(const ClaimSpec& claim, const Comparison& c) {
  if (claim.op == "<=") {
    if (c.ci.high <= claim.ratio) return ClaimStatus::kReproduced;
    if (c.ci.low > claim.ratio) return ClaimStatus::kContradicted;
  } else {
    if (c.ci.low >= claim.ratio) return ClaimStatus::kReproduced;
    if (c.ci.high < claim.ratio) return ClaimStatus::kContradicted;
  }
  return ClaimStatus::kNotReproduced;
}

}  // namespace

std::vector<ClaimResult> CheckClaims(const Proposal& proposal,
                                     const std::vector<Comparison>& comparisons, double alpha) {
  std::vector<ClaimResult> results;
  for (const ClaimSpec& claim : proposal.claims) {
    ClaimResult r;
    r.spec = claim;
    const Comparison* c = FindComparison(comparisons, claim);
    if (c == nullptr) {
      r.status = ClaimStatus::kNotCheckable;
      r.note = fmt::format("no comparison of {}/{} against {} was measured", claim.scenario,
                           claim.metric, claim.vs);
      results.push_back(std::move(r));
      continue;
    }
    r.shape = c->shape;
    r.reference = c->reference;
    r.measured = c->effect;
    r.ci = c->ci;
    if (!c->decides) {
      r.status = ClaimStatus::kNotCheckable;
      r.note = c->note;
    } else if (c->arm_values.size() < 2 || c->reference_values.size() < 2) {
      r.status = ClaimStatus::kNotCheckable;
      r.note = c->note;
    } else {
      bool significant = c->q_value <= alpha;
      bool change = (claim.op == ">=" && claim.ratio > 1) || (claim.op == "<=" && claim.ratio < 1);
      if (claim.op == "==") {
        r.status = c->ci.Contains(claim.ratio) ? ClaimStatus::kReproduced : ClaimStatus::kNotReproduced;
      } else {
        r.status = change ? ChangeStatus(claim, *c, significant) : BoundStatus(claim, *c);
      }
      r.note = fmt::format("measured x{:.3f} [{:.3f}, {:.3f}] vs claimed {} (q={:.3g})", c->effect,
                           c->ci.low, c->ci.high, claim.expect, c->q_value);
    }
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace kgate
