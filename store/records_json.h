// The JSON form of each stored record, written once here and used by every
// output that shows records: the JSON report (reports/json_reporter.cc), the
// dashboard's API (dashboard/api*.cc) and `kgate compare --json`.
//
// Keys keep the order below. Non-finite numbers become the strings "inf",
// "-inf" and "nan" (JSON has none, and nlohmann would write null). A record's
// stored JSON text (an arm's spec, a verdict's reasons and scores, a check's
// detail) is embedded parsed, or as the raw string when it does not parse.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "store/records.h"

namespace kgate {

using RecordJson = nlohmann::ordered_json;

RecordJson JsonNumber(double x);
RecordJson EmbeddedJson(const std::string& text);  // null for ""

// {"name", "kernel_ref", "kernel_version", "spec"}
RecordJson ToJson(const ArmRecord& arm);
// {"verdict", "policy", "tier", "rounds", "created_at", "reasons", "scores"}
RecordJson ToJson(const VerdictRecord& verdict);
// {"scenario", "metric", "shape", "arm", "reference", "vs", "role",
//  "primary", "kind", "better", "unit", "n_arm", "n_reference",
//  "median_arm", "median_reference", "effect", "ci_low", "ci_high",
//  "ci_level", "hl_shift", "p_value", "q_value", "classification",
//  "decides", "note"}
RecordJson ToJson(const ComparisonRecord& comparison);
// {"id", "text", "expected", "claimed", "scenario", "metric", "shape",
//  "reference", "measured", "ci_low", "ci_high", "status", "note"}
RecordJson ToJson(const ClaimRecord& claim);
// {"trial_id" (null for a run-level finding), "arm", "rule", "level",
//  "file", "line", "message", "excerpt"}
RecordJson ToJson(const FindingRecord& finding);
// {"arm", "kind", "status", "summary", "detail"}
RecordJson ToJson(const CheckRecord& check);
// {"seq", "round", "arm", "scenario", "shape", "status", "message",
//  "boot_seconds", "wall_seconds", "guest_kernel"}; no console log.
RecordJson ToJson(const TrialRecord& trial);

}  // namespace kgate
