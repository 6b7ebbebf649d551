// kgate run: execute a proposal: boot each arm, run each scenario, store
// every sample.
#include <iostream>

#include <fmt/format.h>

#include "base/process.h"
#include "base/strings.h"
#include "cli/command.h"
#include "cli/run_console.h"
#include "engine/run_engine.h"
#include "reports/console_report.h"

namespace kgate {
namespace {

struct RunArgs {
  std::string proposal;
  std::int64_t resume = 0;
  std::string tier;
  std::string shape;
  std::string scenarios;
  int runs = 0;
  std::string machine = "pc";
  std::string kernel_image = "pvh";
  int icount_shift = kDefaultIcountShift;
  std::string work_dir;
  ReportRequest report;
};

int Execute(const RunArgs& args, CommandContext& context) {
  if (int bad = CheckReportRequest(args.report); bad != 0) return bad;
  RunOptions options;
  options.command_line = context.global.argv_line;
  options.tier = args.tier;
  options.work_dir = args.work_dir.empty() ? DefaultWorkDir(ResolveDbPath(context)) : args.work_dir;
  if (args.resume > 0) options.resume_run_id = args.resume;
  if (!args.scenarios.empty()) options.plan.scenarios = Split(args.scenarios, ',');
  if (args.runs > 0) options.plan.runs = args.runs;
  options.adaptive = args.runs == 0;
  if (!args.shape.empty()) options.plan.shape = args.shape;
  if (args.machine == "q35") options.machine = Machine::kQ35;
  if (args.machine == "microvm") options.machine = Machine::kMicrovm;
  options.prefer_pvh = args.kernel_image == "pvh";
  options.icount_shift = args.icount_shift;

  auto console = OpenConsoleRun(ResolveDbPath(context));
  if (!console.ok()) return ReportError(console.status());
  Store& db = *console->store;
  const RunEnvironment& env = console->env;
  auto summary = RunEngine(env).Run(args.proposal, options);
  if (!summary.ok()) {
    int code = ReportLookupError(summary.status());
    if (summary.status().code() == Status::Code::kInterrupted && console->observer->run_id() > 0) {
      std::cerr << fmt::format(
          "kgate: run {} is marked interrupted and keeps its stored trials; resume it with: "
          "kgate run {} --resume {}\n",
          console->observer->run_id(), ShellQuote(args.proposal), console->observer->run_id());
    }
    return code;
  }

  std::vector<std::string> counts;
  for (const auto& [status, n] : summary->by_status) counts.push_back(fmt::format("{} {}", n, status));
  std::cout << fmt::format("run {}: {} trials run ({}), {} already stored, tier {}, store {}\n",
                           summary->run_id, summary->trials_run, Join(counts, ", "),
                           summary->trials_skipped, summary->tier, ResolveDbPath(context));
  if (context.global.verbose) {
    auto samples = db.LoadSamples(summary->run_id);
    if (!samples.ok()) return ReportError(samples.status());
    PrintArmMedians(*samples, std::cout);
  }
  int verdict_exit = PrintStoredJudgement(db, summary->run_id, context);
  return WriteRequestedReports(db, summary->run_id, args.report, verdict_exit);
}

}  // namespace

void RegisterRunCommand(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* sub = app.add_subcommand(
      "run", "execute a proposal: boot each arm, run each scenario, store every sample");
  sub->add_option("proposal", args->proposal, "proposal.yaml")->required();
  sub->add_option("--resume", args->resume, "continue stored run RUN_ID, skipping its stored trials");
  sub->add_option("--tier", args->tier, "icount | tcg | kvm | auto (default: the proposal's)");
  sub->add_option("--shape", args->shape, "only the shape with this name, e.g. 1cpu-512M");
  sub->add_option("--scenarios", args->scenarios, "only these scenarios, comma-separated");
  sub->add_option("--runs", args->runs,
                  "a fixed number of rounds: no adaptive sampling from runs.min to runs.max");
  sub->add_option("--machine", args->machine, "QEMU machine: pc | q35 | microvm")
      ->check(CLI::IsMember({"pc", "q35", "microvm"}));
  sub->add_option("--kernel-image", args->kernel_image,
                  "pvh: the uncompressed vmlinux through its PVH entry (faster); bzimage")
      ->check(CLI::IsMember({"pvh", "bzimage"}));
  sub->add_option("--icount-shift", args->icount_shift,
                  "tier icount: 2^N ns of guest time per instruction (default 3), for scenarios "
                  "that do not name their own icount_shift (docs/tiers.md)")
      ->check(CLI::Range(0, 10));
  sub->add_option("--work-dir", args->work_dir,
                  "where trial logs go (default <cache>/trials/<hash of the store's path>)");
  AddReportOptions(sub, &args->report);
  sub->callback([args, &context] { context.exit_code = Execute(*args, context); });
}

}  // namespace kgate
