// The fault pass in the guest (task field "faults", event "fault"; format in
// guest/protocol.h): the arm's agent program is SIGKILLed while the workload
// runs, its knobs are fed garbage, and kgate-agent records whether the
// workload still completes, whether the system still answers, and the taint
// before and after. The parsing and the event are host-testable; RunFaults
// (fault_run.cc) runs as root in the guest, and on the host in the tests.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "guest/agent/exec.h"
#include "guest/task.h"

namespace kgate::agent {

using guest::FaultSpec;

// One garbage value written to one knob.
struct GarbageWrite {
  std::string knob;
  std::string value;
  bool accepted = false;  // write() took every byte without an error
  long written = -1;      // what write() returned; a short write (0 < n <
                          // size) means the kernel parsed a prefix ("1" of
                          // "1 2") and ignored the rest
  int error_number = 0;   // errno when rejected (open or write)
  std::string error;      // strerror, with the call that failed
  std::string before;     // the knob read back before and after the write
  std::string after;
};

struct AgentKill {
  int pid = -1;
  double after_s = 0;
  bool alive_at_kill = false;  // the agent still ran when the timer fired
  bool killed = false;         // it ended by SIGKILL
  std::string status;          // "signal 9", "exit 3", "running", "not started"
};

struct Responsiveness {
  bool ok = false;       // a shell started, read /proc/loadavg and exited 0 in time
  double seconds = 0;
  double timeout_s = 0;
  std::string loadavg;
  std::string error;
};

// What became of a sched_ext scheduler once its program was killed: the
// kernel must disable it and move every task back to the fair class.
struct SchedExtAfterKill {
  std::string state;                // /sys/kernel/sched_ext/state once waited for
  double seconds_to_disabled = -1;  // -1: not disabled within the wait
  int ext_tasks = -1;               // tasks still on the BPF scheduler; -1 unknown
  int tasks = 0;                    // tasks read
  std::string kernel_said;          // the kernel's last "sched_ext:" log line
};

struct FaultReport {
  std::uint64_t taint_boot = 0;    // before modules, knobs and the agent
  std::uint64_t taint_before = 0;  // after setup, just before the kill
  std::uint64_t taint_after = 0;   // at the end
  AgentKill agent;
  ExecResult workload_after_kill;
  std::vector<GarbageWrite> garbage;
  ExecResult workload_after_garbage;
  Responsiveness responsive;
  std::optional<SchedExtAfterKill> sched_ext;  // a sched_ext task only
};

// The kernel's taint mask from /proc/sys/kernel/tainted text; 0 when not a
// number.
std::uint64_t ParseTaint(const std::string& text);

// The "fault" event line (ends in '\n'). Workload output is cut to its last
// max_output_bytes, since the event carries two of them.
std::string FaultEvent(const FaultReport& report, std::size_t max_output_bytes = 2048);

// fault_run.cc: runs the fault pass on a system whose agent
// program (agent_pid, -1 when none) is running. options are the workload's.
// With sched_ext, the agent program is a BPF scheduler: after the kill, the
// report says whether the kernel disabled it (waiting up to 5 s).
FaultReport RunFaults(const FaultSpec& spec, const std::string& command, const ExecOptions& options,
                      pid_t agent_pid, std::uint64_t taint_boot, bool sched_ext = false);

}  // namespace kgate::agent
