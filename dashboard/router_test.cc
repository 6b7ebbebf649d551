// The Router on a real fixture file: status codes for every kind of bad
// request, escaping of stored HTML, headers, the embedded assets, and that a
// whole session of requests leaves the database file and its directory as
// they were.
#include "dashboard/router.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dashboard/api.h"
#include "dashboard/pages.h"
#include "dashboard/testing/fixture_runs.h"
#include "dashboard/validation.h"

namespace kgate::dashboard {
namespace {

namespace fs = std::filesystem;

class FixtureFile {
 public:
  FixtureFile() {
    static int counter = 0;
    dir_ = fs::temp_directory_path() /
           ("kgate-dashboard-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = Store::Open(path());
    REQUIRE(store.ok());
    REQUIRE(testing::WriteFixtureRuns(**store).ok());
  }
  ~FixtureFile() { fs::remove_all(dir_); }
  std::string path() const { return (dir_ / "kgate.db").string(); }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

HttpReply Get(const Router& router, const std::string& path, const std::string& target = "",
              std::multimap<std::string, std::string> params = {}) {
  return router.Handle({"GET", path, target.empty() ? path : target, std::move(params)});
}

std::string Header(const HttpReply& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("Router answers pages, API and assets with their types and headers", "[dashboard]") {
  FixtureFile db;
  Router router({db.path(), LoadOptions::Default()});
  HttpReply runs = Get(router, "/");
  CHECK(runs.status == 200);
  CHECK(runs.content_type.rfind("text/html", 0) == 0);
  CHECK(runs.body.find("data-page=\"runs\"") != std::string::npos);
  CHECK(Header(runs, "Content-Security-Policy").find("script-src 'self'") != std::string::npos);
  CHECK(Header(runs, "X-Content-Type-Options") == "nosniff");

  CHECK(Get(router, "/runs/3").status == 200);
  CHECK(Get(router, "/proposals/xss-probe").status == 200);
  CHECK(Get(router, "/trend").status == 200);
  CHECK(Get(router, "/compare").status == 200);
  HttpReply api = Get(router, "/api/runs", "/api/runs?verdict=PASS", {{"verdict", "PASS"}});
  CHECK(api.status == 200);
  CHECK(Json::parse(api.body)["runs"].size() == 2);

  HttpReply js = Get(router, "/assets/app.js");
  CHECK(js.status == 200);
  CHECK(js.content_type.rfind("text/javascript", 0) == 0);
  // The escaping contract of app.js: stored text never goes through innerHTML.
  CHECK(js.body.find("textContent") != std::string::npos);
  CHECK(js.body.find("innerHTML =") == std::string::npos);
  CHECK(js.body.find("insertAdjacentHTML") == std::string::npos);
  CHECK(Get(router, "/assets/style.css").status == 200);
  CHECK(Get(router, "/assets/nope.js").status == 404);
}

TEST_CASE("Router refuses traversal, malformed ids and unknown ids", "[dashboard]") {
  FixtureFile db;
  Router router({db.path(), LoadOptions::Default()});
  CHECK(Get(router, "/../etc/passwd").status == 400);
  CHECK(Get(router, "/../etc/passwd", "/%2e%2e/etc/passwd").status == 400);
  CHECK(Get(router, "/assets/../../etc/passwd", "/assets/..%2f..%2fetc/passwd").status == 400);
  CHECK(Get(router, "/assets/x", "/assets%2fx").status == 400);
  CHECK(Get(router, "/assets//etc/passwd").status == 400);
  CHECK(Get(router, "/runs/1' OR 1=1", "/runs/1%27%20OR%201=1").status == 400);
  CHECK(Get(router, "/runs/1;DROP TABLE runs").status == 400);
  CHECK(Get(router, "/runs/-1").status == 400);
  CHECK(Get(router, "/runs/1234567890123456789").status == 400);  // 19 digits
  CHECK(Get(router, "/runs/999999").status == 404);
  CHECK(Get(router, "/runs/999999/report").status == 404);
  CHECK(Get(router, "/proposals/nope").status == 404);
  CHECK(Get(router, "/etc/passwd").status == 404);

  HttpReply abc = Get(router, "/api/runs/abc");
  CHECK(abc.status == 400);
  CHECK(Json::parse(abc.body)["error"] == "a run id is digits");
  CHECK(Get(router, "/api/runs/999999").status == 404);
  CHECK(Get(router, "/api/runs", "", {{"verdict", "1 OR 1=1"}}).status == 400);
  CHECK(Get(router, "/api/runs", "", {{"since", "yesterday"}}).status == 400);
  CHECK(Get(router, "/api/compare", "", {{"a", "1"}, {"b", "x"}}).status == 400);
  CHECK(Get(router, "/api/compare", "", {{"a", "1"}, {"b", "5"}, {"policy", "../../x.yaml"}})
            .status == 400);
  CHECK(Get(router, "/api/trend", "", {{"scenario", "hackbench-pipe"}}).status == 400);
  CHECK(Get(router, "/api/nothing").status == 404);
  CHECK(router.Handle({"POST", "/api/runs", "/api/runs", {}}).status == 405);
  CHECK(router.Handle({"DELETE", "/runs/1", "/runs/1", {}}).status == 405);
}

TEST_CASE("The run report shows stored HTML as text, sandboxed", "[dashboard]") {
  FixtureFile db;
  Router router({db.path(), LoadOptions::Default()});
  HttpReply report = Get(router, "/runs/2/report");
  REQUIRE(report.status == 200);
  CHECK(report.body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(report.body.find("<script>alert(1)") == std::string::npos);
  CHECK(report.body.find("<img src=x") == std::string::npos);
  CHECK(Header(report, "Content-Security-Policy").rfind("sandbox", 0) == 0);
  // The page around it carries no stored text at all.
  HttpReply page = Get(router, "/runs/2");
  CHECK(page.body.find("alert") == std::string::npos);
}

TEST_CASE("A session of requests leaves the database and its directory untouched",
          "[dashboard]") {
  FixtureFile db;
  REQUIRE_FALSE(fs::exists(db.path() + "-wal"));
  std::string before = Slurp(db.path());
  struct stat st_before {};
  REQUIRE(stat(db.path().c_str(), &st_before) == 0);
  Router router({db.path(), LoadOptions::Default()});
  for (const char* path : {"/", "/runs/1", "/runs/1/report", "/api/runs", "/api/runs/4",
                           "/api/proposals", "/api/scenarios", "/api/proposals/xss-probe/history"}) {
    CHECK(Get(router, path).status == 200);
  }
  CHECK(Get(router, "/api/trend", "", {{"scenario", "hackbench-pipe"}, {"metric", "time"}})
            .status == 200);
  CHECK(Get(router, "/api/compare", "", {{"a", "1"}, {"b", "5"}}).status == 200);
  struct stat st_after {};
  REQUIRE(stat(db.path().c_str(), &st_after) == 0);
  CHECK(Slurp(db.path()) == before);
  CHECK(st_after.st_mtim.tv_sec == st_before.st_mtim.tv_sec);
  CHECK(st_after.st_mtim.tv_nsec == st_before.st_mtim.tv_nsec);
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(db.dir())) files.push_back(e.path().filename());
  CHECK(files == std::vector<std::string>{"kgate.db"});
}

TEST_CASE("Router answers 500 when the store cannot be opened, creating nothing",
          "[dashboard]") {
  FixtureFile db;
  std::string absent = (db.dir() / "absent.db").string();
  Router router({absent, LoadOptions::Default()});
  HttpReply r = Get(router, "/api/runs");
  CHECK(r.status == 500);
  CHECK(Json::parse(r.body)["error"].get<std::string>().find("no such file") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(absent));
  CHECK(Get(router, "/").status == 200);  // shells need no store
}

TEST_CASE("Validation accepts only its closed patterns", "[dashboard]") {
  CHECK(ParseRunId("42") == 42);
  CHECK(ParseRunId("000000000000000007") == 7);
  for (const char* bad : {"", "abc", "-1", "1e3", " 1", "1 ", "0x10", "1234567890123456789",
                          "1' OR 1=1"}) {
    CHECK_FALSE(ParseRunId(bad));
  }
  CHECK(IsSafePath("/runs/1", "/runs/1?x=%2e"));  // a query may hold anything
  CHECK_FALSE(IsSafePath("/a/..", "/a/.."));
  CHECK_FALSE(IsSafePath("/a\\b", "/a%5cb"));
  CHECK_FALSE(IsSafePath("/a%2e", "/a%252e"));  // double encoding
  CHECK_FALSE(IsSafePath("/a\nb", "/a%0ab"));
  CHECK_FALSE(IsSafePath("relative", "relative"));
  CHECK(IsDateFilter("2026-11-27"));
  CHECK(IsDateFilter("2026-11-27T10:20:00Z"));
  CHECK_FALSE(IsDateFilter("2026-11-27'--"));
  CHECK_FALSE(IsDateFilter("27/11/2026"));
  CHECK(IsName("tuned:read_ahead_kb=512,nr_requests=64"));
  CHECK_FALSE(IsName("a/b"));
  CHECK_FALSE(IsName(std::string(201, 'a')));
  CHECK(IsVerdictFilter("none"));
  CHECK_FALSE(IsVerdictFilter("pass"));
}

TEST_CASE("EscapeHtml escapes every character that opens markup or ends an attribute",
          "[dashboard]") {
  CHECK(EscapeHtml(R"(<script>alert('x' & "y")</script>)") ==
        "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
  CHECK(PageShell(Page::kRun, "<b>").find("<title>&lt;b&gt; · kgate</title>") !=
        std::string::npos);
}

}  // namespace
}  // namespace kgate::dashboard
