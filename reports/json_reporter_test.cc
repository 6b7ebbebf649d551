#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/testing/report_fixtures.h"
#include "reports/reporter.h"

namespace kgate {
namespace {

std::string RenderJson(const ReportData& d) {
  std::ostringstream out;
  auto reporter = MakeReporter("json");
  REQUIRE(reporter != nullptr);
  REQUIRE(reporter->Render(d, out).ok());
  return out.str();
}

TEST_CASE("json report matches its golden file", "[reports]") {
  std::string text = RenderJson(testing::SampleReportData());
  testing::MaybeUpdateGolden("sample_report.json", text);
  CHECK(text == testing::ReadGolden("sample_report.json"));
}

TEST_CASE("json report opens with kgate, schema version and context", "[reports]") {
  auto j = nlohmann::ordered_json::parse(RenderJson(testing::SampleReportData()));
  auto it = j.begin();
  CHECK(it.key() == "kgate");
  CHECK((++it).key() == "schema_version");
  CHECK((++it).key() == "context");
  CHECK(j["schema_version"] == 3);
  CHECK(j["context"]["git_sha"] == "0123456789abcdef");
  CHECK(j["context"]["qemu_version"] == "8.2.2");
  CHECK(j["verdict"]["reasons"].is_array());
  CHECK(j["verdict"]["scores"]["benefit"]["score"] == 62.5);
  CHECK(j["trials"][0].contains("console_log") == false);
}

TEST_CASE("json report writes non-finite numbers as strings", "[reports]") {
  ReportData d = testing::SampleReportData();
  d.comparisons[0].ci_low = -std::numeric_limits<double>::infinity();
  auto j = nlohmann::json::parse(RenderJson(d));
  CHECK(j["comparisons"][1]["ci_high"] == "inf");
  CHECK(j["comparisons"][0]["ci_low"] == "-inf");
  CHECK(j["claims"][0]["ci_high"] == "inf");
}

TEST_CASE("json report survives invalid UTF-8 in a trial message", "[reports]") {
  ReportData d = testing::SampleReportData();
  d.trials[1].message = "bad \xff\xfe bytes";
  std::string text;
  REQUIRE_NOTHROW(text = RenderJson(d));
  auto j = nlohmann::json::parse(text);
  CHECK(j["trials"][1]["message"] == "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
}

TEST_CASE("json report of an unjudged run has a null verdict", "[reports]") {
  ReportData d = testing::SampleReportData();
  d.verdict.reset();
  auto j = nlohmann::json::parse(RenderJson(d));
  CHECK(j["verdict"].is_null());
}

TEST_CASE("MakeReporter knows exactly the listed formats", "[reports]") {
  for (const std::string& f : ReportFormats()) {
    auto r = MakeReporter(f);
    REQUIRE(r != nullptr);
    CHECK(r->Name() == f);
  }
  CHECK(MakeReporter("nosuch") == nullptr);
}

TEST_CASE("console reporter renders the stored judgement", "[reports]") {
  std::ostringstream out;
  REQUIRE(MakeReporter("console")->Render(testing::SampleReportData(), out).ok());
  CHECK(out.str().find("verdict: FAIL under policy mainline") != std::string::npos);
  ReportData d = testing::SampleReportData();
  d.verdict.reset();
  Status s = MakeReporter("console")->Render(d, out);
  CHECK_FALSE(s.ok());
  CHECK(s.message() == "run 7 has not been judged; kgate gate 7 judges it");
}

}  // namespace
}  // namespace kgate
