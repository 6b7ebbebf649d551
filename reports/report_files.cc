#include "reports/report_files.h"

#include <algorithm>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "reports/reporter.h"

namespace kgate {

Result<std::vector<std::string>> ParseReportFormats(const std::string& list) {
  std::vector<std::string> known = ReportFormats();
  std::vector<std::string> formats;
  for (std::string name : Split(list, ',')) {
    name = Trim(name);
    if (name.empty()) continue;
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return Status::BadInput(fmt::format("--report: unknown format '{}'; formats: {}", name,
                                          Join(known, ", ")));
    }
    if (std::find(formats.begin(), formats.end(), name) == formats.end()) formats.push_back(name);
  }
  if (formats.empty()) {
    return Status::BadInput(fmt::format("--report: no format given; formats: {}", Join(known, ", ")));
  }
  return formats;
}

std::string ReportFileName(const std::string& format) {
  static const std::map<std::string, std::string> kNames = {
      {"console", "report.txt"}, {"json", "report.json"},     {"markdown", "report.md"},
      {"html", "report.html"},   {"junit", "report.junit.xml"}, {"sarif", "report.sarif"}};
  auto it = kNames.find(format);
  return it != kNames.end() ? it->second : "report." + format;
}

Result<std::vector<std::string>> WriteReports(const ReportData& data,
                                              const std::vector<std::string>& formats,
                                              const std::string& dir) {
  Status made = MakeDirs(dir);
  if (!made.ok()) return made;
  std::vector<std::string> written;
  for (const std::string& format : formats) {
    // MakeReporter's console reporter is the plain one: files get no colour.
    std::unique_ptr<Reporter> reporter = MakeReporter(format);
    if (!reporter) return Status::BadInput(fmt::format("unknown report format '{}'", format));
    std::ostringstream text;
    Status rendered = reporter->Render(data, text);
    if (!rendered.ok()) return rendered.Prefixed(format);
    std::string path = dir + "/" + ReportFileName(format);
    Status saved = WriteFileAtomic(path, text.str());
    if (!saved.ok()) return saved.Prefixed(path);
    written.push_back(path);
  }
  return written;
}

}  // namespace kgate
