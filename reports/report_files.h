// Writing several report formats of one run into a folder, for
// `kgate run --report html,junit --out DIR` and `kgate gate`.
//
// Each format goes to DIR/report.<ext>: console .txt (plain, no colour),
// json .json, markdown .md, html .html, junit .junit.xml, sarif .sarif.
// Files are written atomically; a failure leaves earlier files in place.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "reports/report_data.h"

namespace kgate {

// The formats of a comma-separated list such as "html,junit", checked
// against ReportFormats(). BadInput names the first unknown one and lists the
// known ones; an empty list is BadInput too. Duplicates are dropped.
Result<std::vector<std::string>> ParseReportFormats(const std::string& list);

// The file name a format is written to inside the output folder.
std::string ReportFileName(const std::string& format);

// Renders data in each format into dir (created when missing) and returns the
// paths written, in the order of formats. BadInput when a reporter refuses
// the data (e.g. an unjudged run); Infrastructure when dir or a file cannot be
// written.
Result<std::vector<std::string>> WriteReports(const ReportData& data,
                                              const std::vector<std::string>& formats,
                                              const std::string& dir);

}  // namespace kgate
