#include "analysis/maintainability_score.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/rules.h"
#include "base/strings.h"

namespace kgate {
namespace {

double LevelWeight(const std::string& level) {
  return level == "error" ? 15 : level == "warning" ? 6 : 2;
}

}  // namespace

MaintainabilityScore ComputeMaintainabilityScore(const std::vector<FindingRecord>& findings,
                                                 const ChangeMetrics& metrics, bool checkpatch_ran,
                                                 const std::string& why_not) {
  MaintainabilityScore out;
  std::map<std::string, std::pair<int, std::string>> rules;  // id -> (count, level)
  int cp_errors = 0, cp_warnings = 0, cp_checks = 0;
  for (const FindingRecord& f : findings) {
    if (StartsWith(f.rule, "checkpatch-")) {
      cp_errors += f.level == "error";
      cp_warnings += f.level == "warning";
      cp_checks += f.level == "note";
    } else {
      auto& [count, level] = rules[f.rule];
      ++count;
      if (level.empty() || LevelWeight(f.level) > LevelWeight(level)) level = f.level;
    }
  }
  for (const RuleInfo& rule : KgateRules()) {
    auto it = rules.find(std::string(rule.id));
    int n = it == rules.end() ? 0 : it->second.first;
    double penalty = n == 0 ? 0 : LevelWeight(it->second.second) * (1 + 0.5 * (std::min(n, 5) - 1));
    out.components.push_back({"rule:" + std::string(rule.id), penalty,
                              n == 0 ? "did not fire" : fmt::format("{} finding(s), {}", n, it->second.second)});
  }
  if (checkpatch_ran) {
    double penalty = std::min(20.0, 2.0 * cp_errors + cp_warnings + 0.25 * cp_checks);
    out.components.push_back({"checkpatch", penalty,
                              fmt::format("{} errors, {} warnings, {} checks", cp_errors,
                                          cp_warnings, cp_checks)});
  } else {
    out.components.push_back({"checkpatch", 0, "not run: " + why_not});
  }
  double comments = 0;
  if (metrics.added_c_lines >= 20 && metrics.comment_density < 0.10) {
    comments = 10 * (0.10 - metrics.comment_density) / 0.10;
  }
  out.components.push_back({"comments", comments,
                            fmt::format("{:.0f}% of {} added C lines carry comments",
                                        100 * metrics.comment_density, metrics.added_c_lines)});
  double complexity = 0;
  std::vector<std::string> complex;
  for (const FunctionComplexity& f : metrics.functions) {
    if (f.complexity <= 10) continue;
    complexity += f.complexity - 10;
    complex.push_back(fmt::format("{}() {}", f.name, f.complexity));
  }
  out.components.push_back({"complexity", std::min(15.0, complexity),
                            complex.empty() ? fmt::format("no added function above 10 (max {})",
                                                          metrics.max_complexity)
                                            : "above 10: " + Join(complex, ", ")});
  std::set<std::string> owners;  // the most specific section of each file
  for (const auto& [file, sections] : metrics.subsystems_by_file) {
    // THE REST is the catch-all: a file only it covers has no subsystem to ask.
    if (!sections.empty() && sections.front() != "THE REST") owners.insert(sections.front());
  }
  double spread = std::min(10.0, 2.0 * std::max(0, static_cast<int>(owners.size()) - 2));
  out.components.push_back({"subsystems", spread,
                            metrics.subsystems_known
                                ? fmt::format("{} subsystem(s) own the touched files", owners.size())
                                : "not known (no MAINTAINERS map for this input)"});
  double size = std::min(10.0, std::max(0, metrics.insertions - 400) / 100.0);
  out.components.push_back({"size", size, fmt::format("{} insertions, {} deletions",
                                                      metrics.insertions, metrics.deletions)});
  double exports = std::min(5.0, static_cast<double>(metrics.exported_symbols.size()));
  out.components.push_back({"exports", exports,
                            fmt::format("{} exported symbol(s) added", metrics.exported_symbols.size())});
  double total = 0;
  for (const ScoreComponent& c : out.components) total += c.penalty;
  out.score = static_cast<int>(std::lround(std::max(0.0, 100 - total)));
  return out;
}

nlohmann::ordered_json MaintainabilityScoreJson(const MaintainabilityScore& score) {
  nlohmann::ordered_json components = nlohmann::ordered_json::array();
  for (const ScoreComponent& c : score.components) {
    components.push_back({{"name", c.name}, {"penalty", c.penalty}, {"detail", c.detail}});
  }
  return {{"score", score.score}, {"components", components}};
}

}  // namespace kgate
