#include "plan/plan.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace kgate {
namespace {

// splitmix64: a small, well-mixed generator whose sequence is fixed by its
// definition, unlike std::shuffle's, which varies between standard libraries.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) without modulo bias.
  std::uint64_t Below(std::uint64_t n) {
    std::uint64_t limit = ~0ull - (~0ull % n);
    std::uint64_t x;
    do {
      x = Next();
    } while (x >= limit);
    return x % n;
  }

 private:
  std::uint64_t state_;
};

// The order of the arms in one (round, scenario, shape) block.
std::vector<std::size_t> ArmOrder(const Plan& plan, int round, std::size_t scenario,
                                  std::size_t shape) {
  SplitMix64 rng(plan.seed);
  // Mix the block's coordinates into the seed; the round pair shares one draw.
  for (std::uint64_t part : {static_cast<std::uint64_t>(round / 2), std::uint64_t{scenario},
                             std::uint64_t{shape}}) {
    rng = SplitMix64(rng.Next() ^ part);
  }
  std::vector<std::size_t> order(plan.arms.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t i = order.size(); i > 1; --i) {  // Fisher-Yates
    std::swap(order[i - 1], order[rng.Below(i)]);
  }
  if (round % 2 == 1) std::reverse(order.begin(), order.end());
  return order;
}

Status ApplyFilters(const Proposal& proposal, const PlanOptions& options, Plan* plan) {
  plan->scenarios = proposal.scenarios;
  if (!options.scenarios.empty()) {
    for (const std::string& s : options.scenarios) {
      if (std::find(proposal.scenarios.begin(), proposal.scenarios.end(), s) ==
          proposal.scenarios.end()) {
        std::string hint = ClosestMatch(s, proposal.scenarios);
        return Status::BadInput(fmt::format(
            "--scenarios: '{}' is not among the proposal's scenarios ({}){}", s,
            Join(proposal.scenarios, ", "), hint.empty() ? "" : "; did you mean '" + hint + "'?"));
      }
    }
    plan->scenarios = options.scenarios;
  }
  plan->shapes = proposal.shapes;
  if (options.shape) {
    std::vector<std::string> names;
    for (const Shape& s : proposal.shapes) names.push_back(s.Name());
    auto it = std::find(names.begin(), names.end(), *options.shape);
    if (it == names.end()) {
      return Status::BadInput(fmt::format("--shape: '{}' is not among the proposal's shapes ({})",
                                          *options.shape, Join(names, ", ")));
    }
    plan->shapes = {proposal.shapes[static_cast<std::size_t>(it - names.begin())]};
  }
  return Status::Ok();
}

}  // namespace

std::uint64_t DefaultSeed(const std::string& proposal_name) {
  return std::stoull(Sha256Hex(proposal_name).substr(0, 16), nullptr, 16);
}

std::uint32_t GuestSeed(std::uint64_t plan_seed, int round) {
  // splitmix64 of the plan's seed and the round.
  std::uint64_t z = plan_seed + 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(round + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return static_cast<std::uint32_t>(z & 0x7fffffffu);
}

Result<Plan> MakePlan(const Proposal& proposal, const PlanOptions& options) {
  Plan plan;
  plan.proposal = proposal.name;
  plan.seed = options.seed.value_or(DefaultSeed(proposal.name));
  plan.rounds = options.runs.value_or(proposal.runs.min);
  plan.max_rounds = std::max(plan.rounds, proposal.runs.max);
  if (plan.rounds < 1) {
    return Status::BadInput(fmt::format("--runs: {} rounds; at least 1 is needed", plan.rounds));
  }
  for (const ArmSpec& arm : proposal.Arms()) plan.arms.push_back(arm.name);
  KG_RETURN_IF_ERROR(ApplyFilters(proposal, options, &plan));
  for (int round = 0; round < plan.rounds; ++round) {
    std::vector<PlannedTrial> trials = PlanRound(plan, round, static_cast<int>(plan.trials.size()));
    plan.trials.insert(plan.trials.end(), trials.begin(), trials.end());
  }
  return plan;
}

std::vector<PlannedTrial> PlanRound(const Plan& plan, int round, int first_seq) {
  std::vector<PlannedTrial> trials;
  int seq = first_seq;
  for (std::size_t sc = 0; sc < plan.scenarios.size(); ++sc) {
    for (std::size_t sh = 0; sh < plan.shapes.size(); ++sh) {
      for (std::size_t arm : ArmOrder(plan, round, sc, sh)) {
        trials.push_back({seq++, round, plan.arms[arm], plan.scenarios[sc], plan.shapes[sh]});
      }
    }
  }
  return trials;
}

nlohmann::ordered_json PlanToJson(const Plan& plan) {
  nlohmann::ordered_json shapes = nlohmann::ordered_json::array();
  for (const Shape& s : plan.shapes) {
    shapes.push_back({{"name", s.Name()},
                      {"vcpus", s.vcpus},
                      {"memory_bytes", s.memory_bytes},
                      {"disk_bytes", s.disk_bytes},
                      {"disk_iops", s.disk_iops},
                      {"disk_bps", s.disk_bps}});
  }
  nlohmann::ordered_json trials = nlohmann::ordered_json::array();
  for (const PlannedTrial& t : plan.trials) {
    trials.push_back({{"seq", t.seq},
                      {"round", t.round},
                      {"arm", t.arm},
                      {"scenario", t.scenario},
                      {"shape", t.shape.Name()}});
  }
  return {{"kgate", 1},
          {"proposal", plan.proposal},
          {"seed", std::to_string(plan.seed)},
          {"rounds", plan.rounds},
          {"max_rounds", plan.max_rounds},
          {"arms", plan.arms},
          {"scenarios", plan.scenarios},
          {"shapes", shapes},
          {"trials", trials}};
}

}  // namespace kgate
