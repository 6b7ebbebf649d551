#include "checks/module_cycle_loader.h"

#include <unistd.h>

#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "image/guest_image.h"
#include "image/module_set.h"
#include "base/paths.h"
#include "kernels/kernel_cache.h"

namespace kgate {
namespace {

struct Booted {
  Kernel kernel;
  GuestImage image;  // holds the image's in-use lock while the cycle boots it
};

// The kernel of the build's ref and its guest image (kgate-agent, busybox,
// the channel's modules), or why not.
Result<Booted> Prepare(const ModuleBuild& b, const ModuleCycleLoaderOptions& o,
                       ProcessRunner& runner) {
  std::string agent = GuestProgramPath("kgate-agent");
  if (agent.empty()) {
    return Status::Infrastructure("kgate-agent is not built (build the kgate-agent target)");
  }
  KernelCache kernels(o.cache_dir, runner);
  Result<Kernel> kernel = kernels.Fetch(b.ref);
  if (!kernel.ok()) return kernel.status();
  if (kernel->version != b.version) {
    return Status::BadInput(fmt::format(
        "{} is kernel {} now, but the module was built against the headers of {}; refetch both",
        b.ref, kernel->version, b.version));
  }
  GuestImageSpec spec;
  spec.init = agent;
  spec.kernel_version = kernel->version;
  // The event channel needs virtio_pci and virtio_console, modules on Debian
  // 6.1 cloud (built in on 6.12, where they resolve to nothing); the agent
  // loads them when it finds no port.
  if (!kernel->modules_dir.empty()) {
    spec.modules_dir = kernel->modules_dir;
    spec.modules = {"virtio_pci", "virtio_console"};
  }
  GuestImageBuilder images(o.cache_dir, runner);
  Result<GuestImage> image = images.Build(spec);
  if (!image.ok()) return image.status();
  return Booted{std::move(*kernel), std::move(*image)};
}

ModuleLoadCheck LoadOnKernel(const ModuleBuild& b, const ModuleCycleLoaderOptions& o,
                             ProcessRunner& runner, VmBackend& backend) {
  ModuleLoadCheck check;
  Result<Booted> booted = Prepare(b, o, runner);
  if (!booted.ok()) {
    check.reason = booted.status().message();
    return check;
  }
  for (const std::string& ko : b.ko_paths) {
    ModuleCycleRequest r;
    r.kernel_ref = b.ref;
    r.kernel_image = booted->kernel.vmlinux_path.empty() ? booted->kernel.bzimage_path
                                                         : booted->kernel.vmlinux_path;
    r.base_image = booted->image.path;
    r.ko_path = ko;
    r.count = o.count;
    r.tier = o.tier;
    r.thresholds = o.thresholds;
    r.trial_dir = fmt::format("{}/trials/module-cycle/{}-{}-{}", o.cache_dir, b.version,
                              ModuleName(ko), getpid());
    Result<ModuleCycleResult> result = RunModuleCycle(backend, r);
    if (!result.ok()) {
      check.reason = result.status().message();
      return check;
    }
    if (!result->cycled && result->findings.empty()) {
      // The guest never reached the module: kgate's trouble, not a finding.
      check.reason = fmt::format("the guest never reached the cycle: {}: {} (see {})",
                                 result->status, result->message, r.trial_dir);
      return check;
    }
    if (result->findings.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(r.trial_dir, ec);
      result->console_path.clear();
    }
    check.ran = true;
    check.findings.insert(check.findings.end(), result->findings.begin(), result->findings.end());
    check.summaries.push_back(fmt::format("{}: {}", ModuleName(ko), ModuleCycleSummary(*result)));
    check.cycles.push_back(ModuleCycleJson(*result));
  }
  if (b.ko_paths.empty()) check.reason = "the build kept no .ko file: " + b.reason;
  return check;
}

}  // namespace

ModuleLoader MakeModuleCycleLoader(ModuleCycleLoaderOptions options) {
  // The QEMU backend is made once and shared by every call.
  std::shared_ptr<VmBackend> owned;
  if (options.backend == nullptr) owned = MakeQemuBackend();
  return [options, owned](const ModuleBuild& b) {
    ProcessRunner& runner = options.runner != nullptr ? *options.runner : DefaultProcessRunner();
    VmBackend& backend = options.backend != nullptr ? *options.backend : *owned;
    return LoadOnKernel(b, options, runner, backend);
  };
}

}  // namespace kgate
