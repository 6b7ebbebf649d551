// Where loaders find the files a configuration names by name: scenarios
// (<scenarios_dir>/<name>/workload.yaml), suites (<suites_dir>/<name>.yaml)
// and policies (<policies_dir>/<name>.yaml). Tests point these at fixtures.
#pragma once

#include <string>

namespace kgate {

struct LoadOptions {
  std::string scenarios_dir;
  std::string suites_dir;
  std::string policies_dir;
  // Whether files an arm names (agent source, modules, patches, path:
  // kernels) must exist. Off when re-judging a stored run, whose proposal
  // may have been recorded on another machine.
  bool check_files = true;

  // <home>/scenarios, <home>/suites, <home>/policies.
  static LoadOptions FromHome(const std::string& home);
  // FromHome(SourceDir()): the tree kgate was built from, or $KGATE_HOME.
  static LoadOptions Default();
};

}  // namespace kgate
