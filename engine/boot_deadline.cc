#include "engine/boot_deadline.h"

#include <algorithm>

namespace kgate {

double FirstBootAllowance(Tier tier) {
  switch (tier) {
    case Tier::kKvm: return 60;
    case Tier::kTcg: return 90;
    case Tier::kIcount: return 120;
  }
  return 120;
}

double BootDeadline(const std::vector<double>& recent, Tier tier) {
  if (recent.empty()) return FirstBootAllowance(tier);
  std::vector<double> sorted = recent;
  std::sort(sorted.begin(), sorted.end());
  std::size_t n = sorted.size();
  double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return std::max(kBootDeadlineFloorSeconds, kBootDeadlineFactor * median);
}

std::vector<double>& BootDeadlines::Times(const std::string& kernel_version, Tier tier) {
  auto key = std::make_pair(kernel_version, tier);
  auto it = times_.find(key);
  if (it != times_.end()) return it->second;
  std::vector<double> stored;
  // The store's history only informs the deadline: without it, the first
  // boot's allowance applies.
  if (auto loaded = store_.RecentBootSeconds(kernel_version, TierName(tier), kBootTimesConsidered);
      loaded.ok()) {
    stored = std::move(*loaded);
  }
  return times_.emplace(key, std::move(stored)).first->second;
}

double BootDeadlines::For(const std::string& kernel_version, Tier tier) {
  return BootDeadline(Times(kernel_version, tier), tier);
}

void BootDeadlines::Record(const std::string& kernel_version, Tier tier, double boot_seconds) {
  if (boot_seconds <= 0) return;
  std::vector<double>& times = Times(kernel_version, tier);
  times.insert(times.begin(), boot_seconds);
  if (times.size() > static_cast<std::size_t>(kBootTimesConsidered)) times.pop_back();
}

}  // namespace kgate
