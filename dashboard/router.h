// Router: answers one dashboard request, independent of any socket.
//
// Routes (GET and HEAD only; any other method is 405):
//   /                         runs page        /runs/<id>          run page
//   /runs/<id>/report         report document  /proposals          proposals page
//   /proposals/<name>         history page     /trend, /compare    pages
//   /assets/<file>            embedded assets  /api/...            JSON (api.h)
// Status codes: 400 for a request the dashboard refuses to interpret (unsafe
// path, malformed id, bad parameter), 404 for an unknown route, run or
// proposal, 405 for a method other than GET/HEAD, 500 when the store cannot
// be read. Errors are JSON under /api/ ({"kgate":1,"error":...}) and plain
// text elsewhere. Every reply carries nosniff, no-referrer and no-store
// headers, and pages a Content-Security-Policy (pages.h).
//
// Read-only: each request that needs data opens its own Store with
// Store::Mode::kReadOnlyNoTrace and closes it before replying, so the
// dashboard never writes to the database or leaves side files, sees runs a
// concurrent `kgate run` adds, and needs no lock: Handle is const and safe
// to call from many threads at once (measured cost of the open: see
// docs/dashboard.md).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/load_options.h"

namespace kgate::dashboard {

struct HttpRequest {
  std::string method = "GET";
  std::string path;    // percent-decoded path
  std::string target;  // the raw request target, as received
  std::multimap<std::string, std::string> params;  // decoded query parameters
};

struct HttpReply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct DashboardOptions {
  std::string db_path;
  LoadOptions load_options;  // policies and scenarios for /api/compare
};

class Router {
 public:
  explicit Router(DashboardOptions options) : options_(std::move(options)) {}
  HttpReply Handle(const HttpRequest& request) const;

 private:
  DashboardOptions options_;
};

}  // namespace kgate::dashboard
