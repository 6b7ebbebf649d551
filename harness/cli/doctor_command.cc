// kgate doctor: say what works on this host, and prove it.
#include "harness/cli/command.h"

namespace kgate {

void RegisterDoctorCommand(CLI::App& app, CommandContext& context) {
  RegisterNotBuilt(app, context, "doctor", "say what works on this host, and prove it", "issue 2, doctor");
}

}  // namespace kgate
