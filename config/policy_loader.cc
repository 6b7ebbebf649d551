#include "config/policy_loader.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "base/strings.h"
#include "config/yaml_reader.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> kPolicyKeys = {
    "kgate",  "policy",         "description",        "margin",           "alpha",
    "max_guard_regression",     "require_target_gain", "require_beat_tuned",
    "require_claims",           "fault_injection",    "forbid",           "trusted",
    "max_cv",                   "allow_inconclusive", "looks",            "resamples"};

const std::vector<std::string> kKindNames = {"time", "rate", "latency", "count", "bytes"};

void ReadTrusted(YamlReader& r, const YAML::Node& root, Policy* policy) {
  YAML::Node trusted = r.Get(root, "trusted", Need::kOptional);
  if (!trusted.IsDefined() || !r.ExpectMap(trusted, "'trusted'")) return;
  r.CheckKeys(trusted, TierNames());
  for (const auto& entry : trusted) {
    const std::string tier = entry.first.Scalar();
    if (std::find(TierNames().begin(), TierNames().end(), tier) == TierNames().end()) continue;
    std::vector<std::string> kinds;
    if (!r.AsStringList(entry.second, "trusted." + tier, &kinds)) continue;
    std::vector<MetricKind>& out = policy->trusted_kinds[tier];
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      auto it = std::find(kKindNames.begin(), kKindNames.end(), kinds[i]);
      if (it == kKindNames.end()) {
        r.Error(entry.second[i],
                fmt::format("unknown metric kind '{}'; expected one of {}{}", kinds[i],
                            Join(kKindNames, ", "), DidYouMean(kinds[i], kKindNames)));
        continue;
      }
      out.push_back(static_cast<MetricKind>(it - kKindNames.begin()));
    }
  }
}

}  // namespace

const std::vector<std::string>& TierNames() {
  static const std::vector<std::string> kTiers = {"icount", "tcg", "kvm", "hw"};
  return kTiers;
}

Result<Policy> LoadPolicyFile(const std::string& path, ConfigFiles& files) {
  Result<YAML::Node> parsed = ParseYamlFile(path, files);
  if (!parsed.ok()) return parsed.status();
  const YAML::Node& root = *parsed;
  YamlReader r(path);
  if (!r.ExpectMap(root, "a policy file")) return r.ToStatus();
  r.CheckKeys(root, kPolicyKeys);
  r.CheckVersion(root);

  Policy policy;
  policy.file = path;
  if (r.String(root, "policy", &policy.name, Need::kRequired)) {
    std::string stem = fs::path(path).stem().string();
    if (policy.name != stem) {
      r.Error(root["policy"],
              fmt::format("policy '{}' must be named after its file '{}'", policy.name, stem));
    }
  }
  std::string description;
  r.String(root, "description", &description);
  r.Fraction(root, "margin", &policy.margin);
  r.Number(root, "alpha", &policy.alpha, 1e-6, 0.5);
  r.Fraction(root, "max_guard_regression", &policy.max_guard_regression);
  r.Bool(root, "require_target_gain", &policy.require_target_gain);
  r.Bool(root, "require_beat_tuned", &policy.require_beat_tuned);
  r.Bool(root, "require_claims", &policy.require_claims);
  r.Bool(root, "fault_injection", &policy.fault_injection);
  r.StringList(root, "forbid", &policy.forbid);
  r.Fraction(root, "max_cv", &policy.max_cv);
  r.Bool(root, "allow_inconclusive", &policy.allow_inconclusive);
  r.Int(root, "looks", &policy.looks, 1, 10);
  r.Int(root, "resamples", &policy.resamples, 1000, 100000);
  ReadTrusted(r, root, &policy);
  if (!r.ok()) return r.ToStatus();
  return policy;
}

std::vector<std::string> ListPolicies(const std::string& policies_dir, ConfigFiles& files) {
  std::vector<std::string> names;
  for (const std::string& file : files.List(policies_dir)) {
    if (fs::path(file).extension() == ".yaml") names.push_back(fs::path(file).stem().string());
  }
  return names;
}

Result<Policy> LoadPolicy(const std::string& name_or_path, const std::string& base_dir,
                          const std::string& policies_dir, ConfigFiles& files) {
  bool is_path = name_or_path.find('/') != std::string::npos || EndsWith(name_or_path, ".yaml");
  if (is_path) {
    fs::path path(name_or_path);
    if (path.is_relative() && !base_dir.empty()) path = fs::path(base_dir) / path;
    return LoadPolicyFile(path.lexically_normal().string(), files);
  }
  fs::path path = fs::path(policies_dir) / (name_or_path + ".yaml");
  if (!files.IsFile(path.string())) {
    std::string hint = ClosestMatch(name_or_path, ListPolicies(policies_dir, files));
    return Status::NotFound(fmt::format("unknown policy '{}'{}", name_or_path,
                                        hint.empty() ? fmt::format(" (no {})", path.string())
                                                     : "; did you mean '" + hint + "'?"));
  }
  return LoadPolicyFile(path.string(), files);
}

}  // namespace kgate
