// kgate validate FILE...: check proposal, scenario, suite and policy files.
//
// Each file's kind is told by its top key. Good files print "FILE: ok" on
// stdout; every error of a bad file goes to stderr as "file:line:col:
// message". Exit 0 when all are good, 2 when any is not.
#include <iostream>

#include "config/loader.h"
#include "cli/command.h"

namespace kgate {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
};

int RunValidate(const ValidateOptions& options) {
  const LoadOptions load = LoadOptions::Default();
  int exit_code = static_cast<int>(ExitCode::kPass);
  for (const std::string& file : options.files) {
    Status status = ValidateFile(file, load);
    if (status.ok()) {
      std::cout << file << ": ok\n";
      continue;
    }
    std::cerr << status.message() << "\n";
    exit_code = static_cast<int>(status.exit_code());
  }
  return exit_code;
}

}  // namespace

void RegisterValidateCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* sub = app.add_subcommand(
      "validate", "check proposal, scenario, suite and policy files (kind told by top key)");
  sub->add_option("files", options->files, "files to check")->required();
  sub->callback([&context, options] { context.exit_code = RunValidate(*options); });
}

}  // namespace kgate
