// kgate doctor: say what works on this host, and prove it.
#include <iostream>

#include <fmt/format.h>

#include "base/paths.h"
#include "base/process.h"
#include "cli/command.h"
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
      switch (BootProbeGuest(t, CacheDir(), DefaultProcessRunner(), *backend, detail)) {
        case ProbeBoot::kBooted: return DoctorCheck::Result::kOk;
        case ProbeBoot::kNoKernel: return DoctorCheck::Result::kNotChecked;
        case ProbeBoot::kFailed: return DoctorCheck::Result::kFailed;
      }
      return DoctorCheck::Result::kFailed;
    };
    bool essential_failed = false;
    for (const DoctorCheck& c : RunDoctor(hooks, CacheDir(), ResolveDbPath(context))) {
      std::cout << fmt::format("{:<10} {:<12} {}\n", c.name, DoctorResultName(c.result), c.detail);
      if (c.essential && c.result == DoctorCheck::Result::kFailed) essential_failed = true;
    }
    context.exit_code = essential_failed ? static_cast<int>(ExitCode::kInfrastructure) : 0;
  });
}

}  // namespace kgate
