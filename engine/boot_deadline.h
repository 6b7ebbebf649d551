// The boot deadline of a trial: how long the host waits for the agent's
// ready event before it calls the guest hung.
//
// A guest that hangs at boot prints nothing and sits idle; the trial's whole
// budget (every repetition's timeout added up, about 22 minutes for
// hackbench) is far too long to wait for it. The deadline is derived from
// how long that kernel takes to boot at that tier: kFactor times the median of its recent boots (this
// run's, and the store's history), at least kFloorSeconds; a kernel never
// seen booting gets the tier's first-boot allowance.
//
// Measured here (2 cores, QEMU 7.2, Debian 6.12 cloud, 1 vCPU): 2.6 s to
// ready under tcg, 6.6 s under icount (scripts/measure-boot.sh), up to about
// 15 s on a host running two guests and a build at once. Five times the
// median, with a 20 s floor, leaves room for that load and still gives up on
// a dead guest in well under a minute.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"
#include "vm/vm_backend.h"

namespace kgate {

inline constexpr double kBootDeadlineFactor = 5;
inline constexpr double kBootDeadlineFloorSeconds = 20;
inline constexpr int kBootTimesConsidered = 20;

// A kernel with no measured boot at the tier: generous, since a loaded host
// may take a few times the figures above, but not the whole trial's budget.
double FirstBootAllowance(Tier tier);

// The deadline for boots whose recent durations are given (any order).
double BootDeadline(const std::vector<double>& recent_boot_seconds, Tier tier);

// Keeps each (kernel version, tier)'s recent boot times: loaded from the
// store the first time a pair is asked for, extended by each trial of the
// run. Not thread-safe.
class BootDeadlines {
 public:
  explicit BootDeadlines(Store& store) : store_(store) {}
  double For(const std::string& kernel_version, Tier tier);
  void Record(const std::string& kernel_version, Tier tier, double boot_seconds);

 private:
  std::vector<double>& Times(const std::string& kernel_version, Tier tier);

  Store& store_;
  std::map<std::pair<std::string, Tier>, std::vector<double>> times_;
};

}  // namespace kgate
