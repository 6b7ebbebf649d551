// kgate report: render a stored run as console, markdown, html, junit, sarif or json.
#include "harness/cli/command.h"

namespace kgate {

void RegisterReportCommand(CLI::App& app, CommandContext& context) {
  RegisterNotBuilt(app, context, "report", "render a stored run as console, markdown, html, junit, sarif or json", "issue 5, reports");
}

}  // namespace kgate
