// The kernel's MAINTAINERS file as a map from paths to subsystems.
//
// Format (the file's own preamble documents it): sections separated by blank
// lines, each a title line followed by "X:<tab>value" tag lines. kgate reads
//   F: file pattern   a path, a directory ("mm/", all below it) or a glob
//                     (* and ?; "drivers/net/*" covers that directory only)
//   X: exclusion      same syntax; a file it matches is not in the section
//   N: regex          an extended regex matched anywhere in the path
// and ignores the other tags. Matching follows scripts/get_maintainer.pl: a
// pattern ending in '/' covers everything below; otherwise it must match a
// prefix of the path with as many '/' as the pattern. Without the source
// tree (which get_maintainer.pl uses to tell directories from files), a
// wildcard-free pattern also covers the paths below it, as it would if it
// named a directory. N: regexes that std::regex cannot compile are skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kgate {

class MaintainersMap {
 public:
  struct Section {
    std::string name;
    std::vector<std::string> files;     // F:
    std::vector<std::string> excludes;  // X:
    std::vector<std::string> regexes;   // N:
  };

  // Parses MAINTAINERS text. BadInput ("origin:1: ...") when it holds no
  // section with an F: or N: entry.
  static Result<MaintainersMap> Parse(std::string_view text, const std::string& origin);
  static Result<MaintainersMap> Load(const std::string& path);

  // The names of the sections covering path, the most specific match first
  // (the one whose matching pattern has the most '/'), each once. "THE REST"
  // (which covers everything) only when no other section does.
  std::vector<std::string> SubsystemsOf(const std::string& path) const;

  const std::vector<Section>& sections() const { return sections_; }

 private:
  std::vector<Section> sections_;
};

// Whether a MAINTAINERS F:/X: pattern covers path (see the header comment).
bool MaintainersPatternMatches(const std::string& pattern, const std::string& path);

}  // namespace kgate
