#include "store/records_json.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace kgate {

RecordJson JsonNumber(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return x;
}

RecordJson EmbeddedJson(const std::string& text) {
  if (text.empty()) return nullptr;
  RecordJson j = RecordJson::parse(text, nullptr, false);
  return j.is_discarded() ? RecordJson(text) : j;
}

RecordJson ToJson(const ArmRecord& a) {
  return {{"name", a.name},
          {"kernel_ref", a.kernel_ref},
          {"kernel_version", a.kernel_version},
          {"spec", EmbeddedJson(a.spec_json)}};
}

RecordJson ToJson(const VerdictRecord& v) {
  return {{"verdict", v.verdict},         {"policy", v.policy},
          {"tier", v.tier},               {"rounds", v.rounds},
          {"created_at", v.created_at},   {"reasons", EmbeddedJson(v.reasons_json)},
          {"scores", EmbeddedJson(v.scores_json)}};
}

RecordJson ToJson(const ComparisonRecord& c) {
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
          {"median_arm", JsonNumber(c.median_arm)},
          {"median_reference", JsonNumber(c.median_reference)},
          {"effect", JsonNumber(c.effect)},
          {"ci_low", JsonNumber(c.ci_low)},
          {"ci_high", JsonNumber(c.ci_high)},
          {"ci_level", JsonNumber(c.ci_level)},
          {"hl_shift", JsonNumber(c.hl_shift)},
          {"p_value", JsonNumber(c.p_value)},
          {"q_value", JsonNumber(c.q_value)},
          {"classification", ClassificationName(c.classification)},
          {"decides", c.decides},
          {"note", c.note}};
}

RecordJson ToJson(const ClaimRecord& c) {
  return {{"id", c.claim_id},
          {"text", c.text},
          {"expected", c.expected},
          {"claimed", JsonNumber(c.claimed)},
          {"scenario", c.scenario},
          {"metric", c.metric},
          {"shape", c.shape},
          {"reference", c.reference},
          {"measured", JsonNumber(c.measured)},
          {"ci_low", JsonNumber(c.ci_low)},
          {"ci_high", JsonNumber(c.ci_high)},
          {"status", c.status},
          {"note", c.note}};
}

RecordJson ToJson(const FindingRecord& f) {
  return {{"trial_id", f.trial_id ? RecordJson(*f.trial_id) : RecordJson(nullptr)},
          {"arm", f.arm},
          {"rule", f.rule},
          {"level", f.level},
          {"file", f.file},
          {"line", f.line},
          {"message", f.message},
          {"excerpt", f.excerpt}};
}

RecordJson ToJson(const CheckRecord& c) {
  return {{"arm", c.arm},
          {"kind", c.kind},
          {"status", CheckStatusName(c.status)},
          {"summary", c.summary},
          {"detail", EmbeddedJson(c.detail_json)}};
}

RecordJson ToJson(const TrialRecord& t) {
  return {{"seq", t.seq},
          {"round", t.round},
          {"arm", t.arm},
          {"scenario", t.scenario},
          {"shape", t.shape},
          {"status", TrialStatusName(t.status)},
          {"message", t.message},
          {"boot_seconds", JsonNumber(t.boot_seconds)},
          {"wall_seconds", JsonNumber(t.wall_seconds)},
          {"guest_kernel", t.guest_kernel}};
}

}  // namespace kgate
