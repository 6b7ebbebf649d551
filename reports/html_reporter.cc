// The HTML format: one self-contained page for a review team.
//
// A single UTF-8 "<!doctype html>" document with an inline <style> (screen
// and @media print rules) and inline SVG plots; no script, no external URL,
// no font or image to fetch, so it can be attached to a mail or a CI
// artifact and opened offline. Sections, top to bottom:
//
//   banner        verdict (PASS / FAIL / INCONCLUSIVE), title, run context
//   why           every rule the gate evaluated: rule, outcome, message
//   scores        the five scores with their notes
//   checks        analysis, module cycle and fault pass outcomes per arm, and
//                 the maintainability score's components
//   comparisons   the forest plot (html_plots.h), the centrepiece
//   claims        claimed vs measured, when the proposal made claims
//   samples       per-scenario strip plots of every sample, both arms
//   tuned sweep   metric vs tuned knob setting, when there are tuned arms
//   findings      safety (console) and maintainability findings, excerpts
//   trials        trials that did not end ok, with their console tail
//   environment   host and versions, the arms, and how to reproduce
//
// Every string that came from the store (proposal, kernel, guest) goes
// through svg::Escape: & < > " ' become entities and invalid UTF-8 becomes
// U+FFFD. Numbers use fixed formatting, so output is deterministic.
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/html_plots.h"
#include "reports/reporter.h"
#include "reports/svg_plot.h"

namespace kgate {
namespace {

using Json = nlohmann::json;
using svg::Escape;
using svg::Fixed;

// A console excerpt keeps at most this much of the end of the log.
constexpr std::size_t kConsoleTailLines = 40;
constexpr std::size_t kConsoleTailBytes = 4096;

constexpr const char* kStyle = R"css(
:root { --improved: #1a7f37; --regressed: #cf222e; --equivalent: #6e7781;
  --inconclusive: #b35900; --baseline: #57606a; --candidate: #8250df; --tuned: #0a7c86;
  --line: #d0d7de; --soft: #f6f8fa; --text: #1f2328; --sub: #59636e; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--text); max-width: 1180px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.35em; margin: 0; } h2 { font-size: 1.15em; margin: 28px 0 8px;
  border-bottom: 1px solid var(--line); padding-bottom: 4px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px;
  border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
#scores td:first-child { width: 10em; } #scores td.num { width: 8em; }
code, pre { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, monospace; }
pre { background: var(--soft); border: 1px solid var(--line); padding: 8px; margin: 4px 0;
  overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.sub, .legend { color: var(--sub); font-size: 0.88em; }
.note { color: var(--inconclusive); font-size: 0.88em; }
.banner { border: 3px solid; border-radius: 8px; padding: 12px 18px; margin: 8px 0 4px;
  display: flex; gap: 20px; align-items: center; }
.banner .verdict { font-size: 2em; font-weight: 800; letter-spacing: 0.04em; }
.verdict-pass { border-color: var(--improved); background: #dafbe1; }
.verdict-pass .verdict { color: var(--improved); }
.verdict-fail { border-color: var(--regressed); background: #ffebe9; }
.verdict-fail .verdict { color: var(--regressed); }
.verdict-inconclusive, .verdict-other { border-color: var(--inconclusive); background: #fff1e0; }
.verdict-inconclusive .verdict, .verdict-other .verdict { color: var(--inconclusive); }
.outcome { font-weight: 700; }
.claim-reproduced { color: var(--improved); } .claim-partially { color: var(--inconclusive); }
.claim-not-reproduced, .claim-contradicted { color: var(--regressed); }
.claim-not-checkable, .claim-other { color: var(--sub); }
.outcome-pass { color: var(--improved); } .outcome-fail { color: var(--regressed); }
.outcome-inconclusive { color: var(--inconclusive); }
table.forest td { border-bottom: 1px solid #eaeef2; padding: 2px 8px; }
table.forest td.label { width: 34%; overflow-wrap: anywhere; }
table.forest td.plot, table.forest th.plot { width: 40%; padding: 0 4px; }
table.forest td.result { width: 26%; }
svg { display: block; width: 100%; height: auto; }
table.forest svg { min-width: 260px; }  /* keeps axis labels legible on paper */
td code { overflow-wrap: anywhere; }
svg.forest { font-size: 11px; }
svg text { fill: var(--text); font-family: inherit; }
svg .tick { font-size: 11px; fill: var(--sub); }
svg .caption { font-size: 12px; fill: var(--sub); }
svg .stat { font-size: 12px; } svg .arm-label { font-size: 12.5px; }
svg .empty { font-size: 12px; fill: var(--sub); font-style: italic; }
.band { fill: #ddf4ff; } .grid { stroke: #eaeef2; stroke-width: 1; }
.unity { stroke: #8c959f; stroke-width: 1; stroke-dasharray: 3 2; }
.ci { stroke-width: 2; stroke: currentColor; } .pt, .arrow { fill: currentColor; }
.word { font-weight: 700; }
.cls-improved { color: var(--improved); } .cls-regressed { color: var(--regressed); }
.cls-equivalent { color: var(--equivalent); } .cls-inconclusive { color: var(--inconclusive); }
.cls-other { color: var(--sub); }
tr.forest-row td.label, tr.forest-row .sub { color: var(--text); }
tr.muted td { opacity: 0.5; }
.dot { fill-opacity: 0.55; stroke: none; } .median { stroke-width: 2.5; }
.arm-baseline { fill: var(--baseline); stroke: var(--baseline); color: var(--baseline); }
.arm-candidate { fill: var(--candidate); stroke: var(--candidate); color: var(--candidate); }
.arm-tuned { fill: var(--tuned); stroke: var(--tuned); color: var(--tuned); }
.arm-other { fill: var(--sub); stroke: var(--sub); }
svg text.arm-baseline, svg text.arm-candidate { stroke: none; }
.ref { stroke-width: 2; } .ref.arm-baseline { stroke-dasharray: 6 4; }
.iqr { stroke-width: 2; } .sweep-line { fill: none; stroke-width: 1.5; }
figure.plot { margin: 10px 0 18px; } figcaption { font-weight: 600; margin-bottom: 2px; }
.level-error { color: var(--regressed); font-weight: 700; }
.level-warning { color: var(--inconclusive); font-weight: 700; }
.finding { border-left: 3px solid var(--line); padding: 2px 0 2px 10px; margin: 10px 0; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; } tr, figure, .finding, pre, .banner { break-inside: avoid; }
  pre { overflow: visible; } table.forest td.result { font-size: 0.9em; }
}
@page { margin: 14mm 12mm; }
)css";

// A CSS class suffix for a value from the store, from a fixed set only.
std::string Known(const std::string& value, std::initializer_list<const char*> known) {
  for (const char* k : known) {
    if (value == k) return k;
  }
  return "other";
}

// A check is drawn as the rule outcome it amounts to.
const char* OutcomeClass(CheckStatus s) {
  switch (s) {
    case CheckStatus::kPassed: return "pass";
    case CheckStatus::kFailed: return "fail";
    case CheckStatus::kNotRun: return "inconclusive";
  }
  return "inconclusive";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void Banner(const ReportData& d, const VerdictRecord& v, std::ostream& out) {
  out << fmt::format(
      "<header class=\"banner verdict-{}\"><div class=\"verdict\">{}</div><div>"
      "<h1>{}</h1><div class=\"sub\">run {} · proposal {} · policy {} · tier {} · {} rounds"
      " · judged {}</div></div></header>\n",
      Lower(VerdictName(v.verdict)), VerdictName(v.verdict),
      Escape(d.title.empty() ? d.run.proposal : d.title), d.run.id, Escape(d.run.proposal),
      Escape(v.policy), Escape(v.tier), v.rounds, Escape(v.created_at));
}

std::string JsonText(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "";
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void Reasons(const Json& reasons, std::ostream& out) {
  out << "<section id=\"why\"><h2>Why</h2>\n";
  if (!reasons.is_array() || reasons.empty()) {
    out << "<p>The verdict stores no reasons.</p></section>\n";
    return;
  }
  out << "<table><thead><tr><th>rule</th><th>outcome</th><th>message</th></tr></thead>"
         "<tbody>\n";
  for (const Json& r : reasons) {
    if (!r.is_object()) continue;
    std::string outcome = r.contains("outcome") ? JsonText(r["outcome"]) : "";
    std::string message = r.contains("message") ? JsonText(r["message"]) : "";
    std::string comparison = r.contains("comparison") && r["comparison"].is_string()
                                 ? r["comparison"].get<std::string>()
                                 : "";
    if (!comparison.empty()) {
      message = Escape(message) + "<br><span class=\"sub\">" + Escape(comparison) + "</span>";
    } else {
      message = Escape(message);
    }
    out << fmt::format(
        "<tr><td>{}</td><td class=\"outcome outcome-{}\">{}</td><td>{}</td></tr>\n",
        Escape(r.contains("rule") ? JsonText(r["rule"]) : ""),
        Known(outcome, {"pass", "fail", "inconclusive"}), Escape(outcome), message);
  }
  out << "</tbody></table></section>\n";
}

void Scores(const Json& scores, std::ostream& out) {
  out << "<section id=\"scores\"><h2>Scores</h2>\n<table><thead><tr><th>score</th>"
         "<th>value (0–100)</th><th>notes</th></tr></thead><tbody>\n";
  for (const char* name : {"benefit", "overhead", "generality", "safety", "maintainability"}) {
    std::string value = "n/a", notes;
    if (scores.is_object() && scores.contains(name) && scores[name].is_object()) {
      const Json& s = scores[name];
      if (s.contains("score") && s["score"].is_number()) value = Fixed(s["score"].get<double>(), 1);
      // Every text field of the score is a note (why n/a, what was not measured).
      for (const auto& [key, field] : s.items()) {
        if (!field.is_string()) continue;
        if (!notes.empty()) notes += "<br>";
        notes += key == "note" ? Escape(field.get<std::string>())
                               : Escape(key) + ": " + Escape(field.get<std::string>());
      }
    }
    out << fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"sub\">{}</td></tr>\n",
                       name, value, notes);
  }
  out << "</tbody></table></section>\n";
}

// The checks besides the trials, then the maintainability score's
// components (the candidate's analysis): a score is never a bare number.
void Checks(const std::vector<CheckRecord>& checks, const Json& scores, std::ostream& out) {
  if (checks.empty()) return;
  out << "<section id=\"checks\"><h2>Checks</h2>\n<table><thead><tr><th>arm</th><th>check</th>"
         "<th>status</th><th>summary</th></tr></thead><tbody>\n";
  for (const CheckRecord& c : checks) {
    out << fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"outcome outcome-{}\">{}</td><td>{}</td></tr>\n",
        Escape(c.arm), Escape(c.kind), OutcomeClass(c.status), CheckStatusName(c.status),
        Escape(c.summary));
  }
  out << "</tbody></table>\n";
  const Json* components = nullptr;
  if (scores.is_object() && scores.contains("maintainability") &&
      scores["maintainability"].is_object() &&
      scores["maintainability"].contains("components") &&
      scores["maintainability"]["components"].is_array()) {
    components = &scores["maintainability"]["components"];
  }
  if (components && !components->empty()) {
    out << "<h3>Maintainability score of the candidate</h3>\n<table><thead><tr><th>component"
           "</th><th>penalty</th><th>detail</th></tr></thead><tbody>\n";
    for (const Json& c : *components) {
      if (!c.is_object()) continue;
      double penalty = c.contains("penalty") && c["penalty"].is_number()
                           ? c["penalty"].get<double>() : 0;
      out << fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"sub\">{}</td></tr>\n",
                         Escape(c.contains("name") ? JsonText(c["name"]) : ""),
                         Fixed(penalty, 1),
                         Escape(c.contains("detail") ? JsonText(c["detail"]) : ""));
    }
    out << "</tbody></table>\n";
  }
  out << "</section>\n";
}

// Claims reuse their comparison's interval, so they share its CI label.
void Claims(const std::vector<ClaimRecord>& claims, const std::string& ci_label,
            std::ostream& out) {
  if (claims.empty()) return;
  out << fmt::format(
      "<section id=\"claims\"><h2>Claims</h2>\n<table><thead><tr><th>claim</th>"
      "<th>status</th><th>claimed</th><th>measured</th><th>{}</th><th>measured on</th>"
      "</tr></thead><tbody>\n",
      ci_label);
  for (const ClaimRecord& c : claims) {
    std::string text = fmt::format("<b>{}</b><br>{}", Escape(c.claim_id), Escape(c.text));
    if (!c.note.empty()) text += fmt::format("<br><span class=\"note\">{}</span>", Escape(c.note));
    out << fmt::format(
        "<tr><td>{}</td><td class=\"word claim-{}\">{}</td><td>{} <span class=\"sub\">(×{})"
        "</span></td><td class=\"num\">×{}</td><td>[{}, {}]</td><td>{} · {} · {} vs {}</td>"
        "</tr>\n",
        text, ClaimStatusName(c.status), ClaimStatusName(c.status), Escape(c.expected), Fixed(c.claimed, 4),
        Fixed(c.measured, 4), Fixed(c.ci_low, 4), Fixed(c.ci_high, 4), Escape(c.scenario),
        Escape(c.metric), Escape(c.shape), Escape(c.reference));
  }
  out << "</tbody></table></section>\n";
}

void Finding(const FindingRecord& f, std::ostream& out) {
  std::string where = f.file.empty() ? "" : " · " + Escape(f.file);
  if (!f.file.empty() && f.line > 0) where += fmt::format(":{}", f.line);
  out << fmt::format(
      "<div class=\"finding\"><span class=\"level-{}\">{}</span> <b>{}</b> "
      "<span class=\"sub\">{}{}</span><br>{}\n",
      Known(f.level, {"error", "warning", "note"}), Escape(f.level), Escape(f.rule),
      f.arm.empty() ? "" : "arm " + Escape(f.arm), where, Escape(f.message));
  if (!f.excerpt.empty()) out << "<pre>" << Escape(f.excerpt) << "</pre>\n";
  out << "</div>\n";
}

void Findings(const std::vector<FindingRecord>& findings, std::ostream& out) {
  out << "<section id=\"findings\"><h2>Findings</h2>\n";
  if (findings.empty()) out << "<p>No findings were stored.</p>\n";
  // Console findings belong to a trial (safety); code findings to the patch.
  for (bool safety : {true, false}) {
    bool any = false;
    for (const FindingRecord& f : findings) {
      if (f.trial_id.has_value() != safety) continue;
      if (!any) out << (safety ? "<h3>Safety</h3>\n" : "<h3>Maintainability</h3>\n");
      any = true;
      Finding(f, out);
    }
  }
  out << "</section>\n";
}

// The end of a console log: at most kConsoleTailLines lines and
// kConsoleTailBytes bytes (a cut UTF-8 sequence becomes U+FFFD later).
std::string ConsoleTail(const std::string& log, bool* cut) {
  std::size_t start = log.size() > kConsoleTailBytes ? log.size() - kConsoleTailBytes : 0;
  std::size_t end = log.size();
  while (end > start && log[end - 1] == '\n') --end;
  std::size_t lines = 0, pos = end;
  while (pos > start) {
    if (log[pos - 1] == '\n' && ++lines == kConsoleTailLines) break;
    --pos;
  }
  *cut = pos > 0;
  return log.substr(pos, end - pos);
}

void Trials(const std::vector<TrialRecord>& trials, std::ostream& out) {
  int ok = 0;
  for (const TrialRecord& t : trials) ok += t.status == TrialStatus::kOk;
  out << fmt::format("<section id=\"trials\"><h2>Trials</h2>\n<p>{} trials, {} ok.</p>\n",
                     trials.size(), ok);
  for (const TrialRecord& t : trials) {
    if (t.status == TrialStatus::kOk) continue;
    out << fmt::format(
        "<div class=\"finding\"><span class=\"level-error\">{}</span> trial {} · <b>{}</b> · {}"
        " · {} <span class=\"sub\">boot {} s, wall {} s{}</span><br>{}\n",
        TrialStatusName(t.status), t.seq, Escape(t.arm), Escape(t.scenario), Escape(t.shape),
        Fixed(t.boot_seconds, 2), Fixed(t.wall_seconds, 2),
        t.guest_kernel.empty() ? "" : ", guest " + Escape(t.guest_kernel), Escape(t.message));
    if (!t.console_log.empty()) {
      bool cut = false;
      std::string tail = ConsoleTail(t.console_log, &cut);
      out << fmt::format("<div class=\"sub\">console{}:</div><pre>{}</pre>\n",
                         cut ? fmt::format(", last {} lines at most", kConsoleTailLines) : "",
                         Escape(tail));
    }
    out << "</div>\n";
  }
  out << "</section>\n";
}

void Environment(const ReportData& d, std::ostream& out) {
  const RunRecord& r = d.run;
  out << "<section id=\"environment\"><h2>Environment</h2>\n<table><tbody>\n";
  auto row = [&out](const char* key, const std::string& value) {
    out << fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", key, Escape(value));
  };
  row("proposal", r.proposal + (r.proposal_file.empty() ? "" : " (" + r.proposal_file + ")"));
  row("host", r.host);
  row("kgate version", r.kgate_version);
  row("git sha", r.git_sha);
  row("qemu", r.qemu_version);
  row("host kernel", r.host_kernel);
  row("tier", r.tier);
  row("run", fmt::format("{} · {} · {} to {}{}", r.id, r.status, r.started_at, r.finished_at,
                         r.shard.empty() ? "" : " · shard " + r.shard));
  row("store schema", std::to_string(d.schema_version));
  out << "</tbody></table>\n<table><thead><tr><th>arm</th><th>kernel</th><th>version</th>"
         "<th>specification</th></tr></thead><tbody>\n";
  for (const ArmRecord& a : d.arms) {
    out << fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>\n",
                       Escape(a.name), Escape(a.kernel_ref), Escape(a.kernel_version),
                       Escape(a.spec_json));
  }
  out << "</tbody></table>\n";
  out << fmt::format(
      "<h3>Reproduce</h3>\n<p>Re-judge and re-render this stored run:</p>\n"
      "<pre>kgate gate {0}\nkgate report {0} --format html -o report.html</pre>\n",
      r.id);
  if (!r.command_line.empty()) {
    out << "<p>Measure again, as this run was started:</p>\n<pre>" << Escape(r.command_line)
        << "</pre>\n";
  }
  out << "</section>\n";
}

class HtmlReporter : public Reporter {
 public:
  std::string Name() const override { return "html"; }

  Status Render(const ReportData& d, std::ostream& out) const override {
    if (!d.verdict) {
      return NotJudged(d.run.id);
    }
    const VerdictRecord& v = *d.verdict;
    out << "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << fmt::format("<title>kgate {}: {} (run {})</title>\n", VerdictName(v.verdict),
                       Escape(d.title.empty() ? d.run.proposal : d.title), d.run.id)
        << "<style>" << kStyle << "</style>\n</head>\n<body>\n";
    Banner(d, v, out);
    Reasons(Json::parse(v.reasons_json, nullptr, false), out);
    Json scores = Json::parse(v.scores_json, nullptr, false);
    Scores(scores, out);
    Checks(d.checks, scores, out);
    out << "<section id=\"comparisons\"><h2>Comparisons</h2>\n";
    std::string forest = ForestPlot(d);
    out << (forest.empty() ? "<p>The run has no comparisons.</p>\n" : forest) << "</section>\n";
    Claims(d.claims, CiLabel(d.comparisons), out);
    out << "<section id=\"samples\"><h2>Samples</h2>\n<p class=\"legend\">Every stored sample "
           "(one dot per repetition, not per-trial medians) of each scenario's primary metric "
           "and of every metric that decided as improved or regressed; the bar marks the "
           "median. Dots are spread vertically only for legibility.</p>\n"
        << Distributions(d) << "</section>\n";
    std::string sweep = TunedSweep(d);
    if (!sweep.empty()) {
      out << "<section id=\"tuned\"><h2>Tuned sweep</h2>\n<p class=\"legend\">Median and "
             "interquartile range of the primary metric on each tuned arm; lines: the "
             "baseline (default setting, dashed) and the candidate.</p>\n"
          << sweep << "</section>\n";
    }
    Findings(d.findings, out);
    Trials(d.trials, out);
    Environment(d, out);
    out << "</body>\n</html>\n";
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Reporter> MakeHtmlReporter() { return std::make_unique<HtmlReporter>(); }

}  // namespace kgate
