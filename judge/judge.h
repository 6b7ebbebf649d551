// The judge: a run's stored trials -> comparisons -> claims, scores and a
// verdict under a policy. Pure: it reads a JudgeInput and returns a
// Judgement; judge/stored_run.h loads the input from and saves the
// judgement to the store, so `kgate gate` re-judges without booting.
//
//   trials + samples ─▶ per-trial values (trial_values.h)
//     ─▶ candidate vs baseline, per scenario x metric x shape
//     ─▶ best tuned arm per scenario x shape, chosen on held-apart rounds
//        ─▶ candidate vs that arm on the remaining rounds
//     ─▶ Benjamini-Hochberg over the deciding comparisons, classification
//     ─▶ claims (claims.h), scores (scores.h), verdict (verdict_rules.h)
//
// Which comparisons decide: a metric whose kind the policy does not trust at
// the run's tier (time at tcg) is shown, marked low-fidelity, and does not
// decide; nor does a time-like metric of a scenario whose measured CV at the
// tier exceeds policy.max_cv (config/model.h says why).
//
// Tuned arms: "why not tune the existing heuristic instead?" Picking the
// best of several tuned arms on the same trials it is then judged on would
// favour the luckiest arm (winner's curse), so the choice is made on the
// first SelectionRounds() rounds and the candidate is compared with the
// chosen arm on the rounds after them only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/model.h"
#include "judge/comparison.h"
#include "judge/trial_values.h"
#include "store/records.h"

namespace kgate {

struct JudgeInput {
  Proposal proposal;
  Policy policy;
  std::string tier;                               // the run's tier
  std::map<std::string, ScenarioSpec> scenarios;  // every scenario of the proposal
  std::vector<std::string> arms;                  // the run's arms, as stored
  std::vector<TrialRecord> trials;                // every trial, any status
  std::vector<TrialValues> values;                // per ok trial
  std::vector<FindingRecord> findings;
  std::vector<CheckRecord> checks;                // analysis, module cycles, fault passes
};

struct JudgeOptions {
  std::optional<int> rounds;  // judge only rounds < this (a look); all when unset
  int looks = 1;              // alpha and CI level are those of one of `looks` looks
  std::uint64_t seed = 0;     // bootstrap seed, mixed with each comparison's label
};

struct TunedChoice {
  std::string scenario;
  std::string shape;
  std::string metric;                     // the scenario's primary metric
  std::string arm;                        // the chosen tuned arm; "" when none had data
  std::map<std::string, double> medians;  // tuned arm -> median on the selection rounds
  int selection_rounds = 0;
};

// One rule's outcome. kFail and kInconclusive decide the verdict; kWarn is
// said for a reviewer's eye and decides nothing.
enum class Outcome { kPass, kWarn, kInconclusive, kFail };
const char* OutcomeName(Outcome o);  // "pass", "warn", "inconclusive", "fail"
template <typename Json>
void to_json(Json& j, Outcome o) { j = OutcomeName(o); }

struct Reason {
  std::string rule;
  Outcome outcome = Outcome::kPass;
  std::string message;
  std::string comparison;  // Comparison::Label() of what decided it, if one did
};

struct ClaimResult {
  ClaimSpec spec;
  ClaimStatus status = ClaimStatus::kNotCheckable;
  std::string shape;
  std::string reference;  // the arm measured against
  double measured = 0;    // effect, candidate / reference
  Interval ci{0, 0};
  std::string note;
};

struct Judgement {
  std::string policy;
  std::string tier;
  int rounds = 0;         // rounds judged
  double alpha = 0.05;    // alpha spent at this look
  std::vector<Comparison> comparisons;
  std::vector<TunedChoice> tuned;
  std::vector<ClaimResult> claims;
  nlohmann::ordered_json scores;
  Verdict verdict = Verdict::kInconclusive;
  std::vector<Reason> reasons;

  // The deciding comparisons still inconclusive that more rounds might
  // classify (not futile).
  int Open() const;
  // None is open. Sampling waits for every deciding metric, not only the
  // primary ones, because a cost may show only in a secondary metric
  // (microbench's primary is getpid; a change to the allocator shows in
  // page faults, mmap or fork); the verdict waits for the primary ones only
  // (`unresolved`). It does not wait for a secondary comparison the rounds
  // left could not classify (Comparison::futile): an A/A's context-switch
  // count, at a CV of 5-9 %, would otherwise hold every run to runs.max.
  bool Settled() const;
  // More trials cannot change the verdict: settled, or FAIL (each FAIL rule
  // rests on an observed crash, finding, or an alpha-controlled regression).
  bool Final() const;
};

// The rounds the tuned arms are chosen on: max(1, runs.min / 5).
int SelectionRounds(const Proposal& proposal);

// The scenario's primary metric: its first declared metric that decides at
// the tier, else its first. Tuned arms are chosen on it, and the
// `unresolved` rule waits for it alone.
const MetricSpec& PrimaryMetric(const ScenarioSpec& scenario, const Policy& policy,
                                const std::string& tier);

// Whether a metric decides at the tier; when not, *why says so.
bool MetricDecides(const ScenarioSpec& scenario, const MetricSpec& metric, const Policy& policy,
                   const std::string& tier, std::string* why);

// The console findings that speak against the candidate, from its trials of
// rounds < round_limit; the safety rule and the safety score both read these.
// Left out, and counted in *set_aside when it is given:
// - taint the baseline's trials show too (an unsigned Debian kernel, say):
//   only new taint is the candidate's doing (not counted in *set_aside);
// - at tier icount, hung-task, soft-lockup and RCU-stall reports. These
//   detectors time themselves with the guest's clock; under icount
//   (sleep=off) that clock jumps ahead whenever the vCPU idles, so a wait on
//   the emulated disk that the loaded host serves in a few seconds can read
//   as minutes (an A/A run here logged "jbd2 blocked for more than 604
//   seconds" in a trial that completed). They stay stored and shown.
std::vector<const FindingRecord*> CandidateConsoleFindings(const JudgeInput& in, int round_limit,
                                                           int* set_aside = nullptr);

Judgement Judge(const JudgeInput& input, const JudgeOptions& options = {});

}  // namespace kgate
