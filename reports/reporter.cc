#include "reports/reporter.h"

namespace kgate {

Reporter::~Reporter() = default;

std::unique_ptr<Reporter> MakeReporter(const std::string& format) {
  if (format == "console") return MakeConsoleReporter(ConsoleReportOptions{});
  if (format == "json") return MakeJsonReporter();
  if (format == "markdown") return MakeMarkdownReporter();
  if (format == "html") return MakeHtmlReporter();
  return nullptr;
}

std::vector<std::string> ReportFormats() { return {"console", "json", "markdown", "html"}; }

}  // namespace kgate
