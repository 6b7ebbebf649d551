#include "analysis/change_metrics.h"

#include <algorithm>
#include <regex>

#include "base/strings.h"

namespace kgate {
namespace {

void AddOnce(std::vector<std::string>* v, const std::string& s) {
  if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(s);
}

// Only the first kMaxLine characters: std::regex recurses per character.
constexpr std::size_t kMaxLine = 4096;

std::string::const_iterator BoundedEnd(const std::string& text) {
  return text.begin() + static_cast<std::ptrdiff_t>(std::min(text.size(), kMaxLine));
}

int CountMatches(const std::string& text, const std::regex& re) {
  return static_cast<int>(std::distance(std::sregex_iterator(text.begin(), BoundedEnd(text), re),
                                        std::sregex_iterator()));
}

}  // namespace

int CyclomaticComplexity(const ChangedFile& file, const FunctionSpan& fn) {
  static const std::regex kDecision(R"(\b(if|for|while|case)\b|&&|\|\||\?)");
  int complexity = 1;
  for (std::size_t i = fn.body_begin; i <= fn.body_end; ++i) {
    complexity += CountMatches(file.lines[i].lexed.code, kDecision);
  }
  return complexity;
}

ChangeMetrics ComputeMetrics(const ChangeSet& change, const MaintainersMap* maintainers) {
  static const std::regex kExport(R"(\bEXPORT_SYMBOL(_GPL|_NS|_NS_GPL)?\s*\(\s*(\w+))");
  ChangeMetrics m;
  m.patches = change.kind == ChangeSet::Kind::kPatch ? 0 : 1;
  for (const Patch& p : change.patches.patches) m.patches += !p.files.empty();  // no cover letters
  m.subsystems_known = maintainers != nullptr;
  for (const ChangedFile& file : change.files) {
    AddOnce(&m.files, file.path);
    m.insertions += file.added;
    m.deletions += file.removed;
    bool c = IsCSource(file.path);
    for (const ChangedLine& line : file.lines) {
      if (!line.added) continue;
      std::smatch match;
      const std::string& code = line.lexed.code;
      if (std::regex_search(code.begin(), BoundedEnd(code), match, kExport)) {
        AddOnce(&m.exported_symbols, match[2]);
      }
      if (!c || Trim(line.text).empty()) continue;
      ++m.added_c_lines;
      m.added_comment_lines += line.lexed.has_comment;
    }
    if (!c) continue;
    for (const FunctionSpan& fn : FindFunctions(file)) {
      if (!fn.added) continue;
      FunctionComplexity fc{file.path, file.lines[fn.header].line, fn.name,
                            CyclomaticComplexity(file, fn),
                            file.lines[fn.body_end].line - file.lines[fn.header].line + 1};
      m.max_complexity = std::max(m.max_complexity, fc.complexity);
      m.functions.push_back(std::move(fc));
    }
  }
  m.files_changed = static_cast<int>(m.files.size());
  m.comment_density = m.added_c_lines == 0 ? 0 : double(m.added_comment_lines) / m.added_c_lines;
  if (maintainers != nullptr) {
    for (const std::string& path : m.files) {
      std::vector<std::string> sections = maintainers->SubsystemsOf(path);
      for (const std::string& s : sections) AddOnce(&m.subsystems, s);
      m.subsystems_by_file[path] = std::move(sections);
    }
  }
  return m;
}

}  // namespace kgate
