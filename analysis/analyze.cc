#include "analysis/analyze.h"

#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "analysis/change_set.h"
#include "analysis/maintainers.h"
#include "analysis/rules.h"
#include "base/paths.h"
#include "base/strings.h"

namespace kgate {
namespace {

std::string HostName() {
  char buf[256] = {};
  return gethostname(buf, sizeof(buf) - 1) == 0 ? buf : "unknown";
}

nlohmann::ordered_json FindingJson(const FindingRecord& f) {
  return {{"rule", f.rule}, {"level", f.level},     {"file", f.file},
          {"line", f.line}, {"message", f.message}, {"excerpt", f.excerpt}};
}

}  // namespace

Result<Analysis> Analyze(const std::string& input, const AnalyzeOptions& options) {
  Result<ChangeSet> change = LoadChangeSet(input);
  if (!change.ok()) return change.status();
  ProcessRunner& runner = options.runner != nullptr ? *options.runner : DefaultProcessRunner();
  const std::string cache_dir = options.cache_dir.empty() ? CacheDir() : options.cache_dir;
  Analysis a;
  a.input = input;
  a.kind = change->kind == ChangeSet::Kind::kPatch ? "patch" : "module";
  a.findings = RunRules(*change);
  const std::size_t kgate_findings = a.findings.size();

  std::optional<MaintainersMap> maintainers;
  if (!options.run_checkpatch) {
    a.checkpatch.reason = "disabled with --no-checkpatch";
  } else {
    Result<CheckpatchInstall> install = EnsureCheckpatch(cache_dir, runner);
    if (!install.ok()) {
      a.checkpatch.reason = install.status().message();
    } else {
      a.checkpatch_package = install->package;
      a.checkpatch = RunCheckpatch(*change, *install, runner);
      if (change->kind == ChangeSet::Kind::kPatch) {
        Result<MaintainersMap> map = MaintainersMap::Load(install->maintainers);
        if (map.ok()) maintainers = std::move(*map);
      }
    }
  }
  for (FindingRecord& f : a.checkpatch.findings) a.findings.push_back(std::move(f));
  a.checkpatch.findings.clear();
  a.metrics = ComputeMetrics(*change, maintainers ? &*maintainers : nullptr);
  if (change->kind == ChangeSet::Kind::kPatch) {
    a.build_reason = "not applicable: the input is a patch, not a module directory";
  } else if (!options.build_modules) {
    a.build_reason = "disabled with --no-build";
  } else {
    std::vector<std::string> refs = kDefaultBuildKernels;
    refs.insert(refs.end(), options.kernels.begin(), options.kernels.end());
    a.builds = BuildModuleOnKernels(input, refs, cache_dir, runner, options.headers_of_ref);
    std::vector<FindingRecord> build_findings = ModuleBuildFindings(a.builds);
    for (const ModuleBuild& b : a.builds) {
      ModuleLoadCheck load;
      if (!options.load_module) {
        load.reason = "not asked for (kgate analyze --load)";
      } else if (!b.ok) {
        load.reason = "the module did not build on this kernel";
      } else {
        load = options.load_module(b);
      }
      build_findings.insert(build_findings.end(), load.findings.begin(), load.findings.end());
      a.loads.push_back(std::move(load));
    }
    a.findings.insert(a.findings.begin() + static_cast<std::ptrdiff_t>(kgate_findings),
                      build_findings.begin(), build_findings.end());
  }
  a.score = ComputeMaintainabilityScore(a.findings, a.metrics, a.checkpatch.ran, a.checkpatch.reason);
  return a;
}

nlohmann::ordered_json AnalysisToJson(const Analysis& a, const std::string& kgate_version) {
  using Json = nlohmann::ordered_json;
  Json findings = Json::array();
  for (const FindingRecord& f : a.findings) findings.push_back(FindingJson(f));
  Json functions = Json::array();
  for (const FunctionComplexity& f : a.metrics.functions) {
    functions.push_back({{"file", f.file}, {"line", f.line}, {"name", f.name},
                         {"complexity", f.complexity}, {"lines", f.lines}});
  }
  const ChangeMetrics& m = a.metrics;
  Json metrics = {{"patches", m.patches},
                  {"files_changed", m.files_changed},
                  {"insertions", m.insertions},
                  {"deletions", m.deletions},
                  {"files", m.files},
                  {"subsystems", m.subsystems_known ? Json(m.subsystems) : Json(nullptr)},
                  {"subsystems_by_file", m.subsystems_known ? Json(m.subsystems_by_file) : Json(nullptr)},
                  {"added_c_lines", m.added_c_lines},
                  {"added_comment_lines", m.added_comment_lines},
                  {"comment_density", m.comment_density},
                  {"functions", functions},
                  {"max_complexity", m.max_complexity},
                  {"exported_symbols", m.exported_symbols}};
  const CheckpatchResult& c = a.checkpatch;
  Json kernels = Json::array();
  for (std::size_t i = 0; i < a.builds.size(); ++i) {
    Json k = ModuleBuildJson(a.builds[i]);
    if (i < a.loads.size() && a.loads[i].ran) {
      k["load"] = {{"ran", true}, {"cycles", a.loads[i].cycles}};
    } else {
      k["load"] = {{"ran", false}, {"reason", i < a.loads.size() ? a.loads[i].reason : ""}};
    }
    kernels.push_back(std::move(k));
  }
  return {{"kgate", 1},
          {"schema", 2},
          {"context", {{"kgate_version", kgate_version}, {"host", HostName()},
                       {"input", a.input}, {"kind", a.kind}}},
          {"findings", findings},
          {"checkpatch", {{"ran", c.ran}, {"reason", c.reason}, {"package", a.checkpatch_package},
                          {"version", c.version}, {"errors", c.errors},
                          {"warnings", c.warnings}, {"checks", c.checks}}},
          {"metrics", metrics},
          {"build", {{"ran", a.build_reason.empty()}, {"reason", a.build_reason}}},
          {"kernels", kernels},
          {"maintainability", MaintainabilityScoreJson(a.score)}};
}

Status CheckForbidList(const Policy& policy) {
  std::vector<std::string> known;
  for (const RuleInfo& r : KgateRules()) known.emplace_back(r.id);
  for (const std::string& id : policy.forbid) {
    if (IsKnownRuleId(id)) continue;
    std::string hint = ClosestMatch(id, known);
    return Status::BadInput(fmt::format(
        "{}: forbid: unknown rule '{}'{}; rules: {}, or checkpatch-<TYPE>", policy.file, id,
        hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint), Join(known, ", ")));
  }
  return Status::Ok();
}

std::vector<std::string> ForbiddenRulesFired(const Analysis& a, const Policy& policy) {
  std::vector<std::string> fired;
  for (const FindingRecord& f : a.findings) {
    bool forbidden = std::find(policy.forbid.begin(), policy.forbid.end(), f.rule) != policy.forbid.end();
    if (forbidden && std::find(fired.begin(), fired.end(), f.rule) == fired.end()) fired.push_back(f.rule);
  }
  return fired;
}

}  // namespace kgate
