// The reporter interface: one implementation per output format.
//
// A Reporter renders a ReportData to a stream and touches nothing else. It
// fails (without a partial guarantee on the stream) only when the data cannot
// be rendered in its format at all, e.g. a judgement report of a run that has
// no verdict. Reporters are stateless and safe to share across threads.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "base/status.h"
#include "reports/console_report.h"
#include "reports/report_data.h"

namespace kgate {

class Reporter {
 public:
  virtual ~Reporter();
  virtual std::string Name() const = 0;
  virtual Status Render(const ReportData& data, std::ostream& out) const = 0;
};

// The reporter for a format name from ReportFormats(); nullptr for any other.
std::unique_ptr<Reporter> MakeReporter(const std::string& format);

// The format names MakeReporter knows, in the order help text lists them.
std::vector<std::string> ReportFormats();

// The individual reporters (MakeReporter uses default console options).
std::unique_ptr<Reporter> MakeConsoleReporter(const ConsoleReportOptions& options);
std::unique_ptr<Reporter> MakeJsonReporter();
std::unique_ptr<Reporter> MakeMarkdownReporter();
std::unique_ptr<Reporter> MakeHtmlReporter();

}  // namespace kgate
