#include "analysis/maintainers.h"

#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/strings.h"

namespace kgate {
namespace {

constexpr char kTheRest[] = "THE REST";

bool IsTag(const std::string& line) {
  return line.size() >= 2 && line[0] >= 'A' && line[0] <= 'Z' && line[1] == ':';
}

int Slashes(std::string_view s) { return static_cast<int>(std::count(s.begin(), s.end(), '/')); }

// Glob match of the whole of t against p (* and ? also match '/').
bool Glob(std::string_view p, std::string_view t) {
  if (p.empty()) return t.empty();
  if (p[0] == '*') {
    for (std::size_t i = 0; i <= t.size(); ++i) {
      if (Glob(p.substr(1), t.substr(i))) return true;
    }
    return false;
  }
  if (t.empty()) return false;
  return (p[0] == '?' || p[0] == t[0]) && Glob(p.substr(1), t.substr(1));
}

}  // namespace

bool MaintainersPatternMatches(const std::string& pattern, const std::string& path) {
  if (pattern.empty()) return false;
  bool wildcard = pattern.find_first_of("*?") != std::string::npos;
  if (pattern.back() == '/') {
    // ^pattern as a regex prefix: some prefix of path ending at a '/' matches.
    for (std::size_t i = 0; i < path.size(); ++i) {
      if (path[i] == '/' && Glob(pattern, path.substr(0, i + 1))) return true;
    }
    return false;
  }
  if (!wildcard) return path == pattern || StartsWith(path, pattern + "/");
  // get_maintainer.pl: ^pattern (prefix, '*' as '.*') with equal '/' counts.
  if (Slashes(pattern) != Slashes(path)) return false;
  for (std::size_t len = path.size(); len > 0; --len) {
    if (Glob(pattern, std::string_view(path).substr(0, len))) return true;
  }
  return false;
}

Result<MaintainersMap> MaintainersMap::Parse(std::string_view text, const std::string& origin) {
  MaintainersMap map;
  std::vector<std::string> lines = Split(text, '\n');
  Section* current = nullptr;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (Trim(line).empty()) {
      current = nullptr;
      continue;
    }
    if (IsTag(line)) {
      if (current == nullptr) continue;
      std::string value = Trim(line.substr(2));
      if (line[0] == 'F') current->files.push_back(value);
      if (line[0] == 'X') current->excludes.push_back(value);
      if (line[0] == 'N') current->regexes.push_back(value);
      continue;
    }
    if (i + 1 < lines.size() && IsTag(lines[i + 1])) {
      map.sections_.push_back(Section{Trim(line), {}, {}, {}});
      current = &map.sections_.back();
    }
  }
  auto useful = [](const Section& s) { return !s.files.empty() || !s.regexes.empty(); };
  map.sections_.erase(std::remove_if(map.sections_.begin(), map.sections_.end(),
                                     [&](const Section& s) { return !useful(s); }),
                      map.sections_.end());
  if (map.sections_.empty()) {
    return Status::BadInput(fmt::format("{}:1: no MAINTAINERS section with F: or N: entries", origin));
  }
  return map;
}

Result<MaintainersMap> MaintainersMap::Load(const std::string& path) {
  Result<std::string> text = ReadTextFile(path, 16 << 20, /*require_utf8=*/false);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

std::vector<std::string> MaintainersMap::SubsystemsOf(const std::string& path) const {
  std::vector<std::pair<int, std::string>> hits;  // (-depth, name): most specific first
  for (const Section& s : sections_) {
    bool excluded = std::any_of(s.excludes.begin(), s.excludes.end(), [&](const std::string& x) {
      return MaintainersPatternMatches(x, path);
    });
    if (excluded) continue;
    int depth = -1;
    for (const std::string& f : s.files) {
      if (MaintainersPatternMatches(f, path)) depth = std::max(depth, Slashes(f) + (f.back() != '/'));
    }
    for (const std::string& n : s.regexes) {
      try {
        if (depth < 0 && std::regex_search(path, std::regex(n))) depth = 0;
      } catch (const std::regex_error&) {
        // A Perl-only construct: get_maintainer.pl would match it, kgate cannot.
      }
    }
    if (depth >= 0) hits.emplace_back(-depth, s.name);
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> names;
  for (const auto& [depth, name] : hits) {
    if (name == kTheRest && hits.size() > 1) continue;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

}  // namespace kgate
