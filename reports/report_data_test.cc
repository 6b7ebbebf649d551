#include <catch2/catch.hpp>

#include "reports/report_data.h"
#include "reports/report_test_data.h"

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
    REQUIRE(s.RecordTrial(t, {}, {}).ok());
  }
  for (ComparisonRecord& c : want.comparisons) c.run_id = *id;
  for (ClaimRecord& c : want.claims) c.run_id = *id;
  want.verdict->run_id = *id;
  REQUIRE(s.SaveJudgement(*id, want.comparisons, *want.verdict, want.claims).ok());

  auto got = LoadReportData(s, *id);
  REQUIRE(got.ok());
  CHECK(got->run.proposal == "readahead-ml-agent");
  CHECK(got->arms.size() == 2);
  REQUIRE(got->trials.size() == 2);
  CHECK(got->trials[0].console_log == want.trials[0].console_log);
  CHECK(got->comparisons.size() == want.comparisons.size());
  REQUIRE(got->verdict.has_value());
  CHECK(got->verdict->verdict == "FAIL");
  CHECK(got->claims.size() == 1);
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
