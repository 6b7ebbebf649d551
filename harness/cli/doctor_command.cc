// kgate doctor: say what works on this host, and prove it.
#include <iostream>

#include <fmt/format.h>

#include "harness/cli/command.h"
#include "harness/doctor.h"

namespace kgate {

void RegisterDoctorCommand(CLI::App& app, CommandContext& context) {
  CLI::App* sub = app.add_subcommand("doctor", "say what works on this host, and prove it");
  sub->callback([&context] {
    DoctorHooks hooks;
    bool essential_failed = false;
    for (const DoctorCheck& c : RunDoctor(hooks)) {
      std::cout << fmt::format("{:<10} {:<8} {}\n", c.name, DoctorResultName(c.result), c.detail);
      if (c.essential && c.result != DoctorCheck::Result::kOk) essential_failed = true;
    }
    context.exit_code = essential_failed ? static_cast<int>(ExitCode::kInfrastructure) : 0;
  });
}

}  // namespace kgate
