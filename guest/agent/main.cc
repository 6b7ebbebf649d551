// kgate-agent: PID 1 of a kgate guest. Runs the task in /kgate/task.json and
// reports on the channel (guest/protocol.h), then powers off. It must never
// exit: PID 1 exiting panics the kernel, so every fatal path emits an `error`
// event and powers off instead.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "guest/agent/counters.h"
#include "guest/agent/events.h"
#include "guest/agent/exec.h"
#include "guest/agent/module_cycle.h"
#include "guest/agent/faults.h"
#include "guest/agent/sched_ext.h"
#include "guest/agent/system.h"
#include "guest/task.h"
#include "guest/protocol.h"

namespace kgate::agent {
namespace {

using guest::ParseTask;
using guest::Task;

Channel channel;

void Log(const std::string& msg) { std::fprintf(stderr, "kgate-agent: %s\n", msg.c_str()); }

[[noreturn]] void Fatal(const std::string& message) {
  Log("fatal: " + message);
  channel.Write(ErrorEvent(message));
  PowerOff();
}

// A step that must succeed: reports it, and on failure ends the trial.
void Step(const std::string& step, const std::string& target, const std::string& error) {
  channel.Write(StepEvent(step, target, error.empty(), error));
  if (!error.empty()) Fatal(step + " " + target + ": " + error);
}

ExecOptions WorkloadOptions(const Task& task) {
  ExecOptions o;
  o.timeout_s = task.timeout_s;
  o.max_output_bytes = task.max_output_bytes;
  o.env = task.env;
  o.cwd = task.scratch && !task.scratch->fs.empty() ? task.scratch->mount : "/tmp";
  return o;
}

void PrepareSystem(const Task& task) {
  for (const auto& m : task.modules) Step("module", m, LoadModule(m));
  for (const auto& m : task.insmod) Step("insmod", m.path, LoadModuleFile(m.path, m.params));
  if (task.scratch) {
    std::string what = task.scratch->device;
    if (const auto& model = task.scratch->null_blk) {
      what += " (null_blk, " + model->profile + ")";
      if (std::string err = MakeNullBlk(*model); !err.empty()) Step("scratch", what, err);
    }
    std::string how;
    std::string err = SetupScratch(task.scratch->device, task.scratch->fs, task.scratch->mount,
                                   10, &how);
    Step("scratch", what + " " + how, err);
  }
  for (const auto& [name, value] : task.sysctl) Step("sysctl", name, WriteKnob(SysctlPath(name), value));
  for (const auto& [path, value] : task.knobs) Step("knob", path, WriteKnob(path, value));
}

// Waits, up to 30 s of guest time, until the CPUs are idle, so that no
// boot-time kernel work shares them with the workload: a 200 ms window
// under 10 % busy. The crypto self-tests keep a Debian kernel half busy
// for 10 s past /init under TCG (the QEMU backend turns them off with
// cryptomgr.notests=1); this catches their like. Said on the console, and
// in a settle step, when it waited.
void SettleIdle() {
  constexpr int kWindowMs = 200, kMaxWindows = 150;
  constexpr double kIdleBelow = 0.10;
  double busy = 0;
  int windows = 0;
  for (; windows < kMaxWindows; ++windows) {
    Counters before = SnapshotProcStat();
    usleep(kWindowMs * 1000);
    busy = BusyShare(before, SnapshotProcStat());
    if (busy < kIdleBelow) break;
  }
  if (windows == 0) return;
  char what[96];
  std::snprintf(what, sizeof what, "%.1f s, last window %.0f %% busy%s",
                windows * kWindowMs / 1000.0, busy * 100,
                windows == kMaxWindows ? " (gave up)" : "");
  Log(std::string("waited for the guest to go idle before the workload: ") + what);
  channel.Write(StepEvent("settle", what, true, ""));
}

// Where the agent program's stdout and stderr go; quoted when a sched_ext
// scheduler fails (libbpf, the verifier and its exit info say why there).
constexpr char kAgentProgramLog[] = "/tmp/kgate-agent-program.log";

std::string Tail(const std::string& text) {
  constexpr std::size_t kTail = 2048;
  return text.size() > kTail ? text.substr(text.size() - kTail) : text;
}

std::string AgentProgramOutput() { return "its output: " + Tail(ReadWholeFile(kAgentProgramLog)); }

// What a scheduler the kernel ejected said: its "EXIT: <reason>
// (<message>)" line, which follows a long state dump, else its output.
std::string EjectedSchedulerSaid() {
  std::string out = ReadWholeFile(kAgentProgramLog);
  auto exit_at = out.rfind("EXIT: ");
  if (exit_at == std::string::npos) return "its output: " + Tail(out);
  return "it said: " + out.substr(exit_at, out.find('\n', exit_at) - exit_at);
}

// The scheduler the kernel enabled, when the agent program is a sched_ext
// scheduler; checked after every repetition.
SchedExtState enabled_scheduler;

pid_t StartAgentProgram(const Task& task) {
  if (!task.agent) return -1;
  std::vector<std::string> argv = {task.agent->path};
  argv.insert(argv.end(), task.agent->args.begin(), task.agent->args.end());
  std::string err;
  long prior_seq = task.sched_ext ? ReadSchedExt().enable_seq : -1;
  pid_t pid = Spawn(argv, &err, kAgentProgramLog);
  Step("agent", task.agent->path, pid > 0 ? "" : err);
  if (task.sched_ext) {
    double waited = 0;
    err = WaitSchedExtEnabled(task.sched_ext->ops, task.sched_ext->enable_timeout_s, pid, prior_seq,
                              RealSchedExtClock(), &enabled_scheduler, &waited);
    if (!err.empty()) err += "; " + AgentProgramOutput();
    char what[160];
    std::snprintf(what, sizeof what, "%s enabled after %.2f s (switch_all %d, enable_seq %ld)",
                  task.sched_ext->ops.c_str(), waited, enabled_scheduler.switch_all ? 1 : 0,
                  enabled_scheduler.enable_seq);
    Step("sched_ext", err.empty() ? what : task.sched_ext->ops, err);
  }
  return pid;
}

void RunSetup(const Task& task) {
  ExecOptions o = WorkloadOptions(task);
  for (const auto& cmd : task.setup) {
    ExecResult r = Shell(cmd, o);
    std::string err;
    if (!r.started) {
      err = r.error;
    } else if (r.timed_out) {
      err = "timed out; output: " + r.output.substr(0, 2048);
    } else if (r.exit_code != 0) {
      err = "exit " + std::to_string(r.exit_code) + "; output: " + r.output.substr(0, 2048);
    }
    Step("setup", cmd, err);
  }
}

// The module cycle is data, never a step error: a module that fails to load
// or unload is what the host judges, so the event reports it and the trial
// goes on to done.
void RunCycle(const ModuleCycleSpec& spec) {
  // The guest boots with `quiet`, which keeps KERN_WARNING (a WARN's splat)
  // off the console; the host must see every splat the module causes.
  if (auto err = WriteKnob("/proc/sys/kernel/printk", "7"); !err.empty()) Log("console loglevel: " + err);
  CycleReport report = RunModuleCycle(spec, RealModuleOps());
  channel.Write(ModuleCycleEvent(spec, report));
}

void RunRepetitions(const Task& task, pid_t agent_pid) {
  ExecOptions o = WorkloadOptions(task);
  for (int i = 0; i < task.warmup + task.reps; ++i) {
    bool warmup = i < task.warmup;
    if (task.drop_caches) {
      if (auto err = DropCaches(); !err.empty()) Fatal("drop caches: " + err);
    }
    Counters before = SnapshotCounters(agent_pid);
    ExecResult r = Shell(task.command, o);
    Counters after = SnapshotCounters(agent_pid);
    if (!r.started) Fatal("cannot run the command: " + r.error);
    // A repetition the BPF scheduler did not see through measured the fair
    // class: no sample of it may stand for the arm.
    if (task.sched_ext) {
      std::string gone = SchedExtStillRunning(enabled_scheduler, ReadSchedExt());
      if (!gone.empty()) {
        Fatal("sched_ext: during repetition " + std::to_string(i) + ", " + gone +
              "; the kernel said: " + LastKernelLogLine("sched_ext:") + "; " +
              EjectedSchedulerSaid());
      }
    }
    channel.Write(RepEvent(warmup ? i : i - task.warmup, warmup, r, Delta(before, after)));
  }
}

// The fault pass (task "faults") in place of the repetitions: one "fault"
// event with what happened.
void RunFaultPass(const Task& task, pid_t agent_pid, std::uint64_t taint_boot) {
  Log("fault pass: agent pid " + std::to_string(agent_pid));
  channel.Write(FaultEvent(RunFaults(*task.faults, task.command, WorkloadOptions(task), agent_pid,
                                     taint_boot, task.sched_ext.has_value())));
}

[[noreturn]] void Main() {
  std::string err = MountBasics();
  std::string where;
  if (!channel.Open(&where)) Log("no channel: " + where);  // events are lost; still run
  if (!err.empty()) Fatal(err);
  std::string text = ReadSmallFile(guest::kTaskPath);
  if (text.empty()) Fatal(std::string("cannot read ") + guest::kTaskPath);
  std::string parse_error;
  auto task = ParseTask(text, &parse_error);
  if (!task) Fatal(parse_error);
  channel.Write(ReadyEvent(KernelRelease(),
                           ReadSmallFile("/sys/devices/system/clocksource/clocksource0/current_clocksource"),
                           UptimeSeconds()));
  std::uint64_t taint_boot = ParseTaint(ReadSmallFile("/proc/sys/kernel/tainted"));
  PrepareSystem(*task);
  if (task->module_cycle) RunCycle(*task->module_cycle);
  SettleIdle();
  pid_t agent_pid = StartAgentProgram(*task);
  RunSetup(*task);
  if (task->faults) {
    RunFaultPass(*task, agent_pid, taint_boot);
  } else {
    RunRepetitions(*task, agent_pid);
  }
  channel.Write(DoneEvent());
  Log("done");
  PowerOff();
}

}  // namespace
}  // namespace kgate::agent

int main() {
  // PID 1 gets no default signal handling; SIGPIPE must not end the agent.
  signal(SIGPIPE, SIG_IGN);
  try {
    kgate::agent::Main();
  } catch (const std::exception& e) {
    kgate::agent::Fatal(std::string("internal error: ") + e.what());
  } catch (...) {
    kgate::agent::Fatal("internal error");
  }
}
