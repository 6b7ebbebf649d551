// kgate serve: serve the dashboard over the store.
#include "harness/cli/command.h"

namespace kgate {

void RegisterServeCommand(CLI::App& app, CommandContext& context) {
  RegisterNotBuilt(app, context, "serve", "serve the dashboard over the store", "issue 5, dashboard");
}

}  // namespace kgate
