// kgate analyze: judge a patch or module source for maintainability.
#include "harness/cli/command.h"

namespace kgate {

void RegisterAnalyzeCommand(CLI::App& app, CommandContext& context) {
  RegisterNotBuilt(app, context, "analyze", "judge a patch or module source for maintainability", "issue 6, analysis");
}

}  // namespace kgate
