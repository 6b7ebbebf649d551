// The trial plan: a proposal expanded into the trials a run executes.
//
// trials = arms x scenarios x shapes x rounds. Round r holds every
// (scenario, shape, arm) once; within each (scenario, shape) block the arms
// run in an order drawn from a seeded generator, and every odd round runs
// the previous round's order reversed (ABBA...), so slow drift of the host
// and position effects hit every arm alike and no arm is always first.
// The generator is re-seeded per (seed, round pair, scenario, shape), so any
// round can be planned alone (adaptive sampling adds rounds one at a time)
// and comes out the same as in the full plan.
//
// The default seed derives from the proposal's name, so the same proposal
// always plans the same order; the seed is recorded with the plan.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "config/model.h"

namespace kgate {

struct PlannedTrial {
  int seq = 0;    // 0..N-1 across the plan
  int round = 0;  // repetition round, 0-based
  std::string arm;
  std::string scenario;
  Shape shape;
};

struct PlanOptions {
  std::vector<std::string> scenarios;  // only these (each must be in the proposal)
  std::optional<int> runs;             // rounds, instead of the proposal's runs.min
  std::optional<std::string> shape;    // only the shape with this Shape::Name()
  std::optional<std::uint64_t> seed;   // instead of DefaultSeed(proposal name)
};

struct Plan {
  std::string proposal;
  std::uint64_t seed = 0;
  int rounds = 0;  // rounds planned now (runs.min unless overridden)
  int max_rounds = 0;  // runs.max: the most adaptive sampling may add up to
  std::vector<std::string> arms;
  std::vector<std::string> scenarios;
  std::vector<Shape> shapes;
  std::vector<PlannedTrial> trials;
};

// A stable seed from a proposal's name (the first 64 bits of its SHA-256).
std::uint64_t DefaultSeed(const std::string& proposal_name);

// The seed of every guest booted in round `round` (QEMU -seed under icount):
// drawn per round from the plan's seed and shared by the arms of the round,
// so boot-time randomness (address-space layout, hash seeds) is sampled
// across rounds and matched within one (common random numbers). 31 bits.
std::uint32_t GuestSeed(std::uint64_t plan_seed, int round);

// Expands proposal under options. BadInput when a filter names a scenario or
// shape the proposal does not have (with a did-you-mean), or runs < 1.
Result<Plan> MakePlan(const Proposal& proposal, const PlanOptions& options = {});

// The trials of round `round` alone, numbered from first_seq; the same
// trials, in the same order, as that round of a full plan.
std::vector<PlannedTrial> PlanRound(const Plan& plan, int round, int first_seq);

// {"kgate": 1, "proposal", "seed", "rounds", "max_rounds", "arms",
//  "scenarios", "shapes", "trials": [{seq, round, arm, scenario, shape}]}.
// Keys in that order. The seed is a string: JSON numbers lose 64-bit
// integers in many readers.
nlohmann::ordered_json PlanToJson(const Plan& plan);

}  // namespace kgate
