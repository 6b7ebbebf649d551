#include "config/claim_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/strings.h"
#include "config/units.h"

namespace kgate {
namespace {

const std::vector<std::string> kClaimKeys = {"id",     "text", "scenario",
                                             "metric", "vs",   "expect"};

void CheckScenarioAndMetric(YamlReader& r, const YAML::Node& item,
                            const std::map<std::string, ScenarioSpec>& specs,
                            const Proposal& p, const ClaimSpec& c) {
  if (std::find(p.scenarios.begin(), p.scenarios.end(), c.scenario) == p.scenarios.end()) {
    r.Error(item["scenario"],
            fmt::format("claim '{}' names scenario '{}', which is not among the proposal's "
                        "scenarios{}",
                        c.id, c.scenario, DidYouMean(c.scenario, p.scenarios)));
    return;
  }
  auto spec = specs.find(c.scenario);
  if (spec == specs.end() || c.metric.empty() || spec->second.FindMetric(c.metric)) return;
  std::vector<std::string> declared;
  for (const MetricSpec& m : spec->second.metrics) declared.push_back(m.name);
  std::string hint = ClosestMatch(c.metric, declared);
  r.Error(item["metric"],
          fmt::format("claim '{}': scenario '{}' declares no metric '{}'{}", c.id, c.scenario,
                      c.metric,
                      hint.empty() ? "; it declares " + Join(declared, ", ")
                                   : "; did you mean '" + hint + "'?"));
}

}  // namespace

void ReadClaims(YamlReader& r, const YAML::Node& root,
                const std::map<std::string, ScenarioSpec>& specs, Proposal* p) {
  YAML::Node claims = r.Get(root, "claims", Need::kOptional);
  if (!claims.IsDefined() || claims.IsNull()) return;
  if (!claims.IsSequence()) {
    r.Error(claims, fmt::format("'claims' expects a list, got {}", DescribeNode(claims)));
    return;
  }
  std::map<std::string, int> first_line;  // claim id -> line of its first use
  for (const YAML::Node& item : claims) {
    if (!r.ExpectMap(item, "a claim")) continue;
    r.CheckKeys(item, kClaimKeys);
    ClaimSpec c;
    c.location = r.Location(item);
    if (r.String(item, "id", &c.id, Need::kRequired)) {
      auto [it, inserted] = first_line.emplace(c.id, r.Location(item["id"]).line);
      if (!inserted) {
        r.Error(item["id"],
                fmt::format("duplicate claim id '{}' (first used on line {})", c.id, it->second));
      }
    }
    r.String(item, "text", &c.text);
    bool have_scenario = r.String(item, "scenario", &c.scenario, Need::kRequired);
    r.String(item, "metric", &c.metric, Need::kRequired);
    if (have_scenario) CheckScenarioAndMetric(r, item, specs, *p, c);
    if (r.String(item, "vs", &c.vs)) {
      if (c.vs != "baseline" && c.vs != "tuned") {
        r.Error(item["vs"], fmt::format("'vs' expects baseline or tuned, got '{}'", c.vs));
      } else if (c.vs == "tuned" && !p->tuned) {
        r.Error(item["vs"], fmt::format("claim '{}' is against tuned, but the proposal has no "
                                        "'tuned' sweep",
                                        c.id));
      }
    }
    if (r.String(item, "expect", &c.expect, Need::kRequired)) {
      Parsed<Expectation> e = ParseExpect(c.expect);
      if (e.ok()) {
        c.op = e.value.op;
        c.ratio = e.value.ratio;
      } else {
        r.Error(item["expect"], e.error);
      }
    }
    p->claims.push_back(c);
  }
}

}  // namespace kgate
