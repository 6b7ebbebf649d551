// kgate gate: re-judge a stored run under a policy.
#include "harness/cli/command.h"

namespace kgate {

void RegisterGateCommand(CLI::App& app, CommandContext& context) {
  RegisterNotBuilt(app, context, "gate", "re-judge a stored run under a policy", "issue 4, judge");
}

}  // namespace kgate
