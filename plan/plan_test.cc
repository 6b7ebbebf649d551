#include "plan/plan.h"

#include <map>
#include <set>

#include <catch2/catch.hpp>

namespace kgate {
namespace {

Proposal TwoArmProposal() {
  Proposal p;
  p.name = "plan-test";
  p.baseline.name = "baseline";
  p.candidate.name = "candidate";
  p.scenarios = {"hackbench-pipe", "fio-randread", "stress-ng-vm"};
  Shape small, big;
  big.vcpus = 2;
  big.memory_bytes = 1ull << 30;
  p.shapes = {small, big};
  p.runs = {4, 8};
  return p;
}

// The arm order of every (round, scenario, shape) block, as one string.
std::string Orders(const Plan& plan) {
  std::string out;
  for (const PlannedTrial& t : plan.trials) out += t.arm.substr(0, 1);
  return out;
}

}  // namespace

TEST_CASE("a plan holds every arm x scenario x shape once per round", "[plan]") {
  Result<Plan> r = MakePlan(TwoArmProposal());
  REQUIRE(r.ok());
  const Plan& plan = *r;
  CHECK(plan.rounds == 4);
  CHECK(plan.max_rounds == 8);
  REQUIRE(plan.trials.size() == 2u * 3 * 2 * 4);
  std::map<std::tuple<int, std::string, std::string, std::string>, int> seen;
  for (std::size_t i = 0; i < plan.trials.size(); ++i) {
    const PlannedTrial& t = plan.trials[i];
    CHECK(t.seq == static_cast<int>(i));
    ++seen[{t.round, t.arm, t.scenario, t.shape.Name()}];
  }
  CHECK(seen.size() == plan.trials.size());  // no trial twice
  // Rounds are contiguous: round r's trials all come before round r+1's.
  for (std::size_t i = 1; i < plan.trials.size(); ++i) {
    CHECK(plan.trials[i].round >= plan.trials[i - 1].round);
  }
}

TEST_CASE("arms alternate ABBA within each block and are balanced", "[plan]") {
  Plan plan = *MakePlan(TwoArmProposal());
  int baseline_first = 0, blocks = 0;
  for (std::size_t i = 0; i < plan.trials.size(); i += 2) {
    const PlannedTrial& a = plan.trials[i];
    const PlannedTrial& b = plan.trials[i + 1];
    REQUIRE(a.scenario == b.scenario);
    REQUIRE(a.shape.Name() == b.shape.Name());
    CHECK(a.arm != b.arm);  // both arms in every block
    baseline_first += a.arm == "baseline";
    ++blocks;
    // Odd rounds reverse the previous round's order for the same block.
    if (a.round % 2 == 1) {
      std::size_t prev = i - 2 * 3 * 2;
      CHECK(plan.trials[prev].arm == b.arm);
      CHECK(plan.trials[prev + 1].arm == a.arm);
    }
  }
  CHECK(baseline_first * 2 == blocks);  // exactly half, by the ABBA pairing
}

TEST_CASE("the order is reproducible for a seed and differs between seeds", "[plan]") {
  Proposal p = TwoArmProposal();
  std::string default_order = Orders(*MakePlan(p));
  CHECK(Orders(*MakePlan(p)) == default_order);
  CHECK(MakePlan(p)->seed == DefaultSeed("plan-test"));
  PlanOptions seeded;
  seeded.seed = 1;
  std::string one = Orders(*MakePlan(p, seeded));
  seeded.seed = 2;
  std::string two = Orders(*MakePlan(p, seeded));
  CHECK(one != two);
  CHECK(one != default_order);
  // A different proposal name is a different default seed.
  p.name = "plan-test-2";
  CHECK(Orders(*MakePlan(p)) != default_order);
}

TEST_CASE("guest seeds: one per round, shared by its arms, stable for a plan seed", "[plan]") {
  std::set<std::uint32_t> seen;
  for (int round = 0; round < 100; ++round) {
    std::uint32_t s = GuestSeed(42, round);
    CHECK(s == GuestSeed(42, round));
    CHECK(s <= 0x7fffffffu);
    seen.insert(s);
  }
  CHECK(seen.size() == 100);
  CHECK(GuestSeed(42, 0) != GuestSeed(43, 0));
}

TEST_CASE("a round planned alone equals that round of the full plan", "[plan]") {
  Plan plan = *MakePlan(TwoArmProposal());
  std::vector<PlannedTrial> round2 = PlanRound(plan, 2, 24);
  REQUIRE(round2.size() == 12);
  for (std::size_t i = 0; i < round2.size(); ++i) {
    CHECK(round2[i].seq == plan.trials[24 + i].seq);
    CHECK(round2[i].arm == plan.trials[24 + i].arm);
    CHECK(round2[i].scenario == plan.trials[24 + i].scenario);
  }
  // Adaptive rounds beyond runs.min continue the pattern.
  std::vector<PlannedTrial> round4 = PlanRound(plan, 4, 48);
  CHECK(round4.front().seq == 48);
  CHECK(round4.front().round == 4);
}

TEST_CASE("tuned arms join every block", "[plan]") {
  Proposal p = TwoArmProposal();
  p.tuned = TunedSpec{};
  p.tuned->sweep["/sys/block/vda/queue/read_ahead_kb"] = {"16", "512"};
  Plan plan = *MakePlan(p);
  CHECK(plan.arms == std::vector<std::string>{"baseline", "candidate", "tuned:read_ahead_kb=16",
                                              "tuned:read_ahead_kb=512"});
  CHECK(plan.trials.size() == 4u * 3 * 2 * 4);
  std::set<std::string> block;
  for (int i = 0; i < 4; ++i) block.insert(plan.trials[i].arm);
  CHECK(block.size() == 4);
}

TEST_CASE("filters narrow the plan and reject what the proposal lacks", "[plan]") {
  Proposal p = TwoArmProposal();
  PlanOptions o;
  o.scenarios = {"fio-randread"};
  o.runs = 1;
  o.shape = "2cpu-1G";
  Plan plan = *MakePlan(p, o);
  REQUIRE(plan.trials.size() == 2);
  CHECK(plan.trials[0].scenario == "fio-randread");
  CHECK(plan.trials[0].shape.vcpus == 2);

  o = {};
  o.scenarios = {"fio-randreed"};
  CHECK(MakePlan(p, o).status().message() ==
        "--scenarios: 'fio-randreed' is not among the proposal's scenarios (hackbench-pipe, "
        "fio-randread, stress-ng-vm); did you mean 'fio-randread'?");
  o = {};
  o.shape = "4cpu-1G";
  CHECK(MakePlan(p, o).status().message() ==
        "--shape: '4cpu-1G' is not among the proposal's shapes (1cpu-512M, 2cpu-1G)");
  o = {};
  o.runs = 0;
  CHECK(MakePlan(p, o).status().code() == Status::Code::kBadInput);
}

TEST_CASE("the JSON form carries the plan and its seed", "[plan]") {
  Plan plan = *MakePlan(TwoArmProposal());
  nlohmann::ordered_json j = PlanToJson(plan);
  CHECK(j.begin().key() == "kgate");
  CHECK(j["kgate"] == 1);
  CHECK(j["seed"] == std::to_string(DefaultSeed("plan-test")));
  CHECK(j["trials"].size() == plan.trials.size());
  CHECK(j["trials"][5]["arm"] == plan.trials[5].arm);
  CHECK(j["trials"][5]["shape"] == plan.trials[5].shape.Name());
  CHECK(j["shapes"][1]["memory_bytes"] == (1ull << 30));
}

}  // namespace kgate
