// The console format as a Reporter: PrintJudgement over the stored rows.
#include <fmt/format.h>

#include "reports/console_report.h"
#include "reports/reporter.h"

namespace kgate {
namespace {

class ConsoleReporter : public Reporter {
 public:
  explicit ConsoleReporter(const ConsoleReportOptions& options) : options_(options) {}

  std::string Name() const override { return "console"; }

  Status Render(const ReportData& data, std::ostream& out) const override {
    if (!data.verdict) {
      return NotJudged(data.run.id);
    }
    PrintJudgement(data.comparisons, *data.verdict, data.claims, data.checks, options_, out);
    return Status::Ok();
  }

 private:
  ConsoleReportOptions options_;
};

}  // namespace

std::unique_ptr<Reporter> MakeConsoleReporter(const ConsoleReportOptions& options) {
  return std::make_unique<ConsoleReporter>(options);
}

}  // namespace kgate
