#include <limits>
#include <sstream>

#include <catch2/catch.hpp>

#include "reports/testing/report_fixtures.h"
#include "reports/reporter.h"
#include "reports/svg_plot.h"

namespace kgate {
namespace {

std::string RenderHtml(const ReportData& d) {
  std::ostringstream out;
  auto reporter = MakeReporter("html");
  REQUIRE(reporter != nullptr);
  REQUIRE(reporter->Render(d, out).ok());
  return out.str();
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t Count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++n;
  }
  return n;
}

// The sample run with markup and invalid UTF-8 wherever a proposal, a
// kernel or a guest supplies text.
ReportData HostileReportData() {
  ReportData d = testing::SampleReportData();
  d.title = "<script>alert(1)</script>";
  const std::string scenario = "\"><svg onload=alert(1)>";
  d.comparisons[0].scenario = scenario;
  for (SampleRow& s : d.samples) {
    if (s.scenario == "fio-randread") s.scenario = scenario;
  }
  d.arms[1].spec_json = R"({"cmdline":"</code><img src=x onerror=alert(1)>"})";
  d.trials[1].console_log = "oops</pre><img src=x onerror=alert(1)>\n\xff\x1b[0m\n";
  d.findings[0].excerpt = "<iframe srcdoc='<script>alert(1)</script>'>";
  d.claims[0].text = "2x & <b>more</b>";
  d.run.command_line = "kgate run '<style>body{display:none}</style>'";
  return d;
}

TEST_CASE("html report matches its golden files", "[reports][html]") {
  // tests/web/html_report.mjs opens both files in a real browser.
  std::string text = RenderHtml(testing::SampleReportData());
  testing::MaybeUpdateGolden("sample_report.html", text);
  CHECK(text == testing::ReadGolden("sample_report.html"));
  text = RenderHtml(HostileReportData());
  testing::MaybeUpdateGolden("hostile_report.html", text);
  CHECK(text == testing::ReadGolden("hostile_report.html"));
}

TEST_CASE("html report is one self-contained, printable document", "[reports][html]") {
  std::string text = RenderHtml(testing::SampleReportData());
  CHECK(text.rfind("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", 0) ==
        0);
  CHECK(text.substr(text.size() - 8) == "</html>\n");
  CHECK(Count(text, "<style>") == 1);
  CHECK(Has(text, "@media print"));
  // Nothing to fetch and nothing to run: no URL (inline SVG needs no xmlns),
  // no script, no external stylesheet, image or font.
  CHECK_FALSE(Has(text, "http"));
  CHECK_FALSE(Has(text, "<script"));
  CHECK_FALSE(Has(text, "<link"));
  CHECK_FALSE(Has(text, "<img"));
  CHECK_FALSE(Has(text, "url("));
  CHECK(Count(text, "<svg ") == Count(text, "</svg>"));
}

TEST_CASE("html report banner, reasons and scores", "[reports][html]") {
  std::string text = RenderHtml(testing::SampleReportData());
  CHECK(Has(text, "<header class=\"banner verdict-fail\"><div class=\"verdict\">FAIL</div>"));
  CHECK(Has(text, "<td class=\"outcome outcome-fail\">fail</td><td>guard fio-randread/read_iops/"
                  "2c-1G vs baseline regressed by 12.0% (beyond max_guard_regression 2.0%)<br>"));
  CHECK(Has(text, "<td class=\"outcome outcome-pass\">pass</td>"));
  CHECK(Has(text, "<tr><td>benefit</td><td class=\"num\">62.5</td>"));
  CHECK(Has(text, "<tr><td>generality</td><td class=\"num\">n/a</td>"));
  CHECK(Has(text, "<td class=\"sub\">input: mlp_module<br>the candidate analysis: 1 error, "
                  "1 warning</td>"));
  // The checks, and the components behind the maintainability score.
  CHECK(Has(text, "<tr><td>candidate</td><td>analysis</td><td class=\"outcome outcome-fail\">"
                  "failed</td><td>maintainability 62/100; 1 error(s), 1 warning(s)</td></tr>"));
  CHECK(Has(text, "<tr><td>rule:fpu-in-kernel</td><td class=\"num\">15.0</td>"
                  "<td class=\"sub\">1 error</td></tr>"));
  ReportData d = testing::SampleReportData();
  d.verdict->verdict = Verdict::kPass;
  CHECK(Has(RenderHtml(d), "banner verdict-pass"));
}

TEST_CASE("html forest plot has one labelled row per comparison", "[reports][html]") {
  ReportData d = testing::SampleReportData();
  std::string text = RenderHtml(d);
  CHECK(Count(text, "<tr class=\"forest-row ") == d.comparisons.size());
  CHECK(Count(text, "<tr class=\"forest-row cls-regressed\">") == 1);
  CHECK(Count(text, "<tr class=\"forest-row cls-regressed muted\">") == 1);
  CHECK(Count(text, "<tr class=\"forest-row cls-improved\">") == 1);
  CHECK(Count(text, "<tr class=\"forest-row cls-equivalent\">") == 1);
  CHECK(Count(text, "<tr class=\"forest-row cls-inconclusive\">") == 1);
  // Not colour alone: the word is in the row.
  CHECK(Has(text, "<span class=\"word\">regressed</span> ×0.8800 (-12.0%)"));
  CHECK(Has(text, "does not decide: latency is not trusted at tier tcg"));
  CHECK(Has(text, "candidate vs tuned:read_ahead_kb=512"));
  // One margin band per row; the unbounded CI end becomes an arrow.
  CHECK(Count(text, "class=\"band\"") == d.comparisons.size());
  CHECK(Count(text, "class=\"arrow\"") == 1);
  CHECK(Has(text, "±2.0% equivalence margin of policy mainline"));

  d.comparisons[0].ci_low = -std::numeric_limits<double>::infinity();
  d.comparisons[2].ci_high = 1000;  // beyond the widest axis (x16)
  d.margin.reset();
  text = RenderHtml(d);
  CHECK(Count(text, "class=\"arrow\"") == 3);
  CHECK(Count(text, "class=\"band\"") == 0);
  CHECK(Has(text, "No margin band"));
}

TEST_CASE("html report labels intervals with their stored coverage", "[reports][html]") {
  ReportData d = testing::SampleReportData();
  CHECK(Has(RenderHtml(d), "whisker: its 95% CI"));
  CHECK(Has(RenderHtml(d), "<th>95% CI</th><th>measured on</th>"));
  for (ComparisonRecord& c : d.comparisons) c.ci_level = 1 - 0.05 / 3;
  std::string text = RenderHtml(d);
  CHECK(Has(text, "whisker: its 98.3% CI"));
  CHECK_FALSE(Has(text, "95% CI"));
  d.comparisons[1].ci_level = 0.95;
  text = RenderHtml(d);
  CHECK(Has(text, "<th>CI</th><th>measured on</th>"));
  CHECK(Count(text, " · 98.3% CI</span>") == d.comparisons.size() - 1);
  CHECK(Count(text, " · 95% CI</span>") == 1);
}

TEST_CASE("html strip plots show every sample of both arms", "[reports][html]") {
  ReportData d = testing::SampleReportData();
  std::string text = RenderHtml(d);
  // fio read_iops (regressed) and db_bench ops_per_sec (primary): 5 + 5 each.
  CHECK(Count(text, "class=\"dot arm-baseline\"") == 10);
  CHECK(Count(text, "class=\"dot arm-candidate\"") == 10);
  CHECK(Count(text, "class=\"dot arm-tuned\"") == 10);
  CHECK(Count(text, "class=\"median arm-baseline\"") == 2);
  CHECK(Has(text, "median 10k · n=5"));
  CHECK(Has(text, "median 8800 · n=5"));
  // The crashed candidate trial of fio-randread left no samples; hackbench none at all.
  CHECK(Has(text, "<figcaption>hackbench-pipe · time · 2c-1G</figcaption>\n"
                  "<p class=\"empty\">No samples stored.</p>"));
}

TEST_CASE("html tuned sweep plots each setting against default and candidate",
          "[reports][html]") {
  ReportData d = testing::SampleReportData();
  std::string text = RenderHtml(d);
  CHECK(Count(text, "<section id=\"tuned\">") == 1);
  CHECK(Has(text, ">read_ahead_kb=16</text>"));
  CHECK(Has(text, ">read_ahead_kb=512</text>"));
  CHECK(Has(text, ">default (baseline): median 10k</text>"));
  CHECK(Has(text, ">candidate: median 15k</text>"));
  CHECK(Count(text, "class=\"pt arm-tuned\"") == 2);

  // Non-numeric knob values sit at categorical positions.
  for (ArmRecord& a : d.arms) {
    if (a.name == "tuned:read_ahead_kb=16") a.name = "tuned:enabled=never";
  }
  for (SampleRow& s : d.samples) {
    if (s.arm == "tuned:read_ahead_kb=16") s.arm = "tuned:enabled=never";
  }
  CHECK(Has(RenderHtml(d), ">enabled=never</text>"));

  ReportData untuned = testing::SampleReportData();
  untuned.arms.resize(2);
  std::erase_if(untuned.samples, [](const SampleRow& s) { return s.arm.rfind("tuned:", 0) == 0; });
  CHECK_FALSE(Has(RenderHtml(untuned), "<section id=\"tuned\">"));
}

TEST_CASE("html report escapes a hostile proposal, scenario and console", "[reports][html]") {
  ReportData d = HostileReportData();
  d.arms[1].name = "cand'idate";
  d.trials[1].console_log = "oops</pre><img src=x onerror=alert(1)>\n";
  std::string text = RenderHtml(d);
  CHECK_FALSE(Has(text, "<script"));
  CHECK_FALSE(Has(text, "<svg onload"));
  CHECK_FALSE(Has(text, "<img"));
  CHECK_FALSE(Has(text, "<iframe"));
  CHECK_FALSE(Has(text, "<b>more"));
  CHECK(Count(text, "<style>") == 1);
  CHECK(Has(text, "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
  CHECK(Has(text, "<b>&quot;&gt;&lt;svg onload=alert(1)&gt;</b> · read_iops"));
  CHECK(Has(text, "<figcaption>&quot;&gt;&lt;svg onload=alert(1)&gt; · read_iops"));
  CHECK(Has(text, "<pre>oops&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;</pre>"));
  CHECK(Has(text, "<td>cand&#39;idate</td>"));
  CHECK(Has(text, "2x &amp; &lt;b&gt;more&lt;/b&gt;"));
}

TEST_CASE("html report stays valid UTF-8 over invalid bytes", "[reports][html]") {
  ReportData d = testing::SampleReportData();
  d.title = "title \xfe";
  d.trials[1].console_log = "splat \xff\xc0\x1b[0m\n";
  d.comparisons[0].metric = "bad\xed\xa0\x80";
  std::string text = RenderHtml(d);
  CHECK(svg::SanitizeUtf8(text) == text);
  CHECK(Has(text, "<h1>title \xEF\xBF\xBD</h1>"));
  CHECK(Has(text, "splat \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD[0m"));
}

TEST_CASE("html report shows a bounded tail of a crashed trial's console", "[reports][html]") {
  ReportData d = testing::SampleReportData();
  std::string log;
  for (int i = 0; i < 1000; ++i) log += "[" + std::to_string(i) + "] line\n";
  d.trials[1].console_log = log;
  std::string text = RenderHtml(d);
  CHECK(Has(text, "console, last 40 lines at most:"));
  CHECK(Has(text, "[999] line</pre>"));
  CHECK(Has(text, "<pre>[960] line\n"));
  CHECK_FALSE(Has(text, "[959] line"));
  CHECK(Has(text, "crashed</span> trial 1 · <b>candidate</b>"));
}

TEST_CASE("html report shows findings, environment and how to reproduce", "[reports][html]") {
  ReportData d = testing::SampleReportData();
  FindingRecord f;
  f.rule = "fpu-in-kernel";
  f.level = "warning";
  f.file = "ra_tuner.c";
  f.line = 42;
  f.message = "floating point in kernel code";
  f.excerpt = "  kernel_fpu_begin();";
  d.findings.push_back(f);
  std::string text = RenderHtml(d);
  CHECK(Has(text, "<h3>Safety</h3>\n<div class=\"finding\"><span class=\"level-error\">error"));
  CHECK(Has(text, "<h3>Maintainability</h3>\n<div class=\"finding\"><span "
                  "class=\"level-warning\">warning</span> <b>fpu-in-kernel</b> <span "
                  "class=\"sub\"> · ra_tuner.c:42</span>"));
  CHECK(Has(text, "<pre>  kernel_fpu_begin();</pre>"));
  CHECK(Has(text, "<tr><th>qemu</th><td>8.2.2</td></tr>"));
  CHECK(Has(text, "<tr><th>git sha</th><td>0123456789abcdef</td></tr>"));
  CHECK(Has(text, "<pre>kgate gate 7\nkgate report 7 --format html -o report.html</pre>"));
  CHECK(Has(text, "<pre>kgate run proposals/readahead.yaml</pre>"));
}

TEST_CASE("html report refuses a run that has not been judged", "[reports][html]") {
  ReportData d = testing::SampleReportData();
  d.verdict.reset();
  std::ostringstream out;
  Status s = MakeReporter("html")->Render(d, out);
  CHECK(s.code() == Status::Code::kBadInput);
  CHECK(s.message() == "run 7 has not been judged; kgate gate 7 judges it");
}

}  // namespace
}  // namespace kgate
