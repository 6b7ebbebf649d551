// The JUnit XML format: a judged run as test results for a CI server.
//
// Valid against the Jenkins JUnit XSD (junit-4.xsd, which GitLab and most
// CI servers also read; tests/e2e/report_schemas.sh checks it):
//
//   <testsuites name="kgate" tests failures errors [time]>
//     <testsuite name=PROPOSAL tests failures errors skipped [time]
//                timestamp=STARTED hostname=HOST>
//       <properties> verdict, policy, tier, rounds, run_id, proposal_file,
//         title, kgate_version, git_sha, host_kernel, qemu_version,
//         command_line, kernel.ARM (one per arm) </properties>
//       testcases, in this order:
//       1. classname="kgate.rules": one per reason of the verdict, named by
//          its rule (plus ": COMPARISON" when the reason names one, plus
//          " #N" for the Nth repeat of a name). fail: <failure>;
//          inconclusive: <skipped> (undecided must not look green, yet it is
//          no failure); warn: passes with the warning in <system-out>;
//          pass: passes; any other outcome: <error>.
//       2. classname="kgate.SCENARIO": one per guard or target comparison,
//          named "METRIC (ARM vs REFERENCE, SHAPE)" (the shape keeps names
//          unique when a scenario runs on several). A deciding regression
//          that a failing reason names (by Comparison::Label(),
//          "SCENARIO/METRIC/SHAPE vs REFERENCE"): <failure type="regressed">;
//          one the policy tolerates (within max_guard_regression, or against
//          a tuned arm) passes with "tolerated" in <system-out>, so the
//          JUnit failures agree with the verdict; inconclusive and
//          deciding: <skipped>; not deciding at this tier: passes with the
//          reason in <system-out>. Every comparison's numbers are in
//          <system-out>.
//       3. classname="kgate.trials": one per crashed or hung trial, with
//          <error type=STATUS message=MESSAGE> holding the console's tail
//          (at most kTailLines lines and kTailBytes bytes).
//       4. classname="kgate.checks": one per check besides the trials
//          (analysis, module cycle, fault pass), named "ARM KIND": failed:
//          <failure type=KIND message=SUMMARY>, unless the verdict is PASS
//          (a check the policy does not fail on, e.g. a checkpatch error
//          without forbid:), which passes with "failed, but ..." in
//          <system-out>; not-run: <skipped>; passed: passes with the
//          summary in <system-out>.
//
// The XSD's <skipped> is a simple string element: it takes no message
// attribute, so the reason is its text. <testsuites> has no "skipped"
// attribute in that XSD either; the count is on <testsuite>. time is the
// run's wall time in seconds, omitted when its timestamps do not parse.
// All text goes through XmlText (reports/xml_text.h): escaped, invalid UTF-8
// replaced, characters XML forbids dropped. A run without a verdict is
// refused (BadInput): JUnit results of an unjudged run would be all green.
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/reporter.h"
#include "reports/xml_text.h"

namespace kgate {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kTailLines = 60;
constexpr std::size_t kTailBytes = 8192;

enum class Outcome { kPass, kFailure, kSkipped, kError };

struct Testcase {
  std::string classname;
  std::string name;
  Outcome outcome = Outcome::kPass;
  std::string type;     // failure or error type
  std::string message;  // failure or error message; skipped text
  std::string body;     // failure or error text
  std::string system_out;
  std::optional<double> seconds;
};

std::string Attr(const std::string& text) { return XmlText(text, XmlContext::kAttribute); }

std::string Seconds(double s) { return fmt::format("{:.3f}", s); }

std::optional<double> ParseUtc(const std::string& iso) {
  std::tm tm{};
  char z = 0;
  if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z) != 7 || z != 'Z') {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<double>(timegm(&tm));
}

std::optional<double> RunSeconds(const RunRecord& r) {
  auto start = ParseUtc(r.started_at);
  auto end = ParseUtc(r.finished_at);
  if (!start || !end || *end < *start) return std::nullopt;
  return *end - *start;
}

std::string Fixed(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{:.4f}", x);
}

// A measured value: whole numbers from 10000 up (no exponent for
// nanosecond medians), else four significant digits.
std::string Value(double x) {
  if (std::isfinite(x) && std::fabs(x) >= 1e4) return fmt::format("{:.0f}", x);
  return fmt::format("{:.4g}", x);
}

std::string Describe(const ComparisonRecord& c) {
  std::string vs = c.vs.empty() || c.vs == c.reference ? "" : " (" + c.vs + ")";
  return fmt::format("{} {}/{}/{} vs {}{}: x{} [{}, {}] {:.3g}% CI, q={:.3g}, {}; median {} vs {} {}",
                     c.role, c.scenario, c.metric, c.shape, c.reference, vs, Fixed(c.effect),
                     Fixed(c.ci_low), Fixed(c.ci_high), c.ci_level * 100, c.q_value,
                     ClassificationName(c.classification), Value(c.median_arm),
                     Value(c.median_reference), c.unit);
}

void RuleTestcases(const std::string& reasons_json, std::vector<Testcase>* out) {
  Json reasons = Json::parse(reasons_json, nullptr, false);
  if (!reasons.is_array()) {
    out->push_back({"kgate.rules", "reasons", Outcome::kError, "unreadable",
                    "the verdict's stored reasons are not a JSON array", reasons_json, "", {}});
    return;
  }
  std::map<std::string, int> seen;
  for (const Json& r : reasons) {
    if (!r.is_object()) continue;
    Testcase t;
    t.classname = "kgate.rules";
    std::string rule = r.value("rule", std::string("unnamed"));
    t.name = rule;
    if (r.contains("comparison") && r["comparison"].is_string() &&
        !r["comparison"].get<std::string>().empty()) {
      t.name += ": " + r["comparison"].get<std::string>();
    }
    if (int n = ++seen[t.name]; n > 1) t.name += fmt::format(" #{}", n);
    std::string outcome = r.value("outcome", std::string());
    std::string message = r.value("message", std::string());
    if (outcome == "fail") {
      t.outcome = Outcome::kFailure;
      t.type = rule;
      t.message = message;
    } else if (outcome == "inconclusive") {
      t.outcome = Outcome::kSkipped;
      t.message = "inconclusive: " + message;
    } else if (outcome == "warn") {
      t.system_out = "warning: " + message;
    } else if (outcome == "pass") {
      t.system_out = message;
    } else {
      t.outcome = Outcome::kError;
      t.type = "unknown-outcome";
      t.message = fmt::format("unknown outcome '{}': {}", outcome, message);
    }
    out->push_back(std::move(t));
  }
}

// The comparison labels that a failing reason of the verdict names.
std::set<std::string> FailedLabels(const std::string& reasons_json) {
  std::set<std::string> labels;
  Json reasons = Json::parse(reasons_json, nullptr, false);
  if (!reasons.is_array()) return labels;
  for (const Json& r : reasons) {
    if (r.is_object() && r.value("outcome", std::string()) == "fail" &&
        r.contains("comparison") && r["comparison"].is_string()) {
      labels.insert(r["comparison"].get<std::string>());
    }
  }
  return labels;
}

void ComparisonTestcases(const std::vector<ComparisonRecord>& comparisons,
                         const std::set<std::string>& failed, std::vector<Testcase>* out) {
  for (const ComparisonRecord& c : comparisons) {
    if (c.role != "guard" && c.role != "target") continue;
    Testcase t;
    t.classname = "kgate." + c.scenario;
    t.name = fmt::format("{} ({} vs {}, {})", c.metric, c.arm, c.reference, c.shape);
    t.system_out = Describe(c);
    if (!c.decides) {
      t.system_out = fmt::format("not deciding: {}\n{}", c.note.empty() ? "not trusted at this tier" : c.note,
                                 t.system_out);
    } else if (c.classification == Classification::kRegressed &&
               !failed.count(fmt::format("{}/{}/{} vs {}", c.scenario, c.metric, c.shape,
                                         c.reference))) {
      t.system_out = "regressed, tolerated by the policy (no failing rule names it)\n" + t.system_out;
    } else if (c.classification == Classification::kRegressed) {
      t.outcome = Outcome::kFailure;
      t.type = "regressed";
      t.message = fmt::format("{} regressed: x{} [{}, {}], q={:.3g}", c.metric, Fixed(c.effect),
                              Fixed(c.ci_low), Fixed(c.ci_high), c.q_value);
    } else if (c.classification == Classification::kInconclusive) {
      t.outcome = Outcome::kSkipped;
      t.message = "inconclusive: " + Describe(c);
      t.system_out.clear();  // the skipped text says it all
    }
    out->push_back(std::move(t));
  }
}

// The last kTailLines lines of log, within kTailBytes, cut at a line start.
std::string ConsoleTail(const std::string& log) {
  std::size_t start = log.size();
  std::size_t lines = 0;
  while (start > 0 && lines < kTailLines) {
    std::size_t nl = start >= 2 ? log.rfind('\n', start - 2) : std::string::npos;
    std::size_t line_start = nl == std::string::npos ? 0 : nl + 1;
    if (log.size() - line_start > kTailBytes) break;
    start = line_start;
    ++lines;
  }
  if (start == log.size() && !log.empty()) start = log.size() - kTailBytes;  // one huge line
  if (start == 0) return log;
  return fmt::format("[{} earlier bytes of the console omitted]\n{}", start, log.substr(start));
}

void TrialTestcases(const std::vector<TrialRecord>& trials, std::vector<Testcase>* out) {
  for (const TrialRecord& tr : trials) {
    if (tr.status != TrialStatus::kCrashed && tr.status != TrialStatus::kHung) continue;
    Testcase t;
    t.classname = "kgate.trials";
    t.name = fmt::format("{} trial {} ({}, {}, round {})", tr.arm, tr.seq, tr.scenario, tr.shape,
                         tr.round);
    t.outcome = Outcome::kError;
    t.type = TrialStatusName(tr.status);
    t.message = tr.message.empty() ? TrialStatusName(tr.status) : tr.message;
    t.body = ConsoleTail(tr.console_log);
    t.seconds = tr.wall_seconds;
    out->push_back(std::move(t));
  }
}

void CheckTestcases(const std::vector<CheckRecord>& checks, Verdict verdict,
                    std::vector<Testcase>* out) {
  for (const CheckRecord& c : checks) {
    Testcase t;
    t.classname = "kgate.checks";
    t.name = c.arm + " " + c.kind;
    if (c.status == CheckStatus::kFailed && verdict == Verdict::kPass) {
      t.system_out = "failed, but the policy does not fail the run on it: " + c.summary;
    } else if (c.status == CheckStatus::kFailed) {
      t.outcome = Outcome::kFailure;
      t.type = c.kind;
      t.message = c.summary;
    } else if (c.status == CheckStatus::kNotRun) {
      t.outcome = Outcome::kSkipped;
      t.message = c.summary;
    } else {
      t.system_out = c.summary;
    }
    out->push_back(std::move(t));
  }
}

void Properties(const ReportData& d, const VerdictRecord& v, std::ostream& out) {
  const RunRecord& r = d.run;
  std::vector<std::pair<std::string, std::string>> props = {
      {"verdict", VerdictName(v.verdict)},        {"policy", v.policy},
      {"tier", v.tier},              {"rounds", std::to_string(v.rounds)},
      {"run_id", std::to_string(r.id)}, {"proposal_file", r.proposal_file},
      {"title", d.title},            {"kgate_version", r.kgate_version},
      {"git_sha", r.git_sha},        {"host_kernel", r.host_kernel},
      {"qemu_version", r.qemu_version}, {"command_line", r.command_line}};
  for (const ArmRecord& a : d.arms) {
    props.push_back({"kernel." + a.name, a.kernel_version.empty() ? a.kernel_ref : a.kernel_version});
  }
  out << "    <properties>\n";
  for (const auto& [name, value] : props) {
    out << fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", Attr(name), Attr(value));
  }
  out << "    </properties>\n";
}

void WriteTestcase(const Testcase& t, std::ostream& out) {
  out << fmt::format("    <testcase classname=\"{}\" name=\"{}\"", Attr(t.classname), Attr(t.name));
  if (t.seconds) out << fmt::format(" time=\"{}\"", Seconds(*t.seconds));
  if (t.outcome == Outcome::kPass && t.system_out.empty()) {
    out << "/>\n";
    return;
  }
  out << ">\n";
  // The XSD's order: skipped, error, failure, system-out.
  switch (t.outcome) {
    case Outcome::kSkipped:
      out << "      <skipped>" << XmlText(t.message) << "</skipped>\n";
      break;
    case Outcome::kError:
    case Outcome::kFailure: {
      const char* tag = t.outcome == Outcome::kError ? "error" : "failure";
      out << fmt::format("      <{} type=\"{}\" message=\"{}\"", tag, Attr(t.type), Attr(t.message));
      out << (t.body.empty() ? "/>\n" : fmt::format(">{}</{}>\n", XmlText(t.body), tag));
      break;
    }
    case Outcome::kPass:
      break;
  }
  if (!t.system_out.empty()) out << "      <system-out>" << XmlText(t.system_out) << "</system-out>\n";
  out << "    </testcase>\n";
}

class JunitReporter : public Reporter {
 public:
  std::string Name() const override { return "junit"; }

  Status Render(const ReportData& d, std::ostream& out) const override {
    if (!d.verdict) {
      return NotJudged(d.run.id);
    }
    std::vector<Testcase> cases;
    RuleTestcases(d.verdict->reasons_json, &cases);
    ComparisonTestcases(d.comparisons, FailedLabels(d.verdict->reasons_json), &cases);
    TrialTestcases(d.trials, &cases);
    CheckTestcases(d.checks, d.verdict->verdict, &cases);
    std::map<Outcome, int> count;
    for (const Testcase& t : cases) ++count[t.outcome];
    std::string time;
    if (auto s = RunSeconds(d.run)) time = fmt::format(" time=\"{}\"", Seconds(*s));
    std::string name = d.run.proposal.empty() ? fmt::format("run {}", d.run.id) : d.run.proposal;

    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << fmt::format("<testsuites name=\"kgate\" tests=\"{}\" failures=\"{}\" errors=\"{}\"{}>\n",
                       cases.size(), count[Outcome::kFailure], count[Outcome::kError], time);
    out << fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"{} "
        "timestamp=\"{}\" hostname=\"{}\">\n",
        Attr(name), cases.size(), count[Outcome::kFailure], count[Outcome::kError],
        count[Outcome::kSkipped], time, Attr(d.run.started_at), Attr(d.run.host));
    Properties(d, *d.verdict, out);
    for (const Testcase& t : cases) WriteTestcase(t, out);
    out << "  </testsuite>\n</testsuites>\n";
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Reporter> MakeJunitReporter() { return std::make_unique<JunitReporter>(); }

}  // namespace kgate
