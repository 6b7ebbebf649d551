// sched_ext in the guest (guest/protocol.h, "sched_ext"): whether the arm's
// BPF scheduler is what the kernel runs, read from sysfs and procfs. Every
// function takes the roots it reads so the unit tests can hand it a folder
// laid out like /sys/kernel/sched_ext and /proc.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

namespace kgate::agent {

inline constexpr char kSchedExtSysfs[] = "/sys/kernel/sched_ext";

// What /sys/kernel/sched_ext says: state is "enabled", "disabled",
// "enabling", "disabling" or "" (no sched_ext in this kernel); ops is the
// running scheduler's name, "" when none.
struct SchedExtState {
  std::string state;
  std::string ops;
  long enable_seq = -1;  // bumped by every enable; -1 when unreadable
  long nr_rejected = -1;
  bool switch_all = false;
  std::string Describe() const;  // "enabled (ops simple, enable_seq 1)"
};

SchedExtState ReadSchedExt(const std::string& sysfs = kSchedExtSysfs);

// The clock and the sleep RunWait uses; real ones in the guest.
struct SchedExtClock {
  std::function<double()> now_s;
  std::function<void(int)> sleep_ms;
};
SchedExtClock RealSchedExtClock();

// Polls every 10 ms until the state is "enabled" with root/ops == ops and
// enable_seq past prior_seq, read before the program started (the kernel
// sets the state before it bumps the count), returning "" with *waited_s
// how long it took; or until timeout_s passes or the
// program (pid > 0) has exited: then returns what went wrong, with the last
// state read and the program's exit status. *last holds the last state read.
std::string WaitSchedExtEnabled(const std::string& ops, double timeout_s, pid_t program,
                                long prior_seq, const SchedExtClock& clock, SchedExtState* last, double* waited_s,
                                const std::string& sysfs = kSchedExtSysfs);

// "" while the scheduler that was enabled (as `enabled`) is still the one
// running: same state, ops and enable_seq; else what changed.
std::string SchedExtStillRunning(const SchedExtState& enabled, const SchedExtState& now);

// Polls until the state reads "disabled"; returns the seconds it took, or
// -1 when it did not within timeout_s.
double WaitSchedExtDisabled(double timeout_s, const SchedExtClock& clock,
                            const std::string& sysfs = kSchedExtSysfs);

// Tasks under proc_root whose sched file says "ext.enabled : 1", and how
// many tasks were read (*tasks). -1 when no task's file has an
// ext.enabled line (a kernel without CONFIG_SCHED_DEBUG).
int CountSchedExtTasks(const std::string& proc_root, int* tasks);

}  // namespace kgate::agent
