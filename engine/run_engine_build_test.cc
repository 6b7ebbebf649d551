// Runs whose kernels are built from source, against a fake builder
// (kbuild/testing/fake_kernel_builder.h): the build is a check, and a
// candidate that does not compile is a FAIL with no trial booted.
#include <catch2/catch.hpp>

#include "engine/run_engine.h"
#include "engine/testing/run_bench.h"

namespace kgate {
namespace {

using testing::Bench;

std::string BuildProposal(Bench& b) {
  b.Write("fix.patch", "--- a/mm/readahead.c\n+++ b/mm/readahead.c\n@@ -1 +1 @@\n-a\n+b\n");
  return b.WriteProposal(
      "kgate: 1\nproposal: engine-build\ntitle: built kernels\n"
      "baseline:\n  kernel: {build: {same-as: candidate, patches: []}}\n"
      "candidate:\n  kernel: {build: {source: debian:6.12, patches: [fix.patch]}}\n"
      "scenarios: [work]\ntier: icount\nruns: {min: 3, max: 3}\npolicy: mainline\n");
}

CheckRecord BuildCheckOf(Bench& b, std::int64_t run, const std::string& arm) {
  auto checks = b.store->LoadChecks(run);
  REQUIRE(checks.ok());
  for (const CheckRecord& c : *checks) {
    if (c.arm == arm && c.kind == "build") return c;
  }
  FAIL("no build check for arm " << arm);
  return {};
}

TEST_CASE("built arms are built baseline first, stored as build checks, and run", "[engine]") {
  Bench b;
  auto summary = b.Run(BuildProposal(b));
  REQUIRE(summary.ok());
  CHECK(b.builder->built == std::vector<std::string>{"baseline", "candidate"});
  CHECK(summary->trials_run == 6);
  CHECK(summary->verdict == Verdict::kPass);
  CheckRecord candidate = BuildCheckOf(b, summary->run_id, "candidate");
  CHECK(candidate.status == CheckStatus::kPassed);
  CHECK(candidate.summary.find("1 patch(es)") != std::string::npos);
  CHECK(BuildCheckOf(b, summary->run_id, "baseline").summary.find("no patches") != std::string::npos);
  for (const TrialRecord& t : b.Trials(summary->run_id)) CHECK(t.status == TrialStatus::kOk);
}

TEST_CASE("a candidate that does not compile FAILs on its build, and nothing boots", "[engine]") {
  Bench b;
  b.builder->fail_arms = {"candidate"};
  auto summary = b.Run(BuildProposal(b));
  REQUIRE(summary.ok());
  CHECK(summary->verdict == Verdict::kFail);
  CHECK(summary->trials_run == 0);
  CHECK(b.Trials(summary->run_id).empty());
  CHECK(b.backend.requests().empty());
  CheckRecord check = BuildCheckOf(b, summary->run_id, "candidate");
  CHECK(check.status == CheckStatus::kFailed);
  CHECK(check.summary == "mm/readahead.c:130:9: error: 'ra' undeclared");
  // The same error as a finding, with its place, for every report format.
  auto findings = b.store->LoadFindings(summary->run_id);
  REQUIRE(findings.ok());
  int build_findings = 0;
  for (const FindingRecord& f : *findings) {
    if (f.rule != "kernel-build-failed") continue;
    ++build_findings;
    CHECK(f.arm == "candidate");
    CHECK(f.file == "mm/readahead.c");
    CHECK(f.line == 130);
  }
  CHECK(build_findings == 1);
  auto run = b.store->LoadRun(summary->run_id);
  REQUIRE(run.ok());
  CHECK(run->status == "done");
}

}  // namespace
TEST_CASE("replaced builds are what gets built; only build arms of a new run take one", "[engine]") {
  Bench b;
  std::string proposal = BuildProposal(b);
  RunOptions options = b.Options();
  KernelBuildSpec step;
  step.source = "git:/srv/linux@0123abcd";
  step.config_base = "guest";
  options.build_of_arm["candidate"] = step;
  auto summary = b.Run(proposal, options);
  REQUIRE(summary.ok());
  REQUIRE(b.builder->specs.size() == 2);
  CHECK(b.builder->specs[0].source == "debian:6.12");  // the baseline as written
  CHECK(b.builder->specs[1].source == "git:/srv/linux@0123abcd");
  CHECK(b.builder->specs[1].patches.empty());
  CHECK(BuildCheckOf(b, summary->run_id, "candidate").summary.find("no patches") != std::string::npos);

  RunOptions unknown = b.Options();
  unknown.build_of_arm["tuned"] = step;
  auto no_arm = b.Run(proposal, unknown);
  REQUIRE_FALSE(no_arm.ok());
  CHECK(no_arm.status().message() == "the proposal has no arm 'tuned'");

  RunOptions resumed = options;
  resumed.resume_run_id = summary->run_id;
  auto resume = b.Run(proposal, resumed);
  REQUIRE_FALSE(resume.ok());
  CHECK(resume.status().message() == "a run with replaced builds cannot be resumed");

  auto prebuilt = b.Run(b.WriteProposal(testing::Proposal("", "{min: 3, max: 3}")), options);
  REQUIRE_FALSE(prebuilt.ok());
  CHECK(prebuilt.status().code() == Status::Code::kBadInput);
  CHECK(prebuilt.status().message().find("arm 'candidate' is not built from source") != std::string::npos);
}

}  // namespace kgate
