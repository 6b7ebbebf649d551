// The dashboard's JSON API: one plain function per endpoint, reading a Store
// and returning the JSON document the endpoint serves. The HTTP layer
// (dashboard/router.h) only validates parameters and maps Status codes to
// HTTP statuses, so every document is tested here without a socket.
//
// Documents (all objects carry "kgate": 1; numbers that are not finite are
// the strings "inf", "-inf", "nan", as in the JSON reporter):
//   GET /api/runs        {"runs": [RunSummary...]}, newest first, filtered
//   GET /api/runs/<id>   the JSON reporter's document for the run
//   GET /api/proposals   {"proposals": [{"name", "title", "runs", "last_run",
//                         "last_started_at", "last_verdict"}]}, by name
//   GET /api/proposals/<name>/history
//                        {"proposal", "runs": [HistoryPoint...]}, oldest first
//   GET /api/scenarios   {"series": [{"scenario", "metric", "unit", "runs"}]}
//   GET /api/trend       {"scenario", "metric", "arm", "reference",
//                         "points": [TrendPoint...]}, oldest first
//   GET /api/compare     {"reference": side, "arm": side, "policy",
//                         "comparisons": [...]} (as `kgate compare --json`)
// RunSummary: id, proposal, title, started_at, finished_at, status, tier,
// shard, git_sha, verdict (null when not judged), policy, scores (the five
// scores, each a number or null), kernels ({arm: uname -r}).
// HistoryPoint: run, started_at, status, tier, verdict, policy, scores,
// git_sha, candidate_kernel. TrendPoint: run, proposal, started_at, shape,
// effect, ci_low, ci_high, ci_level, classification, decides, median_arm,
// median_reference, unit, kernel_version and kernel_ref of the arm, git_sha
// of the kgate that measured it, and moved: true when its CI is disjoint from
// the previous point's (same shape): the run where the metric moved.
//
// Errors: NotFound for an unknown run or proposal (HTTP 404), BadInput for
// parameters that cannot be answered (HTTP 400), the store's own otherwise.
// Every function only reads the store. Thread-compatible, like Store.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "config/load_options.h"
#include "store/store.h"

namespace kgate::dashboard {

using Json = nlohmann::ordered_json;

// The five score names of a verdict, in the order pages show them.
const std::vector<std::string>& ScoreNames();

struct RunFilter {
  std::string proposal{};  // exact name; empty: any
  std::string verdict{};   // PASS | FAIL | INCONCLUSIVE | none (not judged); empty: any
  std::string since{};     // started_at >= since (ISO 8601 date or time prefix); empty: any
  std::string until{};     // started_at's date <= until; empty: any
};

struct TrendQuery {
  std::string scenario{};
  std::string metric{};
  std::string proposal{};              // empty: every proposal
  std::string arm = "candidate";
  std::string reference = "baseline";  // the comparison's reference arm
};

struct CompareQuery {
  std::int64_t a = 0;  // the reference run
  std::int64_t b = 0;  // the run compared against it
  std::string arm = "candidate";
  std::string policy = "mainline";
};

Result<Json> RunsJson(Store& store, const RunFilter& filter);
// The JSON reporter's document, as text.
Result<std::string> RunJson(Store& store, std::int64_t run_id);
Result<Json> ProposalsJson(Store& store);
Result<Json> ProposalHistoryJson(Store& store, const std::string& proposal);
Result<Json> ScenariosJson(Store& store);
Result<Json> TrendJson(Store& store, const TrendQuery& query);
// The policy from options (the tree); the scenario specs as the runs were
// measured with them (judge/compare_runs.h RunScenarios).
Result<Json> CompareJson(Store& store, const CompareQuery& query, const LoadOptions& options);

}  // namespace kgate::dashboard
