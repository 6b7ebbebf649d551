#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <tuple>
#include <set>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "config/units.h"

namespace kgate {

Result<YAML::Node> ParseYamlFile(const std::string& path, ConfigFiles& files) {
  Result<std::string> text = files.Read(path);
  if (!text.ok()) return text.status();
  return ParseYamlText(*text, path);
}

Result<YAML::Node> ParseYamlText(const std::string& text, const std::string& path) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return Status::BadInput(fmt::format("{}:{}:{}: malformed YAML: {}", path, e.mark.line + 1,
                                        e.mark.column + 1, e.msg));
  } catch (const YAML::Exception& e) {
    return Status::BadInput(fmt::format("{}: malformed YAML: {}", path, e.what()));
  }
}

std::string DescribeNode(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  return fmt::format("'{}'", node.Scalar());
}

SourceLocation YamlReader::Location(const YAML::Node& node) const {
  SourceLocation loc{file_, 0, 0};
  if (node.IsDefined()) {
    YAML::Mark mark = node.Mark();
    if (!mark.is_null()) {
      loc.line = mark.line + 1;
      loc.column = mark.column + 1;
    }
  }
  return loc;
}

void YamlReader::Error(const YAML::Node& at, const std::string& message) {
  ErrorAt(Location(at), message);
}

void YamlReader::ErrorAt(const SourceLocation& at, const std::string& message) {
  SourceLocation loc = at;
  if (loc.line <= 0) loc = {file_, 1, 1};
  errors_.emplace_back(loc, message);
}

void YamlReader::AddErrors(const Status& status) {
  if (status.ok()) return;
  for (const std::string& line : Split(status.message(), '\n')) adopted_.push_back(line);
}

Status YamlReader::ToStatus() const {
  if (ok()) return Status::Ok();
  auto sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.line, a.first.column) < std::tie(b.first.line, b.first.column);
  });
  std::vector<std::string> lines;
  for (const auto& [loc, message] : sorted) lines.push_back(loc.ToString() + ": " + message);
  lines.insert(lines.end(), adopted_.begin(), adopted_.end());
  return Status::BadInput(Join(lines, "\n"));
}

bool YamlReader::ExpectMap(const YAML::Node& node, const std::string& what) {
  if (node.IsMap()) return true;
  Error(node, fmt::format("{} must be a map, got {}", what, DescribeNode(node)));
  return false;
}

void YamlReader::CheckKeys(const YAML::Node& map, const std::vector<std::string>& allowed) {
  if (!map.IsMap()) return;
  std::set<std::string> seen;
  for (const auto& entry : map) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) {
      Error(key, fmt::format("a key must be a string, got {}", DescribeNode(key)));
      continue;
    }
    const std::string& name = key.Scalar();
    if (!seen.insert(name).second) {
      Error(key, fmt::format("duplicate key '{}'", name));
      continue;
    }
    bool known = false;
    for (const std::string& a : allowed) known = known || a == name;
    if (known) continue;
    std::string hint = ClosestMatch(name, allowed);
    Error(key, hint.empty() ? fmt::format("unknown key '{}'; expected one of: {}", name,
                                          Join(allowed, ", "))
                            : fmt::format("unknown key '{}'; did you mean '{}'?", name, hint));
  }
}

void YamlReader::CheckDuplicateKeys(const YAML::Node& map) {
  if (!map.IsMap()) return;
  std::set<std::string> seen;
  for (const auto& entry : map) {
    if (entry.first.IsScalar() && !seen.insert(entry.first.Scalar()).second) {
      Error(entry.first, fmt::format("duplicate key '{}'", entry.first.Scalar()));
    }
  }
}

YAML::Node YamlReader::Get(const YAML::Node& map, const std::string& key, Need need) {
  if (map.IsMap()) {
    const YAML::Node value = map[key];
    if (value.IsDefined()) return value;
  }
  if (need == Need::kRequired) Error(map, fmt::format("missing required key '{}'", key));
  return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node YamlReader::KeyNode(const YAML::Node& map, const std::string& key) const {
  if (map.IsMap()) {
    for (const auto& entry : map) {
      if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.first;
    }
  }
  return map;
}

void YamlReader::CheckVersion(const YAML::Node& root) {
  int version = 0;
  YAML::Node node = Get(root, "kgate", Need::kRequired);
  if (!node.IsDefined()) return;
  if (!Int(root, "kgate", &version, 0, 1 << 20)) return;
  if (version != 1) {
    Error(node, fmt::format("unsupported format version kgate: {}; this kgate reads version 1",
                            version));
  }
}

bool YamlReader::RejectNull(const YAML::Node& map, const std::string& key,
                            const YAML::Node& value, const char* expected) {
  if (!value.IsDefined() || !value.IsNull()) return false;
  Error(KeyNode(map, key), fmt::format("'{}' expects {}, got nothing", key, expected));
  return true;
}

bool YamlReader::AsString(const YAML::Node& node, const std::string& what, std::string* out) {
  if (!node.IsScalar()) {
    Error(node, fmt::format("'{}' expects a string, got {}", what, DescribeNode(node)));
    return false;
  }
  *out = node.Scalar();
  return true;
}

bool YamlReader::AsStringList(const YAML::Node& node, const std::string& what,
                              std::vector<std::string>* out) {
  if (!node.IsSequence()) {
    Error(node, fmt::format("'{}' expects a list, got {}", what, DescribeNode(node)));
    return false;
  }
  out->clear();
  bool good = true;
  for (const YAML::Node& item : node) {
    std::string s;
    if (AsString(item, what + " item", &s)) {
      out->push_back(s);
    } else {
      good = false;
    }
  }
  return good;
}

bool YamlReader::String(const YAML::Node& map, const std::string& key, std::string* out,
                        Need need) {
  YAML::Node node = Get(map, key, need);
  if (RejectNull(map, key, node, "a string")) return false;
  return node.IsDefined() && AsString(node, key, out);
}

bool YamlReader::Int(const YAML::Node& map, const std::string& key, int* out, int min, int max,
                     Need need) {
  YAML::Node node = Get(map, key, need);
  if (!node.IsDefined() || RejectNull(map, key, node, "an integer")) return false;
  int value = 0;
  const std::string& s = node.IsScalar() ? node.Scalar() : "";
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (!node.IsScalar() || s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    Error(node, fmt::format("'{}' expects an integer, got {}", key, DescribeNode(node)));
    return false;
  }
  if (value < min || value > max) {
    Error(node, fmt::format("'{}' must be between {} and {}, got {}", key, min, max, value));
    return false;
  }
  *out = value;
  return true;
}

bool YamlReader::Bool(const YAML::Node& map, const std::string& key, bool* out, Need need) {
  YAML::Node node = Get(map, key, need);
  if (!node.IsDefined() || RejectNull(map, key, node, "true or false")) return false;
  const std::string s = node.IsScalar() ? node.Scalar() : "";
  if (s != "true" && s != "false") {
    Error(node, fmt::format("'{}' expects true or false, got {}", key, DescribeNode(node)));
    return false;
  }
  *out = s == "true";
  return true;
}

bool YamlReader::Number(const YAML::Node& map, const std::string& key, double* out, double min,
                        double max, Need need) {
  YAML::Node node = Get(map, key, need);
  if (!node.IsDefined() || RejectNull(map, key, node, "a number")) return false;
  double value = 0;
  const std::string s = node.IsScalar() ? node.Scalar() : "";
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    Error(node, fmt::format("'{}' expects a number, got {}", key, DescribeNode(node)));
    return false;
  }
  if (value < min || value > max) {
    Error(node, fmt::format("'{}' must be between {} and {}, got {}", key, min, max, s));
    return false;
  }
  *out = value;
  return true;
}

namespace {

// Shared shape of the unit getters: a scalar parsed by one of units.h's parsers.
template <typename T, typename ParseFn>
bool ReadUnit(YamlReader& reader, const YAML::Node& node, const std::string& key, T* out,
              ParseFn parse) {
  if (!node.IsDefined()) return false;
  if (!node.IsScalar()) {
    reader.Error(node, fmt::format("'{}' expects a scalar, got {}", key, DescribeNode(node)));
    return false;
  }
  auto parsed = parse(node.Scalar());
  if (!parsed.ok()) {
    reader.Error(node, fmt::format("'{}': {}", key, parsed.error));
    return false;
  }
  *out = parsed.value;
  return true;
}

}  // namespace

bool YamlReader::Bytes(const YAML::Node& map, const std::string& key, std::uint64_t* out,
                       Need need) {
  if (RejectNull(map, key, Get(map, key, Need::kOptional), "a size")) return false;
  return ReadUnit(*this, Get(map, key, need), key, out, ParseBytes);
}

bool YamlReader::Duration(const YAML::Node& map, const std::string& key, int* out, Need need) {
  if (RejectNull(map, key, Get(map, key, Need::kOptional), "a duration")) return false;
  return ReadUnit(*this, Get(map, key, need), key, out, ParseDurationSeconds);
}

bool YamlReader::Fraction(const YAML::Node& map, const std::string& key, double* out,
                          Need need) {
  if (RejectNull(map, key, Get(map, key, Need::kOptional), "a percentage")) return false;
  return ReadUnit(*this, Get(map, key, need), key, out, ParseFraction);
}

bool YamlReader::StringList(const YAML::Node& map, const std::string& key,
                            std::vector<std::string>* out, Need need) {
  YAML::Node node = Get(map, key, need);
  if (RejectNull(map, key, node, "a list")) return false;
  return node.IsDefined() && AsStringList(node, key, out);
}

bool YamlReader::StringMap(const YAML::Node& map, const std::string& key,
                           std::map<std::string, std::string>* out, Need need) {
  YAML::Node node = Get(map, key, need);
  if (!node.IsDefined()) return false;
  if (node.IsNull()) return true;  // "knobs:" with nothing after it
  if (!node.IsMap()) {
    Error(node, fmt::format("'{}' expects a map, got {}", key, DescribeNode(node)));
    return false;
  }
  CheckDuplicateKeys(node);  // any name is allowed, but only once
  out->clear();
  bool good = true;
  for (const auto& entry : node) {
    std::string name, value;
    if (AsString(entry.first, key + " key", &name) &&
        AsString(entry.second, key + "." + name, &value)) {
      (*out)[name] = value;
    } else {
      good = false;
    }
  }
  return good;
}

}  // namespace kgate
