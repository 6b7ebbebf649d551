// The QEMU backend: spawns qemu-system-x86_64 directly, one process per trial,
// and watches it from the host (deadlines, log sizes, the ready event).
//
// Why these options:
// - -nodefaults -nographic -no-reboot: no VGA/NIC/floppy to probe (boot time),
//   and a guest reboot (panic=-1 on a panic, or the agent's fallback) ends
//   QEMU instead of looping.
// - console on ttyS0 to a file, events on a virtio-serial port to another
//   file: the guest's kernel messages never mix with kgate's JSON lines.
// - tier icount: -icount shift=N,sleep=off makes guest time a function of the
//   instructions executed (deterministic), sleep=off so idle guests do not
//   wait in real time; -cpu max so the guest gets an invariant TSC and picks
//   the tsc clocksource (with qemu64 the guest's clock was measured wrong).
//   Why shift 3: docs/tiers.md.
// - no network device at all: a guest is untrusted.
// - -name kgate.<pid of kgate>: ReapLeftovers recognises a guest whose kgate
//   died by it. QEMU also gets PR_SET_PDEATHSIG, so it dies with the kgate
//   that started it, and its own process group, so a kill reaches all of it.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/file_util.h"
#include "base/interrupt.h"
#include "base/process.h"
#include "vm/vm_backend.h"

namespace kgate {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::uint64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

// Reads [offset, offset + n) of path; "" when unreadable.
std::string ReadRange(const std::string& path, std::uint64_t offset, std::uint64_t n) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(offset);
  std::string buf(n, '\0');
  in.read(buf.data(), n);
  buf.resize(in.gcount());
  return buf;
}

std::string OneLine(std::string s, std::size_t max) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (s.size() > max) s = "..." + s.substr(s.size() - max);
  return s;
}

std::string MachineArg(Machine m) {
  switch (m) {
    case Machine::kPc: return "pc";
    case Machine::kQ35: return "q35";
    // Without pit/pic the 6.12 kernel cannot calibrate the TSC under TCG and
    // hangs after "Marking TSC unstable"; with them it boots, but on the
    // refined-jiffies clocksource (coarse timings), so pc stays the default.
    case Machine::kMicrovm: return "microvm,pcie=on,rtc=on,pit=on,pic=on";
  }
  return "pc";
}

// Watches the growing event log: whether the ready event came, and when the
// log last grew (the agent's progress), without rereading it.
class EventWatcher {
 public:
  explicit EventWatcher(std::string path) : path_(std::move(path)) {}
  // Polls the file; now is the current time in seconds since the start.
  void Poll(double now) {
    std::uint64_t size = FileSize(path_);
    if (size <= size_) return;
    size_ = size;
    last_growth_ = now;
    if (ready_) return;
    // Only the first line matters; bounded so a garbage flood costs nothing.
    std::string chunk = ReadRange(path_, 0, std::min<std::uint64_t>(size, 1 << 16));
    ready_ = chunk.find("\"event\":\"ready\"") != std::string::npos;
    if (ready_) ready_at_ = now;
  }
  bool ready() const { return ready_; }
  double ready_at() const { return ready_at_; }
  double last_growth() const { return last_growth_; }

 private:
  std::string path_;
  std::uint64_t size_ = 0;
  bool ready_ = false;
  double ready_at_ = -1;
  double last_growth_ = 0;
};

// Why the guest must be killed now, or "".
std::string WatchdogReason(const BootRequest& r, const EventWatcher& events, double now) {
  auto secs = [](double s) { return std::to_string(static_cast<int>(s)); };
  if (now > r.timeout_seconds) return "no power-off within " + secs(r.timeout_seconds) + " s";
  if (r.ready_timeout_seconds > 0 && !events.ready() && now > r.ready_timeout_seconds) {
    return "no ready event from the agent within " + secs(r.ready_timeout_seconds) +
           " s of boot (the boot deadline)";
  }
  if (r.quiet_timeout_seconds > 0 && events.ready() &&
      now - events.last_growth() > r.quiet_timeout_seconds) {
    return "no event from the agent for " + secs(r.quiet_timeout_seconds) +
           " s (the progress deadline)";
  }
  return "";
}

class QemuBackend : public VmBackend {
 public:
  explicit QemuBackend(std::string binary) : binary_(std::move(binary)) {}
  Result<BootOutcome> Boot(const BootRequest& request) override;
  int ReapLeftovers() override;

 private:
  std::string binary_;
};

Status CreateSparseDisk(const std::string& path, std::uint64_t bytes) {
  int fd = open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Infrastructure("cannot create " + path + ": " + strerror(errno));
  int rc = ftruncate(fd, static_cast<off_t>(bytes));
  close(fd);
  if (rc != 0) return Status::Infrastructure("cannot size " + path + ": " + strerror(errno));
  return Status::Ok();
}

pid_t SpawnQemu(const std::vector<std::string>& argv, const std::string& stderr_path) {
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0) return pid;
  setpgid(0, 0);
  // Dies with kgate; and if kgate died before the prctl, at once.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  int null_fd = open("/dev/null", O_RDWR);
  int err_fd = open(stderr_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
  dup2(null_fd, 0);
  dup2(err_fd >= 0 ? err_fd : null_fd, 1);
  dup2(err_fd >= 0 ? err_fd : null_fd, 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  dprintf(2, "cannot execute %s: %s\n", args[0], strerror(errno));
  _exit(127);
}

void KillGroup(pid_t pid, int* status) {
  kill(-pid, SIGKILL);
  while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
  }
}

Result<BootOutcome> QemuBackend::Boot(const BootRequest& request) {
  if (access(request.kernel_image.c_str(), R_OK) != 0) {
    return Status::BadInput("kernel image " + request.kernel_image + " is not readable");
  }
  if (access(request.initrd.c_str(), R_OK) != 0) {
    return Status::BadInput("initrd " + request.initrd + " is not readable");
  }
  KG_RETURN_IF_ERROR(MakeDirs(request.trial_dir));
  BootOutcome out;
  out.console_path = request.trial_dir + "/console.log";
  out.events_path = request.trial_dir + "/events.jsonl";
  std::string disk_path = request.trial_dir + "/scratch.raw";
  std::string stderr_path = request.trial_dir + "/qemu.stderr";
  // QEMU appends to chardev files; a retried trial must not see old lines.
  unlink(out.console_path.c_str());
  unlink(out.events_path.c_str());
  if (request.scratch_disk) KG_RETURN_IF_ERROR(CreateSparseDisk(disk_path, request.shape.disk_bytes));

  auto argv = QemuCommandLine(request, binary_, out.console_path, out.events_path, disk_path);
  out.command_line = ShellJoin(argv);
  Clock::time_point start = Clock::now();
  pid_t pid = SpawnQemu(argv, stderr_path);
  if (pid < 0) {
    out.reason = ExitReason::kQemuFailed;
    out.detail = std::string("fork: ") + strerror(errno);
    return out;
  }
  EventWatcher events(out.events_path);
  int status = 0;
  for (;;) {
    if (waitpid(pid, &status, WNOHANG) == pid) break;
    double now = SecondsSince(start);
    events.Poll(now);
    if (StopRequested()) {
      KillGroup(pid, &status);
      return Status::Interrupted("stopped by signal " + std::to_string(StopSignal()) +
                                 "; the guest of " + request.trial_dir + " was killed");
    }
    std::string why = WatchdogReason(request, events, now);
    if (why.empty() && FileSize(out.console_path) > request.max_log_bytes) {
      why = "console log passed " + std::to_string(request.max_log_bytes) + " bytes";
    } else if (why.empty() && FileSize(out.events_path) > request.max_log_bytes) {
      why = "event log passed " + std::to_string(request.max_log_bytes) + " bytes";
    }
    if (!why.empty()) {
      KillGroup(pid, &status);
      out.reason = why.find("log passed") != std::string::npos ? ExitReason::kLogLimit
                                                                : ExitReason::kTimedOut;
      out.detail = why + "; QEMU killed";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  out.wall_seconds = SecondsSince(start);
  events.Poll(out.wall_seconds);
  if (events.ready()) out.ready_seconds = events.ready_at();
  if (!out.detail.empty()) return out;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    out.reason = ExitReason::kQemuFailed;
    std::string err = ReadRange(stderr_path, 0, 4096);
    out.detail = OneLine(WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status))
                                           : "signal " + std::to_string(WTERMSIG(status)),
                         64) + ": " + OneLine(err, 1000);
    return out;
  }
  // panic=-1 makes a panicking kernel reboot at once, which -no-reboot turns
  // into a normal QEMU exit; the console says which it was.
  std::uint64_t size = FileSize(out.console_path);
  std::uint64_t tail = std::min<std::uint64_t>(size, 1 << 20);
  std::string end = ReadRange(out.console_path, size - tail, tail);
  auto at = end.rfind("Kernel panic - not syncing");
  if (at != std::string::npos) {
    out.reason = ExitReason::kPanicked;
    out.detail = OneLine(end.substr(at, end.find('\n', at) - at), 300);
  }
  return out;
}

}  // namespace

std::vector<std::string> QemuCommandLine(const BootRequest& request, const std::string& qemu_binary,
                                         const std::string& console_path,
                                         const std::string& events_path,
                                         const std::string& disk_path) {
  std::vector<std::string> a = {qemu_binary, "-name", GuestName(getpid()), "-M",
                                MachineArg(request.machine)};
  switch (request.tier) {
    case Tier::kTcg:
      a.insert(a.end(), {"-accel", "tcg", "-cpu", "max"});
      break;
    case Tier::kIcount:
      a.insert(a.end(), {"-accel", "tcg", "-icount",
                         "shift=" + std::to_string(request.icount_shift) + ",sleep=off", "-cpu", "max",
                         "-seed", std::to_string(request.guest_seed), "-rtc",
                         "base=2024-01-01T00:00:00,clock=vm"});
      break;
    case Tier::kKvm:
      a.insert(a.end(), {"-accel", "kvm", "-cpu", "host"});
      break;
  }
  a.insert(a.end(), {"-m", std::to_string(request.shape.memory_bytes >> 20) + "M", "-smp",
                     std::to_string(request.shape.vcpus), "-nographic", "-no-reboot", "-nodefaults",
                     "-kernel", request.kernel_image, "-initrd", request.initrd});
  // no_timer_check: under a loaded host TCG can miss the IO-APIC timer check
  // and the kernel panics ("IO-APIC + timer doesn't work!"), seen here on q35.
  // cryptomgr.notests: the crypto self-tests run in cryptomgr_test kthreads
  // after boot. Under TCG they stay runnable until about 22 s of guest
  // uptime, so a workload started at /init (12 s) gets half the CPU for its
  // first 10 s: getpid measured 5050 ns of real time for 2540 ns of CPU time
  // until the tests ended, then 2527 for 2527, and the share it lost
  // scattered by 2 % a repetition (Debian 6.12.117 cloud, icount). They test
  // the algorithms, not their speed; an arm's cmdline can turn them back on
  // with cryptomgr.notests=0 (the later value wins).
  std::string cmdline = "console=ttyS0 panic=-1 quiet no_timer_check cryptomgr.notests=1";
  if (!request.cmdline.empty()) cmdline += " " + request.cmdline;
  a.insert(a.end(), {"-append", cmdline});
  a.insert(a.end(), {"-chardev", "file,id=console,path=" + console_path, "-serial", "chardev:console",
                     "-chardev", "file,id=channel,path=" + events_path, "-device", "virtio-serial-pci",
                     "-device", "virtserialport,name=org.kgate.channel,chardev=channel"});
  if (request.scratch_disk) {
    std::string drive = "file=" + disk_path + ",if=none,id=scratch,format=raw";
    if (request.shape.disk_iops > 0) drive += ",throttling.iops-total=" + std::to_string(request.shape.disk_iops);
    if (request.shape.disk_bps > 0) drive += ",throttling.bps-total=" + std::to_string(request.shape.disk_bps);
    a.insert(a.end(), {"-drive", drive, "-device", "virtio-blk-pci,drive=scratch"});
  }
  return a;
}

std::string GuestName(int kgate_pid) { return "kgate." + std::to_string(kgate_pid); }

namespace {

// Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot;
// -1 when the process does not exist.
long long StartTime(const std::string& proc_dir, int pid) {
  std::ifstream in(proc_dir + "/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');  // the command name may hold spaces
  if (!in.good() && stat.empty()) return -1;
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 22) return std::atoll(field.c_str());
  }
  return -1;
}

// The owner pid of "-name kgate.<pid>" in a NUL-separated command line; 0 if none.
int OwnerOf(const std::string& cmdline) {
  std::vector<std::string> argv;
  std::size_t start = 0;
  for (std::size_t i = 0; i < cmdline.size(); ++i) {
    if (cmdline[i] == '\0') {
      argv.push_back(cmdline.substr(start, i - start));
      start = i + 1;
    }
  }
  for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
    const std::string& v = argv[i + 1];
    if (argv[i] != "-name" || v.rfind("kgate.", 0) != 0) continue;
    std::string digits = v.substr(6);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return 0;
    return std::atoi(digits.c_str());
  }
  return 0;
}

}  // namespace

std::vector<LeftoverGuest> FindLeftoverGuests(const std::string& proc_dir) {
  std::vector<LeftoverGuest> out;
  DIR* dir = opendir(proc_dir.c_str());
  if (dir == nullptr) return out;
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    int pid = std::atoi(name.c_str());
    std::ifstream in(proc_dir + "/" + name + "/cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    int owner = OwnerOf(cmdline);
    if (owner == 0) continue;
    long long guest_start = StartTime(proc_dir, pid);
    long long owner_start = StartTime(proc_dir, owner);
    if (owner_start >= 0 && owner_start <= guest_start) continue;  // its kgate runs
    out.push_back({pid, owner});
  }
  closedir(dir);
  return out;
}

int QemuBackend::ReapLeftovers() {
  int killed = 0;
  for (const LeftoverGuest& guest : FindLeftoverGuests("/proc")) {
    if (kill(guest.pid, SIGKILL) == 0) ++killed;
  }
  return killed;
}

std::unique_ptr<VmBackend> MakeQemuBackend(std::string qemu_binary) {
  return std::make_unique<QemuBackend>(std::move(qemu_binary));
}

}  // namespace kgate
