// The Markdown format: a pull-request comment body.
//
// Layout: "## kgate: VERDICT — title", a one-line context, the five scores,
// "### Why" (every failing or inconclusive rule), "### Regressions" and
// "### Improvements" (deciding comparisons so classified), "### Claims" when
// the proposal made any, and "### Reproduce". Text that came from the
// proposal or the guest is escaped (| < > ` & and newlines) so it cannot
// break a table or inject HTML. Numbers use fixed precision.
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/reporter.h"

namespace kgate {
namespace {

using Json = nlohmann::json;

std::string Esc(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '|': out += "\\|"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '`': out += "&#96;"; break;
      case '\n': case '\r': out += ' '; break;
      default: out += ch;
    }
  }
  return out;
}

std::string Fixed(double x, int digits) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{:.{}f}", x, digits);
}

std::string Effect(const ComparisonRecord& c) {
  std::string s = "x" + Fixed(c.effect, 4);
  if (std::isfinite(c.effect)) s += fmt::format(" ({:+.1f}%)", (c.effect - 1) * 100);
  return s;
}

void Context(const ReportData& d, const VerdictRecord& v, std::ostream& out) {
  std::string kernels;
  for (const ArmRecord& a : d.arms) {
    kernels += fmt::format(" · {} {}", Esc(a.name),
                           Esc(a.kernel_version.empty() ? a.kernel_ref : a.kernel_version));
  }
  out << fmt::format("policy {} · tier {} · {} rounds{}\n\n", Esc(v.policy), Esc(v.tier),
                     v.rounds, kernels);
}

void Scores(const Json& scores, std::ostream& out) {
  out << "| score | value |\n|---|---:|\n";
  for (const char* name : {"benefit", "overhead", "generality", "safety", "maintainability"}) {
    std::string value = "n/a";
    if (scores.is_object() && scores.contains(name) && scores[name].is_object()) {
      const Json& s = scores[name];
      if (s.contains("score") && s["score"].is_number()) value = Fixed(s["score"].get<double>(), 1);
    }
    out << fmt::format("| {} | {} |\n", name, value);
  }
  out << "\n";
}

void Checks(const std::vector<CheckRecord>& checks, std::ostream& out) {
  if (checks.empty()) return;
  out << "### Checks\n\n| arm | check | status | summary |\n|---|---|---|---|\n";
  for (const CheckRecord& c : checks) {
    out << fmt::format("| {} | {} | {} | {} |\n", Esc(c.arm), Esc(c.kind),
                       CheckStatusName(c.status), Esc(c.summary));
  }
  out << "\n";
}

void Why(const Json& reasons, std::ostream& out) {
  out << "### Why\n\n";
  int n = 0;
  if (reasons.is_array()) {
    for (const Json& r : reasons) {
      if (!r.is_object()) continue;
      std::string outcome = r.value("outcome", "");
      if (outcome != "fail" && outcome != "inconclusive") continue;
      out << fmt::format("- **{}** {}: {}\n", Esc(outcome), Esc(r.value("rule", "")),
                         Esc(r.value("message", "")));
      ++n;
    }
  }
  if (n == 0) out << "No rule failed or was inconclusive.\n";
  out << "\n";
}

// "95% CI" when every comparison of the run has the same coverage (the
// judge widens intervals to 1 - alpha/looks under adaptive sampling), else
// "CI". Claims reuse their comparison's interval, so they share the label.
std::string CiLabel(const std::vector<ComparisonRecord>& all) {
  if (all.empty()) return "CI";
  double level = all.front().ci_level;
  for (const ComparisonRecord& c : all) {
    if (std::abs(c.ci_level - level) > 1e-9) return "CI";
  }
  std::string pct = fmt::format("{:.1f}", level * 100);
  if (pct.size() > 2 && pct.substr(pct.size() - 2) == ".0") pct.resize(pct.size() - 2);
  return pct + "% CI";
}

void ComparisonTable(const std::vector<ComparisonRecord>& all, Classification cls,
                     const std::string& heading, std::ostream& out) {
  std::vector<const ComparisonRecord*> rows;
  for (const ComparisonRecord& c : all) {
    if (c.decides && c.classification == cls) rows.push_back(&c);
  }
  if (rows.empty()) return;
  out << "### " << heading << "\n\n"
      << "| scenario | metric | shape | vs | effect | " << CiLabel(all) << " | q |\n"
      << "|---|---|---|---|---:|---|---:|\n";
  for (const ComparisonRecord* c : rows) {
    out << fmt::format("| {} | {} | {} | {} | {} | [{}, {}] | {} |\n", Esc(c->scenario),
                       Esc(c->metric), Esc(c->shape), Esc(c->reference), Effect(*c),
                       Fixed(c->ci_low, 4), Fixed(c->ci_high, 4), Fixed(c->q_value, 4));
  }
  out << "\n";
}

void Claims(const std::vector<ClaimRecord>& claims, const std::string& ci_label,
            std::ostream& out) {
  if (claims.empty()) return;
  out << "### Claims\n\n"
      << "| claim | status | expected | measured | " << ci_label << " | vs | text |\n"
      << "|---|---|---|---:|---|---|---|\n";
  for (const ClaimRecord& c : claims) {
    out << fmt::format("| {} | {} | {} | x{} | [{}, {}] | {} | {} |\n", Esc(c.claim_id),
                       ClaimStatusName(c.status), Esc(c.expected), Fixed(c.measured, 4),
                       Fixed(c.ci_low, 4), Fixed(c.ci_high, 4), Esc(c.reference),
                       Esc(c.text));
  }
  out << "\n";
}

class MarkdownReporter : public Reporter {
 public:
  std::string Name() const override { return "markdown"; }

  Status Render(const ReportData& d, std::ostream& out) const override {
    if (!d.verdict) {
      return NotJudged(d.run.id);
    }
    const VerdictRecord& v = *d.verdict;
    Json reasons = Json::parse(v.reasons_json, nullptr, false);
    Json scores = Json::parse(v.scores_json, nullptr, false);
    out << fmt::format("## kgate: {} — {}\n\n", VerdictName(v.verdict),
                       Esc(d.title.empty() ? d.run.proposal : d.title));
    Context(d, v, out);
    Scores(scores, out);
    Checks(d.checks, out);
    Why(reasons, out);
    ComparisonTable(d.comparisons, Classification::kRegressed, "Regressions", out);
    ComparisonTable(d.comparisons, Classification::kImproved, "Improvements", out);
    Claims(d.claims, CiLabel(d.comparisons), out);
    out << fmt::format("### Reproduce\n\n```sh\nkgate gate {}\n```\n", d.run.id);
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Reporter> MakeMarkdownReporter() { return std::make_unique<MarkdownReporter>(); }

}  // namespace kgate
