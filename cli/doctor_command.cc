// kgate doctor: say what works on this host, and prove it.
#include <iostream>

#include <fmt/format.h>

#include "cli/command.h"
#include "base/paths.h"
#include "doctor/doctor.h"
#include "vm/probe_guest.h"

namespace kgate {

void RegisterDoctorCommand(CLI::App& app, CommandContext& context) {
  CLI::App* sub = app.add_subcommand("doctor", "say what works on this host, and prove it");
  sub->callback([&context] {
    DoctorHooks hooks;
    auto backend = MakeQemuBackend();
    hooks.boot_guest = [&backend](const std::string& tier, std::string* detail) {
      Tier t = tier == "kvm" ? Tier::kKvm : Tier::kTcg;
      return BootProbeGuest(t, CacheDir(), DefaultProcessRunner(), *backend, detail);
    };
    bool essential_failed = false;
    for (const DoctorCheck& c : RunDoctor(hooks)) {
      std::cout << fmt::format("{:<10} {:<8} {}\n", c.name, DoctorResultName(c.result), c.detail);
      if (c.essential && c.result != DoctorCheck::Result::kOk) essential_failed = true;
    }
    context.exit_code = essential_failed ? static_cast<int>(ExitCode::kInfrastructure) : 0;
  });
}

}  // namespace kgate
