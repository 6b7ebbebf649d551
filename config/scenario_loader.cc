#include "config/scenario_loader.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include <fmt/format.h>

#include "base/strings.h"
#include "config/command_template.h"
#include "config/yaml_reader.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> kScenarioKeys = {
    "kgate",   "scenario", "description",  "tags",        "needs",       "run",
    "params",  "setup",    "warmup",       "reps",        "parser",      "regex",
    "metrics", "timeout",  "scratch_disk", "drop_caches", "determinism", "icount_shift"};

const std::vector<std::string> kKindNames = {"time", "rate", "latency", "count", "bytes"};

// Reads one choice among names, reporting a did-you-mean when it is none.
bool ReadChoice(YamlReader& r, const YAML::Node& map, const std::string& key,
                const std::vector<std::string>& names, std::size_t* index) {
  std::string value;
  if (!r.String(map, key, &value, Need::kRequired)) return false;
  auto it = std::find(names.begin(), names.end(), value);
  if (it != names.end()) {
    *index = static_cast<std::size_t>(it - names.begin());
    return true;
  }
  r.Error(map[key], fmt::format("'{}' expects one of {}, got '{}'{}", key, Join(names, ", "),
                                value, DidYouMean(value, names)));
  return false;
}

const std::vector<std::string>& Tiers() {
  static const std::vector<std::string> tiers = {"icount", "tcg", "kvm", "hw"};
  return tiers;
}

// key: {tier: cv}, as a metric's `cv:`.
void ReadTierCvs(YamlReader& r, const YAML::Node& map, const std::string& key,
                 std::map<std::string, double>* out) {
  YAML::Node node = r.Get(map, key, Need::kOptional);
  if (!node.IsDefined() || !r.ExpectMap(node, fmt::format("'{}'", key))) return;
  r.CheckKeys(node, Tiers());
  for (const auto& entry : node) {
    const std::string tier = entry.first.Scalar();
    double cv = 0;
    if (r.Number(node, tier, &cv, 0, 10)) (*out)[tier] = cv;
  }
}

void ReadMetrics(YamlReader& r, const YAML::Node& root, ScenarioSpec* spec) {
  YAML::Node metrics = r.Get(root, "metrics", Need::kRequired);
  if (!metrics.IsDefined() || !r.ExpectMap(metrics, "'metrics'")) return;
  if (metrics.size() == 0) r.Error(metrics, "'metrics' declares no metric");
  r.CheckDuplicateKeys(metrics);
  for (const auto& entry : metrics) {
    MetricSpec m;
    if (!r.AsString(entry.first, "metric name", &m.name)) continue;
    const YAML::Node& def = entry.second;
    if (!r.ExpectMap(def, fmt::format("metric '{}'", m.name))) continue;
    r.CheckKeys(def, {"unit", "better", "kind", "decides", "cv"});
    r.String(def, "unit", &m.unit, Need::kRequired);
    std::size_t better = 0, kind = 0;
    if (ReadChoice(r, def, "better", {"lower", "higher"}, &better)) {
      m.better = better == 0 ? Direction::kLowerIsBetter : Direction::kHigherIsBetter;
    }
    if (ReadChoice(r, def, "kind", kKindNames, &kind)) m.kind = static_cast<MetricKind>(kind);
    r.Bool(def, "decides", &m.decides, Need::kOptional);
    ReadTierCvs(r, def, "cv", &m.cv_by_tier);
    spec->metrics.push_back(m);
  }
}

void ReadParser(YamlReader& r, const YAML::Node& root, ScenarioSpec* spec) {
  r.String(root, "parser", &spec->parser, Need::kRequired);
  YAML::Node rules = r.Get(root, "regex", Need::kOptional);
  if (spec->parser != "regex") {
    if (rules.IsDefined()) r.Error(rules, "'regex' rules need 'parser: regex'");
    return;
  }
  if (!rules.IsDefined()) {
    r.Error(root["parser"], "'parser: regex' needs a 'regex' list of {metric, pattern}");
    return;
  }
  if (!rules.IsSequence() || rules.size() == 0) {
    r.Error(rules, "'regex' expects a non-empty list of {metric, pattern}");
    return;
  }
  for (const YAML::Node& item : rules) {
    RegexRule rule;
    if (!r.ExpectMap(item, "a regex rule")) continue;
    r.CheckKeys(item, {"metric", "pattern"});
    bool have_metric = r.String(item, "metric", &rule.metric, Need::kRequired);
    if (!r.String(item, "pattern", &rule.pattern, Need::kRequired)) continue;
    try {
      std::regex re(rule.pattern);
      if (re.mark_count() < 1) {
        r.Error(item["pattern"], "regex pattern has no (capture group) for the value");
      }
    } catch (const std::regex_error& e) {
      r.Error(item["pattern"], fmt::format("bad regex pattern: {}", e.what()));
    }
    if (have_metric && !spec->FindMetric(rule.metric)) {
      r.Error(item["metric"],
              fmt::format("regex rule names metric '{}', which 'metrics' does not declare",
                          rule.metric));
    }
    spec->regex.push_back(rule);
  }
}

void ReadScratchDisk(YamlReader& r, const YAML::Node& root, ScenarioSpec* spec) {
  YAML::Node node = r.Get(root, "scratch_disk", Need::kOptional);
  if (!node.IsDefined()) return;
  if (node.IsMap()) {
    r.CheckKeys(node, {"fs", "device"});
    spec->scratch_disk = true;
    r.String(node, "fs", &spec->scratch_fs, Need::kRequired);
    std::string device;
    if (r.String(node, "device", &device)) {
      Result<std::optional<StorageModel>> model = ScratchDevice(device);
      if (model.ok()) {
        spec->scratch_model = *model;
      } else {
        r.Error(node["device"], model.status().message());
      }
    }
    return;
  }
  r.Bool(root, "scratch_disk", &spec->scratch_disk);
}

void ReadIcountShift(YamlReader& r, const YAML::Node& root, ScenarioSpec* spec) {
  int shift = 0;
  if (r.Int(root, "icount_shift", &shift, 0, 10)) spec->icount_shift = shift;
}

void ReadDeterminism(YamlReader& r, const YAML::Node& root, ScenarioSpec* spec) {
  YAML::Node node = r.Get(root, "determinism", Need::kOptional);
  if (!node.IsDefined() || !r.ExpectMap(node, "'determinism'")) return;
  r.CheckKeys(node, Tiers());
  for (const auto& entry : node) {
    const std::string tier = entry.first.Scalar();
    if (std::find(Tiers().begin(), Tiers().end(), tier) == Tiers().end()) continue;
    if (!r.ExpectMap(entry.second, fmt::format("determinism '{}'", tier))) continue;
    r.CheckKeys(entry.second, {"cv", "deterministic"});
    double cv = 0;
    if (r.Number(entry.second, "cv", &cv, 0, 10)) spec->determinism.cv_by_tier[tier] = cv;
    bool det = false;
    if (r.Bool(entry.second, "deterministic", &det)) {
      if (tier != "icount") {
        r.Error(entry.second["deterministic"], "'deterministic' applies only under icount");
      }
      spec->determinism.deterministic_under_icount = det;
    }
  }
}

// Each {param} of run and setup must have a value in params.
void CheckPlaceholders(YamlReader& r, const YAML::Node& root, const ScenarioSpec& spec) {
  auto check = [&](const std::string& text, const YAML::Node& at) {
    for (const std::string& name : TemplatePlaceholders(text)) {
      if (spec.params.count(name)) continue;
      std::vector<std::string> known;
      for (const auto& p : spec.params) known.push_back(p.first);
      std::string hint = ClosestMatch(name, known);
      r.Error(at, fmt::format("{{{}}} has no value in 'params'{}", name,
                              hint.empty() ? "" : "; did you mean {" + hint + "}?"));
    }
  };
  if (root["run"].IsDefined()) check(spec.run, root["run"]);
  const YAML::Node setup = root["setup"];
  for (std::size_t i = 0; i < spec.setup.size() && setup.IsSequence(); ++i) {
    check(spec.setup[i], setup[i]);
  }
}

}  // namespace

Result<ScenarioSpec> LoadScenario(const std::string& path, ConfigFiles& files) {
  Result<YAML::Node> parsed = ParseYamlFile(path, files);
  if (!parsed.ok()) return parsed.status();
  const YAML::Node& root = *parsed;
  YamlReader r(path);
  if (!r.ExpectMap(root, "a scenario file")) return r.ToStatus();
  r.CheckKeys(root, kScenarioKeys);
  r.CheckVersion(root);

  ScenarioSpec spec;
  spec.dir = fs::path(path).parent_path().string();
  spec.location = r.Location(root);
  if (r.String(root, "scenario", &spec.name, Need::kRequired)) {
    std::string folder = fs::absolute(path).parent_path().filename().string();
    if (spec.name != folder) {
      r.Error(root["scenario"], fmt::format("scenario '{}' must be named after its folder '{}'",
                                            spec.name, folder));
    }
  }
  r.String(root, "description", &spec.description);
  r.StringList(root, "tags", &spec.tags);
  r.StringList(root, "needs", &spec.needs);
  r.String(root, "run", &spec.run, Need::kRequired);
  r.StringMap(root, "params", &spec.params);
  r.StringList(root, "setup", &spec.setup);
  r.Int(root, "warmup", &spec.warmup, 0, 100);
  r.Int(root, "reps", &spec.reps, 1, 1000);
  r.Duration(root, "timeout", &spec.timeout_seconds);
  r.Bool(root, "drop_caches", &spec.drop_caches);
  ReadMetrics(r, root, &spec);
  ReadParser(r, root, &spec);
  ReadScratchDisk(r, root, &spec);
  ReadIcountShift(r, root, &spec);
  ReadDeterminism(r, root, &spec);
  CheckPlaceholders(r, root, spec);
  if (!r.ok()) return r.ToStatus();
  return spec;
}

std::vector<std::string> ListScenarios(const std::string& scenarios_dir, ConfigFiles& files) {
  std::vector<std::string> names;
  for (const std::string& name : files.List(scenarios_dir)) {
    if (files.IsFile((fs::path(scenarios_dir) / name / "workload.yaml").string())) {
      names.push_back(name);
    }
  }
  return names;
}

std::string UnknownScenarioMessage(const std::string& name, const std::string& scenarios_dir,
                                   ConfigFiles& files) {
  if (files.IsFile((fs::path(scenarios_dir) / name / "workload.yaml").string())) return "";
  std::string hint = ClosestMatch(name, ListScenarios(scenarios_dir, files));
  return fmt::format("unknown scenario '{}'{}", name,
                     hint.empty() ? fmt::format(" (no {}/{}/workload.yaml)", scenarios_dir, name)
                                  : "; did you mean '" + hint + "'?");
}

Result<ScenarioSpec> FindScenario(const std::string& name, const std::string& scenarios_dir,
                                  ConfigFiles& files) {
  bool plain = !name.empty() && name.find('/') == std::string::npos && name != "." &&
               name != "..";
  std::string unknown = plain ? UnknownScenarioMessage(name, scenarios_dir, files)
                              : fmt::format("'{}' is not a scenario name", name);
  if (!unknown.empty()) return Status::NotFound(unknown);
  return LoadScenario((fs::path(scenarios_dir) / name / "workload.yaml").string(), files);
}

}  // namespace kgate
