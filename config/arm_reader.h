// Reading the arm-shaped parts of a proposal: baseline, candidate and the
// tuned sweep. Internal to config/proposal_loader.cc.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "config/model.h"
#include "config/yaml_reader.h"

namespace kgate {

// Reads proposal key `name` as an arm; base_dir resolves relative paths,
// and with check_files each file it names must exist. Errors go to r; the
// returned arm holds what could be read.
ArmSpec ReadArm(YamlReader& r, const YAML::Node& root, const std::string& name,
                const std::string& base_dir, bool check_files = true);

// Completes the arms' kernel builds once both are read: `same-as` copies the
// other arm's build (what the arm writes itself wins, patches are its own),
// the config base defaults to guest, and a built kernel compared with a
// prebuilt Debian one is refused unless compare-with-prebuilt says so.
void FinishKernelBuilds(YamlReader& r, ArmSpec* baseline, ArmSpec* candidate);

// Reads `tuned: {sweep: {knob: [values]}}` when present.
std::optional<TunedSpec> ReadTuned(YamlReader& r, const YAML::Node& root);

}  // namespace kgate
