#include "engine/host_environment.h"

#include "base/clock.h"
#include "base/paths.h"
#include "base/process.h"
#include "base/programs.h"
#include "config/load_options.h"
#include "engine/provenance.h"

namespace kgate {
namespace {

constexpr char kQemu[] = "qemu-system-x86_64";

AnalyzeOptions AnalyzerOptions(const std::string& cache_dir) {
  AnalyzeOptions options;
  options.cache_dir = cache_dir;
  options.runner = &DefaultProcessRunner();
  return options;
}

CachedKernelBuilder::Options BuilderOptions(const std::string& cache_dir, RunObserver& observer) {
  CachedKernelBuilder::Options options;
  options.cache_dir = cache_dir;
  options.configs_dir = KernelConfigsDir();
  options.notice = [&observer](const std::string& line) { observer.OnNotice(line); };
  return options;
}

}  // namespace

HostRunEnvironment::HostRunEnvironment(Store& store, RunObserver& observer,
                                       const std::string& cache_dir)
    : store_(store),
      observer_(observer),
      backend_(MakeQemuBackend(kQemu)),
      kernels_(cache_dir, DefaultProcessRunner()),
      builder_(BuilderOptions(cache_dir, observer), DefaultProcessRunner()),
      images_(cache_dir, DefaultProcessRunner()),
      analyzer_(AnalyzerOptions(cache_dir)) {}

Result<RunEnvironment> HostRunEnvironment::Environment() {
  if (FindInPath(kQemu).empty()) {
    return Status::Infrastructure(
        "qemu-system-x86_64 not found in PATH (apt-get install qemu-system-x86, or "
        "scripts/install-deps.sh)");
  }
  RunEnvironment env;
  env.store = &store_;
  env.backend = backend_.get();
  env.kernels = &kernels_;
  env.builder = &builder_;
  env.images = &images_;
  env.analyzer = &analyzer_;
  env.programs = &SystemPrograms();
  env.clock = &RealClock();
  env.observer = &observer_;
  env.load = LoadOptions::Default();
  env.provenance = CollectProvenance(DefaultProcessRunner(), kQemu);
  return env;
}

}  // namespace kgate
