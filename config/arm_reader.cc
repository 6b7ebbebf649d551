#include "config/arm_reader.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "base/strings.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> kArmKeys = {"kernel",  "cmdline", "knobs",    "sysctl",
                                           "modules", "agent",   "sched_ext"};
const std::vector<std::string> kConfigBases = {"guest", "guest-sched-ext", "debian-cloud",
                                               "debian-generic", "defconfig"};

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

void ReadBuildConfig(YamlReader& r, const YAML::Node& build, const ArmContext& ctx,
                     KernelBuildSpec* spec) {
  YAML::Node config = r.Get(build, "config", Need::kOptional);
  if (!config.IsDefined() || config.IsNull() || !r.ExpectMap(config, "'config'")) return;
  r.CheckKeys(config, {"base", "fragments", "set"});
  if (r.String(config, "base", &spec->config_base)) {
    if (StartsWith(spec->config_base, "file:")) {
      spec->config_base = "file:" + ResolveExisting(r, config["base"], ctx,
                                                    spec->config_base.substr(5), "config file");
    } else if (std::find(kConfigBases.begin(), kConfigBases.end(), spec->config_base) ==
               kConfigBases.end()) {
      r.Error(config["base"],
              fmt::format("config base '{}' is not one of guest, guest-sched-ext, debian-cloud, "
                          "debian-generic, defconfig, file:<path>{}",
                          spec->config_base, DidYouMean(spec->config_base, kConfigBases)));
    }
  }
  if (r.StringList(config, "fragments", &spec->fragments)) {
    for (std::size_t i = 0; i < spec->fragments.size(); ++i) {
      spec->fragments[i] =
          ResolveExisting(r, config["fragments"][i], ctx, spec->fragments[i], "config fragment");
    }
  }
  std::map<std::string, std::string> set;
  if (!r.StringMap(config, "set", &set)) return;
  for (const auto& [option, value] : set) {
    std::string name = StartsWith(option, "CONFIG_") ? option.substr(7) : option;
    bool symbol = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!symbol) {
      r.Error(config["set"], fmt::format("config option '{}' is not a Kconfig symbol "
                                         "(capitals, digits and _)",
                                         option));
    }
    // YAML reads an unquoted y or n as a boolean; yaml-cpp hands back the text.
    spec->set[name] = value == "true" ? "y" : value == "false" ? "n" : value;
  }
}

void ReadBuild(YamlReader& r, const YAML::Node& kernel, const ArmContext& ctx, ArmSpec* spec) {
  r.CheckKeys(kernel, {"build"});
  YAML::Node build = r.Get(kernel, "build", Need::kRequired);
  if (!build.IsDefined() || !r.ExpectMap(build, "'build'")) return;
  r.CheckKeys(build, {"source", "config", "patches", "same-as", "compare-with-prebuilt"});
  KernelBuildSpec& b = spec->build;
  b.location = r.Location(build);
  spec->kernel = "build:" + spec->name;
  r.String(build, "same-as", &b.same_as);
  r.Bool(build, "compare-with-prebuilt", &b.compare_with_prebuilt);
  if (r.String(build, "source", &b.source, b.same_as.empty() ? Need::kRequired : Need::kOptional)) {
    bool debian = StartsWith(b.source, "debian:") && b.source.size() > 7;
    bool git = StartsWith(b.source, "git:") && b.source.find('@') != std::string::npos;
    if (git) {
      std::string repo = b.source.substr(4, b.source.rfind('@') - 4);
      b.source = "git:" + ResolveExisting(r, build["source"], ctx, repo, "git repository") +
                 b.source.substr(b.source.rfind('@'));
    } else if (!debian) {
      r.Error(build["source"], fmt::format("'source' expects debian:<series> (the "
                                           "linux-source-<series> package) or "
                                           "git:<repository>@<ref>, got '{}'",
                                           b.source));
    }
  }
  ReadBuildConfig(r, build, ctx, &b);
  if (r.StringList(build, "patches", &b.patches)) {
    for (std::size_t i = 0; i < b.patches.size(); ++i) {
      b.patches[i] = ResolveExisting(r, build["patches"][i], ctx, b.patches[i], "patch");
    }
  }
  spec->patch = b.patches;
}

void CheckKernel(YamlReader& r, const YAML::Node& arm, const ArmContext& ctx, ArmSpec* spec) {
  YAML::Node kernel = r.Get(arm, "kernel", Need::kOptional);
  if (kernel.IsMap()) return ReadBuild(r, kernel, ctx, spec);
  if (!r.String(arm, "kernel", &spec->kernel, Need::kRequired)) return;
  std::size_t colon = spec->kernel.find(':');
  std::string scheme = colon == std::string::npos ? "" : spec->kernel.substr(0, colon);
  std::string rest = colon == std::string::npos ? "" : spec->kernel.substr(colon + 1);
  if ((scheme != "debian" && scheme != "path") || rest.empty()) {
    r.Error(arm["kernel"],
            fmt::format("'kernel' expects debian:<series>-<flavour>, debian:<package>, "
                        "path:<bzImage> or a map {{build: ...}}, got '{}'",
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

// sched_ext: scx_simple, or {scheduler: scx_simple, args: [...]}.
void ReadSchedExt(YamlReader& r, const YAML::Node& arm, ArmSpec* spec) {
  YAML::Node node = r.Get(arm, "sched_ext", Need::kOptional);
  if (!node.IsDefined() || node.IsNull()) return;
  SchedExtSpec& s = spec->sched_ext;
  YAML::Node name = node;
  if (node.IsMap()) {
    r.CheckKeys(node, {"scheduler", "args"});
    if (!r.String(node, "scheduler", &s.scheduler, Need::kRequired)) return;
    r.StringList(node, "args", &s.args);
    name = node["scheduler"];
  } else if (!r.String(arm, "sched_ext", &s.scheduler)) {
    return;
  }
  const std::vector<std::string>& known = InTreeSchedExtSchedulers();
  if (std::find(known.begin(), known.end(), s.scheduler) == known.end()) {
    r.Error(name, fmt::format("sched_ext: '{}' is not one of the kernel's in-tree schedulers ({}){}",
                              s.scheduler, Join(known, ", "), DidYouMean(s.scheduler, known)));
  }
  if (spec->agent.present()) {
    r.Error(r.KeyNode(arm, "sched_ext"),
            "an arm runs one agent program, and sched_ext: runs the scheduler as that program; "
            "write either agent: or sched_ext:");
  }
  // Debian's 6.12 kernels leave SCHED_CLASS_EXT unset, and a path: kernel
  // brings no schedulers built against it.
  if (!spec->kernel.empty() && !StartsWith(spec->kernel, "build:")) {
    r.Error(r.KeyNode(arm, "sched_ext"),
            fmt::format("sched_ext: needs a kernel kgate builds with CONFIG_SCHED_CLASS_EXT and "
                        "BTF, with the schedulers built against it; '{}' is not one (Debian's "
                        "6.12 kernels leave SCHED_CLASS_EXT unset). Write kernel: {{build: "
                        "{{source: debian:6.12, config: {{base: guest-sched-ext}}}}}}",
                        spec->kernel));
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
  // Older proposals had a top-level patch: key; say where patches go now.
  if (arm["patch"].IsDefined()) {
    r.Error(r.KeyNode(arm, "patch"),
            "unknown key 'patch': patches apply to a kernel kgate builds, so they go under "
            "kernel: {build: {source: debian:6.12, patches: [...]}} (docs/formats.md)");
    arm.remove("patch");
  }
  r.CheckKeys(arm, kArmKeys);
  CheckKernel(r, arm, ctx, &spec);
  r.String(arm, "cmdline", &spec.cmdline);
  ReadKnobs(r, arm, &spec);
  r.StringMap(arm, "sysctl", &spec.sysctl);
  ReadAgent(r, arm, ctx, &spec);
  ReadSchedExt(r, arm, &spec);
  ReadPathList(r, arm, "modules", ctx, "module source", &spec.modules);
  return spec;
}

namespace {

void ResolveSameAs(YamlReader& r, ArmSpec* arm, const ArmSpec& other) {
  KernelBuildSpec& b = arm->build;
  if (b.same_as.empty()) return;
  if (b.same_as != other.name) {
    r.ErrorAt(b.location, fmt::format("same-as: '{}' is not the other arm ('{}')", b.same_as,
                                      other.name));
    return;
  }
  if (!other.build.present()) {
    r.ErrorAt(b.location, fmt::format("same-as: arm '{}' has no kernel build to copy",
                                      other.name));
    return;
  }
  KernelBuildSpec copy = other.build;
  // What this arm writes itself wins; same-as fills in the rest.
  if (!b.source.empty()) copy.source = b.source;
  if (!b.config_base.empty()) copy.config_base = b.config_base;
  if (!b.fragments.empty()) copy.fragments = b.fragments;
  for (const auto& [option, value] : b.set) copy.set[option] = value;
  copy.patches = b.patches;
  copy.same_as = b.same_as;
  copy.location = b.location;
  copy.compare_with_prebuilt = b.compare_with_prebuilt || other.build.compare_with_prebuilt;
  arm->build = copy;
  arm->patch = copy.patches;
}

}  // namespace

void FinishKernelBuilds(YamlReader& r, ArmSpec* baseline, ArmSpec* candidate) {
  ResolveSameAs(r, baseline, *candidate);
  ResolveSameAs(r, candidate, *baseline);
  for (ArmSpec* arm : {baseline, candidate}) {
    if (arm->build.present() && arm->build.config_base.empty()) arm->build.config_base = "guest";
  }
  if (baseline->build.present() == candidate->build.present()) return;
  const ArmSpec& built = baseline->build.present() ? *baseline : *candidate;
  const ArmSpec& prebuilt = baseline->build.present() ? *candidate : *baseline;
  if (built.build.compare_with_prebuilt || !StartsWith(prebuilt.kernel, "debian:")) return;
  r.ErrorAt(built.build.location,
            fmt::format("arm '{}' builds its kernel but arm '{}' runs the prebuilt {}: their "
                        "configs and toolchains differ, and the difference would be blamed on "
                        "the patch. Build both (baseline: {{kernel: {{build: {{same-as: {}, "
                        "patches: []}}}}}}), or write compare-with-prebuilt: true to accept it",
                        built.name, prebuilt.name, prebuilt.kernel, built.name));
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
