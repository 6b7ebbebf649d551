#include "judge/scores.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include <fmt/format.h>

#include "base/strings.h"

namespace kgate {
namespace {

using Json = nlohmann::ordered_json;

constexpr double kFullGain = 0.20;      // a gain that earns full benefit marks
constexpr double kZeroOverhead = 0.10;  // a slowdown that leaves no overhead marks
constexpr int kGeomeanResamples = 2000;

// The worsening ratio: > 1 is worse, whichever the metric's direction.
double WorseningRatio(const Comparison& c, double effect) {
  return c.spec.better == Direction::kHigherIsBetter ? 1 / effect : effect;
}

// [low, high] of the gain (> 0 better).
Json GainInterval(const Comparison& c) {
  bool higher = c.spec.better == Direction::kHigherIsBetter;
  double low = higher ? c.ci.low - 1 : 1 - c.ci.high;
  double high = higher ? c.ci.high - 1 : 1 - c.ci.low;
  return Json::array({low, high});
}

Json Describe(const Comparison& c) {
  return {{"comparison", c.Label()},
          {"effect", c.effect},
          {"gain", c.Gain()},
          {"gain_ci", GainInterval(c)},
          {"classification", ClassificationName(c.classification)}};
}

double Clamp01(double x) { return std::max(0.0, std::min(1.0, x)); }

const Comparison* BestImproved(const Judgement& j, const std::string& vs) {
  const Comparison* best = nullptr;
  for (const Comparison& c : j.comparisons) {
    if (c.target && c.decides && c.vs == vs && c.classification == Classification::kImproved &&
        (!best || c.Gain() > best->Gain())) {
      best = &c;
    }
  }
  return best;
}

Json Benefit(const JudgeInput& in, const Judgement& j) {
  if (in.proposal.targets.empty()) {
    return {{"score", nullptr}, {"note", "the proposal names no targets"}};
  }
  const Comparison* base = BestImproved(j, "baseline");
  const Comparison* tuned = BestImproved(j, "tuned");
  bool has_tuned = !j.tuned.empty();
  double half_base = base ? 50 * Clamp01(base->Gain() / kFullGain) : 0;
  double half_tuned = has_tuned ? (tuned ? 50 * Clamp01(tuned->Gain() / kFullGain) : 0) : half_base;
  Json out = {{"score", std::lround(half_base + half_tuned)}};
  out["vs_baseline"] = base ? Describe(*base) : Json(nullptr);
  if (has_tuned) out["vs_tuned"] = tuned ? Describe(*tuned) : Json(nullptr);
  out["full_marks_at_gain"] = kFullGain;
  return out;
}

// Geometric-mean worsening over the comparisons, with a percentile bootstrap
// interval that resamples every comparison's trials together.
Json GeometricMeanSlowdown(const std::vector<const Comparison*>& guards, std::uint64_t seed) {
  auto geomean = [&](const std::vector<double>& effects) {
    double sum = 0;
    for (std::size_t i = 0; i < guards.size(); ++i) sum += std::log(WorseningRatio(*guards[i], effects[i]));
    return std::exp(sum / guards.size()) - 1;
  };
  std::vector<double> point;
  for (const Comparison* c : guards) point.push_back(c->effect);
  std::mt19937_64 gen(seed);
  std::vector<double> draws, a, r, effects(guards.size());
  for (int b = 0; b < kGeomeanResamples; ++b) {
    for (std::size_t i = 0; i < guards.size(); ++i) {
      const Comparison& c = *guards[i];
      a.resize(c.arm_values.size());
      r.resize(c.reference_values.size());
      for (double& x : a) x = c.arm_values[gen() % c.arm_values.size()];
      for (double& x : r) x = c.reference_values[gen() % c.reference_values.size()];
      double ref = Median(r);
      effects[i] = ref > 0 ? Median(a) / ref : c.effect;
    }
    double g = geomean(effects);
    if (std::isfinite(g)) draws.push_back(g);
  }
  std::sort(draws.begin(), draws.end());
  auto at = [&](double q) { return draws[std::min(draws.size() - 1, std::size_t(q * draws.size()))]; };
  return {{"value", geomean(point)},
          {"ci95", draws.empty() ? Json(nullptr) : Json::array({at(0.025), at(0.975)})},
          {"comparisons", guards.size()}};
}

double MedianBoot(const JudgeInput& in, const std::string& arm, int limit) {
  std::vector<double> v;
  for (const TrialRecord& t : in.trials) {
    if (t.arm == arm && t.round < limit && t.status == TrialStatus::kOk) v.push_back(t.boot_seconds);
  }
  return Median(v);
}

Json Overhead(const JudgeInput& in, const Judgement& j, int limit) {
  std::vector<const Comparison*> guards;
  const Comparison* worst = nullptr;
  const Comparison* worst_significant = nullptr;
  for (const Comparison& c : j.comparisons) {
    if (c.target || !c.decides || c.vs != "baseline" || !std::isfinite(c.effect) ||
        c.effect <= 0 || c.arm_values.size() < 2 || c.reference_values.size() < 2) {
      continue;
    }
    guards.push_back(&c);
    if (!worst || c.Gain() < worst->Gain()) worst = &c;
    if (c.classification == Classification::kRegressed &&
        (!worst_significant || c.Gain() < worst_significant->Gain())) {
      worst_significant = &c;
    }
  }
  double slowdown = worst_significant ? -worst_significant->Gain() : 0;
  Json out = {{"score", std::lround(100 * (1 - Clamp01(slowdown / kZeroOverhead)))}};
  out["worst_significant_slowdown"] = worst_significant ? Describe(*worst_significant) : Json(nullptr);
  out["worst_guard"] = worst ? Describe(*worst) : Json(nullptr);
  out["geomean_slowdown"] = guards.empty() ? Json(nullptr) : GeometricMeanSlowdown(guards, 1);
  double boot_c = MedianBoot(in, "candidate", limit), boot_b = MedianBoot(in, "baseline", limit);
  out["boot_seconds"] = {{"candidate", boot_c},
                         {"baseline", boot_b},
                         {"change", boot_b > 0 ? boot_c / boot_b - 1 : 0.0},
                         {"tier", in.tier}};
  out["agent_cpu_and_memory"] =
      "not measured: the guest agent does not report the proposal agent's CPU time or RSS yet";
  out["zero_at_slowdown"] = kZeroOverhead;
  return out;
}

Json Generality(const Judgement& j) {
  std::map<std::pair<std::string, std::string>, std::pair<bool, bool>> cells;  // good, improved
  std::set<std::pair<std::string, std::string>> target_cells;
  const Comparison* worst = nullptr;
  for (const Comparison& c : j.comparisons) {
    if (!c.decides || c.vs != "baseline") continue;
    auto key = std::make_pair(c.scenario, c.shape);
    auto [it, fresh] = cells.emplace(key, std::make_pair(true, false));
    if (c.target) target_cells.insert(key);
    // A cell is good when its primary metric improved or is equivalent and
    // no metric regressed; a secondary metric left open does not spoil it.
    bool ok = c.classification != Classification::kRegressed &&
              (!c.primary || c.classification == Classification::kImproved ||
               c.classification == Classification::kEquivalent);
    it->second.first = it->second.first && ok;
    it->second.second = it->second.second || c.classification == Classification::kImproved;
    if (c.classification == Classification::kRegressed && (!worst || c.Gain() < worst->Gain())) {
      worst = &c;
    }
  }
  int good = 0, improved = 0, improved_targets = 0, guard_cells = 0;
  for (const auto& [key, state] : cells) {
    good += state.first;
    bool target = target_cells.count(key) > 0;
    if (state.first && state.second) {
      ++improved;
      improved_targets += target;
    }
    guard_cells += !target;
  }
  double share = cells.empty() ? 0 : double(good) / cells.size();
  Json out = {{"score", cells.empty() ? Json(nullptr) : Json(std::lround(100 * share))}};
  out["cells"] = cells.size();
  out["improved_or_equivalent"] = good;
  out["improved"] = improved;
  out["worst_regression"] = worst ? Describe(*worst) : Json(nullptr);
  out["wins_only_on_own_benchmark"] =
      improved > 0 && improved == improved_targets && guard_cells > 0;
  return out;
}

// The fault pass of each arm (checks/fault_pass.h), from the stored
// checks; *cap lowers the safety score: 0 when the candidate's check
// failed, 50 when it passed with new taint or a garbage value accepted.
Json FaultInjection(const JudgeInput& in, int* cap) {
  bool asked = FaultInjectionWanted(in.proposal, in.policy);
  Json arms = Json::object();
  for (const CheckRecord& c : in.checks) {
    if (c.kind != "fault-injection") continue;
    arms[c.arm] = {{"status", CheckStatusName(c.status)}, {"summary", c.summary}};
    if (c.arm == "candidate" && c.status == CheckStatus::kFailed) *cap = 0;
  }

  std::map<std::string, int> mild;  // candidate's fault findings that only lower the score
  for (const FindingRecord& f : in.findings) {
    if (f.trial_id || f.arm != "candidate") continue;
    if (f.rule == "fault-new-taint" || f.rule == "fault-garbage-accepted") ++mild[f.rule];
  }
  if (!mild.empty()) *cap = std::min(*cap, 50);
  Json out = {{"asked", asked}, {"arms", arms}, {"candidate_findings", mild}};
  if (!arms.empty()) return out;
  // The arms checks/fault_pass.h ArmTakesFaults gives a fault boot.
  bool any_taker = false;
  for (const ArmSpec& arm : in.proposal.Arms()) {
    any_taker = any_taker || arm.agent.present() || arm.sched_ext.present() || !arm.modules.empty();
  }
  out["note"] = !asked      ? "not asked for"
                : any_taker ? "asked for, but no fault pass is stored for this run (it stopped "
                              "before the pass, or an older kgate ran it)"
                            : "asked for, but no arm has an agent or modules: nothing to inject "
                              "faults into";
  return out;
}

Json Safety(const JudgeInput& in, int limit) {
  static const std::set<std::string> kMild = {"console-warning", "console-taint", "console-ubsan"};
  std::map<std::string, int> candidate_findings;
  int crashed = 0, hung = 0, baseline_bad = 0;
  for (const TrialRecord& t : in.trials) {
    if (t.round >= limit) continue;
    bool bad = t.status == TrialStatus::kCrashed || t.status == TrialStatus::kHung;
    if (t.arm == "baseline") baseline_bad += bad;
    if (t.arm != "candidate") continue;
    crashed += t.status == TrialStatus::kCrashed;
    hung += t.status == TrialStatus::kHung;
  }
  bool severe = crashed + hung > 0;
  for (const FindingRecord* f : CandidateConsoleFindings(in, limit)) {
    ++candidate_findings[f->rule];
    severe = severe || !kMild.count(f->rule);
  }
  int score = severe ? 0 : candidate_findings.empty() ? 100 : 50;
  int cap = 100;
  Json faults = FaultInjection(in, &cap);
  // A candidate module that would not load or unload, leaked or splatted
  // while cycled (checks/module_cycle.h) is as bad as a crash.
  Json cycle = nullptr;
  for (const CheckRecord& c : in.checks) {
    if (c.kind != "module-cycle" || c.arm != "candidate") continue;
    cycle = {{"status", CheckStatusName(c.status)}, {"summary", c.summary}};
    if (c.status == CheckStatus::kFailed) cap = 0;
  }
  return {{"score", std::min(score, cap)},
          {"candidate_crashed", crashed},
          {"candidate_hung", hung},
          {"candidate_console_findings", candidate_findings},
          {"baseline_crashed_or_hung", baseline_bad},
          {"fault_injection", faults},
          {"module_cycle", cycle}};
}

// The candidate's stored analysis (checks/arm_analysis.h): its worst input's
// score and components. A candidate without kernel code has nothing to score.
Json Maintainability(const JudgeInput& in) {
  for (const CheckRecord& c : in.checks) {
    if (c.arm != "candidate" || c.kind != "analysis") continue;
    Json detail = Json::parse(c.detail_json, nullptr, /*allow_exceptions=*/false);
    if (detail.is_discarded() || !detail.contains("maintainability") ||
        !detail["maintainability"].is_object()) {
      return {{"score", nullptr}, {"note", "the stored analysis is unreadable: " + c.summary}};
    }
    Json out = detail["maintainability"];
    out["note"] = c.summary;
    return out;
  }
  const ArmSpec& arm = in.proposal.candidate;
  std::string why =
      arm.sched_ext.present()
          ? "the candidate adds no kernel patch: its BPF scheduler (" + arm.sched_ext.scheduler +
                ") is checked by the BPF verifier, and sched_ext ejects it on error"
      : arm.agent.present() ? "the candidate adds no kernel code (its agent runs in userspace)"
                            : "the candidate adds no kernel code (no patch: or modules:)";
  return {{"score", nullptr}, {"note", "not analysed: " + why}};
}

}  // namespace

Json ComputeScores(const JudgeInput& in, const Judgement& j, int round_limit) {
  return {{"benefit", Benefit(in, j)},
          {"overhead", Overhead(in, j, round_limit)},
          {"generality", Generality(j)},
          {"safety", Safety(in, round_limit)},
          {"maintainability", Maintainability(in)}};
}

}  // namespace kgate
