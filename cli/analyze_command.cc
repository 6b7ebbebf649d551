// kgate analyze: judge a patch, a patch series or mbox, or an out-of-tree
// module directory for maintainability; nothing boots unless --load.
//
// `kgate analyze INPUT [--kernel REF]... [--policy NAME] [--json]
// [--no-checkpatch] [--no-build] [--load [--load-count N]]` prints every
// finding (rule, level, file:line, the offending line, why maintainers
// object), checkpatch.pl's result, the change metrics, for a module
// directory its build on debian:6.1-cloud, debian:6.12-cloud and every
// --kernel (analysis/module_build.h) and, with --load, its load/unload cycle
// in a TCG guest of each kernel it built on (checks/module_cycle.h), and
// the maintainability score with its components; --json prints the same as
// one object (analysis/analyze.h). The policy's forbid: list
// decides the exit code: 1 when a forbidden rule fired, else 0; 2 for an
// input that cannot be read or parsed (the message gives file:line), an
// unknown policy or a forbid: entry naming no rule.
#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "analysis/analyze.h"
#include "analysis/rules.h"
#include "base/build_info.h"
#include "base/paths.h"
#include "base/strings.h"
#include "config/load_options.h"
#include "config/policy_loader.h"
#include "cli/command.h"
#include "checks/module_cycle_loader.h"
#include "kernels/kernel_ref.h"

namespace kgate {
namespace {

struct AnalyzeArgs {
  std::string input;
  std::vector<std::string> kernels;
  std::string policy = "mainline";
  bool json = false;
  bool no_checkpatch = false;
  bool no_build = false;
  bool load = false;
  int load_count = 20;
};

std::string Where(const FindingRecord& f) {
  return f.line > 0 ? fmt::format("{}:{}", f.file, f.line) : f.file;
}

// Each finding with what was seen; the reason maintainers object, which ends
// every message of a kgate rule, is printed once per rule.
void PrintFindings(const Analysis& a, const std::vector<std::string>& forbid) {
  if (a.findings.empty()) std::cout << "\nno findings\n";
  std::string last_rule;
  for (const FindingRecord& f : a.findings) {
    const RuleInfo* rule = FindRule(f.rule);
    std::string why = rule != nullptr ? ": " + std::string(rule->why) : "";
    bool strip = !why.empty() && EndsWith(f.message, why);
    if (strip && f.rule != last_rule) std::cout << "\n" << f.rule << ": " << rule->why << "\n";
    if (rule == nullptr && (last_rule.empty() || FindRule(last_rule) != nullptr)) {
      std::cout << "\nfindings of checkpatch.pl:\n";
    }
    last_rule = f.rule;
    bool forbidden = std::find(forbid.begin(), forbid.end(), f.rule) != forbid.end();
    std::cout << fmt::format("{:<22} {:<8} {}{}\n", f.rule, f.level, Where(f),
                             forbidden ? "  [forbidden by policy]" : "");
    if (!f.excerpt.empty()) std::cout << "    | " << f.excerpt << "\n";
    std::cout << "    "
              << (strip ? f.message.substr(0, f.message.size() - why.size()) : f.message) << "\n";
  }
}

void PrintBuilds(const Analysis& a) {
  if (!a.build_reason.empty()) {
    std::cout << "module build on kernels: NOT RUN: " << a.build_reason << "\n";
    return;
  }
  std::cout << "module build on kernels:\n";
  for (const ModuleBuild& b : a.builds) {
    if (!b.ran) {
      std::cout << fmt::format("  {:<20} NOT RUN: {}\n", b.ref, b.reason);
      continue;
    }
    std::cout << fmt::format("  {:<20} {} ({}): {}, {} warning(s), {} kernel symbol(s) used, {:.1f} s\n",
                             b.ref, b.ok ? "ok" : "FAILED", b.version,
                             b.ok ? Join(b.modules, " ") : "no module", b.warnings,
                             b.symbols.size(), b.seconds);
    for (const auto& [other, symbols] : b.missing_elsewhere) {
      std::cout << fmt::format("    not exported by {}: {}\n", other, Join(symbols, ", "));
    }
    const ModuleLoadCheck& load = a.loads.at(&b - a.builds.data());
    if (!load.ran) std::cout << "    load/unload cycle: NOT RUN: " << load.reason << "\n";
    for (const std::string& line : load.summaries) std::cout << "    load/unload cycle: " << line << "\n";
  }
}

void PrintMetrics(const Analysis& a) {
  const ChangeMetrics& m = a.metrics;
  const CheckpatchResult& c = a.checkpatch;
  std::cout << "\ncheckpatch.pl: "
            << (c.ran ? fmt::format("{} {}: {} errors, {} warnings, {} checks", a.checkpatch_package,
                                    c.version, c.errors, c.warnings, c.checks)
                      : "NOT RUN: " + c.reason)
            << "\n";
  std::cout << fmt::format("diffstat: {} patch(es), {} file(s) changed, {} insertions(+), {} deletions(-)\n",
                           m.patches, m.files_changed, m.insertions, m.deletions);
  std::cout << "subsystems: "
            << (m.subsystems_known ? (m.subsystems.empty() ? "none" : Join(m.subsystems, "; "))
                                   : "unknown (no MAINTAINERS map for this input)")
            << "\n";
  std::cout << fmt::format("comments: {:.0f}% of {} added C lines\n", 100 * m.comment_density,
                           m.added_c_lines);
  std::vector<std::string> fns;
  for (const FunctionComplexity& f : m.functions) {
    fns.push_back(fmt::format("{}() {} ({}:{})", f.name, f.complexity, f.file, f.line));
  }
  std::cout << "complexity of added functions: " << (fns.empty() ? "none added" : Join(fns, ", "))
            << "\n";
  std::cout << "exported symbols added: "
            << (m.exported_symbols.empty() ? "none" : Join(m.exported_symbols, ", ")) << "\n";
  PrintBuilds(a);
  std::cout << fmt::format("\nmaintainability score: {}/100\n", a.score.score);
  for (const ScoreComponent& s : a.score.components) {
    if (s.penalty > 0) std::cout << fmt::format("  -{:<5.1f} {:<26} {}\n", s.penalty, s.name, s.detail);
  }
}

int RunAnalyze(const AnalyzeArgs& args) {
  for (const std::string& ref : args.kernels) {
    Result<KernelRef> parsed = ParseKernelRef(ref);
    if (!parsed.ok()) return ReportError(parsed.status().Prefixed("--kernel"));
  }
  LoadOptions load = LoadOptions::Default();
  Result<Policy> policy = LoadPolicy(args.policy, ".", load.policies_dir);
  if (!policy.ok()) return ReportLookupError(policy.status());
  Status forbid = CheckForbidList(*policy);
  if (!forbid.ok()) return ReportError(forbid);

  AnalyzeOptions options;
  options.cache_dir = CacheDir();
  options.run_checkpatch = !args.no_checkpatch;
  options.kernels = args.kernels;
  options.build_modules = !args.no_build;
  if (args.load) {
    ModuleCycleLoaderOptions loader;
    loader.cache_dir = options.cache_dir;
    loader.count = args.load_count;
    options.load_module = MakeModuleCycleLoader(loader);
  }
  Result<Analysis> analysis = Analyze(args.input, options);
  if (!analysis.ok()) return ReportError(analysis.status());
  std::vector<std::string> fired = ForbiddenRulesFired(*analysis, *policy);
  int exit_code = fired.empty() ? 0 : 1;
  if (args.json) {
    nlohmann::ordered_json out = AnalysisToJson(*analysis, build_info::kVersion);
    out["policy"] = {{"name", policy->name}, {"forbid", policy->forbid}, {"forbidden_fired", fired},
                     {"verdict", fired.empty() ? "PASS" : "FAIL"}};
    std::cout << out.dump(2) << "\n";
    return exit_code;
  }
  std::cout << fmt::format("kgate analyze {} ({})\n", analysis->input, analysis->kind);
  PrintFindings(*analysis, policy->forbid);
  PrintMetrics(*analysis);
  if (fired.empty()) {
    std::cout << fmt::format("\nPASS: no rule that policy {} forbids fired\n", policy->name);
  } else {
    std::cout << fmt::format("\nFAIL: policy {} forbids {}\n", policy->name, Join(fired, ", "));
  }
  return exit_code;
}

}  // namespace

void RegisterAnalyzeCommand(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* sub = app.add_subcommand(
      "analyze", "judge a patch, series, mbox or module source directory for maintainability");
  sub->add_option("input", args->input,
                  "a unified diff, a git format-patch file or mbox, or a module source directory")
      ->required();
  sub->add_option("--kernel", args->kernels,
                  "a kernel to build the module against besides debian:6.1-cloud and "
                  "debian:6.12-cloud (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--policy", args->policy,
                  "a policy name under policies/ or a path; its forbid: list decides the exit code")
      ->capture_default_str();
  sub->add_flag("--json", args->json, "print one JSON object instead of the listing");
  sub->add_flag("--no-checkpatch", args->no_checkpatch,
                "do not fetch or run checkpatch.pl (reported as not run)");
  sub->add_flag("--no-build", args->no_build,
                "do not fetch kernel headers or build a module directory (reported as not run)");
  sub->add_flag("--load", args->load,
                "boot each kernel the module built on (QEMU TCG) and load and unload it "
                "--load-count times: load/unload failures, slab and module memory leaks, splats");
  sub->add_option("--load-count", args->load_count, "load/unload cycles per kernel with --load")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  sub->callback([args, &context] { context.exit_code = RunAnalyze(*args); });
}

}  // namespace kgate
