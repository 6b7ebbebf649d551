// kgate run: execute a proposal: boot each arm, run each scenario, store every sample.
#include "harness/cli/command.h"

namespace kgate {

void RegisterRunCommand(CLI::App& app, CommandContext& context) {
  RegisterNotBuilt(app, context, "run", "execute a proposal: boot each arm, run each scenario, store every sample", "issue 3, boot and measure");
}

}  // namespace kgate
