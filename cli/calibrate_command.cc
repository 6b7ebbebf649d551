// kgate calibrate: the gate's error rates, measured on a stored A/A run
// (judge/calibration.h says how).
#include <iostream>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/command.h"
#include "judge/adaptive.h"
#include "judge/calibration.h"
#include "judge/stored_run.h"

namespace kgate {
namespace {

struct CalibrateArgs {
  std::int64_t run_id = 0;
  std::string policy;
  int iterations = 200;
  std::uint64_t seed = 1;
  std::string inject = "0";
  int min_rounds = 0;
  int max_rounds = 0;
};

std::string Counts(const std::map<std::string, int>& counts) {
  std::vector<std::string> parts;
  for (const auto& [name, n] : counts) parts.push_back(fmt::format("{} {}", name, n));
  return parts.empty() ? "-" : Join(parts, ", ");
}

int Execute(const CalibrateArgs& args, const CommandContext& context) {
  auto store = Store::Open(ResolveDbPath(context), Store::Mode::kReadOnly);
  if (!store.ok()) return ReportError(store.status());
  auto aa = LoadJudgeInput(**store, args.run_id, args.policy);
  if (!aa.ok()) return ReportLookupError(aa.status());
  std::vector<double> injects;
  for (const std::string& text : Split(args.inject, ',')) {
    char* end = nullptr;
    double pct = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || pct < 0 || pct >= 100) {
      return ReportError(Status::BadInput(fmt::format(
          "--inject: '{}' is not a percentage in [0, 100), e.g. --inject 0,2,5", text)));
    }
    injects.push_back(pct / 100);
  }
  bool header = false;
  for (double inject : injects) {
    CalibrationOptions options{args.iterations, args.seed, inject, args.min_rounds, args.max_rounds};
    auto r = Calibrate(*aa, options);
    if (!r.ok()) return ReportError(r.status());
    if (!header) {
      std::cout << fmt::format(
          "calibration on run {} ({}, tier {}), policy {}: {} simulated runs per line, looks "
          "after {} rounds at alpha {:.4g} each; pool {} ok trials per scenario x shape\n",
          args.run_id, aa->proposal.name, aa->tier, aa->policy.name, r->iterations,
          Join([&] {
            std::vector<std::string> v;
            for (int l : r->looks) v.push_back(std::to_string(l));
            return v;
          }(), ","),
          AlphaPerLook(aa->policy.alpha, static_cast<int>(r->looks.size())), r->pool_per_cell);
      std::cout << fmt::format("{:>7} {:>7} {:>7} {:>13} {:>9} {:>12}  {}\n", "inject", "PASS",
                               "FAIL", "INCONCLUSIVE", "non-PASS", "mean rounds", "FAIL rules");
      header = true;
    }
    std::cout << fmt::format("{:>6.1f}% {:>6.1f}% {:>6.1f}% {:>12.1f}% {:>8.1f}% {:>12.1f}  {}\n",
                             inject * 100, r->Share("PASS") * 100, r->Share("FAIL") * 100,
                             r->Share("INCONCLUSIVE") * 100, (1 - r->Share("PASS")) * 100,
                             r->mean_rounds, Counts(r->fail_rules));
    if (context.global.verbose && !r->open_comparisons.empty()) {
      std::cout << "        left unresolved: " << Counts(r->open_comparisons) << "\n";
    }
  }
  return 0;
}

}  // namespace

void RegisterCalibrateCommand(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<CalibrateArgs>();
  CLI::App* sub = app.add_subcommand(
      "calibrate", "measure the gate's false-positive rate (and power) on a stored A/A run");
  sub->add_option("run", args->run_id, "a stored A/A run (identical baseline and candidate)")
      ->required();
  sub->add_option("--policy", args->policy, "policy name or path (default: the proposal's)");
  sub->add_option("--iterations", args->iterations, "simulated runs per line (default 200)")
      ->check(CLI::Range(1, 100000));
  sub->add_option("--seed", args->seed, "shuffling and bootstrap seed (default 1)");
  sub->add_option("--inject", args->inject,
                  "known costs to inject into the simulated candidate, in percent, "
                  "comma-separated (default 0: a pure A/A)");
  sub->add_option("--min", args->min_rounds, "rounds of the first look (default runs.min)");
  sub->add_option("--max", args->max_rounds, "rounds of the last look (default runs.max)");
  sub->callback([args, &context] { context.exit_code = Execute(*args, context); });
}

}  // namespace kgate
