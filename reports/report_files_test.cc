#include "reports/report_files.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "reports/testing/report_fixtures.h"

namespace kgate {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("report format lists are checked, trimmed and deduplicated", "[reports]") {
  auto formats = ParseReportFormats(" markdown,json ,markdown");
  REQUIRE(formats.ok());
  CHECK(*formats == std::vector<std::string>{"markdown", "json"});
  auto bad = ParseReportFormats("json,md");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Status::Code::kBadInput);
  CHECK(bad.status().message().find("unknown format 'md'") != std::string::npos);
  CHECK_FALSE(ParseReportFormats(" , ").ok());
}

TEST_CASE("reports are written one file per format, or refused whole", "[reports]") {
  fs::path dir = fs::temp_directory_path() / ("kgate-report-files-" + std::to_string(getpid()));
  fs::remove_all(dir);
  ReportData d = testing::SampleReportData();
  auto written = WriteReports(d, {"markdown", "console"}, (dir / "a" / "b").string());
  REQUIRE(written.ok());
  REQUIRE(written->size() == 2);
  CHECK((*written)[0] == (dir / "a" / "b" / "report.md").string());
  CHECK(Slurp((*written)[0]).rfind("## kgate: FAIL", 0) == 0);
  std::string console = Slurp((*written)[1]);
  CHECK(console.find("verdict: FAIL") != std::string::npos);
  CHECK(console.find('\x1b') == std::string::npos);  // files get no colour codes

  d.verdict.reset();
  auto refused = WriteReports(d, {"json", "markdown"}, (dir / "c").string());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message().find("has not been judged") != std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kgate
