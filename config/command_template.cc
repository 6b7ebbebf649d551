#include "config/command_template.h"

namespace kgate {

std::string ExpandTemplate(const std::string& text,
                           const std::map<std::string, std::string>& params,
                           const std::map<std::string, std::string>& overrides) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t open = text.find('{', pos);
    std::size_t close = open == std::string::npos ? open : text.find('}', open);
    if (close == std::string::npos) break;
    std::string key = text.substr(open + 1, close - open - 1);
    out += text.substr(pos, open - pos);
    if (auto o = overrides.find(key); o != overrides.end()) {
      out += o->second;
    } else if (auto p = params.find(key); p != params.end()) {
      out += p->second;
    } else {
      out += text.substr(open, close - open + 1);  // left for the validator to report
    }
    pos = close + 1;
  }
  out += text.substr(pos);
  return out;
}

std::vector<std::string> TemplatePlaceholders(const std::string& text) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  while (true) {
    std::size_t open = text.find('{', pos);
    if (open == std::string::npos) break;
    std::size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    names.push_back(text.substr(open + 1, close - open - 1));
    pos = close + 1;
  }
  return names;
}

}  // namespace kgate
