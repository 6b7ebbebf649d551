#include "dashboard/pages.h"

#include <sstream>

#include <fmt/format.h>

#include "reports/reporter.h"

namespace kgate::dashboard {

const char kShellPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";
// Inline style and script are allowed because the report is one
// self-contained document; the sandbox keeps them in an opaque origin with
// no network, no dialogs, no forms and no top-level navigation.
const char kReportPolicy[] =
    "sandbox allow-scripts; default-src 'none'; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

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
  std::ostringstream out;
  if (auto html = MakeReporter("html")) {
    KG_RETURN_IF_ERROR(html->Render(data, out));
    return out.str();
  }
  std::ostringstream markdown;
  Status rendered = MakeMarkdownReporter()->Render(data, markdown);
  std::string body = rendered.ok() ? markdown.str() : "Not rendered: " + rendered.message();
  out << "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<title>kgate run " << data.run.id << "</title>"
      << "<style>body{font:13px/1.45 ui-monospace,monospace;margin:1rem;color:#1d232a}"
      << "pre{white-space:pre-wrap}</style></head><body>"
      << "<p><em>This kgate has no HTML reporter; the Markdown report follows.</em></p>"
      << "<pre>" << EscapeHtml(body) << "</pre></body></html>\n";
  return out.str();
}

}  // namespace kgate::dashboard
