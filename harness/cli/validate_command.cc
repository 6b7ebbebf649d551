// kgate validate: check proposal, scenario, suite and policy files.
#include "harness/cli/command.h"

namespace kgate {

void RegisterValidateCommand(CLI::App& app, CommandContext& context) {
  RegisterNotBuilt(app, context, "validate", "check proposal, scenario, suite and policy files", "issue 2, configuration model");
}

}  // namespace kgate
