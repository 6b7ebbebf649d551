// What kgate-agent does to the guest system as PID 1: mounts, the event
// channel, modules, the scratch disk, knobs and sysctls, power-off. Guest-only
// (these calls need root in a fresh initramfs); the logic worth unit-testing
// lives in counters/task/events/exec.
#pragma once

#include <string>

#include "guest/agent/module_cycle.h"
#include "guest/task.h"

namespace kgate::agent {

// Mounts proc, sysfs, devtmpfs, tmpfs on /tmp, debugfs and cgroup2 (the last
// two are optional), and sets PATH. Returns "" or what failed.
std::string MountBasics();

// The event channel: the virtio-serial port named guest::kChannelName
// (modprobing virtio_pci and virtio_console when no port shows up, for
// kernels that build them as modules), else /dev/ttyS1 in raw mode. Writes are whole lines, retried on short writes.
class Channel {
 public:
  // Returns false when no channel can be opened; *where says what was tried.
  bool Open(std::string* where);
  void Write(const std::string& line);
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

// Returns "" or what failed.
std::string LoadModule(const std::string& name);
// Loads a .ko file with finit_module(2), params as insmod takes them. The
// error names the file and errno, plus the kernel's last log line about the
// module when it logged one ("Unknown symbol ..."). Returns "" on success.
std::string LoadModuleFile(const std::string& path, const std::string& params);
// delete_module(2) with O_NONBLOCK: fails with EWOULDBLOCK rather than wait
// while the module is in use. Returns "" or what failed.
std::string UnloadModule(const std::string& name);
// The text of the last kernel log record containing needle; "" when none.
std::string LastKernelLogLine(const std::string& needle);
// A line on the kernel log (/dev/kmsg, level info) so the host can place the
// agent's steps among the console's messages. Best effort.
void KernelLogMark(const std::string& text);
// The real ops of RunModuleCycle: the calls above, DropCaches, /proc reads,
// a monotonic clock.
ModuleOps RealModuleOps();
// Makes the modelled disk /dev/<spec.name> (guest::NullBlkSpec): loads
// null_blk with no default device when it is a module, mounts configfs on
// /sys/kernel/config, creates nullb/<name> with its attributes and powers it
// on. Returns "" or what failed.
std::string MakeNullBlk(const guest::NullBlkSpec& spec);
// Waits up to wait_s for device, formats it with fs (mkfs.<fs> when present,
// else busybox mke2fs for ext2/3/4) unless fs is empty, and mounts it at
// mount_point. *how names the mkfs used. e2fsprogs' mkfs.ext2/3/4 makes the
// same file system on every boot: a fixed UUID and hash seed, a fixed
// creation time (E2FSPROGS_FAKE_TIME), inode tables and journal written
// now rather than by a kernel thread during the workload.
std::string SetupScratch(const std::string& device, const std::string& fs,
                         const std::string& mount_point, double wait_s, std::string* how);
// Writes value to path (a knob) or to /proc/sys/<name with dots as slashes>.
std::string WriteKnob(const std::string& path, const std::string& value);
std::string SysctlPath(const std::string& name);
std::string DropCaches();

std::string ReadSmallFile(const std::string& path);  // trimmed; "" when unreadable
std::string ReadWholeFile(const std::string& path);  // as is; "" when unreadable
double UptimeSeconds();
std::string KernelRelease();

// sync, then power off; falls back to reboot (QEMU runs with -no-reboot, so
// either ends the VM). Never returns.
[[noreturn]] void PowerOff();

}  // namespace kgate::agent
