// kgate analyze --load: the ModuleLoader (analysis/analyze.h) that loads
// each ok build of a module directory in a guest running the kernel it was
// built for, by RunModuleCycle (checks/module_cycle.h).
//
// Per build: the kernel of the build's ref comes from the kernel cache
// (KernelCache::Fetch, downloading on first use) and must be the version
// the headers were (else a module built for one would be refused by the
// other, and that would be kgate's fault, not the module's); the guest image
// is kgate-agent plus busybox plus, where the kernel has them as modules,
// virtio_pci and virtio_console for the event channel (GuestImageBuilder,
// cached per kernel). Each of the build's .ko files gets its own boot and cycle.
//
// Trial directories: <cache>/trials/module-cycle/<version>-<module>-<pid>/.
// A cycle without findings deletes its directory (nothing to read there); one
// with findings keeps its console.log and events.jsonl, and the JSON names
// the console.
#pragma once

#include <string>

#include "analysis/analyze.h"
#include "base/process.h"
#include "checks/module_cycle.h"
#include "vm/vm_backend.h"

namespace kgate {

struct ModuleCycleLoaderOptions {
  std::string cache_dir;            // kernels, images, trials
  ProcessRunner* runner = nullptr;  // apt, dpkg-deb, busybox --list, ...; null: default
  VmBackend* backend = nullptr;     // null: a QEMU backend
  int count = 20;
  Tier tier = Tier::kTcg;
  ModuleCycleThresholds thresholds;
};

// The loader; it keeps the options (and borrows runner and backend, which
// must outlive it). A build whose kernel or image cannot be had gives a
// ModuleLoadCheck with ran false and the reason.
ModuleLoader MakeModuleCycleLoader(ModuleCycleLoaderOptions options);

}  // namespace kgate
