// The run, proposal, scenario and trend documents of the JSON API (api.h).
// Runs are few (one per `kgate run`), so each document reads the runs and
// filters in memory: no parameter ever reaches SQL.
#include "dashboard/api.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/report_data.h"
#include "store/records_json.h"

namespace kgate::dashboard {
namespace {

// What the documents need of one run besides its RunRecord.
struct RunInfo {
  RunRecord run;
  std::string title;
  std::optional<VerdictRecord> verdict;
  std::vector<ArmRecord> arms;
};

Result<std::optional<VerdictRecord>> LoadOptionalVerdict(Store& store, std::int64_t run_id) {
  auto verdict = store.LoadVerdict(run_id);
  if (verdict.ok()) return std::optional<VerdictRecord>(std::move(*verdict));
  if (verdict.status().code() == Status::Code::kNotFound) return std::optional<VerdictRecord>();
  return verdict.status();
}

Result<RunInfo> LoadInfo(Store& store, RunRecord run) {
  RunInfo info;
  auto verdict = LoadOptionalVerdict(store, run.id);
  if (!verdict.ok()) return verdict.status();
  auto arms = store.LoadArms(run.id);
  if (!arms.ok()) return arms.status();
  info.title = ProposalTitle(run.proposal_yaml);
  info.verdict = std::move(*verdict);
  info.arms = std::move(*arms);
  info.run = std::move(run);
  return info;
}

Json Scores(const std::optional<VerdictRecord>& verdict) {
  Json scores = Json::object();
  Json stored = verdict ? Json::parse(verdict->scores_json, nullptr, false) : Json();
  for (const std::string& name : ScoreNames()) {
    const Json* s = nullptr;
    if (stored.is_object() && stored.contains(name) && stored[name].is_object() &&
        stored[name].contains("score") && stored[name]["score"].is_number()) {
      s = &stored[name]["score"];
    }
    scores[name] = s ? *s : Json(nullptr);
  }
  return scores;
}

const ArmRecord* FindArm(const RunInfo& info, const std::string& name) {
  for (const ArmRecord& a : info.arms) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

Json Summary(const RunInfo& info) {
  const RunRecord& r = info.run;
  Json kernels = Json::object();
  for (const ArmRecord& a : info.arms) kernels[a.name] = a.kernel_version;
  return {{"id", r.id},
          {"proposal", r.proposal},
          {"title", info.title},
          {"started_at", r.started_at},
          {"finished_at", r.finished_at},
          {"status", r.status},
          {"tier", r.tier},
          {"shard", r.shard},
          {"git_sha", r.git_sha},
          {"verdict", info.verdict ? Json(info.verdict->verdict) : Json(nullptr)},
          {"policy", info.verdict ? Json(info.verdict->policy) : Json(nullptr)},
          {"scores", Scores(info.verdict)},
          {"kernels", kernels}};
}

bool Matches(const RunInfo& info, const RunFilter& f) {
  const RunRecord& r = info.run;
  if (!f.proposal.empty() && r.proposal != f.proposal) return false;
  if (!f.verdict.empty()) {
    std::string verdict = info.verdict ? VerdictName(info.verdict->verdict) : "none";
    if (verdict != f.verdict) return false;
  }
  if (!f.since.empty() && r.started_at < f.since) return false;
  // until is inclusive of its whole day: compare as many characters as given.
  if (!f.until.empty() && r.started_at.substr(0, f.until.size()) > f.until) return false;
  return true;
}

Result<std::vector<RunInfo>> LoadAll(Store& store) {
  KG_ASSIGN_OR_RETURN(auto runs, store.ListRuns());
  std::vector<RunInfo> infos;
  for (RunRecord& r : runs) {
    KG_ASSIGN_OR_RETURN(auto info, LoadInfo(store, std::move(r)));
    infos.push_back(std::move(info));
  }
  return infos;
}

bool Disjoint(const ComparisonRecord& a, const ComparisonRecord& b) {
  return a.ci_high < b.ci_low || b.ci_high < a.ci_low;
}

}  // namespace

const std::vector<std::string>& ScoreNames() {
  static const std::vector<std::string> names = {"benefit", "overhead", "generality", "safety",
                                                 "maintainability"};
  return names;
}

Result<Json> RunsJson(Store& store, const RunFilter& filter) {
  KG_ASSIGN_OR_RETURN(auto infos, LoadAll(store));
  Json runs = Json::array();
  for (auto it = infos.rbegin(); it != infos.rend(); ++it) {
    if (Matches(*it, filter)) runs.push_back(Summary(*it));
  }
  return Json{{"kgate", 1}, {"runs", runs}};
}

Result<Json> ProposalsJson(Store& store) {
  KG_ASSIGN_OR_RETURN(auto infos, LoadAll(store));
  std::map<std::string, Json> by_name;
  for (const RunInfo& info : infos) {  // oldest first: the last one wins
    Json& p = by_name[info.run.proposal];
    int count = p.is_null() ? 0 : p["runs"].get<int>();
    p = {{"name", info.run.proposal},
         {"title", info.title},
         {"runs", count + 1},
         {"last_run", info.run.id},
         {"last_started_at", info.run.started_at},
         {"last_verdict", info.verdict ? Json(info.verdict->verdict) : Json(nullptr)}};
  }
  Json proposals = Json::array();
  for (auto& [name, p] : by_name) proposals.push_back(std::move(p));
  return Json{{"kgate", 1}, {"proposals", proposals}};
}

Result<Json> ProposalHistoryJson(Store& store, const std::string& proposal) {
  KG_ASSIGN_OR_RETURN(auto infos, LoadAll(store));
  Json runs = Json::array();
  std::string title;
  for (const RunInfo& info : infos) {
    if (info.run.proposal != proposal) continue;
    const ArmRecord* candidate = FindArm(info, "candidate");
    title = info.title;
    runs.push_back({{"run", info.run.id},
                    {"started_at", info.run.started_at},
                    {"status", info.run.status},
                    {"tier", info.run.tier},
                    {"verdict", info.verdict ? Json(info.verdict->verdict) : Json(nullptr)},
                    {"policy", info.verdict ? Json(info.verdict->policy) : Json(nullptr)},
                    {"scores", Scores(info.verdict)},
                    {"git_sha", info.run.git_sha},
                    {"candidate_kernel", candidate ? candidate->kernel_version : ""}});
  }
  if (runs.empty()) return Status::NotFound(fmt::format("no run of proposal '{}'", proposal));
  return Json{{"kgate", 1}, {"proposal", proposal}, {"title", title}, {"runs", runs}};
}

Result<Json> ScenariosJson(Store& store) {
  auto runs = store.ListRuns();
  if (!runs.ok()) return runs.status();
  struct Series {
    std::string unit;
    std::set<std::int64_t> runs;
  };
  std::map<std::pair<std::string, std::string>, Series> series;
  for (const RunRecord& r : *runs) {
    KG_ASSIGN_OR_RETURN(auto comparisons, store.LoadComparisons(r.id));
    for (const ComparisonRecord& c : comparisons) {
      Series& s = series[{c.scenario, c.metric}];
      s.unit = c.unit;
      s.runs.insert(r.id);
    }
  }
  Json out = Json::array();
  for (const auto& [key, s] : series) {
    out.push_back({{"scenario", key.first},
                   {"metric", key.second},
                   {"unit", s.unit},
                   {"runs", s.runs.size()}});
  }
  return Json{{"kgate", 1}, {"series", out}};
}

Result<Json> TrendJson(Store& store, const TrendQuery& q) {
  if (q.scenario.empty() || q.metric.empty()) {
    return Status::BadInput("trend needs scenario and metric (GET /api/scenarios lists them)");
  }
  KG_ASSIGN_OR_RETURN(auto infos, LoadAll(store));
  Json points = Json::array();
  std::map<std::string, ComparisonRecord> previous;  // by shape
  for (const RunInfo& info : infos) {
    if (!q.proposal.empty() && info.run.proposal != q.proposal) continue;
    KG_ASSIGN_OR_RETURN(auto comparisons, store.LoadComparisons(info.run.id));
    const ArmRecord* arm = FindArm(info, q.arm);
    for (const ComparisonRecord& c : comparisons) {
      if (c.scenario != q.scenario || c.metric != q.metric || c.arm != q.arm ||
          c.reference != q.reference) {
        continue;
      }
      auto prev = previous.find(c.shape);
      bool moved = prev != previous.end() && Disjoint(prev->second, c);
      points.push_back({{"run", info.run.id},
                        {"proposal", info.run.proposal},
                        {"started_at", info.run.started_at},
                        {"shape", c.shape},
                        {"effect", JsonNumber(c.effect)},
                        {"ci_low", JsonNumber(c.ci_low)},
                        {"ci_high", JsonNumber(c.ci_high)},
                        {"ci_level", JsonNumber(c.ci_level)},
                        {"classification", ClassificationName(c.classification)},
                        {"decides", c.decides},
                        {"median_arm", JsonNumber(c.median_arm)},
                        {"median_reference", JsonNumber(c.median_reference)},
                        {"unit", c.unit},
                        {"kernel_version", arm ? arm->kernel_version : ""},
                        {"kernel_ref", arm ? arm->kernel_ref : ""},
                        {"git_sha", info.run.git_sha},
                        {"moved", moved}});
      previous[c.shape] = c;
    }
  }
  return Json{{"kgate", 1},         {"scenario", q.scenario},   {"metric", q.metric},
              {"arm", q.arm},       {"reference", q.reference}, {"proposal", q.proposal},
              {"points", points}};
}

}  // namespace kgate::dashboard
