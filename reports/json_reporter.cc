// The JSON format: every stored row of a run, for machines.
//
// Shape: {"kgate": 1, "schema_version", "context", "run", "arms", "verdict",
// "comparisons", "claims", "findings", "checks", "trials"}; keys keep this
// order. A check's stored detail JSON is embedded as "detail".
// Non-finite numbers become the strings "inf", "-inf" and "nan" (JSON has no
// such numbers and nlohmann would write null); invalid UTF-8 in any text is
// replaced with U+FFFD rather than failing. Trials carry no console logs.
#include <cmath>

#include <nlohmann/json.hpp>

#include "reports/reporter.h"

namespace kgate {
namespace {

using Json = nlohmann::ordered_json;

Json Number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return x;
}

// Stored reasons/scores JSON, parsed; the raw text when it does not parse.
Json Embedded(const std::string& text) {
  if (text.empty()) return nullptr;
  Json j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? Json(text) : j;
}

Json Context(const ReportData& d) {
  const RunRecord& r = d.run;
  return {{"host", r.host},
          {"kgate_version", r.kgate_version},
          {"git_sha", r.git_sha},
          {"qemu_version", r.qemu_version},
          {"host_kernel", r.host_kernel},
          {"tier", r.tier},
          {"command_line", r.command_line},
          {"started_at", r.started_at},
          {"finished_at", r.finished_at}};
}

Json Run(const ReportData& d) {
  const RunRecord& r = d.run;
  return {{"id", r.id},           {"proposal", r.proposal}, {"title", d.title},
          {"proposal_file", r.proposal_file}, {"status", r.status}, {"shard", r.shard}};
}

Json Arm(const ArmRecord& a) {
  return {{"name", a.name},
          {"kernel_ref", a.kernel_ref},
          {"kernel_version", a.kernel_version},
          {"spec", Embedded(a.spec_json)}};
}

Json Verdict(const VerdictRecord& v) {
  return {{"verdict", v.verdict},   {"policy", v.policy},
          {"tier", v.tier},         {"rounds", v.rounds},
          {"created_at", v.created_at}, {"reasons", Embedded(v.reasons_json)},
          {"scores", Embedded(v.scores_json)}};
}

Json Comparison(const ComparisonRecord& c) {
  return {{"scenario", c.scenario},
          {"metric", c.metric},
          {"shape", c.shape},
          {"arm", c.arm},
          {"reference", c.reference},
          {"vs", c.vs},
          {"role", c.role},
          {"primary", c.primary},
          {"kind", c.kind},
          {"better", c.better},
          {"unit", c.unit},
          {"n_arm", c.n_arm},
          {"n_reference", c.n_reference},
          {"median_arm", Number(c.median_arm)},
          {"median_reference", Number(c.median_reference)},
          {"effect", Number(c.effect)},
          {"ci_low", Number(c.ci_low)},
          {"ci_high", Number(c.ci_high)},
          {"ci_level", Number(c.ci_level)},
          {"hl_shift", Number(c.hl_shift)},
          {"p_value", Number(c.p_value)},
          {"q_value", Number(c.q_value)},
          {"classification", c.classification},
          {"decides", c.decides},
          {"note", c.note}};
}

Json Claim(const ClaimRecord& c) {
  return {{"id", c.claim_id},         {"text", c.text},
          {"expected", c.expected},   {"claimed", Number(c.claimed)},
          {"scenario", c.scenario},   {"metric", c.metric},
          {"shape", c.shape},         {"reference", c.reference},
          {"measured", Number(c.measured)}, {"ci_low", Number(c.ci_low)},
          {"ci_high", Number(c.ci_high)},   {"status", c.status},
          {"note", c.note}};
}

Json Finding(const FindingRecord& f) {
  return {{"trial_id", f.trial_id ? Json(*f.trial_id) : Json(nullptr)},
          {"arm", f.arm},
          {"rule", f.rule},
          {"level", f.level},
          {"file", f.file},
          {"line", f.line},
          {"message", f.message},
          {"excerpt", f.excerpt}};
}

Json Check(const CheckRecord& c) {
  return {{"arm", c.arm},
          {"kind", c.kind},
          {"status", c.status},
          {"summary", c.summary},
          {"detail", Embedded(c.detail_json)}};
}

Json Trial(const TrialRecord& t) {
  return {{"seq", t.seq},
          {"round", t.round},
          {"arm", t.arm},
          {"scenario", t.scenario},
          {"shape", t.shape},
          {"status", TrialStatusName(t.status)},
          {"message", t.message},
          {"boot_seconds", Number(t.boot_seconds)},
          {"wall_seconds", Number(t.wall_seconds)},
          {"guest_kernel", t.guest_kernel}};
}

template <typename T, typename F>
Json Array(const std::vector<T>& rows, F f) {
  Json a = Json::array();
  for (const T& row : rows) a.push_back(f(row));
  return a;
}

class JsonReporter : public Reporter {
 public:
  std::string Name() const override { return "json"; }

  Status Render(const ReportData& d, std::ostream& out) const override {
    Json j;
    j["kgate"] = 1;
    j["schema_version"] = d.schema_version;
    j["context"] = Context(d);
    j["run"] = Run(d);
    j["arms"] = Array(d.arms, Arm);
    j["verdict"] = d.verdict ? Verdict(*d.verdict) : Json(nullptr);
    j["comparisons"] = Array(d.comparisons, Comparison);
    j["claims"] = Array(d.claims, Claim);
    j["findings"] = Array(d.findings, Finding);
    j["checks"] = Array(d.checks, Check);
    j["trials"] = Array(d.trials, Trial);
    out << j.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Reporter> MakeJsonReporter() { return std::make_unique<JsonReporter>(); }

}  // namespace kgate
