// Synthetic runs for the judge's tests (judge_test.cc, gate_test.cc,
// claims_test.cc, scores_test.cc): a RunBuilder plants effects with known
// noise, and small finders read the judgement back.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "judge/judge.h"

namespace kgate {
namespace judge_testing {

constexpr const char* kShape = "1cpu-512M";
constexpr double kLevel = 100;  // every metric's baseline level

inline MetricSpec Metric(const std::string& name, MetricKind kind, Direction better) {
  MetricSpec m;
  m.name = name;
  m.kind = kind;
  m.better = better;
  m.unit = kind == MetricKind::kRate ? "ops/s" : kind == MetricKind::kCount ? "insns" : "s";
  return m;
}
inline MetricSpec Time() { return Metric("time", MetricKind::kTime, Direction::kLowerIsBetter); }
inline MetricSpec Ops() { return Metric("ops", MetricKind::kRate, Direction::kHigherIsBetter); }
inline MetricSpec Insns() { return Metric("insns", MetricKind::kCount, Direction::kLowerIsBetter); }

// The policy of the brief: mainline-like, with fewer resamples than the
// default so the suite stays fast.
inline Policy TestPolicy() {
  Policy p;
  p.name = "test";
  p.margin = 0.02;
  p.alpha = 0.05;
  p.max_guard_regression = 0.02;
  p.max_cv = 0.05;
  p.looks = 3;
  p.resamples = 2000;
  p.trusted_kinds["icount"] = {MetricKind::kTime, MetricKind::kRate, MetricKind::kLatency,
                               MetricKind::kCount, MetricKind::kBytes};
  p.trusted_kinds["tcg"] = {MetricKind::kCount, MetricKind::kBytes};
  return p;
}

inline ClaimSpec Claim(const std::string& id, const std::string& scenario,
                       const std::string& metric, const std::string& op, double ratio,
                       const std::string& vs = "baseline") {
  ClaimSpec c;
  c.id = id;
  c.scenario = scenario;
  c.metric = metric;
  c.op = op;
  c.ratio = ratio;
  c.vs = vs;
  c.expect = op + " " + std::to_string(ratio) + "x";
  return c;
}

// Builds a JudgeInput: scenarios, arms, trials and their per-trial values.
// Values are kLevel * factor * (1 + cv * N(0, 1)) from a seeded generator,
// so every test is deterministic.
class RunBuilder {
 public:
  explicit RunBuilder(const std::string& tier = "icount", std::uint64_t seed = 1) : gen_(seed) {
    in_.tier = tier;
    in_.policy = TestPolicy();
    in_.proposal.name = "judge-test";
    in_.proposal.baseline.name = "baseline";
    in_.proposal.candidate.name = "candidate";
    in_.proposal.runs = {5, 15};
    in_.arms = {"baseline", "candidate"};
  }

  JudgeInput& in() { return in_; }

  ScenarioSpec& AddScenario(const std::string& name, std::vector<MetricSpec> metrics,
                            bool target = false) {
    ScenarioSpec s;
    s.name = name;
    s.metrics = std::move(metrics);
    in_.proposal.scenarios.push_back(name);
    if (target) in_.proposal.targets.push_back(name);
    return in_.scenarios[name] = s;
  }

  void AddArm(const std::string& arm) { in_.arms.push_back(arm); }

  // One trial; its values only when ok. Returns the trial id.
  std::int64_t AddTrial(const std::string& arm, const std::string& scenario, int round,
                        const std::map<std::string, double>& values,
                        TrialStatus status = TrialStatus::kOk) {
    TrialRecord t;
    t.id = next_id_++;
    t.run_id = 1;
    t.seq = next_seq_++;
    t.round = round;
    t.arm = arm;
    t.scenario = scenario;
    t.shape = kShape;
    t.tier = in_.tier;
    t.status = status;
    t.boot_seconds = 1;
    if (status != TrialStatus::kOk) t.message = "synthetic";
    in_.trials.push_back(t);
    if (status == TrialStatus::kOk) {
      in_.values.push_back({t.id, t.seq, t.round, t.arm, t.scenario, t.shape, values});
    }
    return t.id;
  }

  // Rounds [first, first + rounds) of `arm` on `scenario`: each of the
  // scenario's metrics at kLevel * factor (factors[metric], default 1) with
  // noise of coefficient of variation cv (metric_cv[metric] when given).
  void AddRounds(const std::string& arm, const std::string& scenario, int rounds,
                 const std::map<std::string, double>& factors, double cv, int first = 0,
                 const std::map<std::string, double>& metric_cv = {}) {
    auto lookup = [](const std::map<std::string, double>& m, const std::string& k, double or_) {
      auto it = m.find(k);
      return it == m.end() ? or_ : it->second;
    };
    for (int r = first; r < first + rounds; ++r) {
      std::map<std::string, double> values;
      for (const MetricSpec& m : in_.scenarios.at(scenario).metrics) {
        values[m.name] = kLevel * lookup(factors, m.name, 1.0) *
                         (1 + lookup(metric_cv, m.name, cv) * Normal());
      }
      AddTrial(arm, scenario, r, values);
    }
  }

  // Baseline at 1, candidate at the factors, the same noise and rounds.
  void AddPair(const std::string& scenario, int rounds,
               const std::map<std::string, double>& candidate, double cv,
               const std::map<std::string, double>& metric_cv = {}) {
    AddRounds("baseline", scenario, rounds, {}, cv, 0, metric_cv);
    AddRounds("candidate", scenario, rounds, candidate, cv, 0, metric_cv);
  }

  FindingRecord& AddFinding(std::int64_t trial_id, const std::string& rule) {
    FindingRecord f;
    f.run_id = 1;
    f.trial_id = trial_id;
    f.arm = "candidate";
    f.rule = rule;
    f.level = "error";
    f.message = "synthetic " + rule;
    in_.findings.push_back(f);
    return in_.findings.back();
  }

  // The first ok trial of `arm`.
  std::int64_t FirstTrialOf(const std::string& arm) const {
    for (const TrialRecord& t : in_.trials) {
      if (t.arm == arm && t.status == TrialStatus::kOk) return t.id;
    }
    return 0;
  }

 private:
  double Normal() {  // Box-Muller: the same draws on every standard library
    double u1 = ((gen_() >> 11) + 1) * 0x1.0p-53;
    double u2 = (gen_() >> 11) * 0x1.0p-53;
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
  }

  JudgeInput in_;
  std::mt19937_64 gen_;
  std::int64_t next_id_ = 1;
  int next_seq_ = 0;
};

inline const Comparison& Find(const Judgement& j, const std::string& scenario,
                              const std::string& metric,
                              const std::string& reference = "baseline") {
  for (const Comparison& c : j.comparisons) {
    if (c.scenario == scenario && c.metric == metric && c.reference == reference) return c;
  }
  FAIL("no comparison " << scenario << "/" << metric << " vs " << reference);
  throw;  // unreachable
}

// The reasons of a rule, in order.
inline std::vector<Reason> ReasonsOf(const Judgement& j, const std::string& rule) {
  std::vector<Reason> out;
  for (const Reason& r : j.reasons) {
    if (r.rule == rule) out.push_back(r);
  }
  return out;
}

inline bool HasReason(const Judgement& j, const std::string& rule, Outcome outcome) {
  for (const Reason& r : ReasonsOf(j, rule)) {
    if (r.outcome == outcome) return true;
  }
  return false;
}

inline std::string Dump(const Judgement& j) {
  std::string out = std::string("verdict ") + VerdictName(j.verdict) + "\n";
  for (const Comparison& c : j.comparisons) {
    out += c.Label() + ": x" + std::to_string(c.effect) + " [" + std::to_string(c.ci.low) + ", " +
           std::to_string(c.ci.high) + "] q=" + std::to_string(c.q_value) + " " +
           ClassificationName(c.classification) + (c.decides ? "" : " (shown)") + "\n";
  }
  for (const Reason& r : j.reasons) out += r.rule + " " + OutcomeName(r.outcome) + ": " + r.message + "\n";
  return out;
}

inline const ClaimResult& ClaimById(const Judgement& j, const std::string& id) {
  for (const ClaimResult& c : j.claims) {
    if (c.spec.id == id) return c;
  }
  FAIL("no claim " << id);
  throw;
}


}  // namespace judge_testing
}  // namespace kgate
