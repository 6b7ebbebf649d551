#include "judge/compare_runs.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "config/scenario_loader.h"
#include "judge/judge.h"
#include "judge/stored_run.h"

namespace kgate {
namespace {

using Cell = std::pair<std::string, std::string>;  // scenario, shape

// The stored kind and direction of a sample, read back into a MetricSpec.
MetricSpec StoredSpec(const SampleRecord& s) {
  MetricSpec m;
  m.name = s.metric;
  m.unit = s.unit;
  m.better = s.better == DirectionName(Direction::kHigherIsBetter) ? Direction::kHigherIsBetter
                                                                   : Direction::kLowerIsBetter;
  for (MetricKind kind : {MetricKind::kTime, MetricKind::kRate, MetricKind::kLatency,
                          MetricKind::kCount, MetricKind::kBytes}) {
    if (s.kind == MetricKindName(kind)) m.kind = kind;
  }
  return m;
}

// The set's cells, in trial order, each once.
std::vector<Cell> CellsOf(const TrialSet& set) {
  std::vector<Cell> cells;
  for (const TrialValues& t : set.values) {
    Cell cell{t.scenario, t.shape};
    if (std::find(cells.begin(), cells.end(), cell) == cells.end()) cells.push_back(cell);
  }
  return cells;
}

std::vector<double> ValuesOf(const TrialSet& set, const Cell& cell, const std::string& metric) {
  std::vector<double> out;
  for (const TrialValues& t : set.values) {
    if (t.scenario != cell.first || t.shape != cell.second) continue;
    auto it = t.values.find(metric);
    if (it != t.values.end()) out.push_back(it->second);
  }
  return out;
}

std::set<std::string> MetricsOf(const TrialSet& set, const Cell& cell) {
  std::set<std::string> out;
  for (const TrialValues& t : set.values) {
    if (t.scenario != cell.first || t.shape != cell.second) continue;
    for (const auto& [metric, value] : t.values) out.insert(metric);
  }
  return out;
}

// The cell's metrics present in both sets: the scenario's declared ones in
// its order, then any it no longer declares, by name.
std::vector<std::string> CommonMetrics(const TrialSet& reference, const TrialSet& arm,
                                       const Cell& cell, const ScenarioSpec* spec) {
  std::set<std::string> in_arm = MetricsOf(arm, cell);
  std::set<std::string> common;
  for (const std::string& m : MetricsOf(reference, cell)) {
    if (in_arm.count(m)) common.insert(m);
  }
  std::vector<std::string> ordered;
  if (spec != nullptr) {
    for (const MetricSpec& m : spec->metrics) {
      if (common.erase(m.name)) ordered.push_back(m.name);
    }
  }
  ordered.insert(ordered.end(), common.begin(), common.end());
  return ordered;
}

std::string DescribeCells(const TrialSet& set) {
  std::vector<std::string> names;
  for (const auto& [scenario, shape] : CellsOf(set)) names.push_back(scenario + "/" + shape);
  return names.empty() ? "no ok trials" : Join(names, ", ");
}

Comparison MakeComparison(const TrialSet& reference, const TrialSet& arm, const Cell& cell,
                          const std::string& metric, const ScenarioSpec* scenario,
                          const Policy& policy) {
  Comparison c;
  c.scenario = cell.first;
  c.metric = metric;
  c.shape = cell.second;
  c.arm = arm.SideName(reference);
  c.reference = reference.SideName(arm);
  c.vs = StartsWith(reference.arm, "tuned:") ? "tuned" : "baseline";
  c.arm_values = ValuesOf(arm, cell, metric);
  c.reference_values = ValuesOf(reference, cell, metric);
  const MetricSpec* declared = scenario ? scenario->FindMetric(metric) : nullptr;
  if (declared != nullptr) {
    c.spec = *declared;
    c.primary = metric == PrimaryMetric(*scenario, policy, reference.tier).name;
    c.decides = MetricDecides(*scenario, *declared, policy, reference.tier, &c.note);
  } else {
    auto stored = reference.stored_specs.find(cell.first + "/" + metric);
    if (stored != reference.stored_specs.end()) c.spec = stored->second;
    c.spec.name = metric;
    c.decides = false;
    c.note = scenario ? fmt::format("scenario {} no longer declares metric {}", cell.first, metric)
                      : fmt::format("scenario {} no longer exists in this tree", cell.first);
  }
  if (reference.tier != arm.tier) {
    std::string why = c.note;
    c.decides = false;
    c.note = fmt::format("runs measured at different tiers ({} vs {})", reference.tier, arm.tier);
    if (!why.empty()) c.note += "; " + why;
  }
  return c;
}

}  // namespace

std::string TrialSet::SideName(const TrialSet& other) const {
  return run_id == other.run_id ? arm : fmt::format("run {} {}", run_id, arm);
}

Result<TrialSet> LoadTrialSet(Store& store, std::int64_t run_id, const std::string& arm) {
  auto run = store.LoadRun(run_id);
  if (!run.ok()) return run.status();
  auto arms = store.LoadArms(run_id);
  if (!arms.ok()) return arms.status();
  TrialSet set;
  set.run_id = run_id;
  set.arm = arm;
  set.tier = run->tier;
  std::vector<std::string> names;
  bool found = false;
  for (const ArmRecord& a : *arms) {
    names.push_back(a.name);
    if (a.name == arm) {
      found = true;
      set.kernel = a.kernel_version;
    }
  }
  if (!found) {
    return Status::BadInput(fmt::format("run {} has no arm '{}'; its arms: {}", run_id, arm,
                                        names.empty() ? "none" : Join(names, ", ")));
  }
  KG_ASSIGN_OR_RETURN(auto trials, store.LoadTrials(run_id));
  KG_ASSIGN_OR_RETURN(auto samples, store.LoadSamples(run_id));
  for (TrialValues& t : PerTrialValues(trials, samples)) {
    if (t.arm == arm) set.values.push_back(std::move(t));
  }
  for (const SampleRow& row : samples) {
    if (row.arm == arm) set.stored_specs.emplace(row.scenario + "/" + row.sample.metric,
                                                 StoredSpec(row.sample));
  }
  return set;
}

Result<std::map<std::string, ScenarioSpec>> RunScenarios(Store& store, const TrialSet& reference,
                                                         const TrialSet& arm,
                                                         const LoadOptions& current) {
  std::vector<RunConfiguration> configs;
  for (std::int64_t run : {arm.run_id, reference.run_id}) {
    KG_ASSIGN_OR_RETURN(auto config, RunConfiguration::Load(store, run, current));
    configs.push_back(std::move(config));
  }
  std::map<std::string, ScenarioSpec> specs;
  for (const std::string& name : ScenarioNames(reference, arm)) {
    for (const RunConfiguration& config : configs) {
      const LoadOptions& o = config.options();
      auto spec = FindScenario(name, o.scenarios_dir, o.Files());
      if (spec.ok()) {
        specs.emplace(name, std::move(*spec));
        break;
      }
      if (spec.status().code() != Status::Code::kNotFound) return spec.status();
    }
  }
  return specs;
}

std::set<std::string> ScenarioNames(const TrialSet& a, const TrialSet& b) {
  std::set<std::string> names;
  for (const TrialSet* set : {&a, &b}) {
    for (const TrialValues& t : set->values) names.insert(t.scenario);
  }
  return names;
}

Result<std::vector<Comparison>> CompareTrialSets(
    const TrialSet& reference, const TrialSet& arm, const Policy& policy,
    const std::map<std::string, ScenarioSpec>& scenarios) {
  std::vector<Cell> arm_cells = CellsOf(arm);
  std::vector<Comparison> out;
  for (const Cell& cell : CellsOf(reference)) {
    if (std::find(arm_cells.begin(), arm_cells.end(), cell) == arm_cells.end()) continue;
    auto found = scenarios.find(cell.first);
    const ScenarioSpec* spec = found == scenarios.end() ? nullptr : &found->second;
    for (const std::string& metric : CommonMetrics(reference, arm, cell, spec)) {
      out.push_back(MakeComparison(reference, arm, cell, metric, spec, policy));
    }
  }
  if (out.empty()) {
    return Status::BadInput(fmt::format(
        "nothing to compare: no scenario x metric x shape has ok trials in both {} ({}) and {} ({})",
        reference.SideName(arm), DescribeCells(reference), arm.SideName(reference),
        DescribeCells(arm)));
  }
  CompareOptions options{1 - policy.alpha, policy.resamples, 0};
  for (Comparison& c : out) Measure(options, &c);
  AdjustAndClassify(&out, policy.margin, policy.alpha);
  return out;
}

Result<StoredComparison> CompareStoredArms(Store& store, std::int64_t reference_run,
                                           const std::string& reference_arm,
                                           std::int64_t arm_run, const std::string& arm,
                                           const Policy& policy, const LoadOptions& current) {
  StoredComparison out;
  out.policy = policy;
  KG_ASSIGN_OR_RETURN(auto reference_set, LoadTrialSet(store, reference_run, reference_arm));
  out.reference = std::move(reference_set);
  KG_ASSIGN_OR_RETURN(auto arm_set, LoadTrialSet(store, arm_run, arm));
  out.arm = std::move(arm_set);
  KG_ASSIGN_OR_RETURN(auto scenarios, RunScenarios(store, out.reference, out.arm, current));
  KG_ASSIGN_OR_RETURN(auto comparisons,
                      CompareTrialSets(out.reference, out.arm, out.policy, scenarios));
  for (const Comparison& c : comparisons) out.records.push_back(ToRecord(arm_run, c));
  return out;
}

namespace {

RecordJson SideJson(const TrialSet& set) {
  return {{"run", set.run_id}, {"arm", set.arm}, {"tier", set.tier}, {"kernel", set.kernel}};
}

}  // namespace

RecordJson ToJson(const StoredComparison& c) {
  RecordJson rows = RecordJson::array();
  for (const ComparisonRecord& r : c.records) rows.push_back(ToJson(r));
  return {{"kgate", 1},
          {"policy", c.policy.name},
          {"reference", SideJson(c.reference)},
          {"arm", SideJson(c.arm)},
          {"comparisons", rows}};
}

}  // namespace kgate
