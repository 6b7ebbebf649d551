#include "dashboard/pages.h"

#include <sstream>

#include <fmt/format.h>

#include "reports/reporter.h"

namespace kgate::dashboard {

const char kShellPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";
// The report is one self-contained document with inline style and SVG and
// no script (reports/html_reporter.cc); the sandbox gives it an opaque origin
// with no script, no network, no dialogs, no forms and no navigation.
const char kReportPolicy[] =
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'";

namespace {

const char* PageName(Page page) {
  switch (page) {
    case Page::kRuns: return "runs";
    case Page::kRun: return "run";
    case Page::kProposals: return "proposals";
    case Page::kProposal: return "proposal";
    case Page::kTrend: return "trend";
    case Page::kCompare: return "compare";
  }
  return "runs";
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string PageShell(Page page, const std::string& title) {
  return fmt::format(R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{0} · kgate</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/app.js" defer></script>
</head>
<body data-page="{1}">
<header class="top">
<a class="brand" href="/">kgate</a>
<nav>
<a href="/" data-nav="runs">Runs</a>
<a href="/proposals" data-nav="proposals">Proposals</a>
<a href="/trend" data-nav="trend">Trend</a>
<a href="/compare" data-nav="compare">Compare</a>
</nav>
</header>
<main id="app"><p class="muted">Loading…</p></main>
<noscript><p>The kgate dashboard needs JavaScript; the same data is under <a href="/api/runs">/api/runs</a>.</p></noscript>
</body>
</html>
)",
                     EscapeHtml(title), PageName(page));
}

Result<std::string> ReportDocument(const ReportData& data) {
  auto html = MakeReporter("html");
  if (!html) return Status::Internal("this kgate has no HTML reporter");
  std::ostringstream out;
  KG_RETURN_IF_ERROR(html->Render(data, out));
  return out.str();
}

}  // namespace kgate::dashboard
