#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "reports/testing/report_fixtures.h"
#include "reports/reporter.h"

namespace kgate {
namespace {

std::string RenderJunit(const ReportData& d) {
  std::ostringstream out;
  auto reporter = MakeReporter("junit");
  REQUIRE(reporter != nullptr);
  REQUIRE(reporter->Render(d, out).ok());
  return out.str();
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

int Count(const std::string& text, const std::string& part) {
  int n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// The value of attribute `name` on the first element `tag`.
std::string Attribute(const std::string& xml, const std::string& tag, const std::string& name) {
  std::smatch m;
  std::regex re("<" + tag + "\\b[^>]*\\s" + name + "=\"([^\"]*)\"");
  return std::regex_search(xml, m, re) ? m[1].str() : "<absent>";
}

TEST_CASE("junit report matches its golden file", "[reports]") {
  std::string text = RenderJunit(testing::SampleReportData());
  testing::MaybeUpdateGolden("sample_report.junit.xml", text);
  CHECK(text == testing::ReadGolden("sample_report.junit.xml"));
}

TEST_CASE("junit counts equal the testcases they summarise", "[reports]") {
  std::string xml = RenderJunit(testing::SampleReportData());
  // Rules: regression fails, target-gain passes, trials is inconclusive.
  // Comparisons: read_iops regressed (fails), ops_per_sec improved, time
  // equivalent, p99_latency regressed but not deciding (passes),
  // ops_per_sec vs the tuned arm inconclusive (skipped). Trials: the
  // candidate's crash is an error. Checks: the failed analysis fails (the
  // verdict is FAIL), the passed fault pass passes.
  int tests = Count(xml, "<testcase ");
  int failures = Count(xml, "<failure ");
  int errors = Count(xml, "<error ");
  int skipped = Count(xml, "<skipped>");
  CHECK(tests == 11);
  CHECK(failures == 3);
  CHECK(errors == 1);
  CHECK(skipped == 2);
  for (const char* tag : {"testsuites", "testsuite"}) {
    CHECK(Attribute(xml, tag, "tests") == std::to_string(tests));
    CHECK(Attribute(xml, tag, "failures") == std::to_string(failures));
    CHECK(Attribute(xml, tag, "errors") == std::to_string(errors));
  }
  CHECK(Attribute(xml, "testsuite", "skipped") == std::to_string(skipped));
  CHECK(Attribute(xml, "testsuites", "skipped") == "<absent>");  // not in the Jenkins XSD
  CHECK(Attribute(xml, "testsuite", "time") == "1200.000");
}

TEST_CASE("junit maps each outcome to its element", "[reports]") {
  std::string xml = RenderJunit(testing::SampleReportData());
  CHECK(Has(xml, "<testcase classname=\"kgate.rules\" name=\"regression: fio-randread/read_iops/2c-1G "
                 "vs baseline\">\n      <failure type=\"regression\" message=\"guard fio-randread/"
                 "read_iops/2c-1G vs baseline regressed by 12.0% (beyond max_guard_regression 2.0%)\"/>"));
  CHECK(Has(xml, "<testcase classname=\"kgate.rules\" name=\"trials\">\n"
                 "      <skipped>inconclusive: 1 trial crashed</skipped>"));
  CHECK(Has(xml, "<testcase classname=\"kgate.fio-randread\" name=\"read_iops (candidate vs baseline, "
                 "2c-1G)\">\n      <failure type=\"regressed\""));
  CHECK(Has(xml, "<testcase classname=\"kgate.hackbench-pipe\" name=\"p99_latency (candidate vs "
                 "baseline, 2c-1G)\">\n      <system-out>not deciding: latency is not trusted at tier tcg"));
  CHECK(Has(xml, "<testcase classname=\"kgate.trials\" name=\"candidate trial 1 (fio-randread, 2c-1G, "
                 "round 0)\" time=\"41.250\">\n      <error type=\"crashed\" message=\"kernel panic in "
                 "ra_tuner\">[    0.000000] Linux version 6.12.57\n[   12.345678] Kernel panic - not syncing: "
                 "ra_tuner\n</error>"));
  CHECK(Has(xml, "<property name=\"verdict\" value=\"FAIL\"/>"));
  CHECK(Has(xml, "<property name=\"kernel.candidate\" value=\"6.12.57+deb12-cloud-amd64\"/>"));
}

TEST_CASE("junit skips an inconclusive comparison and prints medians plainly", "[reports]") {
  ReportData d = testing::SampleReportData();
  d.comparisons[2].classification = Classification::kInconclusive;
  d.comparisons[2].median_arm = 8679610.4;
  d.comparisons[2].ci_level = 0.9833333;
  std::string xml = RenderJunit(d);
  CHECK(Has(xml, "name=\"time (candidate vs baseline, 2c-1G)\">\n      <skipped>inconclusive: guard "
                 "hackbench-pipe/time/2c-1G vs baseline: x1.0100 [0.9700, 1.0400] 98.3% CI, q=0.6, "
                 "inconclusive; median 8679610 vs 1 s</skipped>\n    </testcase>"));
  CHECK(Attribute(xml, "testsuite", "skipped") == "3");
}

TEST_CASE("junit fails a regression only when a failing rule names it", "[reports]") {
  ReportData d = testing::SampleReportData();
  // Within max_guard_regression: the gate's regression rule passes.
  d.verdict->verdict = Verdict::kPass;
  d.verdict->reasons_json =
      R"([{"rule":"regression","outcome":"pass","message":"within the limit",)"
      R"("comparison":"fio-randread/read_iops/2c-1G vs baseline"}])";
  d.trials[1].status = TrialStatus::kOk;
  std::string xml = RenderJunit(d);
  CHECK(Count(xml, "<failure ") == 0);
  CHECK(Has(xml, "name=\"read_iops (candidate vs baseline, 2c-1G)\">\n      <system-out>regressed, "
                 "tolerated by the policy (no failing rule names it)\n"));
  CHECK(Has(xml, "name=\"candidate analysis\">\n      <system-out>failed, but the policy does not "
                 "fail the run on it: maintainability 62/100"));
  // A failing rule for another shape of the same metric does not count.
  d.verdict->reasons_json =
      R"([{"rule":"regression","outcome":"fail","message":"x",)"
      R"("comparison":"fio-randread/read_iops/4c-2G vs baseline"}])";
  CHECK(Count(RenderJunit(d), "<failure type=\"regressed\"") == 0);
}

TEST_CASE("junit escapes hostile proposal and guest text", "[reports]") {
  ReportData d = testing::SampleReportData();
  d.run.proposal = "<script>alert(1)</script>";
  d.title = "a \"quoted\"\nline";
  d.trials[1].message = "oops ]]> \x01\x1b[1m \xff\xfe";
  d.trials[1].console_log = "<![CDATA[ x ]]>\x07 end\n";
  d.comparisons[0].scenario = "s&s";
  std::string xml = RenderJunit(d);
  CHECK_FALSE(Has(xml, "<script>"));
  CHECK_FALSE(Has(xml, "]]>"));
  CHECK_FALSE(Has(xml, "<![CDATA["));
  CHECK_FALSE(Has(xml, "\x01"));
  CHECK_FALSE(Has(xml, "\x07"));
  CHECK_FALSE(Has(xml, "\xff"));
  CHECK(Has(xml, "<testsuite name=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
  CHECK(Has(xml, "value=\"a &quot;quoted&quot;&#10;line\""));
  CHECK(Has(xml, "message=\"oops ]]&gt; [1m \xEF\xBF\xBD\xEF\xBF\xBD\""));
  CHECK(Has(xml, "&lt;![CDATA[ x ]]&gt; end\n</error>"));
  CHECK(Has(xml, "classname=\"kgate.s&amp;s\""));
}

TEST_CASE("junit bounds the console tail of a hung trial", "[reports]") {
  ReportData d = testing::SampleReportData();
  d.trials[1].status = TrialStatus::kHung;
  d.trials[1].console_log.clear();
  for (int i = 0; i < 1000; ++i) d.trials[1].console_log += "line " + std::to_string(i) + "\n";
  std::string xml = RenderJunit(d);
  CHECK(Has(xml, "<error type=\"hung\""));
  CHECK(Has(xml, "line 999\n</error>"));
  CHECK(Has(xml, "\nline 940\n"));
  CHECK_FALSE(Has(xml, "line 939\n"));
  CHECK(Has(xml, "[8350 earlier bytes of the console omitted]\nline 940\n"));
}

TEST_CASE("junit names repeated rules apart and says when reasons are unreadable", "[reports]") {
  ReportData d = testing::SampleReportData();
  d.verdict->reasons_json =
      R"([{"rule":"safety","outcome":"fail","message":"a"},{"rule":"safety","outcome":"fail","message":"b"},)"
      R"({"rule":"regression","outcome":"warn","message":"low","comparison":"s/m/x vs baseline"},)"
      R"({"rule":"odd","outcome":"maybe","message":"?"}])";
  std::string xml = RenderJunit(d);
  CHECK(Has(xml, "name=\"safety\">"));
  CHECK(Has(xml, "name=\"safety #2\">"));
  CHECK(Has(xml, "name=\"regression: s/m/x vs baseline\">\n      <system-out>warning: low</system-out>"));
  CHECK(Has(xml, "<error type=\"unknown-outcome\" message=\"unknown outcome &apos;maybe&apos;: ?\"/>"));
  d.verdict->reasons_json = "not json";
  xml = RenderJunit(d);
  CHECK(Has(xml, "name=\"reasons\">\n      <error type=\"unreadable\""));
}

TEST_CASE("junit refuses an unjudged run", "[reports]") {
  ReportData d = testing::SampleReportData();
  d.verdict.reset();
  std::ostringstream out;
  Status s = MakeReporter("junit")->Render(d, out);
  CHECK_FALSE(s.ok());
  CHECK(s.message() == "run 7 has not been judged; kgate gate 7 judges it");
  CHECK(out.str().empty());
}

}  // namespace
}  // namespace kgate
