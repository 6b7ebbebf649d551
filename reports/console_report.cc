#include "reports/console_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kgate {
namespace {

using Json = nlohmann::json;

std::string Paint(const std::string& text, const char* code, bool color) {
  return color ? fmt::format("\033[{}m{}\033[0m", code, text) : text;
}

const char* VerdictColor(Verdict v) {
  return v == Verdict::kPass ? "1;32" : v == Verdict::kFail ? "1;31" : "1;33";
}

std::string Num(double x) {
  if (std::isinf(x)) return x > 0 ? "+inf" : "-inf";
  return fmt::format("{:.4g}", x);
}

double Gain(const ComparisonRecord& c) {
  if (!std::isfinite(c.effect)) return 0;
  return c.better == "higher" ? c.effect - 1 : 1 - c.effect;
}

// The comparison of the same scenario x metric x shape against `vs`.
const ComparisonRecord* Counterpart(const std::vector<ComparisonRecord>& all,
                                    const ComparisonRecord& c, const std::string& vs) {
  for (const ComparisonRecord& o : all) {
    if (o.vs == vs && o.scenario == c.scenario && o.metric == c.metric && o.shape == c.shape) {
      return &o;
    }
  }
  return nullptr;
}

void PrintHeadlines(const std::vector<ComparisonRecord>& comparisons, std::ostream& out) {
  bool any = false;
  for (const ComparisonRecord& c : comparisons) {
    if (c.role != "target" || c.vs != "baseline" || !c.decides) continue;
    if (!any) out << "\ntargets:\n";
    any = true;
    std::string line = fmt::format("  {} {} ({}): beats default by {:+.1f}% ({})", c.scenario,
                                   c.metric, c.shape, Gain(c) * 100,
                                   ClassificationName(c.classification));
    if (const ComparisonRecord* t = Counterpart(comparisons, c, "tuned")) {
      line += fmt::format(", beats best static setting ({}) by {:+.1f}% ({})", t->reference,
                          Gain(*t) * 100, ClassificationName(t->classification));
    }
    out << line << "\n";
  }
}

void PrintReasons(const Json& reasons, bool verbose, bool color, std::ostream& out) {
  for (const Json& r : reasons) {
    std::string outcome = r.value("outcome", "");
    if (outcome == "pass" && !verbose) continue;
    const char* code = outcome == "fail" ? "31" : outcome == "inconclusive" ? "33"
                       : outcome == "warn"                                 ? "35"
                                                                           : "32";
    out << fmt::format("  {} {:<15} {}\n", Paint(fmt::format("{:<12}", outcome), code, color),
                       r.value("rule", ""), r.value("message", ""));
  }
}

void PrintClaims(const std::vector<ClaimRecord>& claims, std::ostream& out) {
  if (claims.empty()) return;
  out << "\nclaims:\n";
  for (const ClaimRecord& c : claims) {
    out << fmt::format("  {:<24} {:<15} claimed {} ({}), measured x{} [{}, {}] vs {}\n",
                       c.claim_id, ClaimStatusName(c.status), c.expected, c.text.empty() ? "-" : c.text,
                       Num(c.measured), Num(c.ci_low), Num(c.ci_high),
                       c.reference.empty() ? "-" : c.reference);
    if (c.status == ClaimStatus::kNotCheckable && !c.note.empty()) out << "      " << c.note << "\n";
  }
}

void PrintScores(const Json& scores, std::ostream& out) {
  out << "\nscores (0-100):";
  for (const char* name : {"benefit", "overhead", "generality", "safety", "maintainability"}) {
    if (!scores.contains(name)) continue;
    const Json& s = scores[name];
    out << fmt::format("  {} {}", name,
                       s.contains("score") && !s["score"].is_null() ? s["score"].dump() : "n/a");
  }
  out << "\n";
  if (scores.contains("generality") && scores["generality"].value("wins_only_on_own_benchmark", false)) {
    out << "  generality: wins only on its own benchmark (no guard scenario improved)\n";
  }
  if (scores.contains("maintainability")) {
    out << "  maintainability: " << scores["maintainability"].value("note", "") << "\n";
  }
}

}  // namespace

void PrintComparisonTable(const std::vector<ComparisonRecord>& comparisons, bool verbose,
                          std::ostream& out) {
  out << fmt::format("{:<20} {:<26} {:<10} {:<26} {:>5} {:>11} {:>11} {:>9} {:>21} {:>8}  {}\n",
                     "scenario", "metric", "shape", "vs", "n", "reference", "arm", "effect",
                     "CI", "q", "class");
  int hidden = 0;
  for (const ComparisonRecord& c : comparisons) {
    if (!verbose && !c.decides && c.classification != Classification::kRegressed) {
      ++hidden;
      continue;
    }
    std::string cls = ClassificationName(c.classification);
    if (!c.decides) cls += " (low-fidelity)";
    out << fmt::format("{:<20} {:<26} {:<10} {:<26} {:>5} {:>11} {:>11} {:>9} {:>21} {:>8.2g}  {}\n",
                       c.scenario, c.metric, c.shape, c.reference,
                       fmt::format("{}/{}", c.n_arm, c.n_reference), Num(c.median_reference),
                       Num(c.median_arm), "x" + Num(c.effect),
                       fmt::format("[{}, {}]", Num(c.ci_low), Num(c.ci_high)), c.q_value, cls);
  }
  if (hidden > 0) {
    out << fmt::format("({} comparisons that do not decide at this tier hidden; -v shows them)\n",
                       hidden);
  }
}

void PrintJudgement(const std::vector<ComparisonRecord>& comparisons, const VerdictRecord& verdict,
                    const std::vector<ClaimRecord>& claims,
                    const std::vector<CheckRecord>& checks, const ConsoleReportOptions& options,
                    std::ostream& out) {
  Json reasons = Json::parse(verdict.reasons_json, nullptr, false);
  Json scores = Json::parse(verdict.scores_json, nullptr, false);
  out << "\n";
  PrintComparisonTable(comparisons, options.verbose, out);
  PrintHeadlines(comparisons, out);
  PrintClaims(claims, out);
  if (!checks.empty()) out << "\nchecks:\n";
  for (const CheckRecord& c : checks) {
    out << fmt::format("  {:<12} {:<16} {:<7} {}\n", c.arm, c.kind, CheckStatusName(c.status),
                       c.summary);
  }
  if (scores.is_object()) PrintScores(scores, out);
  out << fmt::format("\nverdict: {} under policy {} (tier {}, {} rounds)\n",
                     Paint(VerdictName(verdict.verdict), VerdictColor(verdict.verdict), options.color),
                     verdict.policy, verdict.tier, verdict.rounds);
  if (reasons.is_array()) PrintReasons(reasons, options.verbose, options.color, out);
}

ExitCode VerdictExitCode(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return ExitCode::kPass;
    case Verdict::kFail: return ExitCode::kFail;
    case Verdict::kInconclusive: return ExitCode::kInconclusive;
  }
  return ExitCode::kInconclusive;
}

void PrintArmMedians(const std::vector<SampleRow>& samples, std::ostream& out) {
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, std::vector<double>> groups;
  std::map<std::string, std::string> unit_of;
  for (const SampleRow& row : samples) {
    groups[{row.scenario, row.shape, row.sample.metric, row.arm}].push_back(row.sample.value);
    unit_of[row.sample.metric] = row.sample.unit;
  }
  out << fmt::format("{:<22} {:<12} {:<28} {:<28} {:>4} {:>14} {}\n", "scenario", "shape", "metric",
                     "arm", "n", "median", "unit");
  for (auto& [key, values] : groups) {
    auto& [scenario, shape, metric, arm] = key;
    std::sort(values.begin(), values.end());
    std::size_t n = values.size();
    double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    out << fmt::format("{:<22} {:<12} {:<28} {:<28} {:>4} {:>14.6g} {}\n", scenario, shape, metric,
                       arm, n, median, unit_of[metric]);
  }
}

}  // namespace kgate
