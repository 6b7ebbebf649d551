// kgate plan: print the expanded trial plan of a proposal.
#include "harness/cli/command.h"

namespace kgate {

void RegisterPlanCommand(CLI::App& app, CommandContext& context) {
  RegisterNotBuilt(app, context, "plan", "print the expanded trial plan of a proposal", "issue 2, configuration model");
}

}  // namespace kgate
