// The subcommand table's contract. Each subcommand lives in its own
// <name>_command.cc and exposes one Register function that adds a CLI11
// subcommand whose callback runs the command and stores its exit code.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "base/status.h"
#include "store/store.h"

namespace kgate {

// Flags shared by every subcommand, parsed before it runs.
struct GlobalOptions {
  std::string db;        // --db / $KGATE_DB / ./kgate.db
  bool verbose = false;  // -v
  bool color = true;     // false with --no-color or when stdout is not a TTY
  std::string argv_line; // the whole command line, recorded with runs
};

struct CommandContext {
  GlobalOptions global;
  int exit_code = 0;
};

using RegisterFn = void (*)(CLI::App& app, CommandContext& context);

// One per subcommand, in its own <name>_command.cc.
void RegisterRunCommand(CLI::App& app, CommandContext& context);
void RegisterValidateCommand(CLI::App& app, CommandContext& context);
void RegisterPlanCommand(CLI::App& app, CommandContext& context);
void RegisterCompareCommand(CLI::App& app, CommandContext& context);
void RegisterGateCommand(CLI::App& app, CommandContext& context);
void RegisterReportCommand(CLI::App& app, CommandContext& context);
void RegisterServeCommand(CLI::App& app, CommandContext& context);
void RegisterAnalyzeCommand(CLI::App& app, CommandContext& context);
void RegisterKernelCommand(CLI::App& app, CommandContext& context);
void RegisterMergeCommand(CLI::App& app, CommandContext& context);
void RegisterDoctorCommand(CLI::App& app, CommandContext& context);
void RegisterCalibrateCommand(CLI::App& app, CommandContext& context);
void RegisterBisectCommand(CLI::App& app, CommandContext& context);

// Prints "kgate: <message>" to stderr and returns the status's exit code
// (128 + the signal for a run stopped by one).
int ReportError(const Status& status);
// The same for the failure of a command whose input named what was looked
// up (a run id, a policy): a not-found is then bad input.
int ReportLookupError(const Status& status);

// The store path the user asked for: --db, else $KGATE_DB, else ./kgate.db.
std::string ResolveDbPath(const CommandContext& context);

// Prints the run's stored judgement; returns the verdict's exit code.
int PrintStoredJudgement(Store& store, std::int64_t run_id, const CommandContext& context);

// Report files a command writes after its verdict: --report FORMATS into
// --out DIR. Formats are checked before any work starts (CheckReportRequest),
// so a typo costs nothing.
struct ReportRequest {
  std::string formats;  // comma-separated; empty: none (or html when out is set)
  std::string out;      // empty: out/run-<id>
  bool wanted() const { return !formats.empty() || !out.empty(); }
};
void AddReportOptions(CLI::App* sub, ReportRequest* request);
// 0 when the request is valid (or empty); else the error's exit code, printed.
int CheckReportRequest(const ReportRequest& request);
// Writes the requested reports of a judged run and prints each path. Returns
// verdict_exit when written, else the error's exit code (4 for a folder or
// file that cannot be written).
int WriteRequestedReports(Store& store, std::int64_t run_id, const ReportRequest& request,
                          int verdict_exit);

// A disk size for kgate kernel's tables: "45 MiB", "1.2 GiB".
std::string HumanSize(std::uint64_t bytes);

// kgate kernel build and gc (cli/kernel_build_command.cc), and the table of
// built kernels that kgate kernel list ends with; returns an exit code.
void RegisterKernelBuildCommands(CLI::App& kernel, CommandContext& context);
int PrintBuiltKernels();

// Adds a subcommand that exists in the command table but is not built yet:
// running it says so, names the issue that builds it, and exits 2.
void RegisterNotBuilt(CLI::App& app, CommandContext& context, const std::string& name,
                      const std::string& help, const std::string& pending_on);

}  // namespace kgate
