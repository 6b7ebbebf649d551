#include "vm/probe_guest.h"

#include <algorithm>

#include "base/file_util.h"
#include "base/strings.h"
#include "guest/task.h"
#include "image/guest_image.h"
#include "base/paths.h"
#include "kernels/kernel_cache.h"

namespace kgate {

Result<TierProbeRequest> MakeProbeRequest(const std::string& kernel_image,
                                          const std::string& base_image,
                                          const std::string& work_dir) {
  KG_RETURN_IF_ERROR(MakeDirs(work_dir));
  TierProbeRequest probe;
  probe.kernel_image = kernel_image;
  probe.work_dir = work_dir;
  probe.initrd = work_dir + "/initrd.cpio";
  guest::Task task;
  task.scenario = "probe";
  task.command = "true";
  task.warmup = 0;
  task.reps = 1;
  task.timeout_s = 10;
  KG_RETURN_IF_ERROR(WriteTrialInitrd(base_image, guest::TaskToJson(task), probe.initrd));
  return probe;
}

ProbeBoot BootProbeGuest(Tier tier, const std::string& cache_dir, ProcessRunner& runner,
                         VmBackend& backend, std::string* detail) {
  KernelCache kernels(cache_dir, runner);
  auto cached = kernels.List();
  if (!cached.ok()) {
    *detail = cached.status().message();
    return ProbeBoot::kFailed;
  }
  if (cached->empty()) {
    *detail = "no kernel in " + kernels.kernels_dir() +
              " yet to boot; `kgate run` fetches one (or `kgate kernel fetch debian:6.12-cloud`)";
    return ProbeBoot::kNoKernel;
  }
  // Prefer the kernel kgate's own tests boot: a 6.12 cloud one.
  auto it = std::find_if(cached->begin(), cached->end(), [](const Kernel& k) {
    return StartsWith(k.version, "6.12.") && EndsWith(k.version, "cloud-amd64");
  });
  const Kernel& kernel = it != cached->end() ? *it : cached->front();
  std::string agent = GuestProgramPath("kgate-agent");
  if (agent.empty()) {
    *detail = "kgate-agent is not beside kgate (libexec/kgate/)";
    return ProbeBoot::kFailed;
  }
  GuestImageBuilder images(cache_dir, runner);
  GuestImageSpec spec;
  spec.init = agent;
  auto image = images.Build(spec);
  if (!image.ok()) {
    *detail = image.status().message();
    return ProbeBoot::kFailed;
  }
  std::string kernel_image = kernel.vmlinux_path.empty() ? kernel.bzimage_path : kernel.vmlinux_path;
  auto request = MakeProbeRequest(kernel_image, image->path,
                                  cache_dir + "/probe/" + TierName(tier));
  if (!request.ok()) {
    *detail = request.status().message();
    return ProbeBoot::kFailed;
  }
  request->timeout_seconds = tier == Tier::kKvm ? 30 : 120;
  TierProbeResult result = ProbeTier(tier, backend, *request);
  *detail = result.ok ? kernel.version + " under " + TierName(tier) + ": " + result.reason
                      : result.reason;
  return result.ok ? ProbeBoot::kBooted : ProbeBoot::kFailed;
}

}  // namespace kgate
