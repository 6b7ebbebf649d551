#include "store/sqlite_store.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "store/schema.h"
#include "store/store.h"

namespace kgate {
namespace {

std::unique_ptr<Store> OpenMemory() {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  return std::move(*store);
}

RunRecord SampleRun(const std::string& proposal) {
  RunRecord r;
  r.proposal = proposal;
  r.proposal_file = "proposals/" + proposal + ".yaml";
  r.proposal_yaml = "name: " + proposal + "\n";
  r.started_at = "2026-11-27T05:00:00Z";
  r.host = "builder-1";
  r.kgate_version = "0.1.0";
  r.git_sha = "abc123";
  r.qemu_version = "7.2.0";
  r.host_kernel = "6.1.0-18-amd64";
  r.command_line = "kgate run " + r.proposal_file;
  r.tier = "tcg";
  r.status = "running";
  r.shard = "1/4";
  return r;
}

TrialRecord SampleTrial(std::int64_t run_id, int seq) {
  TrialRecord t;
  t.run_id = run_id;
  t.seq = seq;
  t.round = 1;
  t.arm = seq % 2 ? "candidate" : "baseline";
  t.scenario = "hackbench";
  t.shape = "2cpu-1g";
  t.tier = "tcg";
  t.status = TrialStatus::kCrashed;
  t.message = "kernel BUG at mm/filemap.c:123";
  t.started_at = "2026-11-27T05:01:00Z";
  t.boot_seconds = 4.25;
  t.wall_seconds = 31.5;
  t.guest_kernel = "6.12.57+deb12-cloud-amd64";
  t.clocksource = "tsc";
  t.console_log = "[    0.000000] Linux version 6.12\n";
  return t;
}

std::vector<SampleRecord> Samples(int n, double base) {
  std::vector<SampleRecord> out;
  for (int i = 0; i < n; ++i) {
    bool time = i % 2 == 0;
    out.push_back({time ? "elapsed" : "ctx_switches", base + i, time ? "s" : "count",
                   time ? "time" : "count", "lower", i / 2});
  }
  return out;
}

}  // namespace

TEST_CASE("Runs round-trip, finish, list oldest first, and unknown ids are NotFound", "[store]") {
  auto store = OpenMemory();
  CHECK(store->SchemaVersion() == LatestSchemaVersion());
  auto first = store->CreateRun(SampleRun("readahead-ml"));
  auto second = store->CreateRun(SampleRun("sched-tweak"));
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(*second > *first);

  auto loaded = store->LoadRun(*first);
  REQUIRE(loaded.ok());
  RunRecord want = SampleRun("readahead-ml");
  CHECK(loaded->id == *first);
  CHECK(loaded->proposal == want.proposal);
  CHECK(loaded->proposal_file == want.proposal_file);
  CHECK(loaded->proposal_yaml == want.proposal_yaml);
  CHECK(loaded->started_at == want.started_at);
  CHECK(loaded->finished_at.empty());
  CHECK(loaded->host == want.host);
  CHECK(loaded->kgate_version == want.kgate_version);
  CHECK(loaded->git_sha == want.git_sha);
  CHECK(loaded->qemu_version == want.qemu_version);
  CHECK(loaded->host_kernel == want.host_kernel);
  CHECK(loaded->command_line == want.command_line);
  CHECK(loaded->tier == want.tier);
  CHECK(loaded->status == "running");
  CHECK(loaded->shard == want.shard);

  REQUIRE(store->FinishRun(*first, "done").ok());
  auto finished = store->LoadRun(*first);
  REQUIRE(finished.ok());
  CHECK(finished->status == "done");
  CHECK(finished->finished_at.size() == 20);  // 2026-11-27T05:00:00Z
  CHECK(finished->finished_at.back() == 'Z');

  auto runs = store->ListRuns();
  REQUIRE(runs.ok());
  REQUIRE(runs->size() == 2);
  CHECK((*runs)[0].proposal == "readahead-ml");
  CHECK((*runs)[1].proposal == "sched-tweak");

  CHECK(store->LoadRun(999).status().code() == Status::Code::kNotFound);
  CHECK(store->FinishRun(999, "done").code() == Status::Code::kNotFound);
}

TEST_CASE("Kernels and arms round-trip; saving again updates", "[store]") {
  auto store = OpenMemory();
  KernelRecord k{"debian:6.12-cloud", "linux-image-6.12.57+deb12-cloud-amd64-unsigned",
                 "6.12.57+deb12-cloud-amd64", "sha256:aa", "/cache/k/vmlinuz"};
  REQUIRE(store->SaveKernel(k).ok());
  k.image_path = "/cache/k2/vmlinuz";
  REQUIRE(store->SaveKernel(k).ok());
  KernelRecord other{"debian:6.1", "linux-image-6.1.0-18-amd64-unsigned", "6.1.0-18-amd64",
                     "sha256:bb", "/cache/k3/vmlinuz"};
  REQUIRE(store->SaveKernel(other).ok());
  auto kernels = store->LoadKernels();
  REQUIRE(kernels.ok());
  REQUIRE(kernels->size() == 2);
  CHECK((*kernels)[0].ref == "debian:6.1");
  CHECK((*kernels)[1].ref == "debian:6.12-cloud");
  CHECK((*kernels)[1].package == k.package);
  CHECK((*kernels)[1].version == k.version);
  CHECK((*kernels)[1].config_hash == "sha256:aa");
  CHECK((*kernels)[1].image_path == "/cache/k2/vmlinuz");

  auto run = store->CreateRun(SampleRun("p"));
  REQUIRE(run.ok());
  REQUIRE(
      store->SaveArm({*run, "baseline", "debian:6.12-cloud", "6.12.57", "{\"knobs\":[]}"}).ok());
  REQUIRE(store->SaveArm({*run, "candidate", "debian:6.12-cloud", "6.12.57", "{}"}).ok());
  REQUIRE(store->SaveArm({*run, "baseline", "debian:6.1", "6.1.0", "{\"v\":2}"}).ok());
  auto arms = store->LoadArms(*run);
  REQUIRE(arms.ok());
  REQUIRE(arms->size() == 2);
  const ArmRecord& baseline = (*arms)[0];  // updated in place, still first
  CHECK(baseline.name == "baseline");
  CHECK((*arms)[1].name == "candidate");
  CHECK(baseline.run_id == *run);
  CHECK(baseline.kernel_ref == "debian:6.1");
  CHECK(baseline.kernel_version == "6.1.0");
  CHECK(baseline.spec_json == "{\"v\":2}");
  CHECK(store->LoadArms(*run + 1)->empty());
  // An arm of a run that does not exist violates the foreign key.
  CHECK_FALSE(store->SaveArm({*run + 7, "baseline", "", "", "{}"}).ok());
}

TEST_CASE("RecordTrial round-trips the trial, its samples and its findings", "[store]") {
  auto store = OpenMemory();
  auto run = store->CreateRun(SampleRun("p"));
  REQUIRE(run.ok());
  FindingRecord oops{0,
                     std::nullopt,
                     "candidate",
                     "console-oops",
                     "error",
                     "",
                     0,
                     "kernel BUG",
                     "BUG: unable to handle page fault"};
  auto trial_id = store->RecordTrial(SampleTrial(*run, 0), Samples(6, 10.0), {oops});
  REQUIRE(trial_id.ok());
  auto second_id = store->RecordTrial(SampleTrial(*run, 1), Samples(2, 50.0), {});
  REQUIRE(second_id.ok());

  auto trials = store->LoadTrials(*run);
  REQUIRE(trials.ok());
  REQUIRE(trials->size() == 2);
  const TrialRecord& t = (*trials)[0];
  TrialRecord want = SampleTrial(*run, 0);
  CHECK(t.id == *trial_id);
  CHECK(t.run_id == *run);
  CHECK(t.seq == 0);
  CHECK(t.round == 1);
  CHECK(t.arm == want.arm);
  CHECK(t.scenario == want.scenario);
  CHECK(t.shape == want.shape);
  CHECK(t.tier == want.tier);
  CHECK(t.status == TrialStatus::kCrashed);
  CHECK(t.message == want.message);
  CHECK(t.started_at == want.started_at);
  CHECK(t.boot_seconds == 4.25);
  CHECK(t.wall_seconds == 31.5);
  CHECK(t.guest_kernel == want.guest_kernel);
  CHECK(t.clocksource == "tsc");
  CHECK(t.console_log == want.console_log);

  auto samples = store->LoadSamples(*run);
  REQUIRE(samples.ok());
  REQUIRE(samples->size() == 8);
  const SampleRow& s3 = (*samples)[3];
  CHECK(s3.trial_id == *trial_id);
  CHECK(s3.seq == 0);
  CHECK(s3.arm == "baseline");
  CHECK(s3.scenario == "hackbench");
  CHECK(s3.shape == "2cpu-1g");
  CHECK(s3.sample.metric == "ctx_switches");
  CHECK(s3.sample.value == 13.0);
  CHECK(s3.sample.unit == "count");
  CHECK(s3.sample.kind == "count");
  CHECK(s3.sample.better == "lower");
  CHECK(s3.sample.repetition == 1);
  CHECK((*samples)[6].trial_id == *second_id);
  CHECK((*samples)[6].arm == "candidate");
  CHECK((*samples)[6].sample.value == 50.0);
  CHECK((*samples)[7].sample.metric == "ctx_switches");

  auto findings = store->LoadFindings(*run);
  REQUIRE(findings.ok());
  REQUIRE(findings->size() == 1);
  CHECK((*findings)[0].run_id == *run);
  REQUIRE((*findings)[0].trial_id.has_value());
  CHECK(*(*findings)[0].trial_id == *trial_id);
  CHECK((*findings)[0].rule == "console-oops");
  CHECK((*findings)[0].excerpt == oops.excerpt);
}

TEST_CASE("RecordTrial with an existing (run_id, seq) replaces the trial", "[store]") {
  auto store = OpenMemory();
  auto run = store->CreateRun(SampleRun("p"));
  REQUIRE(run.ok());
  FindingRecord warn{0, std::nullopt, "baseline", "console-warn", "warning", "", 0, "WARN", ""};
  auto old_id = store->RecordTrial(SampleTrial(*run, 3), Samples(10, 1.0), {warn});
  REQUIRE(old_id.ok());
  TrialRecord retry = SampleTrial(*run, 3);
  retry.status = TrialStatus::kOk;
  retry.message = "";
  auto new_id = store->RecordTrial(retry, Samples(4, 100.0), {});
  REQUIRE(new_id.ok());

  auto trials = store->LoadTrials(*run);
  REQUIRE(trials->size() == 1);
  CHECK((*trials)[0].id == *new_id);
  CHECK((*trials)[0].status == TrialStatus::kOk);
  auto samples = store->LoadSamples(*run);
  REQUIRE(samples->size() == 4);
  CHECK((*samples)[0].sample.value == 100.0);
  CHECK(store->LoadFindings(*run)->empty());
}

TEST_CASE("A failed RecordTrial leaves nothing behind", "[store]") {
  auto store = OpenMemory();
  // No run 42: the trial's foreign key fails after nothing else was written.
  auto bad = store->RecordTrial(SampleTrial(42, 0), Samples(3, 1.0), {});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("recording trial 0 of run 42") == 0);
  auto run = store->CreateRun(SampleRun("p"));
  REQUIRE(run.ok());
  // The metric ids minted in the rolled-back transaction must not be reused.
  REQUIRE(store->RecordTrial(SampleTrial(*run, 0), Samples(3, 1.0), {}).ok());
  auto samples = store->LoadSamples(*run);
  REQUIRE(samples.ok());
  REQUIRE(samples->size() == 3);
  CHECK((*samples)[1].sample.metric == "ctx_switches");
}

TEST_CASE("SaveFindings stores run-level findings", "[store]") {
  auto store = OpenMemory();
  auto run = store->CreateRun(SampleRun("p"));
  FindingRecord fpu{*run,
                    std::nullopt,
                    "candidate",
                    "fpu-in-kernel",
                    "error",
                    "mm/ml.c",
                    42,
                    "floating point in kernel code",
                    "kernel_fpu_begin();"};
  FindingRecord note{*run, std::nullopt, "", "diffstat", "note", "", 0, "3 files", ""};
  REQUIRE(store->SaveFindings({fpu, note}).ok());
  auto findings = store->LoadFindings(*run);
  REQUIRE(findings->size() == 2);
  CHECK((*findings)[0].rule == "fpu-in-kernel");
  CHECK_FALSE((*findings)[0].trial_id.has_value());
  CHECK((*findings)[0].file == "mm/ml.c");
  CHECK((*findings)[0].line == 42);
  CHECK((*findings)[0].level == "error");
  CHECK((*findings)[0].arm == "candidate");
  CHECK((*findings)[0].message == fpu.message);
  CHECK((*findings)[1].rule == "diffstat");
}

TEST_CASE("SaveCheck replaces an arm's check of the same kind", "[store]") {
  auto store = OpenMemory();
  auto run = store->CreateRun(SampleRun("p"));
  REQUIRE(run.ok());
  CheckRecord fault{*run, "candidate", "fault-injection", CheckStatus::kFailed, "workload died",
                    R"({"a":1})"};
  CheckRecord analysis{*run, "candidate", "analysis", CheckStatus::kPassed, "score 80", "{}"};
  REQUIRE(store->SaveCheck(fault).ok());
  REQUIRE(store->SaveCheck(analysis).ok());
  fault.status = CheckStatus::kPassed;
  fault.summary = "survived";
  REQUIRE(store->SaveCheck(fault).ok());
  auto checks = store->LoadChecks(*run);
  REQUIRE(checks.ok());
  REQUIRE(checks->size() == 2);
  CHECK((*checks)[0].kind == "analysis");
  CHECK((*checks)[1].kind == "fault-injection");
  CHECK((*checks)[1].status == CheckStatus::kPassed);
  CHECK((*checks)[1].summary == "survived");
  CHECK((*checks)[1].detail_json == R"({"a":1})");
  CHECK(store->LoadChecks(*run + 1)->empty());
}

TEST_CASE("SaveJudgement round-trips and replaces the run's judgement", "[store]") {
  auto store = OpenMemory();
  auto run = store->CreateRun(SampleRun("p"));
  CHECK(store->LoadVerdict(*run).status().code() == Status::Code::kNotFound);

  constexpr double kInf = std::numeric_limits<double>::infinity();
  ComparisonRecord c;
  c.run_id = *run;
  c.scenario = "fio-randread";
  c.metric = "iops";
  c.shape = "2cpu-1g";
  c.arm = "candidate";
  c.reference = "baseline";
  c.n_arm = 10;
  c.n_reference = 12;
  c.effect = 1.25;
  c.ci_low = 1.1;
  c.ci_high = 1.4;
  c.p_value = 0.001;
  c.q_value = 0.004;
  c.classification = Classification::kImproved;
  c.decides = false;
  // Every schema v3 field away from its default, so an unsaved one shows.
  c.vs = "tuned";
  c.role = "target";
  c.kind = "rate";
  c.better = "higher";
  c.unit = "IOPS";
  c.median_arm = 12500.5;
  c.median_reference = 10000.25;
  c.hl_shift = 2480.75;
  c.ci_level = 0.9;
  c.note = "rate metrics do not decide at tier tcg";
  // An interval that could not be bounded above is stored as +inf.
  ComparisonRecord unbounded = c;
  unbounded.metric = "lat_p99";
  unbounded.ci_low = -kInf;
  unbounded.ci_high = kInf;
  unbounded.effect = kInf;
  VerdictRecord v;
  v.run_id = *run;
  v.policy = "default";
  v.verdict = Verdict::kPass;
  v.reasons_json = "[\"iops improved\"]";
  v.scores_json = "{\"gain\":0.25}";
  v.created_at = "2026-11-27T06:00:00Z";
  v.tier = "kvm";
  v.rounds = 3;
  ClaimRecord claim;
  claim.run_id = *run;
  claim.claim_id = "table2-row3";
  claim.text = "readahead 1.25x";
  claim.expected = ">=1.2x";
  claim.measured = 1.25;
  claim.ci_low = 1.1;
  claim.ci_high = 1.4;
  claim.status = ClaimStatus::kReproduced;
  claim.scenario = "fio-randread";
  claim.metric = "iops";
  claim.shape = "4cpu-8g";
  claim.reference = "tuned";
  claim.claimed = 1.3;
  claim.note = "within the claimed interval";
  REQUIRE(store->SaveJudgement(*run, {c, unbounded}, v, {claim}).ok());

  auto comparisons = store->LoadComparisons(*run);
  REQUIRE(comparisons->size() == 2);
  const ComparisonRecord& got = (*comparisons)[0];
  CHECK(got.run_id == *run);
  CHECK(got.scenario == "fio-randread");
  CHECK(got.metric == "iops");
  CHECK(got.shape == "2cpu-1g");
  CHECK(got.arm == "candidate");
  CHECK(got.reference == "baseline");
  CHECK(got.n_arm == 10);
  CHECK(got.n_reference == 12);
  CHECK(got.effect == 1.25);
  CHECK(got.ci_low == 1.1);
  CHECK(got.ci_high == 1.4);
  CHECK(got.p_value == 0.001);
  CHECK(got.q_value == 0.004);
  CHECK(got.classification == Classification::kImproved);
  CHECK_FALSE(got.decides);
  CHECK(got.vs == "tuned");
  CHECK(got.role == "target");
  CHECK(got.kind == "rate");
  CHECK(got.better == "higher");
  CHECK(got.unit == "IOPS");
  CHECK(got.median_arm == 12500.5);
  CHECK(got.median_reference == 10000.25);
  CHECK(got.hl_shift == 2480.75);
  CHECK(got.ci_level == 0.9);
  CHECK(got.note == c.note);
  const ComparisonRecord& inf = (*comparisons)[1];
  CHECK(inf.metric == "lat_p99");
  CHECK(inf.effect == kInf);
  CHECK(inf.ci_low == -kInf);
  CHECK(inf.ci_high == kInf);
  CHECK(inf.p_value == 0.001);
  auto verdict = store->LoadVerdict(*run);
  REQUIRE(verdict.ok());
  CHECK(verdict->run_id == *run);
  CHECK(verdict->policy == "default");
  CHECK(verdict->verdict == Verdict::kPass);
  CHECK(verdict->reasons_json == v.reasons_json);
  CHECK(verdict->scores_json == v.scores_json);
  CHECK(verdict->created_at == v.created_at);
  CHECK(verdict->tier == "kvm");
  CHECK(verdict->rounds == 3);
  auto claims = store->LoadClaims(*run);
  REQUIRE(claims->size() == 1);
  CHECK((*claims)[0].claim_id == "table2-row3");
  CHECK((*claims)[0].text == claim.text);
  CHECK((*claims)[0].expected == ">=1.2x");
  CHECK((*claims)[0].measured == 1.25);
  CHECK((*claims)[0].ci_low == 1.1);
  CHECK((*claims)[0].ci_high == 1.4);
  CHECK((*claims)[0].status == ClaimStatus::kReproduced);
  CHECK((*claims)[0].scenario == "fio-randread");
  CHECK((*claims)[0].metric == "iops");
  CHECK((*claims)[0].shape == "4cpu-8g");
  CHECK((*claims)[0].reference == "tuned");
  CHECK((*claims)[0].claimed == 1.3);
  CHECK((*claims)[0].note == claim.note);

  c.classification = Classification::kRegressed;
  v.verdict = Verdict::kFail;
  REQUIRE(store->SaveJudgement(*run, {c}, v, {}).ok());
  REQUIRE(store->LoadComparisons(*run)->size() == 1);
  CHECK((*store->LoadComparisons(*run))[0].classification == Classification::kRegressed);
  CHECK(store->LoadVerdict(*run)->verdict == Verdict::kFail);
  CHECK(store->LoadClaims(*run)->empty());

}

TEST_CASE("SaveJudgement stores v3 defaults for records that leave the new fields alone",
          "[store]") {
  auto store = OpenMemory();
  auto run = store->CreateRun(SampleRun("p"));
  ComparisonRecord c;
  c.scenario = "hackbench";
  c.metric = "elapsed";
  c.shape = "1cpu";
  c.arm = "candidate";
  c.reference = "baseline";
  c.classification = Classification::kEquivalent;
  VerdictRecord v;
  v.policy = "default";
  v.verdict = Verdict::kInconclusive;
  ClaimRecord claim;
  claim.claim_id = "fig4";
  claim.status = ClaimStatus::kNotCheckable;
  REQUIRE(store->SaveJudgement(*run, {c}, v, {claim}).ok());
  auto comparisons = store->LoadComparisons(*run);
  REQUIRE(comparisons->size() == 1);
  CHECK((*comparisons)[0].vs == "baseline");
  CHECK((*comparisons)[0].role == "guard");
  CHECK((*comparisons)[0].ci_level == 0.95);
  CHECK((*comparisons)[0].kind.empty());
  CHECK(store->LoadVerdict(*run)->rounds == 0);
  CHECK(store->LoadClaims(*run)->at(0).claimed == 0);
}

TEST_CASE("SaveJudgement refuses a NaN, naming the comparison, and keeps the old judgement",
          "[store]") {
  auto store = OpenMemory();
  auto run = store->CreateRun(SampleRun("p"));
  REQUIRE(run.ok());
  ComparisonRecord c;
  c.scenario = "fio-randread";
  c.metric = "iops";
  c.shape = "2cpu-1g";
  c.arm = "candidate";
  c.reference = "baseline";
  c.effect = 1.1;
  c.ci_low = 1.0;
  c.ci_high = 1.2;
  c.classification = Classification::kInconclusive;
  VerdictRecord v;
  v.policy = "default";
  v.verdict = Verdict::kPass;
  REQUIRE(store->SaveJudgement(*run, {c}, v, {}).ok());

  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    const char* field;
    double ComparisonRecord::*member;
  };
  for (Case field : {Case{"effect", &ComparisonRecord::effect},
                     Case{"ci_low", &ComparisonRecord::ci_low},
                     Case{"ci_high", &ComparisonRecord::ci_high},
                     Case{"p_value", &ComparisonRecord::p_value},
                     Case{"q_value", &ComparisonRecord::q_value}}) {
    INFO(field.field);
    ComparisonRecord bad = c;
    bad.metric = "lat_p99";
    bad.*field.member = nan;
    VerdictRecord fail = v;
    fail.verdict = Verdict::kFail;
    Status saved = store->SaveJudgement(*run, {c, bad}, fail, {});
    INFO(saved.message());
    REQUIRE_FALSE(saved.ok());
    CHECK(saved.code() == Status::Code::kInternal);
    CHECK(saved.message().find("comparison fio-randread/lat_p99/2cpu-1g candidate vs baseline") !=
          std::string::npos);
    CHECK(saved.message().find(std::string(field.field) + " is NaN") != std::string::npos);
    CHECK(saved.message().find("constraint") == std::string::npos);
    // Nothing of the refused judgement was written.
    CHECK(store->LoadVerdict(*run)->verdict == Verdict::kPass);
    auto comparisons = store->LoadComparisons(*run);
    REQUIRE(comparisons->size() == 1);
    CHECK((*comparisons)[0].metric == "iops");
  }

  ClaimRecord claim;
  claim.claim_id = "table2-row3";
  claim.measured = nan;
  Status saved = store->SaveJudgement(*run, {c}, v, {claim});
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.message().find("claim table2-row3: measured is NaN") != std::string::npos);
}

}  // namespace kgate
