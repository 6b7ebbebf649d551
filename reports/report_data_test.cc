#include <catch2/catch.hpp>

#include "reports/report_data.h"
#include "reports/testing/report_fixtures.h"

namespace kgate {
namespace {

TEST_CASE("LoadReportData reads every stored row of a run", "[reports]") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  Store& s = **store;
  ReportData want = testing::SampleReportData();
  want.run.proposal_yaml = "kgate: 1\nproposal: readahead-ml-agent\ntitle: A <b>title</b>\n";
  auto id = s.CreateRun(want.run);
  REQUIRE(id.ok());

  auto unjudged = LoadReportData(s, *id);
  REQUIRE(unjudged.ok());
  CHECK_FALSE(unjudged->verdict.has_value());
  CHECK(unjudged->title == "A <b>title</b>");
  CHECK(unjudged->schema_version == s.SchemaVersion());

  for (ArmRecord a : want.arms) {
    a.run_id = *id;
    REQUIRE(s.SaveArm(a).ok());
  }
  for (TrialRecord t : want.trials) {
    t.run_id = *id;
    std::vector<SampleRecord> samples;
    for (const SampleRow& row : want.samples) {
      if (row.seq == t.seq) samples.push_back(row.sample);
    }
    REQUIRE(s.RecordTrial(t, samples, {}).ok());
  }
  for (ComparisonRecord& c : want.comparisons) c.run_id = *id;
  for (ClaimRecord& c : want.claims) c.run_id = *id;
  want.verdict->run_id = *id;
  REQUIRE(s.SaveJudgement(*id, want.comparisons, *want.verdict, want.claims).ok());

  auto got = LoadReportData(s, *id);
  REQUIRE(got.ok());
  CHECK(got->run.proposal == "readahead-ml-agent");
  CHECK(got->arms.size() == 4);
  REQUIRE(got->trials.size() == want.trials.size());
  CHECK(got->trials[1].console_log == want.trials[1].console_log);
  REQUIRE(got->samples.size() == want.samples.size());
  for (std::size_t i = 0; i < want.samples.size(); ++i) {
    CHECK(got->samples[i].seq == want.samples[i].seq);
    CHECK(got->samples[i].arm == want.samples[i].arm);
    CHECK(got->samples[i].sample.metric == want.samples[i].sample.metric);
    CHECK(got->samples[i].sample.value == want.samples[i].sample.value);
  }
  CHECK(got->comparisons.size() == want.comparisons.size());
  REQUIRE(got->verdict.has_value());
  CHECK(got->verdict->verdict == Verdict::kFail);
  CHECK(got->claims.size() == 1);
  // The verdict names policy mainline, whose file says margin: 2%.
  REQUIRE(got->margin.has_value());
  CHECK(*got->margin == Approx(0.02));

  LoadOptions no_policies = LoadOptions::Default();
  no_policies.policies_dir = "/nonexistent";
  auto without = LoadReportData(s, *id, no_policies);
  REQUIRE(without.ok());
  CHECK_FALSE(without->margin.has_value());
}

TEST_CASE("LoadReportData says NotFound for an unknown run", "[reports]") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  auto got = LoadReportData(**store, 42);
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().code() == Status::Code::kNotFound);
}

TEST_CASE("ProposalTitle is empty for a proposal without a readable title", "[reports]") {
  CHECK(ProposalTitle("") == "");
  CHECK(ProposalTitle("kgate: 1\n") == "");
  CHECK(ProposalTitle("title: [unclosed") == "");
  CHECK(ProposalTitle("title: T\n") == "T");
}

}  // namespace
}  // namespace kgate
