// kgate gate: re-judge a stored run under a policy, without booting.
#include <iostream>

#include <fmt/format.h>

#include "cli/command.h"
#include "judge/stored_run.h"
#include "reports/console_report.h"
#include "reports/report_data.h"
#include "reports/report_files.h"

namespace kgate {
namespace {

struct GateArgs {
  std::int64_t run_id = 0;
  std::string policy;
  ReportRequest report;
};

}  // namespace

void AddReportOptions(CLI::App* sub, ReportRequest* request) {
  sub->add_option("--report", request->formats,
                  "also write these report formats, comma-separated (e.g. html,junit,sarif)");
  sub->add_option("--out", request->out, "the folder for --report files (default out/run-<id>)");
}

int CheckReportRequest(const ReportRequest& request) {
  if (request.formats.empty()) return 0;
  auto formats = ParseReportFormats(request.formats);
  return formats.ok() ? 0 : ReportError(formats.status());
}

int WriteRequestedReports(Store& store, std::int64_t run_id, const ReportRequest& request,
                          int verdict_exit) {
  if (!request.wanted()) return verdict_exit;
  auto formats = ParseReportFormats(request.formats.empty() ? "html" : request.formats);
  if (!formats.ok()) return ReportError(formats.status());
  auto data = LoadReportData(store, run_id);
  if (!data.ok()) return ReportError(data.status());
  std::string dir = request.out.empty() ? fmt::format("out/run-{}", run_id) : request.out;
  auto written = WriteReports(*data, *formats, dir);
  if (!written.ok()) return ReportError(written.status());
  for (const std::string& path : *written) std::cout << "report: " << path << "\n";
  return verdict_exit;
}

int PrintStoredJudgement(Store& store, std::int64_t run_id, const CommandContext& context) {
  auto comparisons = store.LoadComparisons(run_id);
  if (!comparisons.ok()) return ReportError(comparisons.status());
  auto verdict = store.LoadVerdict(run_id);
  if (!verdict.ok()) return ReportError(verdict.status());
  auto claims = store.LoadClaims(run_id);
  if (!claims.ok()) return ReportError(claims.status());
  auto checks = store.LoadChecks(run_id);
  if (!checks.ok()) return ReportError(checks.status());
  ConsoleReportOptions options{context.global.verbose, context.global.color};
  PrintJudgement(*comparisons, *verdict, *claims, *checks, options, std::cout);
  return static_cast<int>(VerdictExitCode(verdict->verdict));
}

void RegisterGateCommand(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<GateArgs>();
  CLI::App* sub = app.add_subcommand("gate", "re-judge a stored run under a policy");
  sub->add_option("run", args->run_id, "the run id (kgate run prints it)")->required();
  sub->add_option("--policy", args->policy,
                  "a policy name under policies/ or a path (default: the policy stored with "
                  "the run)");
  AddReportOptions(sub, &args->report);
  sub->callback([args, &context] {
    if (int bad = CheckReportRequest(args->report); bad != 0) {
      context.exit_code = bad;
      return;
    }
    auto store = Store::Open(ResolveDbPath(context), Store::Mode::kReadWrite);
    if (!store.ok()) {
      context.exit_code = ReportError(store.status());
      return;
    }
    auto j = JudgeStoredRun(**store, args->run_id, args->policy, std::nullopt);
    if (!j.ok()) {
      context.exit_code = ReportLookupError(j.status());
      return;
    }
    int verdict_exit = PrintStoredJudgement(**store, args->run_id, context);
    context.exit_code = WriteRequestedReports(**store, args->run_id, args->report, verdict_exit);
  });
}

}  // namespace kgate
