#include "judge/verdict_rules.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/strings.h"

namespace kgate {
namespace {

constexpr Outcome kFail = Outcome::kFail;
constexpr Outcome kInconclusive = Outcome::kInconclusive;
constexpr Outcome kPass = Outcome::kPass;
constexpr Outcome kWarn = Outcome::kWarn;

std::string Describe(const Comparison& c) {
  return fmt::format("{}: x{:.4f} [{:.4f}, {:.4f}] ({:+.1f}% {}), q={:.3g}, {}", c.Label(),
                     c.effect, c.ci.low, c.ci.high, c.Gain() * 100,
                     c.Gain() >= 0 ? "better" : "worse", c.q_value,
                     ClassificationName(c.classification));
}

struct Rules {
  const JudgeInput& in;
  int limit;
  Judgement* j;

  void Add(const std::string& rule, Outcome outcome, std::string message,
           std::string comparison = "") {
    j->reasons.push_back({rule, outcome, std::move(message), std::move(comparison)});
  }

  std::vector<const TrialRecord*> TrialsOf(const std::string& arm) const {
    std::vector<const TrialRecord*> out;
    for (const TrialRecord& t : in.trials) {
      if (t.arm == arm && t.round < limit) out.push_back(&t);
    }
    return out;
  }

  void Safety() {
    int problems = 0, untrusted = 0;
    for (const TrialRecord* t : TrialsOf("candidate")) {
      if (t->status == TrialStatus::kCrashed || t->status == TrialStatus::kHung) {
        ++problems;
        Add("safety", kFail,
            fmt::format("candidate trial {} ({}) {}: {}", t->seq, t->scenario,
                        TrialStatusName(t->status), t->message));
      }
    }
    int baseline_bad = 0;
    for (const TrialRecord* t : TrialsOf("baseline")) {
      baseline_bad += t->status == TrialStatus::kCrashed || t->status == TrialStatus::kHung;
    }
    for (const FindingRecord* f : CandidateConsoleFindings(in, limit, &untrusted)) {
      ++problems;
      Add("safety", kFail, fmt::format("candidate console: {}: {}", f->rule, f->message));
    }
    // The fault pass and the module cycle are judged once per arm, not per
    // round.
    for (const CheckRecord& c : in.checks) {
      if (c.arm != "candidate" || c.status != CheckStatus::kFailed) continue;
      if (c.kind == "fault-injection" || c.kind == "module-cycle") {
        ++problems;
        Add("safety", kFail, "candidate " + c.kind + ": " + c.summary);
      }
    }
    if (problems == 0) {
      std::string why = baseline_bad ? fmt::format("no candidate crash, hang or splat (but {} "
                                                   "baseline trials crashed or hung)",
                                                   baseline_bad)
                                     : "no candidate crash, hang or console splat";
      if (untrusted) {
        why += fmt::format("; {} hung-task/soft-lockup/RCU-stall report(s) not counted at tier "
                           "{}, whose guest clock jumps while the host serves I/O",
                           untrusted, in.tier);
      }
      Add("safety", kPass, why);
    }
  }

  // A kernel built from source that did not compile: the candidate's is the
  // patch's fault (as the 0-day robot reports it); another arm's means the
  // comparison could not be made.
  void Build() {
    for (const CheckRecord& c : in.checks) {
      if (c.kind != "build" || c.status != CheckStatus::kFailed) continue;
      Add("build", c.arm == "candidate" ? kFail : kInconclusive,
          fmt::format("{} kernel did not build: {}", c.arm, c.summary));
    }
  }

  void Trials() {
    std::map<std::string, int> baseline_ok;  // scenario -> ok trials
    for (const TrialRecord* t : TrialsOf("baseline")) baseline_ok[t->scenario] += t->status == TrialStatus::kOk;
    std::set<std::string> reported;
    for (const TrialRecord* t : TrialsOf("candidate")) {
      if (t->status == TrialStatus::kInfraError) {
        Add("trials", kInconclusive, fmt::format("candidate trial {} ({}): infrastructure error: {}",
                                                 t->seq, t->scenario, t->message));
      } else if (t->status == TrialStatus::kFailed && reported.insert(t->scenario).second) {
        bool baseline_ran = baseline_ok[t->scenario] > 0;
        Add("trials", baseline_ran ? kFail : kInconclusive,
            fmt::format("candidate trial {} ({}) failed{}: {}", t->seq, t->scenario,
                        baseline_ran ? " where the baseline ran" : ", and so did the baseline",
                        t->message));
      }
    }
  }

  // One reason per forbidden rule however often it fired: a reviewer
  // rejects the idea once, and the first finding shows where to look.
  void Forbid() {
    std::vector<std::string> order;
    std::map<std::string, std::vector<const FindingRecord*>> fired;
    for (const FindingRecord& f : in.findings) {
      if (!std::count(in.policy.forbid.begin(), in.policy.forbid.end(), f.rule)) continue;
      if (!fired.count(f.rule)) order.push_back(f.rule);
      fired[f.rule].push_back(&f);
    }
    for (const std::string& rule : order) {
      const FindingRecord& first = *fired[rule].front();
      std::string where = first.file.empty() ? "arm " + first.arm
                                             : fmt::format("{}:{}", first.file, first.line);
      std::size_t n = fired[rule].size();
      Add("forbid", kFail,
          fmt::format("{} (forbidden by policy {}): {} finding{}, the first at {}: {}", rule,
                      in.policy.name, n, n == 1 ? "" : "s", where, first.message));
    }
  }

  void Regression() {
    int regressed = 0;
    for (const Comparison& c : j->comparisons) {
      if (!c.decides || c.vs != "baseline" || c.classification != Classification::kRegressed) {
        continue;
      }
      bool beyond = -c.Gain() > in.policy.max_guard_regression;
      if (beyond) ++regressed;
      Add("regression", beyond ? kFail : kPass,
          fmt::format("{} {} regressed by {:.1f}% ({} max_guard_regression {:.1f}%): {}",
                      c.target ? "target" : "guard", c.Label(), -c.Gain() * 100,
                      beyond ? "beyond" : "within", in.policy.max_guard_regression * 100,
                      Describe(c)),
          c.Label());
    }
    if (regressed == 0) Add("regression", kPass, "no significant regression beyond the limit");
    // A regression the tier cannot vouch for does not decide, but is said.
    for (const Comparison& c : j->comparisons) {
      if (!c.decides && c.vs == "baseline" && c.classification == Classification::kRegressed) {
        Add("regression", kWarn,
            fmt::format("low-fidelity regression, not deciding: {} ({})", Describe(c), c.note),
            c.Label());
      }
    }
  }

  // The best improved comparison among targets against `vs`, else why not.
  void TargetRule(const std::string& rule, const std::string& vs, const std::string& what) {
    const Comparison* best = nullptr;
    const Comparison* open = nullptr;
    const Comparison* any = nullptr;
    for (const Comparison& c : j->comparisons) {
      if (!c.target || !c.decides || c.vs != vs) continue;
      any = any ? any : &c;
      if (c.classification == Classification::kImproved && (!best || c.Gain() > best->Gain())) best = &c;
      if (c.classification == Classification::kInconclusive && !open) open = &c;
    }
    if (best) {
      Add(rule, kPass, fmt::format("{} improved: {}", what, Describe(*best)), best->Label());
    } else if (!any) {
      Add(rule, kInconclusive, fmt::format("no target metric decides against {} at tier {}", vs,
                                           in.tier));
    } else if (open) {
      Add(rule, kInconclusive, fmt::format("{} not established yet: {}", what, Describe(*open)),
          open->Label());
    } else {
      Add(rule, kFail, fmt::format("{} absent: {}", what, Describe(*any)), any->Label());
    }
  }

  bool StillOpen(const ClaimResult& claim) const {
    return std::any_of(j->comparisons.begin(), j->comparisons.end(), [&](const Comparison& c) {
      return c.scenario == claim.spec.scenario && c.metric == claim.spec.metric &&
             c.shape == claim.shape && c.reference == claim.reference &&
             c.classification == Classification::kInconclusive;
    });
  }

  void Claims() {
    for (const ClaimResult& c : j->claims) {
      Outcome outcome = c.status == ClaimStatus::kReproduced      ? kPass
                        : c.status == ClaimStatus::kNotCheckable ? kInconclusive
                                                                 : kFail;
      // Not reproduced because its comparison is still inconclusive: more
      // trials may reproduce it, so it must not be a FAIL that ends the run.
      if (c.status == ClaimStatus::kNotReproduced && StillOpen(c)) outcome = kInconclusive;
      Add("claims", outcome, fmt::format("claim {} ({}): {}: {}", c.spec.id, c.spec.expect,
                                         ClaimStatusName(c.status), c.note));
    }
  }

  void Unresolved() {
    for (const Comparison& c : j->comparisons) {
      if (c.primary && c.decides && c.vs == "baseline" &&
          c.classification == Classification::kInconclusive) {
        Add("unresolved", kInconclusive,
            fmt::format("not classified after {} rounds, a regression beyond the margin is not "
                        "ruled out: {}{}",
                        j->rounds, Describe(c), c.note.empty() ? "" : " (" + c.note + ")"),
            c.Label());
      }
    }
  }
};

}  // namespace

void ApplyPolicy(const JudgeInput& in, int round_limit, Judgement* j) {
  j->reasons.clear();
  Rules rules{in, round_limit, j};
  rules.Build();
  rules.Safety();
  rules.Trials();
  rules.Forbid();
  rules.Regression();
  bool has_targets = !in.proposal.targets.empty();
  if (in.policy.require_target_gain && has_targets) {
    rules.TargetRule("target-gain", "baseline", "target gain against the baseline");
  }
  bool has_tuned = std::any_of(j->comparisons.begin(), j->comparisons.end(),
                               [](const Comparison& c) { return c.vs == "tuned"; });
  if (in.policy.require_beat_tuned && has_targets && has_tuned) {
    rules.TargetRule("beat-tuned", "tuned", "target gain against the best tuned arm");
  }
  if (in.policy.require_claims) rules.Claims();
  if (!in.policy.allow_inconclusive) rules.Unresolved();
  bool any_decides = std::any_of(j->comparisons.begin(), j->comparisons.end(),
                                 [](const Comparison& c) { return c.decides; });
  if (!any_decides) {
    rules.Add("nothing-decides", kInconclusive,
              fmt::format("no comparison decides at tier {} under policy {}", in.tier,
                          in.policy.name));
  }
  auto has = [&](Outcome outcome) {
    return std::any_of(j->reasons.begin(), j->reasons.end(),
                       [&](const Reason& r) { return r.outcome == outcome; });
  };
  j->verdict = has(kFail) ? Verdict::kFail : has(kInconclusive) ? Verdict::kInconclusive : Verdict::kPass;
}

}  // namespace kgate
