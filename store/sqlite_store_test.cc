#include "store/sqlite_store.h"

#include <catch2/catch.hpp>

#include "store/schema.h"
#include "store/store.h"
#include "store/testing/store_fixtures.h"

namespace kgate {
using namespace testing;

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
  CHECK(t.seed == want.seed);

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

}  // namespace kgate
