// Modelled storage: the scratch disk as an in-guest null_blk device whose
// requests complete after a fixed latency, optionally under a bandwidth
// cap, with its data kept in guest memory. Under `-icount ...,sleep=off`
// the guest clock jumps to the completion timer while the vCPU idles, so a
// modelled 150 us read costs exactly 150 us of guest time and no host time,
// and I/O figures repeat across boots (docs/storage.md has the
// measurements). The emulated virtio disk completes requests in host time,
// which icount cannot see, so I/O on it scatters.
//
// A scenario names its disk (`scratch_disk: {fs: ext4, device: sata-ssd}`),
// a proposal may name one for all its scenarios (`disk: cloud-volume`), and
// `device: virtio` keeps the emulated disk. Pure data; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace kgate {

struct StorageModel {
  std::string profile;               // "sata-ssd"
  std::uint64_t latency_ns = 0;      // null_blk completion_nsec: every request
  std::uint32_t mbps = 0;            // null_blk mbps (MiB/s) cap; 0: none
  std::uint32_t queue_depth = 0;     // hw_queue_depth
  std::uint32_t max_request_kb = 0;  // max_sectors / 2: null_blk splits above it
  std::uint32_t size_mb = 0;         // the device; memory is used only as data is written
};

// The named profiles, in the order docs/storage.md lists them.
const std::vector<StorageModel>& StorageProfiles();
// nullptr when no profile has that name.
const StorageModel* FindStorageProfile(const std::string& name);
// "nvme-ssd, sata-ssd, cloud-volume"
std::string StorageProfileNames();

// A disk as a scenario or proposal names it: nullopt for "virtio", the
// profile for a profile's name; BadInput naming the choices otherwise.
Result<std::optional<StorageModel>> ScratchDevice(const std::string& name);

// The disk a scenario's scratch space is on when it is not modelled. The
// modelled one is guest::kModelDisk in the guest (guest/protocol.h).
inline constexpr char kVirtioDisk[] = "virtio";

}  // namespace kgate
