// kgate gate: re-judge a stored run under a policy, without booting.
#include <iostream>

#include <fmt/format.h>

#include "harness/cli/command.h"
#include "metrics/adaptive.h"
#include "metrics/judge.h"
#include "metrics/judge_store.h"
#include "reports/console_report.h"

namespace kgate {
namespace {

struct GateArgs {
  std::int64_t run_id = 0;
  std::string policy;
};

}  // namespace

int LooksOf(const Proposal& proposal, const Policy& policy) {
  return static_cast<int>(LookRounds(proposal.runs.min, proposal.runs.max, policy.looks).size());
}

Result<Judgement> JudgeStoredRun(Store& store, std::int64_t run_id, const std::string& policy,
                                 std::optional<int> rounds) {
  auto input = LoadJudgeInput(store, run_id, policy);
  if (!input.ok()) return input.status();
  JudgeOptions options;
  options.rounds = rounds;
  options.looks = LooksOf(input->proposal, input->policy);
  Judgement j = Judge(*input, options);
  KG_RETURN_IF_ERROR(SaveJudgement(store, run_id, j));
  return j;
}

int PrintStoredJudgement(Store& store, std::int64_t run_id, const CommandContext& context) {
  auto comparisons = store.LoadComparisons(run_id);
  if (!comparisons.ok()) return ReportError(comparisons.status());
  auto verdict = store.LoadVerdict(run_id);
  if (!verdict.ok()) return ReportError(verdict.status());
  auto claims = store.LoadClaims(run_id);
  if (!claims.ok()) return ReportError(claims.status());
  ConsoleReportOptions options{context.global.verbose, context.global.color};
  PrintJudgement(*comparisons, *verdict, *claims, options, std::cout);
  return static_cast<int>(VerdictExitCode(verdict->verdict));
}

void RegisterGateCommand(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<GateArgs>();
  CLI::App* sub = app.add_subcommand("gate", "re-judge a stored run under a policy");
  sub->add_option("run", args->run_id, "the run id (kgate run prints it)")->required();
  sub->add_option("--policy", args->policy, "a policy name under policies/ or a path "
                                            "(default: the proposal's)");
  sub->callback([args, &context] {
    auto store = Store::Open(ResolveDbPath(context), Store::Mode::kReadWrite);
    if (!store.ok()) {
      context.exit_code = ReportError(store.status());
      return;
    }
    auto j = JudgeStoredRun(**store, args->run_id, args->policy, std::nullopt);
    if (!j.ok()) {
      context.exit_code = ReportError(j.status());
      return;
    }
    context.exit_code = PrintStoredJudgement(**store, args->run_id, context);
  });
}

}  // namespace kgate
