// The real collaborators of a run on this host: QEMU, the kernel cache, the
// kernel builder and the image builder under kgate's cache directory, the module analyzer, the
// host's programs and clock. `kgate run` builds one; tests build fakes.
#pragma once

#include <memory>
#include <string>

#include "checks/arm_analysis.h"
#include "engine/run_engine.h"
#include "image/guest_image.h"
#include "kbuild/kernel_builder.h"
#include "kernels/kernel_cache.h"
#include "vm/vm_backend.h"

namespace kgate {

class HostRunEnvironment {
 public:
  // store and observer are borrowed and must outlive this.
  HostRunEnvironment(Store& store, RunObserver& observer, const std::string& cache_dir);

  // Also Infrastructure when QEMU is not installed.
  Result<RunEnvironment> Environment();

 private:
  Store& store_;
  RunObserver& observer_;
  std::unique_ptr<VmBackend> backend_;
  KernelCache kernels_;
  CachedKernelBuilder builder_;
  GuestImageBuilder images_;
  ModuleArmAnalyzer analyzer_;
};

}  // namespace kgate
