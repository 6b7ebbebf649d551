// Synthetic dashboard fixture (header-only, test code only): five judged runs
// of two proposals on five dates, written through the Store API. The numbers
// are made up for the UI, not measured; no report should ever cite them.
//
// Runs, oldest first (ids 1..5 in a fresh store):
//   1 2026-11-20 readahead-ml-agent  FAIL          effect x1.080 regressed
//   2 2026-11-21 xss-probe           PASS          effect x0.990 equivalent
//   3 2026-11-22 readahead-ml-agent  INCONCLUSIVE  effect x1.010 inconclusive
//   4 2026-11-24 xss-probe           FAIL          effect x1.120 regressed
//   5 2026-11-25 readahead-ml-agent  PASS          effect x0.900 improved
// Every run has arms baseline and candidate, 4 ok trials of hackbench-pipe
// (shape 1cpu-512M, tier icount, 3 samples of "time" each, consistent with
// the effect) and one stored comparison hackbench-pipe/time candidate vs
// baseline, so the trend has exactly one point per run. xss-probe's title is
// "<script>alert(1)</script>" and its reasons and findings carry HTML too:
// every page must show them as text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/status.h"
#include "store/store.h"

namespace kgate::dashboard::testing {

inline constexpr const char kHostileTitle[] = "<script>alert(1)</script>";
inline constexpr int kFixtureRuns = 5;

struct FixtureRun {
  const char* proposal;
  const char* title;
  const char* date;
  Verdict verdict;
  double effect;
  Classification classification;
  const char* kernel;
};

inline const std::vector<FixtureRun>& FixtureRuns() {
  static const std::vector<FixtureRun> runs = {
      {"readahead-ml-agent", "ML readahead tuner vs stock readahead", "2026-11-20", Verdict::kFail, 1.08,
       Classification::kRegressed, "6.12.57+deb12-cloud-amd64"},
      {"xss-probe", kHostileTitle, "2026-11-21", Verdict::kPass, 0.99, Classification::kEquivalent,
       "6.12.57+deb12-cloud-amd64"},
      {"readahead-ml-agent", "ML readahead tuner vs stock readahead", "2026-11-22",
       Verdict::kInconclusive, 1.01, Classification::kInconclusive, "6.12.58+deb12-cloud-amd64"},
      {"xss-probe", kHostileTitle, "2026-11-24", Verdict::kFail, 1.12, Classification::kRegressed,
       "6.12.58+deb12-cloud-amd64"},
      {"readahead-ml-agent", "ML readahead tuner vs stock readahead", "2026-11-25", Verdict::kPass, 0.90,
       Classification::kImproved, "6.12.63+deb12-cloud-amd64"},
  };
  return runs;
}

// A YAML double-quoted scalar.
inline std::string YamlQuoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Writes the five runs into store (normally empty); returns their ids.
inline Result<std::vector<std::int64_t>> WriteFixtureRuns(Store& store) {
  std::vector<std::int64_t> ids;
  int n = 0;
  for (const FixtureRun& f : FixtureRuns()) {
    ++n;
    RunRecord run;
    run.proposal = f.proposal;
    run.proposal_file = fmt::format("proposals/{}.yaml", f.proposal);
    run.proposal_yaml = fmt::format(
        "kgate: 1\nproposal: {}\ntitle: {}\nbaseline:\n  kernel: debian:6.12-cloud\n"
        "candidate:\n  kernel: debian:6.12-cloud\nscenarios: [hackbench-pipe]\n",
        f.proposal, YamlQuoted(f.title));
    run.started_at = fmt::format("{}T10:{:02}:00Z", f.date, n);
    run.host = "fixture-host";
    run.kgate_version = "0.1.0";
    run.git_sha = fmt::format("{0}{0}{0}{0}{0}{0}{0}{0}c0ffee{0}", n);
    run.tier = "icount";
    run.status = "running";
    KG_ASSIGN_OR_RETURN(auto id, store.CreateRun(run));
    ids.push_back(id);
    for (const char* arm : {"baseline", "candidate"}) {
      bool candidate = std::string(arm) == "candidate";
      KG_RETURN_IF_ERROR(store.SaveArm({id, arm, "debian:6.12-cloud",
                                        candidate ? f.kernel : "6.12.57+deb12-cloud-amd64", "{}"}));
    }
    for (int seq = 0; seq < 8; ++seq) {
      TrialRecord t;
      t.run_id = id;
      t.seq = seq;
      t.arm = seq % 2 ? "candidate" : "baseline";
      t.scenario = "hackbench-pipe";
      t.shape = "1cpu-512M";
      t.tier = "icount";
      t.started_at = run.started_at;
      t.boot_seconds = 3.1;
      t.wall_seconds = 9.5;
      t.guest_kernel = seq % 2 ? f.kernel : "6.12.57+deb12-cloud-amd64";
      double level = seq % 2 ? f.effect : 1.0;
      std::vector<SampleRecord> samples;
      for (int rep = 0; rep < 3; ++rep) {
        double wobble = 1 + 0.002 * ((seq * 3 + rep) % 5 - 2);
        samples.push_back({"time", level * wobble, "s", "time", "lower", rep});
      }
      std::vector<FindingRecord> findings;
      if (std::string(f.proposal) == "xss-probe" && seq == 1) {
        findings.push_back({id, std::nullopt, "candidate", "console-warn", "warning", "", 0,
                            "WARN with <img src=x onerror=alert(2)> in it", "<b>bold?</b>"});
      }
      KG_RETURN_IF_ERROR(store.RecordTrial(t, samples, findings).status());
    }
    ComparisonRecord c;
    c.run_id = id;
    c.scenario = "hackbench-pipe";
    c.metric = "time";
    c.shape = "1cpu-512M";
    c.arm = "candidate";
    c.reference = "baseline";
    c.n_arm = c.n_reference = 12;
    c.effect = f.effect;
    c.ci_low = f.effect - 0.015;
    c.ci_high = f.effect + 0.015;
    c.p_value = c.q_value = f.effect == 1.01 ? 0.4 : 0.001;
    c.classification = f.classification;
    c.role = "target";
    c.kind = "time";
    c.better = "lower";
    c.unit = "s";
    c.median_arm = f.effect;
    c.median_reference = 1.0;
    c.hl_shift = f.effect - 1.0;
    c.primary = true;
    VerdictRecord v;
    v.run_id = id;
    v.policy = "mainline";
    v.verdict = f.verdict;
    v.tier = "icount";
    v.rounds = 1;
    v.created_at = run.started_at;
    v.reasons_json = fmt::format(
        R"([{{"rule":"regression","outcome":"{}","message":"hackbench-pipe time x{:.2f} <img src=x onerror=alert(3)>","comparison":"hackbench-pipe/time/1cpu-512M vs baseline"}}])",
        f.verdict == Verdict::kFail ? "fail" : "pass", f.effect);
    int benefit = static_cast<int>(100 * (1.1 - f.effect));
    v.scores_json = fmt::format(
        R"({{"benefit":{{"score":{}}},"overhead":{{"score":{}}},"generality":{{"score":{}}},)"
        R"("safety":{{"score":100}},"maintainability":{{"score":null,"note":"not analysed"}}}})",
        benefit < 0 ? 0 : benefit, 60 + 5 * n, 20 * n);
    KG_RETURN_IF_ERROR(store.SaveJudgement(id, {c}, v, {}));
    KG_RETURN_IF_ERROR(store.FinishRun(id, "done"));
  }
  return ids;
}

}  // namespace kgate::dashboard::testing
