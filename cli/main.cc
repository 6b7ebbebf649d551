// kgate: judges Linux kernel changes for mainline fitness.
// Global flags, then the table of subcommands; each lives in its own file.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "base/build_info.h"
#include "base/paths.h"
#include "base/process.h"
#include "cli/command.h"

namespace {

constexpr kgate::RegisterFn kCommands[] = {
    kgate::RegisterRunCommand,     kgate::RegisterValidateCommand, kgate::RegisterPlanCommand,
    kgate::RegisterCompareCommand, kgate::RegisterGateCommand,     kgate::RegisterReportCommand,
    kgate::RegisterServeCommand,   kgate::RegisterAnalyzeCommand,  kgate::RegisterKernelCommand,
    kgate::RegisterMergeCommand,   kgate::RegisterDoctorCommand,   kgate::RegisterCalibrateCommand,
    kgate::RegisterBisectCommand,
};

}  // namespace

int main(int argc, char** argv) {
  kgate::CommandContext context;
  CLI::App app{"kgate: judges Linux kernel changes for mainline fitness.\n"
               "Exit codes: 0 PASS, 1 FAIL, 3 INCONCLUSIVE, 2 bad input, 4 infrastructure."};
  app.set_version_flag("--version", std::string("kgate ") + kgate::build_info::kVersion);
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--db", context.global.db, "results store (default $KGATE_DB or ./kgate.db)");
  app.add_flag("-v,--verbose", context.global.verbose, "say more about what happens");
  context.global.color = isatty(STDOUT_FILENO);
  app.add_flag_callback("--no-color", [&context] { context.global.color = false; },
                        "plain output even on a terminal");
  for (kgate::RegisterFn reg : kCommands) reg(app, context);

  std::vector<std::string> args(argv, argv + argc);
  context.global.argv_line = kgate::ShellJoin(args);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return static_cast<int>(kgate::ExitCode::kBadInput);
  }
  return context.exit_code;
}
