// kgate kernel: fetch and list kernels in the cache (kernels/kernel_cache.h);
// build, built and gc are in kernel_build_command.cc.
//
//   kgate kernel fetch REF...   resolve, download, unpack, depmod, extract vmlinux
//   kgate kernel list           the cached kernels: ref, package, version, size
//
// fetch records each kernel in the store when one is named (--db or $KGATE_DB),
// so a run's report can say which package a ref meant on the day.
#include <cstdlib>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/paths.h"
#include "base/process.h"
#include "cli/command.h"
#include "engine/run_inputs.h"
#include "kernels/kernel_cache.h"
#include "store/store.h"

namespace kgate {
namespace {

bool StoreNamed(const CommandContext& context) {
  const char* env = std::getenv("KGATE_DB");
  return !context.global.db.empty() || (env != nullptr && *env != '\0');
}

int RunFetch(const CommandContext& context, const std::vector<std::string>& refs) {
  std::unique_ptr<Store> store;
  if (StoreNamed(context)) {
    Result<std::unique_ptr<Store>> opened = Store::Open(ResolveDbPath(context));
    if (!opened.ok()) return ReportError(opened.status());
    store = std::move(*opened);
  }
  KernelCache cache(CacheDir(), DefaultProcessRunner());
  int exit_code = 0;
  for (const std::string& ref : refs) {
    Result<Kernel> kernel = cache.Fetch(ref);
    if (!kernel.ok()) {
      exit_code = std::max(exit_code, ReportError(kernel.status()));
      continue;
    }
    if (store) {
      Status saved = store->SaveKernel(KernelRecordOf(ref, *kernel));
      if (!saved.ok()) exit_code = std::max(exit_code, ReportError(saved));
    }
    std::cout << fmt::format("{}: {} {} ({})\n", ref,
                             kernel->package.empty() ? "path" : kernel->package, kernel->version,
                             HumanSize(kernel->size_bytes));
    std::cout << "  bzImage  " << kernel->bzimage_path << "\n";
    std::cout << "  vmlinux  " << kernel->vmlinux_path << "\n";
    if (!kernel->modules_dir.empty()) std::cout << "  modules  " << kernel->modules_dir << "\n";
    if (!kernel->config_hash.empty()) std::cout << "  config   sha256:" << kernel->config_hash << "\n";
  }
  return exit_code;
}

int RunList() {
  KernelCache cache(CacheDir(), DefaultProcessRunner());
  Result<std::vector<Kernel>> kernels = cache.List();
  if (!kernels.ok()) return ReportError(kernels.status());
  if (kernels->empty()) {
    std::cout << "no kernels in " << cache.kernels_dir() << " (kgate kernel fetch debian:6.12-cloud)\n";
    return PrintBuiltKernels();
  }
  std::cout << fmt::format("{:<20} {:<50} {:<30} {:>8}\n", "REF", "PACKAGE", "VERSION", "SIZE");
  for (const Kernel& k : *kernels) {
    std::cout << fmt::format("{:<20} {:<50} {:<30} {:>8}\n", k.ref, k.package.empty() ? "-" : k.package,
                             k.version, HumanSize(k.size_bytes));
  }
  std::cout << "\n";
  return PrintBuiltKernels();
}

}  // namespace

void RegisterKernelCommand(CLI::App& app, CommandContext& context) {
  CLI::App* kernel = app.add_subcommand("kernel", "fetch, list or build kernels");
  kernel->require_subcommand(1);

  auto refs = std::make_shared<std::vector<std::string>>();
  CLI::App* fetch = kernel->add_subcommand(
      "fetch", "resolve and download kernels: debian:6.12-cloud, debian:6.1, debian:<package>, "
               "path:<bzImage>[,modules=<dir>]");
  fetch->add_option("refs", *refs, "kernel references")->required();
  fetch->callback([&context, refs] { context.exit_code = RunFetch(context, *refs); });

  CLI::App* list = kernel->add_subcommand("list", "the cached kernels (ref, package, version, size), then those built from source");
  list->callback([&context] { context.exit_code = RunList(); });

  RegisterKernelBuildCommands(*kernel, context);
}

}  // namespace kgate
