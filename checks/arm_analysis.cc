#include "checks/arm_analysis.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "base/strings.h"
#include "image/module_set.h"

namespace kgate {
namespace {

namespace fs = std::filesystem;

// Finding files are relative to the analysed input; in a run they are
// relative to where kgate was started, so that the SARIF of the run points
// at the file in the user's tree.
std::string RunRelative(const std::string& input, const std::string& kind,
                        const std::string& file) {
  // A patch's finding names the file inside the patched tree, not on disk.
  if (file.empty() || kind != "module") return file;
  std::error_code ec;
  fs::path rel = fs::relative(input, fs::current_path(ec), ec);
  if (ec || rel.empty() || StartsWith(rel.string(), "..")) rel = input;
  return (rel / file).lexically_normal().string();
}

const ModuleBuild* BuildFor(const Analysis& a, const std::string& ref) {
  for (const ModuleBuild& b : a.builds) {
    if (b.ref == ref) return &b;
  }
  return nullptr;
}

// The parameters a module declares, as the sysfs files they become; modinfo
// prints "name:type" per parameter.
std::vector<std::string> ParameterPaths(const std::string& ko, ProcessRunner& runner) {
  std::vector<std::string> out;
  auto r = runner.Run({"modinfo", "-F", "parmtype", ko},
                      ProcessOptions::WithTimeout(std::chrono::seconds(10)));
  if (!r.ok() || !r->success()) return out;
  for (const std::string& line : Split(r->out, '\n')) {
    std::string name = line.substr(0, line.find(':'));
    if (!name.empty()) {
      out.push_back(fmt::format("/sys/module/{}/parameters/{}", ModuleName(ko), name));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status ModulesOfArm(const ArmSpec& arm, int arm_index, const std::string& kernel_version,
                    const Analysis& a, ProcessRunner& runner, ArmAnalysis* out) {
  const ModuleBuild* b = BuildFor(a, arm.kernel);
  std::string where = fmt::format("{}: arm '{}': module {}", arm.location.ToString(), arm.name,
                                  a.input);
  if (b == nullptr || !b->ran) {
    return Status::BadInput(fmt::format("{}: could not be built against {}: {}", where,
                                        arm.kernel, b ? b->reason : "no build was made"));
  }
  if (!b->ok) {
    std::string first = b->error_lines.empty() ? "no .ko produced" : b->error_lines.front();
    return Status::BadInput(fmt::format("{}: does not build against {} ({}): {}", where,
                                        arm.kernel, b->version, first));
  }
  if (b->version != kernel_version) {
    return Status::BadInput(fmt::format(
        "{}: was built against {} headers {}, but the arm boots {}; the Debian index changed "
        "between the two lookups, run again",
        where, arm.kernel, b->version, kernel_version));
  }
  if (b->ko_paths.empty()) {
    return Status::BadInput(fmt::format("{}: built against {} but left no .ko file", where,
                                        arm.kernel));
  }
  for (const std::string& ko : b->ko_paths) {
    out->modules.push_back(
        {ko, fmt::format("/kgate/modules/{}/{}", arm_index, fs::path(ko).filename().string()),
         ParameterPaths(ko, runner)});
  }
  return Status::Ok();
}

}  // namespace

bool NeedsAnalysis(const ArmSpec& arm) { return !arm.modules.empty() || !arm.patch.empty(); }

Result<ArmAnalysis> AnalyzeArm(const ArmSpec& arm, int arm_index, const Kernel& kernel,
                               const AnalyzeOptions& options) {
  ArmAnalysis out;
  out.arm = arm.name;
  out.kernel_version = kernel.version;
  AnalyzeOptions with_kernel = options;
  if (!arm.modules.empty() && (StartsWith(arm.kernel, "build:") || !kernel.build_dir.empty())) {
    KG_ASSIGN_OR_RETURN(KernelHeaders headers, HeadersOfBuiltKernel(arm.kernel, kernel));
    with_kernel.headers_of_ref[arm.kernel] = std::move(headers);
  }
  std::vector<std::string> inputs = arm.modules;
  inputs.insert(inputs.end(), arm.patch.begin(), arm.patch.end());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    bool module = i < arm.modules.size();
    AnalyzeOptions o = with_kernel;
    if (module) o.kernels.push_back(arm.kernel);
    auto a = Analyze(inputs[i], o);
    if (!a.ok()) return a.status().Prefixed(fmt::format("arm '{}'", arm.name));
    if (module) {
      ProcessRunner& runner = options.runner ? *options.runner : DefaultProcessRunner();
      KG_RETURN_IF_ERROR(ModulesOfArm(arm, arm_index, kernel.version, *a, runner, &out));
    }
    for (FindingRecord f : a->findings) {
      f.arm = arm.name;
      f.file = RunRelative(a->input, a->kind, f.file);
      out.findings.push_back(std::move(f));
    }
    if (out.analyses.empty() || a->score.score < out.score) {
      out.score = a->score.score;
      out.worst = out.analyses.size();
    }
    out.analyses.push_back(std::move(*a));
  }
  return out;
}

CheckRecord AnalysisCheck(const ArmAnalysis& analysis, std::int64_t run_id,
                          const std::string& kgate_version) {
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  for (const Analysis& a : analysis.analyses) inputs.push_back(AnalysisToJson(a, kgate_version));
  nlohmann::ordered_json maintainability = nullptr;
  if (!analysis.analyses.empty()) {
    const Analysis& worst = analysis.analyses[analysis.worst];
    maintainability = MaintainabilityScoreJson(worst.score);
    maintainability["input"] = worst.input;
  }
  nlohmann::ordered_json modules = nlohmann::ordered_json::array();
  for (const ArmModule& m : analysis.modules) {
    modules.push_back({{"ko", m.host_path}, {"guest_path", m.guest_path},
                       {"kernel_version", analysis.kernel_version},
                       {"parameters", m.parameter_paths}});
  }
  int errors = 0, warnings = 0;
  for (const FindingRecord& f : analysis.findings) {
    errors += f.level == "error";
    warnings += f.level == "warning";
  }
  CheckRecord c;
  c.run_id = run_id;
  c.arm = analysis.arm;
  c.kind = "analysis";
  c.status = errors == 0 ? CheckStatus::kPassed : CheckStatus::kFailed;
  c.summary = fmt::format("maintainability {}/100; {} error(s), {} warning(s)", analysis.score,
                          errors, warnings);
  c.detail_json = nlohmann::ordered_json{{"maintainability", maintainability},
                                         {"inputs", inputs},
                                         {"modules", modules}}
                      .dump();
  return c;
}

Result<ArmAnalysis> ModuleArmAnalyzer::Analyze(const ArmSpec& arm, int arm_index, const Kernel& kernel) {
  return AnalyzeArm(arm, arm_index, kernel, options_);
}

}  // namespace kgate
