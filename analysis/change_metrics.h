// Size, spread and shape of a change: the numbers behind the
// maintainability score that are not findings.
//
//   diffstat         files changed, lines inserted and deleted (binary files
//                    count as changed with no lines)
//   subsystems       MAINTAINERS sections covering each touched file
//                    (analysis/maintainers.h); unknown when the map is absent
//   comment density  added C lines (*.c, *.h) holding comment text, over the
//                    added non-blank C lines
//   complexity       cyclomatic complexity of each added function: 1 plus one
//                    per if, for, while, case, &&, || and ?: in its body
//                    (kgate's own decision-point counter over comment- and
//                    string-free code, not pmccabe; macros are not expanded)
//   exported symbols EXPORT_SYMBOL*() names on added lines
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/change_set.h"
#include "analysis/maintainers.h"

namespace kgate {

struct FunctionComplexity {
  std::string file;
  int line = 0;  // the header line
  std::string name;
  int complexity = 1;
  int lines = 0;  // from the header to the closing brace
};

struct ChangeMetrics {
  int patches = 0;  // patches with a diff (a series' cover letter does not count)
  int files_changed = 0;
  int insertions = 0;
  int deletions = 0;
  std::vector<std::string> files;  // each path once, in input order
  bool subsystems_known = false;
  std::map<std::string, std::vector<std::string>> subsystems_by_file;
  std::vector<std::string> subsystems;  // each once, in order of first appearance
  int added_c_lines = 0;                // non-blank added lines of C sources
  int added_comment_lines = 0;
  double comment_density = 0;           // 0 when there are no added C lines
  std::vector<FunctionComplexity> functions;  // added functions
  int max_complexity = 0;
  std::vector<std::string> exported_symbols;
};

// maintainers may be null (subsystems then stay unknown).
ChangeMetrics ComputeMetrics(const ChangeSet& change, const MaintainersMap* maintainers);

// The complexity of one function of file (see the header comment).
int CyclomaticComplexity(const ChangedFile& file, const FunctionSpan& fn);

}  // namespace kgate
