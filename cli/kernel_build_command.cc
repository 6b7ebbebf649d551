// kgate kernel build | gc, and the built half of kgate kernel list: kernels
// built from source (kbuild/kernel_builder.h).
//
//   kgate kernel build PROPOSAL [--arm NAME]   build the proposal's build arms
//   kgate kernel build SOURCE [--base B] [--fragment F]... [--set OPT=V]... [--patch P]...
//   kgate kernel list                           (also) the built kernels: key, source, patches, size
//   kgate kernel gc --keep N                    keep the newest N built kernels
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/paths.h"
#include "base/process.h"
#include "base/strings.h"
#include "cli/command.h"
#include "config/proposal_loader.h"
#include "kbuild/kernel_builder.h"

namespace kgate {
namespace {

struct BuildArgs {
  std::string what;  // a proposal .yaml, or a source reference
  std::string arm;
  std::string base = "guest";
  std::vector<std::string> fragments;
  std::vector<std::string> set;
  std::vector<std::string> patches;
};

CachedKernelBuilder MakeBuilder() {
  CachedKernelBuilder::Options options;
  options.cache_dir = CacheDir();
  options.configs_dir = KernelConfigsDir();
  options.notice = [](const std::string& line) { std::cerr << "kgate: " << line << "\n"; };
  return CachedKernelBuilder(options, DefaultProcessRunner());
}

// Prints one arm's outcome; the exit code: 0 built, 1 did not compile.
int PrintOutcome(const std::string& arm, const KernelBuildOutcome& out) {
  const KernelBuildRecord& r = out.record;
  if (out.error) {
    std::cout << fmt::format("{}: did not build: {}\n", arm, out.error->Describe());
    for (const std::string& line : out.error->context) std::cout << "    " << line << "\n";
    std::cout << "  log      " << out.log_path << "\n";
    return 1;
  }
  std::cout << fmt::format("{}: kernel {} {} ({})\n", arm, r.key.substr(0, 12),
                           out.kernel->version,
                           r.cache_hit ? "from the build cache" : fmt::format("built in {:.0f} s", r.seconds));
  std::cout << "  source   " << r.source << " " << r.source_version << " @ " << r.base_commit.substr(0, 12) << "\n";
  for (std::size_t i = 0; i < r.patch_ids.size(); ++i) {
    std::cout << fmt::format("  patch {}  patch-id {}\n", i + 1, r.patch_ids[i]);
  }
  std::cout << "  config   " << r.config_base
            << (r.config_origin.empty() ? "" : " from " + r.config_origin)
            << ", sha256:" << r.config_hash.substr(0, 16) << "\n";
  std::cout << "  bzImage  " << out.kernel->bzimage_path << "\n";
  std::cout << "  vmlinux  " << out.kernel->vmlinux_path << "\n";
  std::cout << "  again    " << out.kernel->dir << "/reproduce.sh\n";
  return 0;
}

int RunBuild(const BuildArgs& args) {
  CachedKernelBuilder builder = MakeBuilder();
  std::vector<std::pair<std::string, KernelBuildSpec>> arms;
  if (EndsWith(args.what, ".yaml") || EndsWith(args.what, ".yml")) {
    Result<Proposal> proposal = LoadProposal(args.what);
    if (!proposal.ok()) return ReportError(proposal.status());
    for (const ArmSpec* arm : {&proposal->baseline, &proposal->candidate}) {
      if (!arm->build.present() || (!args.arm.empty() && args.arm != arm->name)) continue;
      arms.emplace_back(arm->name, arm->build);
    }
    if (arms.empty()) {
      return ReportError(Status::BadInput(fmt::format("{}: no arm {}builds its kernel from source", args.what,
                                                      args.arm.empty() ? "" : "named '" + args.arm + "' ")));
    }
  } else {
    KernelBuildSpec spec;
    spec.source = args.what;
    spec.config_base = args.base;
    spec.fragments = args.fragments;
    spec.patches = args.patches;
    for (const std::string& kv : args.set) {
      std::size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        return ReportError(Status::BadInput(fmt::format("--set {}: expected OPTION=VALUE", kv)));
      }
      std::string option = kv.substr(0, eq);
      if (StartsWith(option, "CONFIG_")) option = option.substr(7);
      spec.set[option] = kv.substr(eq + 1);
    }
    arms.emplace_back(args.arm.empty() ? "kernel" : args.arm, spec);
  }
  int exit_code = 0;
  for (const auto& [arm, spec] : arms) {
    Result<KernelBuildOutcome> out = builder.Build(arm, spec);
    if (!out.ok()) return ReportError(out.status());
    exit_code = std::max(exit_code, PrintOutcome(arm, *out));
  }
  return exit_code;
}

int RunGc(int keep) {
  CachedKernelBuilder builder = MakeBuilder();
  Result<int> removed = builder.Collect(keep);
  if (!removed.ok()) return ReportError(removed.status());
  std::cout << fmt::format("removed {} built kernel(s); kept the newest {}\n", *removed, keep);
  return 0;
}

}  // namespace

int PrintBuiltKernels() {
  CachedKernelBuilder builder = MakeBuilder();
  auto built = builder.List();
  if (!built.ok()) return ReportError(built.status());
  if (built->empty()) {
    std::cout << "no kernels built from source in " << builder.kernels_dir() << "\n";
    return 0;
  }
  std::cout << fmt::format("{:<14} {:<24} {:<24} {:<8} {:<10} {:>8}\n", "KEY", "VERSION", "SOURCE", "PATCHES",
                           "CONFIG", "SIZE");
  for (const auto& [kernel, r] : *built) {
    std::cout << fmt::format("{:<14} {:<24} {:<24} {:<8} {:<10} {:>8}\n", r.key.substr(0, 12), kernel.version,
                             r.source + " " + r.source_version.substr(0, 10), r.patch_ids.size(),
                             r.config_base.substr(0, 10), HumanSize(kernel.size_bytes));
  }
  return 0;
}

void RegisterKernelBuildCommands(CLI::App& kernel, CommandContext& context) {
  auto args = std::make_shared<BuildArgs>();
  CLI::App* build = kernel.add_subcommand(
      "build", "build kernels from source: a proposal's build arms, or SOURCE (debian:6.12, "
               "git:<repo>@<ref>) with --patch/--fragment/--set");
  build->add_option("what", args->what, "a proposal .yaml, or a kernel source reference")->required();
  build->add_option("--arm", args->arm, "only this arm of the proposal");
  build->add_option(
      "--base", args->base,
      "config base: guest, guest-sched-ext, debian-cloud, debian-generic, defconfig, file:<path>");
  build->add_option("--fragment", args->fragments, "a config fragment file (repeatable)");
  build->add_option("--set", args->set, "OPTION=VALUE, e.g. SCHED_CLASS_EXT=y (repeatable)");
  build->add_option("--patch", args->patches, "a patch, mbox or series folder (repeatable)");
  build->callback([&context, args] { context.exit_code = RunBuild(*args); });

  auto keep = std::make_shared<int>(5);
  CLI::App* gc = kernel.add_subcommand("gc", "remove all but the newest built kernels");
  gc->add_option("--keep", *keep, "how many built kernels to keep")->check(CLI::NonNegativeNumber);
  gc->callback([&context, keep] { context.exit_code = RunGc(*keep); });
}

}  // namespace kgate
