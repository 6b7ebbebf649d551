#include "cli/command.h"

#include <iostream>

#include <fmt/format.h>

#include "base/interrupt.h"
#include "base/paths.h"

namespace kgate {

int ReportError(const Status& status) {
  std::cerr << "kgate: " << status.message() << "\n";
  if (status.code() == Status::Code::kInterrupted) return 128 + (StopSignal() ? StopSignal() : 2);
  return static_cast<int>(status.exit_code());
}

int ReportLookupError(const Status& status) {
  return ReportError(status.code() == Status::Code::kNotFound
                         ? status.WithCode(Status::Code::kBadInput)
                         : status);
}

std::string ResolveDbPath(const CommandContext& context) {
  return context.global.db.empty() ? DefaultDbPath() : context.global.db;
}

void RegisterNotBuilt(CLI::App& app, CommandContext& context, const std::string& name,
                      const std::string& help, const std::string& pending_on) {
  CLI::App* sub = app.add_subcommand(name, help + " [not built yet]");
  sub->allow_extras();
  sub->fallthrough(false);
  sub->callback([&context, name, pending_on] {
    std::cerr << "kgate " << name << ": not built yet (" << pending_on
              << "); nothing was done\n";
    context.exit_code = static_cast<int>(ExitCode::kBadInput);
  });
}

std::string HumanSize(std::uint64_t bytes) {
  if (bytes >= (1u << 30)) return fmt::format("{:.1f} GiB", bytes / double(1u << 30));
  return fmt::format("{:.0f} MiB", bytes / double(1u << 20));
}

}  // namespace kgate
