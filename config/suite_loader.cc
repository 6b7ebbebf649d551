#include "config/suite_loader.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "base/strings.h"
#include "config/scenario_loader.h"
#include "config/yaml_reader.h"

namespace kgate {
namespace fs = std::filesystem;

Result<SuiteSpec> LoadSuite(const std::string& path, const std::string& scenarios_dir,
                            ConfigFiles& files) {
  Result<YAML::Node> parsed = ParseYamlFile(path, files);
  if (!parsed.ok()) return parsed.status();
  const YAML::Node& root = *parsed;
  YamlReader r(path);
  if (!r.ExpectMap(root, "a suite file")) return r.ToStatus();
  r.CheckKeys(root, {"kgate", "suite", "description", "scenarios"});
  r.CheckVersion(root);

  SuiteSpec suite;
  if (r.String(root, "suite", &suite.name, Need::kRequired)) {
    std::string stem = fs::path(path).stem().string();
    if (suite.name != stem) {
      r.Error(root["suite"],
              fmt::format("suite '{}' must be named after its file '{}'", suite.name, stem));
    }
  }
  std::string description;
  r.String(root, "description", &description);
  if (r.StringList(root, "scenarios", &suite.scenarios, Need::kRequired)) {
    const YAML::Node list = root["scenarios"];
    if (suite.scenarios.empty()) r.Error(list, "'scenarios' is empty; a suite lists at least one");
    for (std::size_t i = 0; i < suite.scenarios.size(); ++i) {
      const std::string& name = suite.scenarios[i];
      if (StartsWith(name, "suite:")) {
        r.Error(list[i], fmt::format("'{}': suites do not nest; list scenarios", name));
        continue;
      }
      std::string unknown = UnknownScenarioMessage(name, scenarios_dir, files);
      if (!unknown.empty()) r.Error(list[i], unknown);
    }
  }
  if (!r.ok()) return r.ToStatus();
  return suite;
}

std::vector<std::string> ListSuites(const std::string& suites_dir, ConfigFiles& files) {
  std::vector<std::string> names;
  for (const std::string& file : files.List(suites_dir)) {
    if (fs::path(file).extension() == ".yaml") names.push_back(fs::path(file).stem().string());
  }
  return names;
}

Result<SuiteSpec> FindSuite(const std::string& name, const std::string& suites_dir,
                            const std::string& scenarios_dir, ConfigFiles& files) {
  fs::path path = fs::path(suites_dir) / (name + ".yaml");
  if (name.find('/') != std::string::npos || !files.IsFile(path.string())) {
    std::string hint = ClosestMatch(name, ListSuites(suites_dir, files));
    return Status::NotFound(fmt::format("unknown suite '{}'{}", name,
                                        hint.empty() ? fmt::format(" (no {})", path.string())
                                                     : "; did you mean '" + hint + "'?"));
  }
  return LoadSuite(path.string(), scenarios_dir, files);
}

}  // namespace kgate
