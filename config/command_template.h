// Command templates: a scenario's `run` and `setup` lines name parameters as
// {name}; expansion substitutes them from the scenario's params.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace kgate {

// text with each {name} replaced by overrides[name], else params[name]; a
// placeholder with no value is left as written (validation reports it).
std::string ExpandTemplate(const std::string& text,
                           const std::map<std::string, std::string>& params,
                           const std::map<std::string, std::string>& overrides = {});

// The names of the {name} placeholders in text, in order of appearance.
std::vector<std::string> TemplatePlaceholders(const std::string& text);

}  // namespace kgate
