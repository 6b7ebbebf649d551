// kgate compare: compare two stored runs or two arms of one run.
#include "harness/cli/command.h"

namespace kgate {

void RegisterCompareCommand(CLI::App& app, CommandContext& context) {
  RegisterNotBuilt(app, context, "compare", "compare two stored runs or two arms of one run", "issue 4, judge");
}

}  // namespace kgate
