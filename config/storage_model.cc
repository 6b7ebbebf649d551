#include "config/storage_model.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace kgate {

const std::vector<StorageModel>& StorageProfiles() {
  // Latencies are per request at queue depth 1 (null_blk charges each
  // request the same, whatever its size; the bandwidth cap is what makes
  // large requests cost more). Size 512 MiB: memory-backed pages are
  // allocated only as data is written, so a 64 MiB data set costs 64 MiB of
  // guest memory (plus ~24 MiB of ext4 inode tables and journal), not 512.
  static const std::vector<StorageModel> profiles = {
      // A datacenter NVMe SSD: ~80 us per 4 KiB read at queue depth 1
      // (AnandTech's enterprise SSD roundups measure 70-100 us for TLC NVMe
      // drives), PCIe 3.0 x4 bandwidth.
      {"nvme-ssd", 80'000, 3'000, 64, 512, 512},
      // A SATA SSD: ~150 us per 4 KiB read at queue depth 1 (about 6,600
      // IOPS, 40 % slower than NVMe in AnandTech's roundups), 530 MiB/s
      // sequential (SATA 6 Gb/s datasheets).
      {"sata-ssd", 150'000, 530, 32, 512, 512},
      // A cloud block volume at its baseline: AWS EBS gp3 gives 125 MiB/s
      // and 3,000 IOPS with "single-digit millisecond" latency; 1 ms here.
      {"cloud-volume", 1'000'000, 125, 32, 256, 512},
  };
  return profiles;
}

const StorageModel* FindStorageProfile(const std::string& name) {
  for (const StorageModel& p : StorageProfiles()) {
    if (p.profile == name) return &p;
  }
  return nullptr;
}

namespace {

std::vector<std::string> ProfileNames() {
  std::vector<std::string> names;
  for (const StorageModel& p : StorageProfiles()) names.push_back(p.profile);
  return names;
}

}  // namespace

std::string StorageProfileNames() { return Join(ProfileNames(), ", "); }

Result<std::optional<StorageModel>> ScratchDevice(const std::string& name) {
  if (name == kVirtioDisk) return std::optional<StorageModel>();
  if (const StorageModel* p = FindStorageProfile(name)) return std::optional<StorageModel>(*p);
  std::vector<std::string> names = ProfileNames();
  names.insert(names.begin(), kVirtioDisk);
  return Status::BadInput(fmt::format("disk '{}' is not one of {}{}", name, Join(names, ", "),
                                      DidYouMean(name, names)));
}

}  // namespace kgate
