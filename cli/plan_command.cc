// kgate plan PROPOSAL: print the expanded, interleaved trial plan.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "config/loader.h"
#include "cli/command.h"
#include "plan/plan.h"

namespace kgate {
namespace {

struct PlanCommandOptions {
  std::string proposal;
  bool json = false;
  std::string scenarios;  // comma-separated
  std::optional<int> runs;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> shape;
};

void PrintTable(const Plan& plan) {
  std::size_t arm_w = 3, scenario_w = 8, shape_w = 5;
  for (const PlannedTrial& t : plan.trials) {
    arm_w = std::max(arm_w, t.arm.size());
    scenario_w = std::max(scenario_w, t.scenario.size());
    shape_w = std::max(shape_w, t.shape.Name().size());
  }
  std::cout << fmt::format("{:>5}  {:>5}  {:<{}}  {:<{}}  {}\n", "seq", "round", "arm", arm_w,
                           "scenario", scenario_w, "shape");
  for (const PlannedTrial& t : plan.trials) {
    std::cout << fmt::format("{:>5}  {:>5}  {:<{}}  {:<{}}  {}\n", t.seq, t.round, t.arm, arm_w,
                             t.scenario, scenario_w, t.shape.Name());
  }
  std::cout << fmt::format(
      "{} trials: {} arms x {} scenarios x {} shapes x {} rounds (adaptive up to {}); "
      "seed {}\n",
      plan.trials.size(), plan.arms.size(), plan.scenarios.size(), plan.shapes.size(),
      plan.rounds, plan.max_rounds, plan.seed);
}

int RunPlan(const PlanCommandOptions& options) {
  Result<Proposal> proposal = LoadProposal(options.proposal, LoadOptions::Default());
  if (!proposal.ok()) {
    std::cerr << proposal.status().message() << "\n";
    return static_cast<int>(proposal.status().exit_code());
  }
  PlanOptions plan_options;
  if (!options.scenarios.empty()) {
    for (const std::string& s : Split(options.scenarios, ',')) {
      if (!Trim(s).empty()) plan_options.scenarios.push_back(Trim(s));
    }
  }
  plan_options.runs = options.runs;
  plan_options.seed = options.seed;
  plan_options.shape = options.shape;
  Result<Plan> plan = MakePlan(*proposal, plan_options);
  if (!plan.ok()) return ReportError(plan.status());
  if (options.json) {
    std::cout << PlanToJson(*plan).dump(2) << "\n";
  } else {
    PrintTable(*plan);
  }
  return static_cast<int>(ExitCode::kPass);
}

}  // namespace

void RegisterPlanCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<PlanCommandOptions>();
  CLI::App* sub =
      app.add_subcommand("plan", "print the expanded, interleaved trial plan of a proposal");
  sub->add_option("proposal", options->proposal, "proposal file")->required();
  sub->add_flag("--json", options->json, "print the plan as JSON");
  sub->add_option("--scenarios", options->scenarios, "only these scenarios (comma-separated)");
  sub->add_option("--runs", options->runs, "rounds to plan instead of runs.min")
      ->check(CLI::Range(1, 1000));
  sub->add_option("--seed", options->seed, "arm-order seed (default: from the proposal name)");
  sub->add_option("--shape", options->shape, "only the shape with this name, e.g. 2cpu-1G");
  sub->callback([&context, options] { context.exit_code = RunPlan(*options); });
}

}  // namespace kgate
