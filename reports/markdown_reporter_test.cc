#include <sstream>

#include <catch2/catch.hpp>

#include "reports/testing/report_fixtures.h"
#include "reports/reporter.h"

namespace kgate {
namespace {

std::string RenderMarkdown(const ReportData& d) {
  std::ostringstream out;
  auto reporter = MakeReporter("markdown");
  REQUIRE(reporter != nullptr);
  REQUIRE(reporter->Render(d, out).ok());
  return out.str();
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("markdown report matches its golden file", "[reports]") {
  std::string text = RenderMarkdown(testing::SampleReportData());
  testing::MaybeUpdateGolden("sample_report.md", text);
  CHECK(text == testing::ReadGolden("sample_report.md"));
}

TEST_CASE("markdown report escapes a hostile title and guest text", "[reports]") {
  ReportData d = testing::SampleReportData();
  d.title = "<script>alert(1)</script> | `rm -rf`";
  d.comparisons[0].scenario = "a|b<c>";
  d.claims[0].text = "x\ny | <img>";
  std::string text = RenderMarkdown(d);
  CHECK_FALSE(Has(text, "<script>"));
  CHECK_FALSE(Has(text, "<img>"));
  CHECK_FALSE(Has(text, "`rm"));
  CHECK(Has(text, "## kgate: FAIL — &lt;script&gt;alert(1)&lt;/script&gt; \\| &#96;rm -rf&#96;\n"));
  CHECK(Has(text, "| a\\|b&lt;c&gt; |"));
  CHECK(Has(text, "x y \\| &lt;img&gt;"));
}

TEST_CASE("markdown report falls back to the proposal name and n/a scores", "[reports]") {
  ReportData d = testing::SampleReportData();
  d.title.clear();
  d.verdict->scores_json = "not json";
  std::string text = RenderMarkdown(d);
  CHECK(Has(text, "## kgate: FAIL — readahead-ml-agent\n"));
  CHECK(Has(text, "| benefit | n/a |"));
  CHECK(Has(text, "| maintainability | n/a |"));
}

TEST_CASE("markdown report tolerates invalid UTF-8 and refuses an unjudged run", "[reports]") {
  ReportData d = testing::SampleReportData();
  d.trials[1].message = "bad \xff bytes";
  d.title = "title \xfe";
  REQUIRE_NOTHROW(RenderMarkdown(d));
  d.verdict.reset();
  std::ostringstream out;
  Status s = MakeReporter("markdown")->Render(d, out);
  CHECK_FALSE(s.ok());
  CHECK(Has(s.message(), "has not been judged"));
}

TEST_CASE("markdown report labels intervals with their stored coverage", "[reports]") {
  ReportData d = testing::SampleReportData();
  for (ComparisonRecord& c : d.comparisons) c.ci_level = 1 - 0.05 / 3;
  std::string text = RenderMarkdown(d);
  CHECK(Has(text, "| effect | 98.3% CI | q |"));
  CHECK(Has(text, "| measured | 98.3% CI | vs |"));
  CHECK_FALSE(Has(text, "95% CI"));
  d.comparisons[1].ci_level = 0.95;
  text = RenderMarkdown(d);
  CHECK(Has(text, "| effect | CI | q |"));
}

}  // namespace
}  // namespace kgate
