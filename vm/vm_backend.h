// VmBackend: boots one guest for one trial and reports how it ended. The
// guest's console (ttyS0) and its event channel (guest/protocol.h) go to
// files in the trial directory; the caller reads them afterwards.
//
// A guest that panics, hangs or floods its logs is an outcome, not an error:
// Boot returns an error Status only when the request itself is unusable (no
// kernel file, trial directory not creatable). QEMU failing to start is the
// outcome kQemuFailed with its stderr, so a run records it and goes on.
//
// Implementations: vm_backend_qemu.cc (QEMU spawned directly); a fake in
// vm/testing/fake_vm_backend.h. Backends are not thread-safe; use one per
// thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/model.h"

namespace kgate {

enum class Tier { kTcg, kIcount, kKvm };

// Tier icount: 2^3 ns of guest time per instruction. docs/tiers.md has the
// measurements behind it and `scripts/measure-boot.sh` reproduces them.
inline constexpr int kDefaultIcountShift = 3;
const char* TierName(Tier tier);  // "tcg", "icount", "kvm"
// "tcg" / "icount" / "kvm"; BadInput naming the accepted values otherwise.
Result<Tier> ParseTier(const std::string& name);

// The QEMU machine model. kPc works with a bzImage or a PVH vmlinux; kMicrovm
// (with PCIe, so virtio-pci devices work without the virtio_mmio module)
// needs a PVH vmlinux.
enum class Machine { kPc, kQ35, kMicrovm };

struct BootRequest {
  std::string kernel_image;   // bzImage, or an uncompressed vmlinux with a PVH note
  std::string initrd;         // the complete initramfs (base image + task archive)
  std::string cmdline;        // the arm's cmdline, appended to kgate's own
  Shape shape;
  Tier tier = Tier::kTcg;
  Machine machine = Machine::kPc;
  int icount_shift = kDefaultIcountShift;  // tier icount only
  // Tier icount only: QEMU's -seed (the guest's random numbers) and an RTC
  // that starts at a fixed date and follows the virtual clock, so a boot
  // repeats bit for bit from its seed.
  std::uint32_t guest_seed = 0;
  bool scratch_disk = false;  // attach a fresh sparse raw disk of shape.disk_bytes
  std::string trial_dir;      // created if missing; logs and the disk go here
  // Host watchdogs, each killing QEMU with kTimedOut; 0 turns one off.
  double timeout_seconds = 600;        // the whole boot
  double ready_timeout_seconds = 0;    // until the agent's ready event (the boot deadline)
  double quiet_timeout_seconds = 0;    // after ready: the longest silence on the channel
  std::uint64_t max_log_bytes = 64ull << 20;  // console or event log; kill beyond
};

enum class ExitReason {
  kPoweredOff,  // QEMU exited normally: the guest powered off or rebooted
  kPanicked,    // the guest kernel panicked (panic=-1 reboots, -no-reboot exits)
  kTimedOut,    // a watchdog killed QEMU (detail says which)
  kLogLimit,    // a log passed max_log_bytes; QEMU was killed
  kQemuFailed,  // QEMU could not start or exited with an error
};

struct BootOutcome {
  ExitReason reason = ExitReason::kPoweredOff;
  std::string detail;          // one line: QEMU's stderr, which log overflowed, ...
  double wall_seconds = 0;     // QEMU start to exit, host clock
  double ready_seconds = -1;   // QEMU start until a ready event appeared; -1 if never
  std::string console_path;    // ttyS0 as written by the guest
  std::string events_path;     // the channel's JSON lines
  std::string command_line;    // the exact command, shell-quoted, to store with the trial
};

class VmBackend {
 public:
  virtual ~VmBackend() = default;
  // Boots and waits for the guest to end. Also returns Interrupted, with the
  // guest killed, when a stop was requested (base/interrupt.h) meanwhile.
  virtual Result<BootOutcome> Boot(const BootRequest& request) = 0;
  // Kills the guests a kgate process left running when it died without
  // cleaning up (SIGKILL); guests of live kgate processes are left alone.
  // Returns how many were killed.
  virtual int ReapLeftovers() { return 0; }
};

// The QEMU backend. qemu_binary is searched in PATH when not absolute.
std::unique_ptr<VmBackend> MakeQemuBackend(std::string qemu_binary = "qemu-system-x86_64");

// The -name a guest started by kgate process kgate_pid gets: "kgate.<pid>".
std::string GuestName(int kgate_pid);

// A guest process whose kgate is gone: its -name names a pid that is no
// longer running, or runs a process started after the guest (a reused pid).
struct LeftoverGuest {
  int pid = 0;
  int owner = 0;
};
// Scans proc_dir (/proc, or a fake tree in tests) for leftover guests.
std::vector<LeftoverGuest> FindLeftoverGuests(const std::string& proc_dir);

// The qemu argv for request (argv[0] = qemu_binary), with the logs and disk
// at the given paths. Exposed for tests and for `kgate doctor`.
std::vector<std::string> QemuCommandLine(const BootRequest& request, const std::string& qemu_binary,
                                         const std::string& console_path,
                                         const std::string& events_path,
                                         const std::string& disk_path);

}  // namespace kgate
