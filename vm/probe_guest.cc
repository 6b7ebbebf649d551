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

std::string BootProbeGuest(Tier tier, const std::string& cache_dir, ProcessRunner& runner,
                           VmBackend& backend, std::string* detail) {
  KernelCache kernels(cache_dir, runner);
  auto cached = kernels.List();
  if (!cached.ok()) return cached.status().message();
  if (cached->empty()) {
    return "no kernel in the cache " + kernels.kernels_dir() +
           " (kgate kernel fetch debian:6.12-cloud)";
  }
  // Prefer the kernel kgate's own tests boot: a 6.12 cloud one.
  auto it = std::find_if(cached->begin(), cached->end(), [](const Kernel& k) {
    return StartsWith(k.version, "6.12.") && EndsWith(k.version, "cloud-amd64");
  });
  const Kernel& kernel = it != cached->end() ? *it : cached->front();
  std::string agent = GuestProgramPath("kgate-agent");
  if (agent.empty()) return "kgate-agent is not built";
  GuestImageBuilder images(cache_dir, runner);
  GuestImageSpec spec;
  spec.init = agent;
  auto image = images.Build(spec);
  if (!image.ok()) return image.status().message();
  std::string kernel_image = kernel.vmlinux_path.empty() ? kernel.bzimage_path : kernel.vmlinux_path;
  auto request = MakeProbeRequest(kernel_image, image->path,
                                  cache_dir + "/probe/" + TierName(tier));
  if (!request.ok()) return request.status().message();
  request->timeout_seconds = tier == Tier::kKvm ? 30 : 120;
  TierProbeResult result = ProbeTier(tier, backend, *request);
  if (!result.ok) return result.reason;
  *detail = kernel.version + " under " + TierName(tier) + ": " + result.reason;
  return "";
}

}  // namespace kgate
