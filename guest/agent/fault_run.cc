// RunFaults: the running half of the fault pass (guest/agent/faults.h). In
// the guest it runs as root on real knobs; the unit tests run it on the host
// against a spawned shell loop and a file standing in for a knob.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "guest/agent/faults.h"
#include "guest/agent/sched_ext.h"
#include "guest/agent/system.h"

namespace kgate::agent {
namespace {

constexpr char kTaintPath[] = "/proc/sys/kernel/tainted";

// The process state letter of /proc/<pid>/stat; 0 when the process is gone.
char ProcessState(pid_t pid) {
  std::string stat = ReadSmallFile("/proc/" + std::to_string(pid) + "/stat");
  auto paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() ? stat[paren + 2] : 0;
}

// A child that sleeps after_s and then SIGKILLs the agent's whole session
// (Spawn made it a group leader, so a shell agent's children die with it).
// A separate process, not a timer in PID 1, so the workload is run by the
// same Exec as every trial. Its exit code says what it found: 0 killed a
// running agent, 1 no such process, 2 the agent had already exited.
pid_t StartKiller(pid_t agent, double after_s) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  timespec ts;
  ts.tv_sec = static_cast<time_t>(after_s);
  ts.tv_nsec = static_cast<long>((after_s - static_cast<double>(ts.tv_sec)) * 1e9);
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
  char state = ProcessState(agent);
  if (state == 0) _exit(1);
  if (state == 'Z' || state == 'X') _exit(2);
  kill(-agent, SIGKILL);
  kill(agent, SIGKILL);
  _exit(0);
}

// Waits for the killer, then for the agent (SIGKILL is delivered
// asynchronously, so give it up to 2 s to die), and records how it ended.
void FinishKill(pid_t killer, pid_t agent, AgentKill* out) {
  if (agent <= 0) {
    out->status = "not started";
    return;
  }
  int status = 0;
  if (killer > 0 && waitpid(killer, &status, 0) == killer && WIFEXITED(status)) {
    out->alive_at_kill = WEXITSTATUS(status) == 0;
  }
  out->status = "running";
  for (int i = 0; i < 200; ++i) {
    if (waitpid(agent, &status, WNOHANG) == agent) {
      if (WIFSIGNALED(status)) {
        out->status = "signal " + std::to_string(WTERMSIG(status));
        out->killed = out->alive_at_kill && WTERMSIG(status) == SIGKILL;
      } else if (WIFEXITED(status)) {
        out->status = "exit " + std::to_string(WEXITSTATUS(status));
      }
      return;
    }
    usleep(10000);
  }
}

// Writes value with one write() call, as an agent would; accepted means the
// kernel took every byte.
GarbageWrite WriteGarbage(const std::string& knob, const std::string& value) {
  GarbageWrite g;
  g.knob = knob;
  g.value = value;
  g.before = ReadSmallFile(knob);
  int fd = open(knob.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    g.error_number = errno;
    g.error = std::string("open: ") + strerror(errno);
  } else {
    ssize_t n = write(fd, value.data(), value.size());
    g.written = static_cast<long>(n);
    if (n == static_cast<ssize_t>(value.size())) {
      g.accepted = true;
    } else if (n < 0) {
      g.error_number = errno;
      g.error = std::string("write: ") + strerror(errno);
    } else {
      g.error = "write: took " + std::to_string(n) + " of " + std::to_string(value.size()) + " bytes";
    }
    close(fd);
  }
  g.after = ReadSmallFile(knob);
  return g;
}

Responsiveness CheckResponsive(double timeout_s) {
  ExecOptions o;
  o.timeout_s = timeout_s;
  o.max_output_bytes = 4096;
  ExecResult e = Exec({"/bin/sh", "-c", "cat /proc/loadavg"}, o);
  Responsiveness r;
  r.seconds = e.seconds;
  r.timeout_s = timeout_s;
  r.loadavg = e.output;
  while (!r.loadavg.empty() && (r.loadavg.back() == '\n' || r.loadavg.back() == ' ')) {
    r.loadavg.pop_back();
  }
  if (!e.started) {
    r.error = e.error;
  } else if (e.timed_out || e.seconds > timeout_s) {
    r.error = "no answer within " + std::to_string(timeout_s) + " s";
  } else if (e.exit_code != 0 || r.loadavg.empty()) {
    r.error = "exit " + std::to_string(e.exit_code) + ": " + r.loadavg.substr(0, 200);
  }
  r.ok = r.error.empty();
  return r;
}

}  // namespace

FaultReport RunFaults(const FaultSpec& spec, const std::string& command, const ExecOptions& options,
                      pid_t agent_pid, std::uint64_t taint_boot, bool sched_ext) {
  FaultReport r;
  r.taint_boot = taint_boot;
  r.taint_before = ParseTaint(ReadSmallFile(kTaintPath));
  r.agent.pid = agent_pid;
  r.agent.after_s = spec.kill_agent_after_s;
  pid_t killer = agent_pid > 0 ? StartKiller(agent_pid, spec.kill_agent_after_s) : -1;
  r.workload_after_kill = Shell(command, options);
  FinishKill(killer, agent_pid, &r.agent);
  if (sched_ext) {
    constexpr double kDisableWaitS = 5;
    SchedExtAfterKill s;
    s.seconds_to_disabled = WaitSchedExtDisabled(kDisableWaitS, RealSchedExtClock());
    s.state = ReadSchedExt().state;
    s.ext_tasks = CountSchedExtTasks("/proc", &s.tasks);
    s.kernel_said = LastKernelLogLine("sched_ext:");
    r.sched_ext = s;
  }
  // Nothing is restored afterwards: the system must cope with what is left.
  for (const auto& [knob, values] : spec.garbage) {
    for (const std::string& value : values) r.garbage.push_back(WriteGarbage(knob, value));
  }
  r.workload_after_garbage = Shell(command, options);
  r.responsive = CheckResponsive(spec.responsive_timeout_s);
  r.taint_after = ParseTaint(ReadSmallFile(kTaintPath));
  return r;
}

}  // namespace kgate::agent
