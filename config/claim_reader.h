// Reading a proposal's claims. Internal to config/proposal_loader.cc.
#pragma once

#include <map>
#include <string>

#include <yaml-cpp/yaml.h>

#include "config/model.h"
#include "config/yaml_reader.h"

namespace kgate {

// Reads `claims:` into p->claims. Each claim must have a unique id, name one
// of p->scenarios and a metric its scenario (in specs) declares, compare
// against baseline or tuned (tuned needs a tuned sweep), and state an
// expect that ParseExpect reads. Errors go to r.
void ReadClaims(YamlReader& r, const YAML::Node& root,
                const std::map<std::string, ScenarioSpec>& specs, Proposal* p);

}  // namespace kgate
