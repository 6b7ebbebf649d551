#include "config/proposal_loader.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "config/arm_reader.h"
#include "config/claim_reader.h"
#include "config/policy_loader.h"
#include "config/scenario_loader.h"
#include "config/suite_loader.h"
#include "config/units.h"
#include "config/yaml_reader.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> kProposalKeys = {
    "kgate",     "proposal", "title",     "source",          "description", "baseline",
    "candidate", "tuned",    "scenarios", "targets",         "shapes",      "tier",
    "runs",      "claims",   "policy",    "fault_injection", "disk",        "params"};

// Errors of another file (a suite, scenario or policy) become this load's
// errors as they are, since they already carry their own file:line:col; a
// not-found is reported at the node that named the file.
void Adopt(YamlReader& r, const YAML::Node& at, const Status& status) {
  if (status.code() == Status::Code::kNotFound) {
    r.Error(at, status.message());
    return;
  }
  r.AddErrors(status);
}

// Expands scenarios (or targets) with suites; loads each scenario once.
std::vector<std::string> ReadScenarioList(YamlReader& r, const YAML::Node& root,
                                          const std::string& key, Need need,
                                          const LoadOptions& options,
                                          std::map<std::string, ScenarioSpec>* specs) {
  std::vector<std::string> names, out;
  if (!r.StringList(root, key, &names, need)) return out;
  const YAML::Node list = root[key];
  if (names.empty() && need == Need::kRequired) {
    r.Error(list, fmt::format("'{}' is empty; name at least one scenario", key));
  }
  auto add = [&](const std::string& name, const YAML::Node& at) {
    if (std::find(out.begin(), out.end(), name) != out.end()) return;
    if (!specs->count(name)) {
      Result<ScenarioSpec> spec = FindScenario(name, options.scenarios_dir, options.Files());
      if (!spec.ok()) {
        Adopt(r, at, spec.status());
        return;
      }
      (*specs)[name] = *spec;
    }
    out.push_back(name);
  };
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!StartsWith(names[i], "suite:")) {
      add(names[i], list[i]);
      continue;
    }
    Result<SuiteSpec> suite =
        FindSuite(names[i].substr(6), options.suites_dir, options.scenarios_dir, options.Files());
    if (!suite.ok()) {
      Adopt(r, list[i], suite.status());
      continue;
    }
    for (const std::string& name : suite->scenarios) add(name, list[i]);
  }
  return out;
}

// specs holds exactly the proposal's scenarios (ReadScenarioList).
void ReadTargets(YamlReader& r, const YAML::Node& root, const LoadOptions& options,
                 const std::map<std::string, ScenarioSpec>& specs, Proposal* p) {
  std::vector<std::string> targets;
  if (!r.StringList(root, "targets", &targets)) return;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    std::vector<std::string> expanded = {targets[i]};
    if (StartsWith(targets[i], "suite:")) {
      Result<SuiteSpec> suite =
          FindSuite(targets[i].substr(6), options.suites_dir, options.scenarios_dir,
                    options.Files());
      if (!suite.ok()) {
        Adopt(r, root["targets"][i], suite.status());
        continue;
      }
      expanded = suite->scenarios;
    }
    for (const std::string& t : expanded) {
      if (!specs.count(t)) {
        r.Error(root["targets"][i],
                fmt::format("target '{}' is not among the proposal's scenarios{}", t,
                            DidYouMean(t, p->scenarios)));
      } else if (!p->IsTarget(t)) {
        p->targets.push_back(t);
      }
    }
  }
}

// params: {scenario: {param: value}}: each scenario must be the proposal's,
// each param one the scenario declares (a typo would silently run the
// scenario's default).
void ReadParams(YamlReader& r, const YAML::Node& root,
                const std::map<std::string, ScenarioSpec>& specs, Proposal* p) {
  YAML::Node params = r.Get(root, "params", Need::kOptional);
  if (!params.IsDefined() || params.IsNull()) return;
  if (!r.ExpectMap(params, "'params' ({scenario: {param: value}})")) return;
  for (const auto& entry : params) {
    const std::string name = entry.first.Scalar();
    // specs holds exactly the proposal's scenarios (ReadScenarioList).
    auto spec = specs.find(name);
    if (spec == specs.end()) {
      r.Error(entry.first, fmt::format("params: '{}' is not among the proposal's scenarios{}", name,
                                       DidYouMean(name, p->scenarios)));
      continue;
    }
    std::map<std::string, std::string> values;
    if (!r.StringMap(params, name, &values)) continue;
    for (const auto& kv : entry.second) {
      const std::string key = kv.first.Scalar();
      if (spec->second.params.count(key)) continue;
      std::vector<std::string> known;
      for (const auto& [k, v] : spec->second.params) known.push_back(k);
      r.Error(kv.first, fmt::format("params: scenario '{}' has no param '{}'{}", name, key,
                                    DidYouMean(key, known)));
    }
    p->params[name] = values;
  }
}

void ReadShapes(YamlReader& r, const YAML::Node& root, Proposal* p) {
  YAML::Node shapes = r.Get(root, "shapes", Need::kOptional);
  if (!shapes.IsDefined()) {
    p->shapes = {Shape()};
    return;
  }
  if (!shapes.IsSequence() || shapes.size() == 0) {
    r.Error(shapes, fmt::format("'shapes' expects a non-empty list of "
                                "{{vcpus, memory, disk, iops, bps}}, got {}",
                                DescribeNode(shapes)));
    return;
  }
  std::set<std::string> names;
  for (const YAML::Node& item : shapes) {
    if (!r.ExpectMap(item, "a shape")) continue;
    r.CheckKeys(item, {"vcpus", "memory", "disk", "iops", "bps"});
    Shape s;
    r.Int(item, "vcpus", &s.vcpus, 1, 64);
    if (r.Bytes(item, "memory", &s.memory_bytes) && s.memory_bytes < (64ull << 20)) {
      r.Error(item["memory"], "'memory' must be at least 64M to boot a guest");
    }
    r.Bytes(item, "disk", &s.disk_bytes);
    int iops = 0;
    if (r.Int(item, "iops", &iops, 0, 10'000'000)) s.disk_iops = static_cast<std::uint64_t>(iops);
    r.Bytes(item, "bps", &s.disk_bps);
    if (!names.insert(s.Name()).second) {
      r.Error(item, fmt::format("shape {} is listed twice", s.Name()));
    }
    p->shapes.push_back(s);
  }
}

void ReadRuns(YamlReader& r, const YAML::Node& root, Proposal* p) {
  YAML::Node runs = r.Get(root, "runs", Need::kOptional);
  if (!runs.IsDefined() || !r.ExpectMap(runs, "'runs'")) return;
  r.CheckKeys(runs, {"min", "max"});
  r.Int(runs, "min", &p->runs.min, 1, 1000);
  if (!r.Int(runs, "max", &p->runs.max, 1, 1000)) {
    p->runs.max = std::max(p->runs.min, RunsSpec().max);
  } else if (p->runs.max < p->runs.min) {
    r.Error(runs["max"], fmt::format("runs.max ({}) is below runs.min ({})", p->runs.max,
                                     p->runs.min));
  }
}

void ReadTier(YamlReader& r, const YAML::Node& root, Proposal* p) {
  if (!r.String(root, "tier", &p->tier)) return;
  std::vector<std::string> tiers = {"auto"};
  tiers.insert(tiers.end(), TierNames().begin(), TierNames().end());
  if (std::find(tiers.begin(), tiers.end(), p->tier) != tiers.end()) return;
  r.Error(root["tier"], fmt::format("'tier' expects one of {}, got '{}'{}", Join(tiers, ", "),
                                    p->tier, DidYouMean(p->tier, tiers)));
}

void ReadPolicy(YamlReader& r, const YAML::Node& root, const LoadOptions& options,
                Proposal* p) {
  bool named = r.String(root, "policy", &p->policy);
  Result<Policy> policy = LoadPolicy(p->policy, p->dir, options.policies_dir, options.Files());
  if (!policy.ok()) {
    Adopt(r, named ? root["policy"] : root, policy.status());
    return;
  }
  if (p->policy.find('/') != std::string::npos || EndsWith(p->policy, ".yaml")) {
    p->policy = policy->file;  // stored resolved, like every path of a proposal
  }
}

}  // namespace

Result<Proposal> LoadProposal(const std::string& path, const LoadOptions& options) {
  Result<std::string> text = options.Files().Read(path);
  if (!text.ok()) return text.status();
  return LoadProposalText(*text, path, options);
}

Result<Proposal> LoadProposalText(const std::string& text, const std::string& path,
                                  const LoadOptions& options) {
  Result<YAML::Node> parsed = ParseYamlText(text, path);
  if (!parsed.ok()) return parsed.status();
  const YAML::Node& root = *parsed;
  YamlReader r(path);
  if (!r.ExpectMap(root, "a proposal file")) return r.ToStatus();
  r.CheckKeys(root, kProposalKeys);
  r.CheckVersion(root);

  Proposal p;
  p.file = path;
  p.dir = fs::absolute(path).parent_path().lexically_normal().string();
  r.String(root, "proposal", &p.name, Need::kRequired);
  r.String(root, "title", &p.title);
  r.String(root, "source", &p.source);
  std::string description;
  r.String(root, "description", &description);
  p.baseline = ReadArm(r, root, "baseline", p.dir, options.check_files);
  p.candidate = ReadArm(r, root, "candidate", p.dir, options.check_files);
  FinishKernelBuilds(r, &p.baseline, &p.candidate);
  p.tuned = ReadTuned(r, root);
  std::map<std::string, ScenarioSpec> specs;
  p.scenarios = ReadScenarioList(r, root, "scenarios", Need::kRequired, options, &specs);
  ReadTargets(r, root, options, specs, &p);
  ReadParams(r, root, specs, &p);
  ReadShapes(r, root, &p);
  ReadTier(r, root, &p);
  ReadRuns(r, root, &p);
  ReadClaims(r, root, specs, &p);
  ReadPolicy(r, root, options, &p);
  if (r.String(root, "disk", &p.disk)) {
    if (Result<std::optional<StorageModel>> d = ScratchDevice(p.disk); !d.ok()) {
      r.Error(root["disk"], d.status().message());
    }
  }
  // Tri-state: only a written value overrides the policy's.
  if (bool fault_injection = false; r.Bool(root, "fault_injection", &fault_injection)) {
    p.fault_injection = fault_injection;
  }
  if (!r.ok()) return r.ToStatus();
  return p;
}

}  // namespace kgate
