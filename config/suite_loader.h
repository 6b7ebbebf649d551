// Loading suites/<name>.yaml: a named list of scenarios.
//
//   kgate: 1
//   suite: quick                  # must equal the file's stem
//   description: a smoke set      # optional
//   scenarios: [hackbench-pipe, fio-randread]
//
// Every scenario must exist under the scenarios folder; suites do not nest.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "config/config_files.h"
#include "config/model.h"

namespace kgate {

// Loads and validates one suite file; BadInput with every error found.
Result<SuiteSpec> LoadSuite(const std::string& path, const std::string& scenarios_dir,
                            ConfigFiles& files = DiskConfigFiles());

// The suite named name under suites_dir; NotFound with a did-you-mean when
// there is no such file.
Result<SuiteSpec> FindSuite(const std::string& name, const std::string& suites_dir,
                            const std::string& scenarios_dir, ConfigFiles& files = DiskConfigFiles());

std::vector<std::string> ListSuites(const std::string& suites_dir, ConfigFiles& files = DiskConfigFiles());

}  // namespace kgate
