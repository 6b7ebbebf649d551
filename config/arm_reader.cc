#include "config/arm_reader.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "base/strings.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> kArmKeys = {"kernel", "cmdline", "knobs", "sysctl",
                                           "modules", "agent",  "patch"};

std::string Resolve(const std::string& base_dir, const std::string& path) {
  fs::path p(path);
  return (p.is_relative() ? fs::path(base_dir) / p : p).lexically_normal().string();
}

// Where an arm's relative paths resolve, and whether they must exist.
struct ArmContext {
  const std::string& base_dir;
  bool check_files;
};

// Resolves path and reports it at `at` when it does not exist.
std::string ResolveExisting(YamlReader& r, const YAML::Node& at, const ArmContext& ctx,
                            const std::string& path, const char* what) {
  std::string resolved = Resolve(ctx.base_dir, path);
  std::error_code ec;
  if (ctx.check_files && !fs::exists(resolved, ec)) {
    r.Error(at, fmt::format("{} '{}' does not exist (looked for {})", what, path, resolved));
  }
  return resolved;
}

bool IsKnobPath(const std::string& path) {
  return StartsWith(path, "/sys/") || StartsWith(path, "/proc/");
}

void CheckKernel(YamlReader& r, const YAML::Node& arm, const ArmContext& ctx, ArmSpec* spec) {
  if (!r.String(arm, "kernel", &spec->kernel, Need::kRequired)) return;
  std::size_t colon = spec->kernel.find(':');
  std::string scheme = colon == std::string::npos ? "" : spec->kernel.substr(0, colon);
  std::string rest = colon == std::string::npos ? "" : spec->kernel.substr(colon + 1);
  if ((scheme != "debian" && scheme != "path" && scheme != "build") || rest.empty()) {
    r.Error(arm["kernel"],
            fmt::format("'kernel' expects debian:<series>-<flavour>, debian:<package>, "
                        "path:<bzImage> or build:<name>, got '{}'",
                        spec->kernel));
    return;
  }
  if (scheme == "path") {
    spec->kernel = "path:" + ResolveExisting(r, arm["kernel"], ctx, rest, "kernel image");
  }
}

void ReadKnobs(YamlReader& r, const YAML::Node& arm, ArmSpec* spec) {
  if (!r.StringMap(arm, "knobs", &spec->knobs)) return;
  for (const auto& entry : arm["knobs"]) {
    if (entry.first.IsScalar() && !IsKnobPath(entry.first.Scalar())) {
      r.Error(entry.first, fmt::format("knob '{}' must be a /sys/ or /proc/ path",
                                       entry.first.Scalar()));
    }
  }
}

void ReadAgent(YamlReader& r, const YAML::Node& arm, const ArmContext& ctx, ArmSpec* spec) {
  YAML::Node agent = r.Get(arm, "agent", Need::kOptional);
  if (!agent.IsDefined() || agent.IsNull()) return;
  if (!r.ExpectMap(agent, "'agent'")) return;
  r.CheckKeys(agent, {"source", "args", "files", "knobs"});
  if (r.String(agent, "source", &spec->agent.source, Need::kRequired)) {
    spec->agent.source =
        ResolveExisting(r, agent["source"], ctx, spec->agent.source, "agent source");
  }
  r.StringList(agent, "args", &spec->agent.args);
  if (r.StringList(agent, "files", &spec->agent.files)) {
    for (std::size_t i = 0; i < spec->agent.files.size(); ++i) {
      spec->agent.files[i] =
          ResolveExisting(r, agent["files"][i], ctx, spec->agent.files[i], "agent file");
    }
  }
  if (!r.StringList(agent, "knobs", &spec->agent.knobs)) return;
  for (std::size_t i = 0; i < spec->agent.knobs.size(); ++i) {
    if (!IsKnobPath(spec->agent.knobs[i])) {
      r.Error(agent["knobs"][i], fmt::format("agent knob '{}' must be a /sys/ or /proc/ path",
                                             spec->agent.knobs[i]));
    }
  }
}

void ReadPathList(YamlReader& r, const YAML::Node& arm, const std::string& key,
                  const ArmContext& ctx, const char* what, std::vector<std::string>* out) {
  if (!r.StringList(arm, key, out)) return;
  for (std::size_t i = 0; i < out->size(); ++i) {
    (*out)[i] = ResolveExisting(r, arm[key][i], ctx, (*out)[i], what);
  }
}

}  // namespace

ArmSpec ReadArm(YamlReader& r, const YAML::Node& root, const std::string& name,
                const std::string& base_dir, bool check_files) {
  ArmContext ctx{base_dir, check_files};
  ArmSpec spec;
  spec.name = name;
  YAML::Node arm = r.Get(root, name, Need::kRequired);
  if (!arm.IsDefined()) return spec;
  spec.location = r.Location(arm);
  if (arm.IsNull() || (arm.IsMap() && arm.size() == 0)) {
    r.Error(arm.IsNull() ? r.KeyNode(root, name) : arm,
            fmt::format("arm '{}' is empty; expected at least 'kernel'", name));
    return spec;
  }
  if (!r.ExpectMap(arm, fmt::format("arm '{}'", name))) return spec;
  r.CheckKeys(arm, kArmKeys);
  CheckKernel(r, arm, ctx, &spec);
  r.String(arm, "cmdline", &spec.cmdline);
  ReadKnobs(r, arm, &spec);
  r.StringMap(arm, "sysctl", &spec.sysctl);
  ReadAgent(r, arm, ctx, &spec);
  ReadPathList(r, arm, "modules", ctx, "module source", &spec.modules);
  ReadPathList(r, arm, "patch", ctx, "patch", &spec.patch);
  if (!spec.patch.empty() && !StartsWith(spec.kernel, "build:")) {
    r.Error(arm["patch"], fmt::format("arm '{}' has patches but its kernel is not build:<name>; "
                                      "patches apply only to kernels kgate builds",
                                      name));
  }
  return spec;
}

std::optional<TunedSpec> ReadTuned(YamlReader& r, const YAML::Node& root) {
  YAML::Node tuned = r.Get(root, "tuned", Need::kOptional);
  if (!tuned.IsDefined() || !r.ExpectMap(tuned, "'tuned'")) return std::nullopt;
  r.CheckKeys(tuned, {"sweep"});
  TunedSpec spec;
  spec.location = r.Location(tuned);
  YAML::Node sweep = r.Get(tuned, "sweep", Need::kRequired);
  if (!sweep.IsDefined() || !r.ExpectMap(sweep, "'sweep'")) return spec;
  r.CheckDuplicateKeys(sweep);
  if (sweep.size() == 0) r.Error(sweep, "'sweep' names no knob");
  for (const auto& entry : sweep) {
    std::string knob;
    if (!r.AsString(entry.first, "sweep knob", &knob)) continue;
    if (!IsKnobPath(knob)) {
      r.Error(entry.first, fmt::format("knob '{}' must be a /sys/ or /proc/ path", knob));
    }
    std::vector<std::string> values;
    if (!r.AsStringList(entry.second, knob, &values)) continue;
    if (values.empty()) r.Error(entry.second, fmt::format("knob '{}' sweeps no value", knob));
    for (std::size_t i = 1; i < values.size(); ++i) {
      if (std::find(values.begin(), values.begin() + static_cast<long>(i), values[i]) !=
          values.begin() + static_cast<long>(i)) {
        r.Error(entry.second[i], fmt::format("knob '{}' sweeps '{}' twice", knob, values[i]));
      }
    }
    spec.sweep[knob] = values;
  }
  return spec;
}

}  // namespace kgate
