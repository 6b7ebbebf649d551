// The guest image tested against the real things: the real 6.12 cloud kernel's
// modules, the real catalogue binaries run from the unpacked image, and a real
// boot under QEMU TCG that proves the image works without kgate-agent.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include <catch2/catch.hpp>

#include "base/file_util.h"
#include "base/paths.h"
#include "base/strings.h"
#include "image/guest_image.h"
#include "kernels/kernel_cache.h"

namespace kgate {
namespace {
namespace fs = std::filesystem;

std::string ScratchDir(const std::string& tag) {
  std::string dir = fs::temp_directory_path() / ("kgate-" + tag + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  REQUIRE(MakeDirs(dir).ok());
  return dir;
}

std::string WriteInit(const std::string& dir, const std::string& body) {
  std::string path = dir + "/init.sh";
  REQUIRE(WriteFileAtomic(path, "#!/bin/sh\n" + body).ok());
  chmod(path.c_str(), 0755);
  return path;
}

ProcessResult Run(const std::vector<std::string>& argv, const std::string& cwd = "",
                  const std::string& stdin_data = "", int timeout_s = 60) {
  ProcessOptions options;
  options.cwd = cwd;
  options.stdin_data = stdin_data;
  options.timeout = std::chrono::seconds(timeout_s);
  Result<ProcessResult> run = DefaultProcessRunner().Run(argv, options);
  REQUIRE(run.ok());
  return *run;
}

Kernel CloudKernel() {
  Result<Kernel> kernel = KernelCache(CacheDir(), DefaultProcessRunner()).Fetch("debian:6.12-cloud");
  REQUIRE(kernel.ok());
  return *kernel;
}

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The catalogue's binaries: built cold into an empty cache, then again warm.
TEST_CASE("a catalogue image builds once and is reused fast", "[image][slow][net]") {
  Kernel kernel = CloudKernel();
  std::string dir = ScratchDir("catalogue");
  GuestImageSpec spec;
  spec.init = WriteInit(dir, "exec /bin/sh\n");
  for (const char* binary : {"fio", "hackbench", "stress-ng", "db_bench"}) {
    spec.needs.push_back({binary, std::string("scenario ") + binary});
  }
  spec.modules_dir = kernel.modules_dir;
  spec.kernel_version = kernel.version;
  spec.modules = {"virtio_blk", "virtio_mmio"};
  GuestImageBuilder builder(dir + "/cache", DefaultProcessRunner());
  auto start = std::chrono::steady_clock::now();
  Result<GuestImage> cold = builder.Build(spec);
  double cold_s = Since(start);
  REQUIRE(cold.ok());
  CHECK_FALSE(cold->reused);
  start = std::chrono::steady_clock::now();
  Result<GuestImage> warm = builder.Build(spec);
  double warm_s = Since(start);
  REQUIRE(warm.ok());
  CHECK(warm->reused);
  CHECK(warm_s < cold_s);
  std::cout << "catalogue image: " << cold->bytes / 1e6 << " MB, " << cold->entries
            << " entries; cold " << cold_s << " s, warm " << warm_s << " s\n";

  // Unpacked and entered with chroot, every binary runs from the image alone.
  if (getuid() == 0) {
    std::string root = dir + "/root";
    REQUIRE(MakeDirs(root).ok());
    ProcessResult unpack = Run({"cpio", "-i", "-d", "--quiet", "-F", cold->path}, root);
    CHECK(unpack.success());
    CHECK(Run({"chroot", root, "/usr/bin/fio", "--version"}).success());
    CHECK(Run({"chroot", root, "/usr/bin/stress-ng", "--version"}).success());
    ProcessResult db = Run({"chroot", root, "/usr/bin/db_bench", "--benchmarks=fillseq", "--num=10",
                            "--db=/tmp/db"});
    CHECK(db.success());
    CHECK(Run({"chroot", root, "/bin/sh", "-c", "hackbench -g 1 -l 5"}).success());
    CHECK(fs::exists(root + "/lib/modules/" + kernel.version + "/kernel/drivers/block/virtio_blk.ko"));
    CHECK(fs::exists(root + "/lib/modules/" + kernel.version + "/modules.dep"));
  }
  fs::remove_all(dir);
}

// Boots the real kernel through its PVH entry with an image whose /init is a
// busybox script: the marker on the console proves the archive, busybox and
// /dev/console are right, independently of kgate-agent.
TEST_CASE("the 6.12 cloud kernel boots the image to a busybox init", "[image][slow][net][qemu]") {
  if (FindInPath("qemu-system-x86_64").empty()) FAIL("qemu-system-x86_64 not installed (apt-get install qemu-system-x86)");
  Kernel kernel = CloudKernel();
  std::string dir = ScratchDir("boot");
  GuestImageSpec spec;
  spec.init = WriteInit(dir,
                        "/bin/mount -t proc proc /proc\n"
                        "/bin/modprobe virtio_blk && echo MODPROBE-OK\n"
                        "/usr/bin/hackbench -g 1 -l 10 >/dev/null && echo HACKBENCH-OK\n"
                        "/usr/bin/fio --version\n"
                        "echo KGATE-SMOKE $(uname -r) $(cat /kgate/task.json)\n"
                        "/bin/poweroff -f\n");
  spec.modules_dir = kernel.modules_dir;
  spec.kernel_version = kernel.version;
  spec.modules = {"virtio_blk"};
  spec.needs = {{"hackbench", "the smoke test"}, {"fio", "the smoke test"}};
  Result<GuestImage> image = GuestImageBuilder(dir + "/cache", DefaultProcessRunner()).Build(spec);
  REQUIRE(image.ok());
  REQUIRE(WriteTrialInitrd(image->path, R"({"trial":3})", dir + "/initrd").ok());
  auto start = std::chrono::steady_clock::now();
  ProcessResult boot = Run({"qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-nographic",
                            "-no-reboot", "-kernel", kernel.vmlinux_path, "-initrd", dir + "/initrd",
                            "-append", "console=ttyS0 panic=-1 quiet"},
                           "", "", 180);
  std::cout << "PVH boot to busybox init and poweroff: " << Since(start) << " s\n";
  INFO(boot.out.substr(boot.out.size() > 4000 ? boot.out.size() - 4000 : 0));
  CHECK_FALSE(boot.timed_out);
  CHECK_THAT(boot.out, Catch::Contains("MODPROBE-OK"));
  CHECK_THAT(boot.out, Catch::Contains("HACKBENCH-OK"));
  CHECK_THAT(boot.out, Catch::Contains("fio-3."));
  CHECK_THAT(boot.out, Catch::Contains("KGATE-SMOKE " + kernel.version + " {\"trial\":3}"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kgate
