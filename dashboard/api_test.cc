// The JSON API's documents over the synthetic fixture store
// (dashboard/testing/fixture_runs.h): filters, ordering, the trend's one
// point per run and its "moved" marks, comparisons of two runs, and errors.
#include "dashboard/api.h"

#include <catch2/catch.hpp>

#include "dashboard/testing/fixture_runs.h"

namespace kgate::dashboard {
namespace {

std::unique_ptr<Store> FixtureStore() {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  auto ids = testing::WriteFixtureRuns(**store);
  REQUIRE(ids.ok());
  REQUIRE(*ids == std::vector<std::int64_t>{1, 2, 3, 4, 5});
  return std::move(*store);
}

std::vector<std::int64_t> Ids(const Json& list, const char* key = "id") {
  std::vector<std::int64_t> ids;
  for (const Json& r : list) ids.push_back(r[key].get<std::int64_t>());
  return ids;
}

std::vector<std::int64_t> RunIds(Store& store, RunFilter filter) {
  auto json = RunsJson(store, filter);
  REQUIRE(json.ok());
  return Ids((*json)["runs"]);
}

TEST_CASE("/api/runs lists runs newest first and filters them", "[dashboard]") {
  auto store = FixtureStore();
  using V = std::vector<std::int64_t>;
  CHECK(RunIds(*store, {}) == V{5, 4, 3, 2, 1});
  CHECK(RunIds(*store, {.verdict = "FAIL"}) == V{4, 1});
  CHECK(RunIds(*store, {.verdict = "none"}).empty());
  CHECK(RunIds(*store, {.proposal = "xss-probe"}) == V{4, 2});
  CHECK(RunIds(*store, {.proposal = "xss"}).empty());  // exact names only
  CHECK(RunIds(*store, {.since = "2026-11-22"}) == V{5, 4, 3});
  CHECK(RunIds(*store, {.until = "2026-11-22"}) == V{3, 2, 1});  // inclusive of the day
  CHECK(RunIds(*store, {.proposal = "readahead-ml-agent", .since = "2026-11-21",
                        .until = "2026-11-24"}) == V{3});
}

TEST_CASE("/api/runs summarises each run: title, verdict, five scores, kernels", "[dashboard]") {
  auto store = FixtureStore();
  Json runs = (*RunsJson(*store, {}))["runs"];
  const Json& run5 = runs[0];
  CHECK(run5["verdict"] == "PASS");
  CHECK(run5["policy"] == "mainline");
  CHECK(run5["title"] == "ML readahead tuner vs stock readahead");
  CHECK(run5["scores"]["benefit"].get<double>() == Approx(20).margin(1));
  CHECK(run5["scores"]["generality"].get<double>() == 100);
  CHECK(run5["scores"]["maintainability"].is_null());
  CHECK(run5["kernels"]["candidate"] == "6.12.63+deb12-cloud-amd64");
  CHECK(run5["status"] == "done");
  CHECK(runs[3]["title"] == testing::kHostileTitle);  // stored text, as is: pages escape it
}

TEST_CASE("/api/proposals counts runs and names the last verdict", "[dashboard]") {
  auto store = FixtureStore();
  Json p = (*ProposalsJson(*store))["proposals"];
  REQUIRE(p.size() == 2);
  CHECK(p[0]["name"] == "readahead-ml-agent");
  CHECK(p[0]["runs"] == 3);
  CHECK(p[0]["last_run"] == 5);
  CHECK(p[0]["last_verdict"] == "PASS");
  CHECK(p[1]["name"] == "xss-probe");
  CHECK(p[1]["last_verdict"] == "FAIL");
}

TEST_CASE("/api/proposals/<name>/history: one entry per run, oldest first", "[dashboard]") {
  auto store = FixtureStore();
  auto h = ProposalHistoryJson(*store, "readahead-ml-agent");
  REQUIRE(h.ok());
  CHECK(Ids((*h)["runs"], "run") == std::vector<std::int64_t>{1, 3, 5});
  CHECK((*h)["runs"][1]["verdict"] == "INCONCLUSIVE");
  CHECK((*h)["runs"][2]["candidate_kernel"] == "6.12.63+deb12-cloud-amd64");
  CHECK(ProposalHistoryJson(*store, "nope").status().code() == Status::Code::kNotFound);
}

TEST_CASE("/api/trend: one point per run, marking where the metric moved", "[dashboard]") {
  auto store = FixtureStore();
  auto t = TrendJson(*store, {.scenario = "hackbench-pipe", .metric = "time"});
  REQUIRE(t.ok());
  const Json& pts = (*t)["points"];
  CHECK(Ids(pts, "run") == std::vector<std::int64_t>{1, 2, 3, 4, 5});
  std::vector<bool> moved;
  for (const Json& p : pts) moved.push_back(p["moved"].get<bool>());
  // CIs are effect +- 0.015: 1.08 | 0.99 | 1.01 | 1.12 | 0.90.
  CHECK(moved == std::vector<bool>{false, true, false, true, true});
  CHECK(pts[4]["effect"].get<double>() == Approx(0.90));
  CHECK(pts[4]["classification"] == "improved");
  CHECK(pts[4]["kernel_version"] == "6.12.63+deb12-cloud-amd64");
  CHECK(pts[4]["git_sha"] == "55555555c0ffee5");

  auto one = TrendJson(*store, {.scenario = "hackbench-pipe", .metric = "time",
                                .proposal = "xss-probe"});
  CHECK(Ids((*one)["points"], "run") == std::vector<std::int64_t>{2, 4});
  CHECK((*one)["points"][1]["moved"] == true);  // against run 2, the proposal's previous
  auto other = TrendJson(*store, {.scenario = "hackbench-pipe", .metric = "time",
                                  .arm = "baseline"});
  CHECK((*other)["points"].empty());
  CHECK(TrendJson(*store, {.scenario = "hackbench-pipe"}).status().code() ==
        Status::Code::kBadInput);
}

TEST_CASE("/api/scenarios lists the scenario x metric pairs with their run counts",
          "[dashboard]") {
  auto store = FixtureStore();
  Json s = (*ScenariosJson(*store))["series"];
  REQUIRE(s.size() == 1);
  CHECK(s[0]["scenario"] == "hackbench-pipe");
  CHECK(s[0]["metric"] == "time");
  CHECK(s[0]["runs"] == 5);
}

TEST_CASE("/api/compare compares the candidates of two runs from their samples",
          "[dashboard]") {
  auto store = FixtureStore();
  auto c = CompareJson(*store, {.a = 1, .b = 5}, LoadOptions::Default());
  REQUIRE(c.ok());
  CHECK((*c)["reference"]["run"] == 1);
  CHECK((*c)["arm"]["kernel"] == "6.12.63+deb12-cloud-amd64");
  const Json& rows = (*c)["comparisons"];
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["metric"] == "time");
  CHECK(rows[0]["effect"].get<double>() == Approx(0.90 / 1.08).epsilon(0.01));
  CHECK(rows[0]["classification"] == "improved");

  CHECK(CompareJson(*store, {.a = 1, .b = 99}, LoadOptions::Default()).status().code() ==
        Status::Code::kNotFound);
  CHECK(CompareJson(*store, {.a = 1, .b = 5, .arm = "tuned"}, LoadOptions::Default())
            .status().code() == Status::Code::kBadInput);
  CHECK(CompareJson(*store, {.a = 1, .b = 5, .policy = "nope"}, LoadOptions::Default())
            .status().code() == Status::Code::kBadInput);
}

TEST_CASE("/api/runs/<id> is the JSON reporter's document", "[dashboard]") {
  auto store = FixtureStore();
  auto text = RunJson(*store, 2);
  REQUIRE(text.ok());
  Json doc = Json::parse(*text);
  CHECK(doc["run"]["title"] == testing::kHostileTitle);
  CHECK(doc["verdict"]["verdict"] == "PASS");
  CHECK(RunJson(*store, 99).status().code() == Status::Code::kNotFound);
}

}  // namespace
}  // namespace kgate::dashboard
