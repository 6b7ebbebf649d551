// Strict reading of kgate's YAML files.
//
// A YamlReader wraps one parsed file and collects every error it finds, each
// as "file:line:col: message" (yaml-cpp's 0-based marks made 1-based), so a
// user fixes all mistakes of a file in one round. Loaders call its typed
// getters, which report a wrong type or a bad unit at the value, a missing
// required key at the enclosing map, and an unknown or repeated key at the
// key itself with a "did you mean" hint.
//
// Not thread-safe; one reader per file being loaded.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/status.h"
#include "config/config_files.h"
#include "config/model.h"

namespace kgate {

enum class Need { kOptional, kRequired };

// Reads path through ReadTextFile (size and UTF-8 checks) and parses it.
// Errors (BadInput): the file cannot be read, or is not well-formed YAML
// ("file:line:col: malformed YAML: <what yaml-cpp says>").
Result<YAML::Node> ParseYamlFile(const std::string& path, ConfigFiles& files = DiskConfigFiles());
// The same for text already read; path names it in errors.
Result<YAML::Node> ParseYamlText(const std::string& text, const std::string& path);

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  SourceLocation Location(const YAML::Node& node) const;

  void Error(const YAML::Node& at, const std::string& message);
  void ErrorAt(const SourceLocation& at, const std::string& message);
  // Takes over the errors of another file's load, whose lines already carry
  // their own file:line:col.
  void AddErrors(const Status& status);
  bool ok() const { return errors_.empty() && adopted_.empty(); }
  // Ok, or BadInput whose message is every error, one per line: this file's
  // in line:col order, then those taken over from other files.
  Status ToStatus() const;

  // Reports "<what> must be a map" unless node is one.
  bool ExpectMap(const YAML::Node& node, const std::string& what);
  // Reports each key of map not in allowed (with a did-you-mean hint) and
  // each key written twice.
  void CheckKeys(const YAML::Node& map, const std::vector<std::string>& allowed);
  // Reports each key of map written twice (yaml-cpp keeps both silently).
  void CheckDuplicateKeys(const YAML::Node& map);
  // map[key], or an undefined node when absent (reported when required).
  YAML::Node Get(const YAML::Node& map, const std::string& key, Need need);
  // The key node of map[key] (for errors about a value written as nothing,
  // whose own mark yaml-cpp puts on the next line); map itself when absent.
  YAML::Node KeyNode(const YAML::Node& map, const std::string& key) const;
  // Checks `kgate: 1` at the top of a file.
  void CheckVersion(const YAML::Node& root);

  // Typed getters: each returns true and sets *out when map[key] is present
  // and valid; false when absent (an error if required) or invalid (an error).
  bool String(const YAML::Node& map, const std::string& key, std::string* out,
              Need need = Need::kOptional);
  bool Int(const YAML::Node& map, const std::string& key, int* out, int min, int max,
           Need need = Need::kOptional);
  bool Bool(const YAML::Node& map, const std::string& key, bool* out,
            Need need = Need::kOptional);
  bool Number(const YAML::Node& map, const std::string& key, double* out, double min,
              double max, Need need = Need::kOptional);
  bool Bytes(const YAML::Node& map, const std::string& key, std::uint64_t* out,
             Need need = Need::kOptional);
  bool Duration(const YAML::Node& map, const std::string& key, int* out,
                Need need = Need::kOptional);
  bool Fraction(const YAML::Node& map, const std::string& key, double* out,
                Need need = Need::kOptional);
  bool StringList(const YAML::Node& map, const std::string& key, std::vector<std::string>* out,
                  Need need = Need::kOptional);
  // A map of scalars, e.g. knobs: {path: value}.
  bool StringMap(const YAML::Node& map, const std::string& key,
                 std::map<std::string, std::string>* out, Need need = Need::kOptional);

  // Node-level forms of the above, for list items and map values.
  bool AsString(const YAML::Node& node, const std::string& what, std::string* out);
  bool AsStringList(const YAML::Node& node, const std::string& what,
                    std::vector<std::string>* out);

 private:
  // Reports "'key' expects <expected>, got nothing" at the key when the
  // value is written as nothing; true when it was.
  bool RejectNull(const YAML::Node& map, const std::string& key, const YAML::Node& value,
                  const char* expected);

  std::string file_;
  std::vector<std::pair<SourceLocation, std::string>> errors_;
  std::vector<std::string> adopted_;
};

// "a map", "a list", "a string 'x'", "nothing": what a node is, for messages.
std::string DescribeNode(const YAML::Node& node);

}  // namespace kgate
