// A fixed ReportData for reporter tests (header-only so it stays out of the
// library): one judged FAIL run with a regression, an improvement whose CI
// is unbounded above, a claim and a finding.
#pragma once

#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "reports/report_data.h"

namespace kgate::testing {

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

  TrialRecord t;
  t.run_id = 7;
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
  t.seq = 1;
  t.arm = "candidate";
  t.status = TrialStatus::kCrashed;
  t.message = "kernel panic in ra_tuner";
  d.trials.push_back(t);

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
  c.classification = "regressed";
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
  c.classification = "improved";
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
  c.classification = "equivalent";
  c.kind = "time";
  c.better = "lower";
  c.unit = "s";
  c.median_arm = 1.01;
  c.median_reference = 1.0;
  c.hl_shift = 0.01;
  d.comparisons.push_back(c);
  c.metric = "p99_latency";
  c.decides = false;
  c.classification = "regressed";
  c.note = "latency is not trusted at tier tcg";
  d.comparisons.push_back(c);

  VerdictRecord v;
  v.run_id = 7;
  v.policy = "mainline";
  v.verdict = "FAIL";
  v.tier = "tcg";
  v.rounds = 5;
  v.created_at = "2026-11-27T10:20:01Z";
  v.reasons_json =
      R"([{"rule":"no-regression","outcome":"fail","message":"fio-randread read_iops regressed x0.88","comparison":0},)"
      R"({"rule":"target-improves","outcome":"pass","message":"db_bench-readrandom improved","comparison":1},)"
      R"({"rule":"no-crash","outcome":"inconclusive","message":"1 trial crashed","comparison":-1}])";
  v.scores_json =
      R"({"benefit":{"score":62.5},"overhead":{"score":40},"generality":{"score":null},)"
      R"("safety":{"score":10},"maintainability":{"score":80,"note":"one agent file"}})";
  d.verdict = v;

  ClaimRecord cl;
  cl.run_id = 7;
  cl.claim_id = "kml-readrandom";
  cl.text = "up to 2.3x throughput on RocksDB readrandom";
  cl.expected = ">= 2.3x";
  cl.measured = 1.5;
  cl.ci_low = 1.2;
  cl.ci_high = std::numeric_limits<double>::infinity();
  cl.status = "not-reproduced";
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
  return d;
}

// Compares text with the golden file reports/testdata/<name>; with
// KGATE_UPDATE_GOLDENS set in the environment it rewrites the golden instead.
inline std::string ReadGolden(const std::string& name) {
  std::ifstream in(std::string(KGATE_TESTDATA_DIR) + "/testdata/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void MaybeUpdateGolden(const std::string& name, const std::string& text) {
  if (std::getenv("KGATE_UPDATE_GOLDENS") == nullptr) return;
  std::ofstream(std::string(KGATE_TESTDATA_DIR) + "/testdata/" + name) << text;
}

}  // namespace kgate::testing
