// A fixed ReportData for reporter tests (header-only so it stays out of the
// library): one judged FAIL run with a regression, an improvement whose CI
// is unbounded above, a claim, a finding, a crashed trial, two tuned arms
// (a read_ahead_kb sweep) and the samples of the readrandom and randread
// trials; hackbench has comparisons but no stored samples.
#pragma once

#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <utility>

#include "reports/report_data.h"
#include "base/testing/source_path.h"

namespace kgate::testing {

// Five repetitions per trial around a median, spread by +-3 %.
inline void AddSamples(ReportData* d, const TrialRecord& t, const SampleRecord& like,
                       double median) {
  static const double kSpread[] = {0.97, 1.0, 1.02, 0.99, 1.03};
  for (int rep = 0; rep < 5; ++rep) {
    SampleRecord s = like;
    s.value = median * kSpread[rep];
    s.repetition = rep;
    d->samples.push_back({t.id, t.seq, t.arm, t.scenario, t.shape, s});
  }
}

// Trials 2..6: readrandom on every arm, randread once more on the candidate.
inline void AddSampledTrials(ReportData* d) {
  TrialRecord t = d->trials[0];
  SampleRecord iops{"read_iops", 0, "ops/s", "rate", "higher", 0};
  AddSamples(d, t, iops, 10000);  // trial 0: samples stay in seq order
  SampleRecord ops{"ops_per_sec", 0, "ops/s", "rate", "higher", 0};
  const std::pair<const char*, double> readrandom[] = {{"baseline", 10000},
                                                       {"candidate", 15000},
                                                       {"tuned:read_ahead_kb=16", 9000},
                                                       {"tuned:read_ahead_kb=512", 14000}};
  for (const auto& [arm, median] : readrandom) {
    t.seq = static_cast<int>(d->trials.size());
    t.id = t.seq + 1;
    t.arm = arm;
    t.scenario = "db_bench-readrandom";
    d->trials.push_back(t);
    AddSamples(d, t, ops, median);
  }
  t.seq = static_cast<int>(d->trials.size());
  t.id = t.seq + 1;
  t.arm = "candidate";
  t.scenario = "fio-randread";
  d->trials.push_back(t);
  AddSamples(d, t, iops, 8800);
}

inline ReportData SampleReportData() {
  ReportData d;
  d.schema_version = 3;
  RunRecord& r = d.run;
  r.id = 7;
  r.proposal = "readahead-ml-agent";
  r.proposal_file = "proposals/readahead.yaml";
  r.started_at = "2026-11-27T10:00:00Z";
  r.finished_at = "2026-11-27T10:20:00Z";
  r.host = "ci-runner-1";
  r.kgate_version = "0.3.0";
  r.git_sha = "0123456789abcdef";
  r.qemu_version = "8.2.2";
  r.host_kernel = "6.8.0-45-generic";
  r.command_line = "kgate run proposals/readahead.yaml";
  r.tier = "tcg";
  r.status = "done";
  d.title = "KML-style ML readahead tuner vs stock readahead";

  d.arms.push_back({7, "baseline", "debian:6.12-cloud", "6.12.57+deb12-cloud-amd64", "{}"});
  d.arms.push_back({7, "candidate", "debian:6.12-cloud", "6.12.57+deb12-cloud-amd64",
                    R"({"agent":"agents/ra_tuner.cc"})"});
  for (const char* kb : {"16", "512"}) {
    d.arms.push_back({7, std::string("tuned:read_ahead_kb=") + kb, "debian:6.12-cloud",
                      "6.12.57+deb12-cloud-amd64",
                      std::string(R"({"knobs":{"/sys/block/vda/queue/read_ahead_kb":")") + kb +
                          R"("},"tuned":true})"});
  }

  TrialRecord t;
  t.run_id = 7;
  t.id = 1;
  t.seq = 0;
  t.round = 0;
  t.arm = "baseline";
  t.scenario = "fio-randread";
  t.shape = "2c-1G";
  t.tier = "tcg";
  t.boot_seconds = 3.5;
  t.wall_seconds = 41.25;
  t.guest_kernel = "6.12.57+deb12-cloud-amd64";
  t.console_log = "[    0.000000] Linux version 6.12.57\n";
  d.trials.push_back(t);
  t.id = 2;
  t.seq = 1;
  t.arm = "candidate";
  t.status = TrialStatus::kCrashed;
  t.message = "kernel panic in ra_tuner";
  t.console_log =
      "[    0.000000] Linux version 6.12.57\n[   12.345678] Kernel panic - not syncing: "
      "ra_tuner\n";
  d.trials.push_back(t);
  AddSampledTrials(&d);

  ComparisonRecord c;
  c.run_id = 7;
  c.scenario = "fio-randread";
  c.metric = "read_iops";
  c.shape = "2c-1G";
  c.arm = "candidate";
  c.reference = "baseline";
  c.n_arm = 5;
  c.n_reference = 5;
  c.effect = 0.88;
  c.ci_low = 0.8612;
  c.ci_high = 0.9031;
  c.p_value = 0.004;
  c.q_value = 0.012;
  c.classification = Classification::kRegressed;
  c.kind = "rate";
  c.better = "higher";
  c.unit = "ops/s";
  c.median_arm = 8800;
  c.median_reference = 10000;
  c.hl_shift = -1200;
  d.comparisons.push_back(c);
  c.scenario = "db_bench-readrandom";
  c.metric = "ops_per_sec";
  c.role = "target";
  c.primary = true;
  c.effect = 1.5;
  c.ci_low = 1.2;
  c.ci_high = std::numeric_limits<double>::infinity();
  c.q_value = 0.03;
  c.classification = Classification::kImproved;
  c.median_arm = 15000;
  c.hl_shift = 5000;
  d.comparisons.push_back(c);
  c.scenario = "hackbench-pipe";
  c.metric = "time";
  c.role = "guard";
  c.primary = true;
  c.effect = 1.01;
  c.ci_low = 0.97;
  c.ci_high = 1.04;
  c.q_value = 0.6;
  c.classification = Classification::kEquivalent;
  c.kind = "time";
  c.better = "lower";
  c.unit = "s";
  c.median_arm = 1.01;
  c.median_reference = 1.0;
  c.hl_shift = 0.01;
  d.comparisons.push_back(c);
  c.metric = "p99_latency";
  c.decides = false;
  c.classification = Classification::kRegressed;
  c.note = "latency is not trusted at tier tcg";
  d.comparisons.push_back(c);
  c = d.comparisons[1];
  c.reference = "tuned:read_ahead_kb=512";
  c.vs = "tuned";
  c.effect = 1.07;
  c.ci_low = 0.98;
  c.ci_high = 1.16;
  c.q_value = 0.2;
  c.classification = Classification::kInconclusive;
  c.median_reference = 14000;
  c.hl_shift = 1000;
  d.comparisons.push_back(c);

  VerdictRecord v;
  v.run_id = 7;
  v.policy = "mainline";
  v.verdict = Verdict::kFail;
  v.tier = "tcg";
  v.rounds = 5;
  v.created_at = "2026-11-27T10:20:01Z";
  v.reasons_json =
      R"([{"rule":"regression","outcome":"fail","message":"guard fio-randread/read_iops/2c-1G vs )"
      R"x(baseline regressed by 12.0% (beyond max_guard_regression 2.0%)",)x"
      R"("comparison":"fio-randread/read_iops/2c-1G vs baseline"},)"
      R"({"rule":"target-gain","outcome":"pass","message":"db_bench-readrandom improved",)"
      R"("comparison":"db_bench-readrandom/ops_per_sec/2c-1G vs baseline"},)"
      R"({"rule":"trials","outcome":"inconclusive","message":"1 trial crashed"}])";
  v.scores_json =
      R"({"benefit":{"score":62.5},"overhead":{"score":40},"generality":{"score":null},)"
      R"("safety":{"score":10},"maintainability":{"score":62,"note":"the candidate analysis: 1 error, 1 warning",)"
      R"("components":[{"name":"rule:fpu-in-kernel","penalty":15,"detail":"1 error"},)"
      R"({"name":"comments","penalty":0,"detail":"density 31%"}],"input":"mlp_module"}})";
  d.verdict = v;
  d.margin = 0.02;

  ClaimRecord cl;
  cl.run_id = 7;
  cl.claim_id = "kml-readrandom";
  cl.text = "up to 2.3x throughput on RocksDB readrandom";
  cl.expected = ">= 2.3x";
  cl.measured = 1.5;
  cl.ci_low = 1.2;
  cl.ci_high = std::numeric_limits<double>::infinity();
  cl.status = ClaimStatus::kNotReproduced;
  cl.scenario = "db_bench-readrandom";
  cl.metric = "ops_per_sec";
  cl.shape = "2c-1G";
  cl.reference = "baseline";
  cl.claimed = 2.3;
  d.claims.push_back(cl);

  FindingRecord f;
  f.run_id = 7;
  f.trial_id = 2;
  f.arm = "candidate";
  f.rule = "console-oops";
  f.level = "error";
  f.message = "kernel panic";
  f.excerpt = "Kernel panic - not syncing";
  d.findings.push_back(f);

  d.checks.push_back({7, "candidate", "analysis", CheckStatus::kFailed,
                      "maintainability 62/100; 1 error(s), 1 warning(s)",
                      R"({"maintainability":{"score":62,"components":[)"
                      R"({"name":"rule:fpu-in-kernel","penalty":15,"detail":"1 error"},)"
                      R"({"name":"comments","penalty":0,"detail":"density 31%"}],)"
                      R"("input":"mlp_module"},"inputs":[],"modules":[]})"});
  d.checks.push_back({7, "candidate", "fault-injection", CheckStatus::kPassed,
                      "agent killed at 1.0 s; workload completed; taint G -> G", "{}"});
  return d;
}

// Compares text with the golden file reports/testdata/<name>; with
// KGATE_UPDATE_GOLDENS set in the environment it rewrites the golden instead.
inline std::string ReadGolden(const std::string& name) {
  std::ifstream in(testing::SourcePath({"reports/testdata", name}));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void MaybeUpdateGolden(const std::string& name, const std::string& text) {
  if (std::getenv("KGATE_UPDATE_GOLDENS") == nullptr) return;
  std::ofstream(testing::SourcePath({"reports/testdata", name})) << text;
}

}  // namespace kgate::testing
