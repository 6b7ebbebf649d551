#include "guest/agent/system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "guest/agent/exec.h"
#include "guest/protocol.h"

namespace kgate::agent {
namespace {

std::string Errno(const std::string& what) { return what + ": " + strerror(errno); }

// The scratch file system's UUID and directory hash seed, the same on
// every boot.
constexpr char kFsUuid[] = "6b676174-6500-4000-8000-000000000001";

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string MountOne(const char* source, const char* target, const char* type,
                     const char* data = nullptr) {
  mkdir(target, 0755);
  if (mount(source, target, type, 0, data) != 0 && errno != EBUSY) {
    return Errno(std::string("mount ") + type + " on " + target);
  }
  return "";
}

std::string FindVirtioPort() {
  DIR* dir = opendir("/sys/class/virtio-ports");
  if (!dir) return "";
  std::string found;
  while (dirent* e = readdir(dir)) {
    std::string name = e->d_name;
    if (name[0] == '.') continue;
    if (ReadSmallFile("/sys/class/virtio-ports/" + name + "/name") == guest::kChannelName) {
      found = "/dev/" + name;
      break;
    }
  }
  closedir(dir);
  return found;
}

std::string RunTool(const std::vector<std::string>& argv) {
  ExecOptions options;
  options.timeout_s = 120;
  options.max_output_bytes = 4096;
  ExecResult r = Exec(argv, options);
  if (!r.started) return r.error;
  if (r.exit_code != 0) {
    std::string out = r.output;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return argv[0] + " exited " + std::to_string(r.exit_code) + ": " + out;
  }
  return "";
}

}  // namespace

std::string ReadSmallFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::string s;
  std::getline(in, s, '\0');
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  if (in) s << in.rdbuf();
  return s.str();
}

std::string MountBasics() {
  setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin:/usr/local/bin", 1);
  setenv("HOME", "/tmp", 1);
  for (auto err : {MountOne("proc", "/proc", "proc"), MountOne("sysfs", "/sys", "sysfs"),
                   MountOne("devtmpfs", "/dev", "devtmpfs"),
                   MountOne("tmpfs", "/tmp", "tmpfs", "mode=1777")}) {
    if (!err.empty()) return err;
  }
  // Optional: knobs may live in debugfs, agents may want cgroup2.
  MountOne("debugfs", "/sys/kernel/debug", "debugfs");
  MountOne("cgroup2", "/sys/fs/cgroup", "cgroup2");
  mkdir("/dev/shm", 01777);
  MountOne("tmpfs", "/dev/shm", "tmpfs", "mode=1777");
  return "";
}

bool Channel::Open(std::string* where) {
  // virtio_console is built in, but its ports are registered asynchronously
  // after the driver probes; give them a moment before falling back.
  for (int i = 0; i < 100 && path_.empty(); ++i) {
    path_ = FindVirtioPort();
    if (path_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Debian 6.1 cloud builds virtio_pci and virtio_console as modules (6.12
  // builds them in); with no port yet, load them from the image and look
  // again. The ttyS1 fallback below is only a fallback: QEMU wires no ttyS1.
  if (path_.empty() && !Exists("/sys/module/virtio_console")) {
    RunTool({"modprobe", "virtio_pci"});
    RunTool({"modprobe", "virtio_console"});
    for (int i = 0; i < 200 && path_.empty(); ++i) {
      path_ = FindVirtioPort();
      if (path_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  for (int i = 0; i < 100 && !path_.empty() && !Exists(path_); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (path_.empty() || !Exists(path_)) path_ = "/dev/ttyS1";
  fd_ = open(path_.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd_ < 0) {
    *where = Errno("open " + path_);
    return false;
  }
  termios t;
  if (tcgetattr(fd_, &t) == 0) {  // a serial port: no \n -> \r\n translation
    cfmakeraw(&t);
    tcsetattr(fd_, TCSANOW, &t);
  }
  *where = path_;
  return true;
}

void Channel::Write(const std::string& line) {
  std::size_t done = 0;
  while (fd_ >= 0 && done < line.size()) {
    ssize_t n = write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += n;
  }
}

std::string LoadModule(const std::string& name) { return RunTool({"modprobe", name}); }

namespace {

// /dev/kmsg opened at its end: what the kernel logs from now on.
int OpenKmsgAtEnd() {
  int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0) lseek(fd, 0, SEEK_END);
  return fd;
}

// The last record read from fd ("pri,seq,ts,flags;text") whose text
// contains needle, text only; "" when none. Closes fd.
std::string LastKmsgLine(int fd, const std::string& needle = "") {
  if (fd < 0) return "";
  std::string last;
  char buf[2048];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    if (n < 0 && errno == EPIPE) continue;  // a record was overwritten; go on
    if (n <= 0) break;
    std::string rec(buf, n);
    auto semi = rec.find(';');
    if (semi == std::string::npos) continue;
    auto nl = rec.find('\n');
    std::string text = rec.substr(semi + 1, nl == std::string::npos ? nl : nl - semi - 1);
    if (text.find(needle) != std::string::npos) last = text;
  }
  close(fd);
  return last;
}

}  // namespace

std::string LoadModuleFile(const std::string& path, const std::string& params) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("open " + path);
  int kmsg = OpenKmsgAtEnd();
  long rc = syscall(SYS_finit_module, fd, params.c_str(), 0);
  int saved = errno;
  close(fd);
  if (rc == 0) {
    if (kmsg >= 0) close(kmsg);
    return "";
  }
  std::string err = "finit_module " + path + ": " + strerror(saved);
  std::string said = LastKmsgLine(kmsg);
  return said.empty() ? err : err + " (kernel: " + said + ")";
}

std::string UnloadModule(const std::string& name) {
  if (syscall(SYS_delete_module, name.c_str(), O_NONBLOCK) != 0) {
    return Errno("delete_module " + name);
  }
  return "";
}

std::string LastKernelLogLine(const std::string& needle) {
  return LastKmsgLine(open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC), needle);
}

void KernelLogMark(const std::string& text) {
  int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  std::string line = "<6>kgate-agent: " + text + "\n";
  (void)!write(fd, line.data(), line.size());
  close(fd);
}

ModuleOps RealModuleOps() {
  ModuleOps ops;
  ops.load = LoadModuleFile;
  ops.unload = UnloadModule;
  ops.drop_caches = DropCaches;
  ops.snapshot = [] {
    return ParseMemorySnapshot(ReadWholeFile("/proc/meminfo"), ReadWholeFile("/proc/modules"),
                               ReadSmallFile("/proc/sys/kernel/tainted"));
  };
  ops.loaded = [](const std::string& name) { return ModuleListed(ReadWholeFile("/proc/modules"), name); };
  ops.sleep_ms = [](int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  ops.now_s = [] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  };
  ops.mark = KernelLogMark;
  return ops;
}

std::string MakeNullBlk(const guest::NullBlkSpec& spec) {
  // A Debian kernel builds null_blk (and configfs) as modules; without
  // nr_devices=0 it would also make a default nullb0.
  if (!Exists("/sys/module/null_blk")) {
    if (auto err = RunTool({"modprobe", "null_blk", "nr_devices=0"}); !err.empty()) return err;
  }
  const std::string config = "/sys/kernel/config";
  if (!Exists(config + "/nullb") &&
      mount("configfs", config.c_str(), "configfs", 0, nullptr) != 0 && errno != EBUSY) {
    return Errno("mount configfs on " + config);
  }
  std::string dir = config + "/nullb/" + spec.name;
  if (mkdir(dir.c_str(), 0755) != 0) return Errno("mkdir " + dir);
  std::vector<std::pair<std::string, std::string>> attrs = {
      {"size", std::to_string(spec.size_mb)},
      {"blocksize", "4096"},
      {"memory_backed", "1"},
      {"irqmode", "2"},  // a timer completes each request after completion_nsec
      {"completion_nsec", std::to_string(spec.completion_nsec)},
      {"hw_queue_depth", std::to_string(spec.queue_depth)},
      {"max_sectors", std::to_string(spec.max_sectors)},
  };
  if (spec.mbps) attrs.push_back({"mbps", std::to_string(spec.mbps)});
  attrs.push_back({"power", "1"});
  for (const auto& [name, value] : attrs) {
    if (auto err = WriteKnob(dir + "/" + name, value); !err.empty()) return err;
  }
  return "";
}

std::string SetupScratch(const std::string& device, const std::string& fs,
                         const std::string& mount_point, double wait_s, std::string* how) {
  for (double waited = 0; !Exists(device) && waited < wait_s; waited += 0.02) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!Exists(device)) return device + " did not appear within " + std::to_string(wait_s) + " s";
  if (fs.empty()) {
    *how = "raw";
    return "";
  }
  std::vector<std::string> argv;
  bool e2fs = fs == "ext4" || fs == "ext3" || fs == "ext2";
  for (const char* dir : {"/sbin/", "/usr/sbin/", "/bin/", "/usr/bin/"}) {
    if (Exists(dir + ("mkfs." + fs))) {
      argv = {dir + ("mkfs." + fs), "-F", "-q"};
      if (e2fs) {
        for (const char* arg : {"-U", kFsUuid, "-E"}) argv.push_back(arg);
        argv.push_back(std::string("lazy_itable_init=0,lazy_journal_init=0,hash_seed=") + kFsUuid);
      }
      argv.push_back(device);
      break;
    }
  }
  // busybox mke2fs writes ext2, which the ext4 driver mounts as ext4.
  if (argv.empty() && (fs == "ext4" || fs == "ext3" || fs == "ext2")) {
    argv = {"mke2fs", "-F", device};
  }
  if (argv.empty()) return "no mkfs for " + fs + " in the guest";
  *how = argv[0];
  setenv("E2FSPROGS_FAKE_TIME", "946684800", 1);  // 2000-01-01
  std::string made = RunTool(argv);
  unsetenv("E2FSPROGS_FAKE_TIME");
  if (!made.empty()) return made;
  mkdir("/mnt", 0755);
  mkdir(mount_point.c_str(), 0755);
  if (mount(device.c_str(), mount_point.c_str(), fs.c_str(), 0, nullptr) != 0) {
    return Errno("mount " + device + " (" + fs + ") on " + mount_point);
  }
  return "";
}

std::string SysctlPath(const std::string& name) {
  std::string path = name;
  for (char& c : path) {
    if (c == '.') c = '/';
  }
  return "/proc/sys/" + path;
}

std::string WriteKnob(const std::string& path, const std::string& value) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Errno("open " + path);
  ssize_t n = write(fd, value.data(), value.size());
  std::string err = n == static_cast<ssize_t>(value.size()) ? "" : Errno("write '" + value + "' to " + path);
  close(fd);
  return err;
}

std::string DropCaches() {
  sync();
  return WriteKnob("/proc/sys/vm/drop_caches", "3");
}

double UptimeSeconds() { return std::atof(ReadSmallFile("/proc/uptime").c_str()); }

std::string KernelRelease() {
  utsname u;
  return uname(&u) == 0 ? u.release : "";
}

void PowerOff() {
  sync();
  reboot(RB_POWER_OFF);
  reboot(RB_AUTOBOOT);
  for (;;) pause();
}

}  // namespace kgate::agent
