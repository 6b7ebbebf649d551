// The dashboard's HTML: page shells, the run report document and the
// embedded assets.
//
// Every page is a fixed shell (no data in it) that loads /assets/style.css
// and /assets/app.js; app.js reads the page's kind from <body data-page>,
// fetches /api and builds the DOM with textContent and setAttribute only, so
// stored text (a proposal titled "<script>...") can only ever render as
// text. The shells are served with a Content-Security-Policy that allows
// scripts from /assets only.
//
// The run report is the HTML reporter's document, unedited, served at
// /runs/<id>/report under a CSP sandbox (an opaque origin with no script,
// network or dialogs) and shown by the /runs/<id> page in a sandboxed
// iframe under a navigation bar.
//
// Thread-safe: everything here is a pure function or immutable data.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "reports/report_data.h"

namespace kgate::dashboard {

// The kinds of page app.js renders.
enum class Page { kRuns, kRun, kProposals, kProposal, kTrend, kCompare };

// The shell of a page; title is a fixed string chosen by the caller.
std::string PageShell(Page page, const std::string& title);

// The HTML reporter's document; its error when it cannot render the run
// (e.g. a run that has not been judged).
Result<std::string> ReportDocument(const ReportData& data);

// &, <, >, " and ' as entities: safe in element text and quoted attributes.
std::string EscapeHtml(std::string_view text);

// Content-Security-Policy of the shells and of the report document.
extern const char kShellPolicy[];
extern const char kReportPolicy[];

struct Asset {
  std::string_view content_type;
  std::string_view bytes;
};

// An embedded file by its URL path ("/assets/app.js"); nullopt for any
// other path. Assets live in the binary (generated from dashboard/assets/ at
// build time): the dashboard never reads a file to answer a request.
std::optional<Asset> FindAsset(const std::string& path);

}  // namespace kgate::dashboard
