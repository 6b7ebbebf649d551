// sched_ext's sysfs and procfs as the agent reads them, on folders laid out
// like /sys/kernel/sched_ext and /proc, with a fake clock.
#include "guest/agent/sched_ext.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace kgate::agent {
namespace {

namespace fs = std::filesystem;

struct Scratch {
  std::string dir;
  Scratch() {
    dir = (fs::temp_directory_path() / ("kgate-scx-" + std::to_string(getpid()))).string();
    fs::remove_all(dir);
    fs::create_directories(dir + "/sys/root");
    fs::create_directories(dir + "/proc");
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string sys() const { return dir + "/sys"; }
  void Write(const std::string& rel, const std::string& text) const {
    fs::create_directories(fs::path(dir + "/" + rel).parent_path());
    std::ofstream(dir + "/" + rel) << text;
  }
  void State(const std::string& state, const std::string& ops, int seq) const {
    Write("sys/state", state + "\n");
    Write("sys/root/ops", ops.empty() ? "" : ops + "\n");
    Write("sys/enable_seq", std::to_string(seq) + "\n");
    Write("sys/switch_all", "1\n");
    Write("sys/nr_rejected", "0\n");
  }
};

// A clock that advances only when slept on, and a hook run at each sleep.
struct FakeClock {
  double now = 0;
  std::function<void()> on_sleep = [] {};
  SchedExtClock Get() {
    return {[this] { return now; }, [this](int ms) {
              now += ms / 1000.0;
              on_sleep();
            }};
  }
};

}  // namespace

TEST_CASE("sched_ext state reads as sysfs has it", "[agent][sched_ext]") {
  Scratch s;
  s.State("enabled", "simple", 3);
  SchedExtState st = ReadSchedExt(s.sys());
  CHECK(st.state == "enabled");
  CHECK(st.ops == "simple");
  CHECK(st.enable_seq == 3);
  CHECK(st.switch_all);
  CHECK(st.nr_rejected == 0);
  CHECK(st.Describe() == "enabled (ops simple, enable_seq 3)");
  CHECK(ReadSchedExt(s.dir + "/none").Describe() ==
        "no /sys/kernel/sched_ext (a kernel without CONFIG_SCHED_CLASS_EXT)");
}

TEST_CASE("waiting for the scheduler: enabled after a while, never, or its program gone",
          "[agent][sched_ext]") {
  Scratch s;
  s.State("disabled", "", 0);
  FakeClock clock;
  int sleeps = 0;
  clock.on_sleep = [&] {
    if (++sleeps == 5) s.State("enabling", "", 0);
    // The kernel sets the state before it bumps enable_seq: not yet ours.
    if (sleeps == 7) s.State("enabled", "simple", 0);
    if (sleeps == 9) s.State("enabled", "simple", 1);
  };
  SchedExtState last;
  double waited = -1;
  CHECK(WaitSchedExtEnabled("simple", 30, -1, 0, clock.Get(), &last, &waited, s.sys()) == "");
  CHECK(waited == Approx(0.09));
  CHECK(last.enable_seq == 1);

  // Another scheduler's name is not ours: the wait runs out.
  clock = FakeClock();
  std::string err = WaitSchedExtEnabled("central", 1, -1, 0, clock.Get(), &last, &waited, s.sys());
  CHECK_THAT(err, Catch::Contains("the kernel did not enable 'central' within 1"));
  CHECK_THAT(err, Catch::Contains("enabled (ops simple, enable_seq 1)"));

  // A program that already exited is reported with its status at once.
  s.State("disabled", "", 1);
  pid_t child = fork();
  if (child == 0) _exit(3);
  usleep(50000);
  clock = FakeClock();
  err = WaitSchedExtEnabled("simple", 30, child, 1, clock.Get(), &last, &waited, s.sys());
  CHECK_THAT(err, Catch::StartsWith("the scheduler program ended (exit 3)"));
  CHECK(waited < 1);

  CHECK_THAT(WaitSchedExtEnabled("simple", 30, -1, 0, clock.Get(), &last, &waited, s.dir + "/none"),
             Catch::Contains("without CONFIG_SCHED_CLASS_EXT"));
}

TEST_CASE("the scheduler still running: same state, ops and enable_seq", "[agent][sched_ext]") {
  SchedExtState enabled{"enabled", "simple", 4, 0, true};
  CHECK(SchedExtStillRunning(enabled, enabled) == "");
  SchedExtState off{"disabled", "", 4, 0, true};
  CHECK(SchedExtStillRunning(enabled, off) ==
        "the kernel disabled 'simple': sched_ext is disabled (ops none, enable_seq 4)");
  SchedExtState again{"enabled", "simple", 5, 0, true};
  CHECK_THAT(SchedExtStillRunning(enabled, again), Catch::Contains("re-enabled"));
}

TEST_CASE("after the kill: time to disabled, and the tasks left on the BPF scheduler",
          "[agent][sched_ext]") {
  Scratch s;
  s.State("disabling", "simple", 1);
  FakeClock clock;
  int sleeps = 0;
  clock.on_sleep = [&] {
    if (++sleeps == 3) s.State("disabled", "", 1);
  };
  CHECK(WaitSchedExtDisabled(5, clock.Get(), s.sys()) == Approx(0.03));
  s.State("enabled", "simple", 1);
  clock = FakeClock();
  CHECK(WaitSchedExtDisabled(0.5, clock.Get(), s.sys()) == -1);

  s.Write("proc/1/sched", "init (1, #threads: 1)\nse.exec_start : 1.0\next.enabled : 0\n");
  s.Write("proc/42/sched", "hackbench (42, #threads: 1)\next.enabled                                  :                    1\n");
  s.Write("proc/self/sched", "not a pid\next.enabled : 1\n");
  s.Write("proc/meminfo", "MemTotal: 1 kB\n");
  int tasks = 0;
  CHECK(CountSchedExtTasks(s.dir + "/proc", &tasks) == 1);
  CHECK(tasks == 2);
  s.Write("proc/42/sched", "hackbench (42, #threads: 1)\n");
  s.Write("proc/1/sched", "init\n");
  CHECK(CountSchedExtTasks(s.dir + "/proc", &tasks) == -1);  // no SCHED_DEBUG line anywhere
}

}  // namespace kgate::agent
