#include "guest/agent/sched_ext.h"

#include <dirent.h>
#include <sys/wait.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "guest/agent/system.h"

namespace kgate::agent {
namespace {

long ReadNumber(const std::string& path) {
  std::string text = ReadSmallFile(path);
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return -1;
  return std::strtol(text.c_str(), nullptr, 10);
}

// "exit 1", "signal 11", or "" while it runs. Reaps it when it ended.
std::string ProgramEnded(pid_t pid) {
  if (pid <= 0) return "";
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) != pid) return "";
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "exit " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

std::string SchedExtState::Describe() const {
  if (state.empty()) return "no /sys/kernel/sched_ext (a kernel without CONFIG_SCHED_CLASS_EXT)";
  std::string out = state;
  out += " (ops " + (ops.empty() ? std::string("none") : ops);
  out += ", enable_seq " + std::to_string(enable_seq) + ")";
  return out;
}

SchedExtState ReadSchedExt(const std::string& sysfs) {
  SchedExtState s;
  s.state = ReadSmallFile(sysfs + "/state");
  s.ops = ReadSmallFile(sysfs + "/root/ops");
  s.enable_seq = ReadNumber(sysfs + "/enable_seq");
  s.nr_rejected = ReadNumber(sysfs + "/nr_rejected");
  s.switch_all = ReadSmallFile(sysfs + "/switch_all") == "1";
  return s;
}

SchedExtClock RealSchedExtClock() {
  SchedExtClock c;
  c.now_s = [] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  };
  c.sleep_ms = [](int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  return c;
}

std::string WaitSchedExtEnabled(const std::string& ops, double timeout_s, pid_t program,
                                long prior_seq, const SchedExtClock& clock, SchedExtState* last, double* waited_s,
                                const std::string& sysfs) {
  double start = clock.now_s();
  for (;;) {
    *last = ReadSchedExt(sysfs);
    *waited_s = clock.now_s() - start;
    if (last->state == "enabled" && last->ops == ops && last->enable_seq > prior_seq) return "";
    if (last->state.empty()) return last->Describe();
    std::string ended = ProgramEnded(program);
    if (!ended.empty()) {
      return "the scheduler program ended (" + ended + ") before the kernel enabled '" + ops +
             "'; sched_ext is " + last->Describe();
    }
    if (*waited_s >= timeout_s) {
      return "the kernel did not enable '" + ops + "' within " + std::to_string(timeout_s) +
             " s; sched_ext is " + last->Describe();
    }
    clock.sleep_ms(10);
  }
}

std::string SchedExtStillRunning(const SchedExtState& enabled, const SchedExtState& now) {
  if (now.state == "enabled" && now.ops == enabled.ops && now.enable_seq == enabled.enable_seq) return "";
  if (now.state != "enabled") return "the kernel disabled '" + enabled.ops + "': sched_ext is " + now.Describe();
  return "sched_ext was re-enabled since '" + enabled.ops + "' started: now " + now.Describe();
}

double WaitSchedExtDisabled(double timeout_s, const SchedExtClock& clock, const std::string& sysfs) {
  double start = clock.now_s();
  for (;;) {
    double waited = clock.now_s() - start;
    if (ReadSmallFile(sysfs + "/state") == "disabled") return waited;
    if (waited >= timeout_s) return -1;
    clock.sleep_ms(10);
  }
}

int CountSchedExtTasks(const std::string& proc_root, int* tasks) {
  *tasks = 0;
  int on_ext = 0;
  bool seen_line = false;
  DIR* dir = opendir(proc_root.c_str());
  if (!dir) return -1;
  while (dirent* e = readdir(dir)) {
    if (!std::isdigit(static_cast<unsigned char>(e->d_name[0]))) continue;
    std::string text = ReadWholeFile(proc_root + "/" + e->d_name + "/sched");
    if (text.empty()) continue;  // gone since readdir
    ++*tasks;
    auto at = text.find("ext.enabled");
    if (at == std::string::npos) continue;
    seen_line = true;
    auto colon = text.find(':', at);
    if (colon != std::string::npos && std::atoi(text.c_str() + colon + 1) == 1) ++on_ext;
  }
  closedir(dir);
  return seen_line ? on_ext : -1;
}

}  // namespace kgate::agent
