// The rows kgate stores, as plain values. store.h reads and writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kgate {

// The words below are what the store's columns and every JSON output hold;
// each Name gives the word, each Parse reads it back (nullopt for any other
// text, compared case-sensitively).

// A trial's outcome. Everything but kOk is still data: the run goes on.
enum class TrialStatus { kOk, kFailed, kCrashed, kHung, kInfraError };
const char* TrialStatusName(TrialStatus s);  // "ok", "failed", "crashed", "hung", "infra-error"
std::optional<TrialStatus> ParseTrialStatus(const std::string& s);

// A check of an arm besides its trials (CheckRecord).
enum class CheckStatus { kPassed, kFailed, kNotRun };
const char* CheckStatusName(CheckStatus s);  // "passed", "failed", "not-run"
std::optional<CheckStatus> ParseCheckStatus(const std::string& s);

// What a comparison of an arm with its reference showed (judge/comparison.h
// says how it is decided).
enum class Classification { kImproved, kRegressed, kEquivalent, kInconclusive };
// "improved", "regressed", "equivalent", "inconclusive"
const char* ClassificationName(Classification c);
std::optional<Classification> ParseClassification(const std::string& s);

// The gate's verdict on a run (judge/verdict_rules.h).
enum class Verdict { kPass, kFail, kInconclusive };
const char* VerdictName(Verdict v);  // "PASS", "FAIL", "INCONCLUSIVE"
std::optional<Verdict> ParseVerdict(const std::string& s);

// A claim checked against the run (judge/claims.h says when each holds).
enum class ClaimStatus { kReproduced, kPartially, kNotReproduced, kContradicted, kNotCheckable };
// "reproduced", "partially", "not-reproduced", "contradicted", "not-checkable"
const char* ClaimStatusName(ClaimStatus s);
std::optional<ClaimStatus> ParseClaimStatus(const std::string& s);

// nlohmann::json (found by argument-dependent lookup) writes each of these
// as its word, never as a number.
template <typename Json>
void to_json(Json& j, TrialStatus v) { j = TrialStatusName(v); }
template <typename Json>
void to_json(Json& j, CheckStatus v) { j = CheckStatusName(v); }
template <typename Json>
void to_json(Json& j, Classification v) { j = ClassificationName(v); }
template <typename Json>
void to_json(Json& j, Verdict v) { j = VerdictName(v); }
template <typename Json>
void to_json(Json& j, ClaimStatus v) { j = ClaimStatusName(v); }

struct RunRecord {
  std::int64_t id = 0;
  std::string proposal;       // proposal name
  std::string proposal_file;
  std::string proposal_yaml;  // the proposal text as run, for re-judging
  std::string started_at;     // ISO 8601 UTC
  std::string finished_at;    // empty while running
  std::string host;
  std::string kgate_version;
  std::string git_sha;
  std::string qemu_version;
  std::string host_kernel;
  std::string command_line;
  std::string tier;
  std::string status;         // running | done | interrupted | infra-error
  std::string shard;          // "i/N", empty when unsharded
  // Schema v5: where the run's configuration was read from; with the files
  // stored beside the run (Store::SaveRunFiles) they let the run be
  // re-judged with the scenarios and policy it was measured with.
  std::string scenarios_dir;
  std::string suites_dir;
  std::string policies_dir;
};

struct KernelRecord {
  std::string ref;            // as written in the proposal: debian:6.12-cloud
  std::string package;        // linux-image-6.12.57+deb12-cloud-amd64-unsigned
  std::string version;        // uname -r of the kernel
  std::string config_hash;    // sha256 of its config file
  std::string image_path;
};

struct ArmRecord {
  std::int64_t run_id = 0;
  std::string name;
  std::string kernel_ref;
  std::string kernel_version;
  std::string spec_json;      // the arm's full specification
};

struct TrialRecord {
  std::int64_t id = 0;
  std::int64_t run_id = 0;
  int seq = 0;                // position in the plan; unique per run
  int round = 0;              // adaptive-sampling round
  std::string arm;
  std::string scenario;
  std::string shape;
  std::string tier;
  TrialStatus status = TrialStatus::kOk;
  std::string message;        // why it is not ok, one line
  std::string started_at;
  double boot_seconds = 0;    // host start to agent ready
  double wall_seconds = 0;    // host start to exit
  std::string guest_kernel;   // uname -r reported by the agent
  std::string clocksource;    // guest clocksource during the trial
  std::string console_log;    // bounded tail of ttyS0
  std::int64_t seed = -1;     // the guest's QEMU -seed (icount); -1 none
};

struct SampleRecord {
  std::string metric;
  double value = 0;
  std::string unit;
  std::string kind;           // time | rate | latency | count | bytes
  std::string better;         // lower | higher
  int repetition = 0;         // 0-based measured repetition
};

// A sample joined with its trial, as the judge reads it.
struct SampleRow {
  std::int64_t trial_id = 0;
  int seq = 0;
  std::string arm;
  std::string scenario;
  std::string shape;
  SampleRecord sample;
};

struct FindingRecord {
  std::int64_t run_id = 0;
  std::optional<std::int64_t> trial_id;
  std::string arm;
  std::string rule;           // stable id: fpu-in-kernel, console-oops, ...
  std::string level;          // error | warning | note
  std::string file;
  int line = 0;
  std::string message;
  std::string excerpt;
};

// The outcome of one check kgate makes of an arm besides its trials: the
// static analysis of its patch or modules ("analysis"), loading and unloading
// its modules in a guest ("module-cycle"), the fault pass ("fault-injection").
// The check's own findings are FindingRecords of the arm; detail_json holds
// whatever the check measured, in the JSON form its code documents.
struct CheckRecord {
  std::int64_t run_id = 0;
  std::string arm;
  std::string kind;
  CheckStatus status = CheckStatus::kNotRun;
  std::string summary;  // one line, for consoles and tables
  std::string detail_json = "{}";
};

// Whether checks hold the arm's check of that kind (a resumed run skips it).
inline bool HasCheck(const std::vector<CheckRecord>& checks, const std::string& arm,
                     const std::string& kind) {
  for (const CheckRecord& c : checks) {
    if (c.arm == arm && c.kind == kind) return true;
  }
  return false;
}

struct ComparisonRecord {
  std::int64_t run_id = 0;
  std::string scenario;
  std::string metric;
  std::string shape;
  std::string arm;            // usually candidate
  std::string reference;      // baseline or a tuned arm
  int n_arm = 0;
  int n_reference = 0;
  double effect = 0;          // ratio of medians, arm / reference
  double ci_low = 0;
  double ci_high = 0;
  double p_value = 1;
  double q_value = 1;         // after Benjamini-Hochberg
  Classification classification = Classification::kInconclusive;
  bool decides = true;        // false when the metric kind is not trusted at the tier
  // Schema v3.
  std::string vs = "baseline";  // baseline | tuned: what reference is
  std::string role = "guard";   // target | guard: the scenario's role in the proposal
  std::string kind;             // the metric's kind: time | rate | latency | count | bytes
  std::string better;           // lower | higher
  std::string unit;
  double median_arm = 0;
  double median_reference = 0;
  double hl_shift = 0;          // Hodges-Lehmann shift, arm - reference, in unit
  double ci_level = 0.95;       // coverage of [ci_low, ci_high]
  std::string note;             // why it does not decide, or what limited it
  bool primary = false;         // the scenario's primary metric (column is_primary)
};

struct VerdictRecord {
  std::int64_t run_id = 0;
  std::string policy;
  Verdict verdict = Verdict::kInconclusive;
  std::string reasons_json;
  std::string scores_json;
  std::string created_at;
  // Schema v3.
  std::string tier;           // the tier the judged samples were measured at
  int rounds = 0;             // rounds of trials judged
};

struct ClaimRecord {
  std::int64_t run_id = 0;
  std::string claim_id;
  std::string text;
  std::string expected;
  double measured = 0;
  double ci_low = 0;
  double ci_high = 0;
  ClaimStatus status = ClaimStatus::kNotCheckable;
  // Schema v3.
  std::string scenario;
  std::string metric;
  std::string shape;
  std::string reference;      // the arm the claim was measured against
  double claimed = 0;         // the claimed ratio, candidate / reference
  std::string note;           // why not checkable, or what the status rests on
};

}  // namespace kgate
