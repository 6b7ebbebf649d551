#include "dashboard/router.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "dashboard/api.h"
#include "dashboard/pages.h"
#include "dashboard/validation.h"
#include "reports/report_data.h"
#include "store/store.h"

namespace kgate::dashboard {
namespace {

constexpr const char kJsonType[] = "application/json; charset=utf-8";
constexpr const char kHtmlType[] = "text/html; charset=utf-8";
constexpr const char kTextType[] = "text/plain; charset=utf-8";

// The request path split on '/', without the leading empty segment.
std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!parts.empty() && parts.back().empty()) parts.pop_back();  // trailing '/'
  return parts;
}

int HttpStatus(const Status& status) {
  switch (status.code()) {
    case Status::Code::kBadInput: return 400;
    case Status::Code::kNotFound: return 404;
    default: return 500;
  }
}

HttpReply Error(bool api, int code, const std::string& message) {
  if (api) return {code, kJsonType, Json{{"kgate", 1}, {"error", message}}.dump() + "\n", {}};
  return {code, kTextType, fmt::format("{} {}\n", code, message), {}};
}

HttpReply Error(bool api, const Status& status) {
  return Error(api, HttpStatus(status), status.message());
}

HttpReply JsonReply(const Result<Json>& json) {
  if (!json.ok()) return Error(true, json.status());
  return {200, kJsonType, json->dump() + "\n", {}};
}

HttpReply Shell(Page page, const std::string& title) {
  return {200, kHtmlType, PageShell(page, title), {{"Content-Security-Policy", kShellPolicy}}};
}

// The query parameter's value, "" when absent; BadInput when it fails check.
Result<std::string> Param(const HttpRequest& r, const std::string& name,
                          bool (*check)(const std::string&), const char* expected) {
  auto it = r.params.find(name);
  if (it == r.params.end() || it->second.empty()) return std::string();
  if (!check(it->second)) {
    return Status::BadInput(fmt::format("parameter {}: expected {}", name, expected));
  }
  return it->second;
}

Result<std::int64_t> RunIdParam(const HttpRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  std::optional<std::int64_t> id;
  if (it != r.params.end()) id = ParseRunId(it->second);
  if (!id) return Status::BadInput(fmt::format("parameter {}: expected a run id (digits)", name));
  return *id;
}

class Handler {
 public:
  Handler(const DashboardOptions& options, const HttpRequest& request)
      : options_(options), request_(request) {}

  HttpReply Route(const std::vector<std::string>& s) {
    if (s.empty()) return Shell(Page::kRuns, "runs");
    if (s[0] == "api") return Api(s);
    if (s[0] == "assets" && s.size() == 2) {
      auto asset = FindAsset(request_.path);
      if (!asset) return Error(false, 404, "no such asset");
      return {200, std::string(asset->content_type), std::string(asset->bytes), {}};
    }
    if (s[0] == "runs" && (s.size() == 2 || (s.size() == 3 && s[2] == "report"))) {
      return s.size() == 2 ? RunPage(s[1]) : Report(s[1]);
    }
    if (s[0] == "proposals" && s.size() == 1) return Shell(Page::kProposals, "proposals");
    if (s[0] == "proposals" && s.size() == 2) return ProposalPage(s[1]);
    if (s[0] == "trend" && s.size() == 1) return Shell(Page::kTrend, "trend");
    if (s[0] == "compare" && s.size() == 1) return Shell(Page::kCompare, "compare");
    return Error(false, 404, "no such page");
  }

 private:
  // Opens the store for this request; the error reply when it cannot.
  Result<std::unique_ptr<Store>> OpenStore() {
    auto store = Store::Open(options_.db_path, Store::Mode::kReadOnlyNoTrace);
    if (!store.ok()) return Status::Internal(store.status().message());
    return store;
  }

  template <typename F>
  HttpReply WithStore(bool api, F f) {
    auto store = OpenStore();
    if (!store.ok()) return Error(api, store.status());
    return f(**store);
  }

  HttpReply RunPage(const std::string& id_text) {
    auto id = ParseRunId(id_text);
    if (!id) return Error(false, 400, "a run id is digits");
    return WithStore(false, [&](Store& store) {
      auto run = store.LoadRun(*id);
      if (!run.ok()) return Error(false, run.status());
      return Shell(Page::kRun, fmt::format("run {}", *id));
    });
  }

  HttpReply Report(const std::string& id_text) {
    auto id = ParseRunId(id_text);
    if (!id) return Error(false, 400, "a run id is digits");
    return WithStore(false, [&](Store& store) {
      auto data = LoadReportData(store, *id, options_.load_options);
      if (!data.ok()) return Error(false, data.status());
      if (!data->verdict) {
        return Error(false, 404, fmt::format("run {} has not been judged: no report yet", *id));
      }
      auto html = ReportDocument(*data);
      if (!html.ok()) return Error(false, html.status());
      return HttpReply{200, kHtmlType, *html, {{"Content-Security-Policy", kReportPolicy}}};
    });
  }

  HttpReply ProposalPage(const std::string& name) {
    if (!IsName(name)) return Error(false, 400, "not a proposal name");
    return WithStore(false, [&](Store& store) {
      auto history = ProposalHistoryJson(store, name);
      if (!history.ok()) return Error(false, history.status());
      return Shell(Page::kProposal, "proposal history");
    });
  }

  HttpReply Api(const std::vector<std::string>& s) {
    if (s.size() == 2 && s[1] == "runs") return ApiRuns();
    if (s.size() == 3 && s[1] == "runs") {
      auto id = ParseRunId(s[2]);
      if (!id) return Error(true, 400, "a run id is digits");
      return WithStore(true, [&](Store& store) {
        auto text = RunJson(store, *id);
        if (!text.ok()) return Error(true, text.status());
        return HttpReply{200, kJsonType, *text, {}};
      });
    }
    if (s.size() == 2 && s[1] == "proposals") {
      return WithStore(true, [](Store& store) { return JsonReply(ProposalsJson(store)); });
    }
    if (s.size() == 4 && s[1] == "proposals" && s[3] == "history") {
      if (!IsName(s[2])) return Error(true, 400, "not a proposal name");
      return WithStore(true,
                       [&](Store& store) { return JsonReply(ProposalHistoryJson(store, s[2])); });
    }
    if (s.size() == 2 && s[1] == "scenarios") {
      return WithStore(true, [](Store& store) { return JsonReply(ScenariosJson(store)); });
    }
    if (s.size() == 2 && s[1] == "trend") return ApiTrend();
    if (s.size() == 2 && s[1] == "compare") return ApiCompare();
    return Error(true, 404, "no such endpoint");
  }

  HttpReply ApiRuns() {
    RunFilter f;
    for (auto [field, name, check, expected] :
         {std::tuple{&f.proposal, "proposal", &IsName, "a proposal name"},
          std::tuple{&f.verdict, "verdict", &IsVerdictFilter, "PASS, FAIL, INCONCLUSIVE or none"},
          std::tuple{&f.since, "since", &IsDateFilter, "a date, 2026-11-27"},
          std::tuple{&f.until, "until", &IsDateFilter, "a date, 2026-11-27"}}) {
      auto value = Param(request_, name, check, expected);
      if (!value.ok()) return Error(true, value.status());
      *field = *value;
    }
    return WithStore(true, [&](Store& store) { return JsonReply(RunsJson(store, f)); });
  }

  HttpReply ApiTrend() {
    TrendQuery q;
    for (auto [field, name] : {std::pair{&q.scenario, "scenario"}, std::pair{&q.metric, "metric"},
                               std::pair{&q.proposal, "proposal"}, std::pair{&q.arm, "arm"},
                               std::pair{&q.reference, "reference"}}) {
      auto value = Param(request_, name, &IsName, "a name");
      if (!value.ok()) return Error(true, value.status());
      if (!value->empty()) *field = *value;
    }
    return WithStore(true, [&](Store& store) { return JsonReply(TrendJson(store, q)); });
  }

  HttpReply ApiCompare() {
    CompareQuery q;
    auto a = RunIdParam(request_, "a");
    if (!a.ok()) return Error(true, a.status());
    auto b = RunIdParam(request_, "b");
    if (!b.ok()) return Error(true, b.status());
    q.a = *a;
    q.b = *b;
    for (auto [field, name] : {std::pair{&q.arm, "arm"}, std::pair{&q.policy, "policy"}}) {
      auto value = Param(request_, name, &IsName, "a name");
      if (!value.ok()) return Error(true, value.status());
      if (!value->empty()) *field = *value;
    }
    if (q.policy.find('.') != std::string::npos) {
      // A name under policies/, never a path: the dashboard reads no file a URL names.
      return Error(true, 400, "parameter policy: expected a policy name under policies/");
    }
    return WithStore(true, [&](Store& store) {
      return JsonReply(CompareJson(store, q, options_.load_options));
    });
  }

  const DashboardOptions& options_;
  const HttpRequest& request_;
};

}  // namespace

HttpReply Router::Handle(const HttpRequest& request) const {
  bool api = request.path.rfind("/api/", 0) == 0;
  HttpReply reply;
  if (request.method != "GET" && request.method != "HEAD") {
    reply = Error(api, 405, "the dashboard only reads: GET or HEAD");
    reply.headers.emplace_back("Allow", "GET, HEAD");
  } else if (!IsSafePath(request.path, request.target)) {
    reply = Error(api, 400, "refused path");
  } else {
    reply = Handler(options_, request).Route(Segments(request.path));
  }
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  reply.headers.emplace_back("Referrer-Policy", "no-referrer");
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

}  // namespace kgate::dashboard
