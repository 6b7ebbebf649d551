// Where loaders find the files a configuration names by name: scenarios
// (<scenarios_dir>/<name>/workload.yaml), suites (<suites_dir>/<name>.yaml)
// and policies (<policies_dir>/<name>.yaml). Tests point these at fixtures.
#pragma once

#include <string>

#include "config/config_files.h"

namespace kgate {

struct LoadOptions {
  std::string scenarios_dir;
  std::string suites_dir;
  std::string policies_dir;
  // Whether files an arm names (agent source, modules, patches, path:
  // kernels) must exist. Off when re-judging a stored run, whose proposal
  // may have been recorded on another machine.
  bool check_files = true;
  // What the loaders read through; null is the disk (config_files.h).
  ConfigFiles* files = nullptr;
  ConfigFiles& Files() const { return files ? *files : DiskConfigFiles(); }

  // <home>/scenarios, <home>/suites, <home>/policies.
  static LoadOptions FromHome(const std::string& home);
  // FromHome(KgateHome()): $KGATE_HOME, else the data installed beside kgate.
  static LoadOptions Default();
};

}  // namespace kgate
