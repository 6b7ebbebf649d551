// Real boots under QEMU TCG (tag [qemu]): the Debian 6.12 cloud kernel from
// the kernel cache (fetched once from Debian's registry), the kgate-agent
// built beside this test, and the image builder of guest_image.h. Each boot
// takes ~5-30 s depending on host load.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "base/file_util.h"
#include "base/paths.h"
#include "base/process.h"
#include "image/guest_image.h"
#include "kernels/kernel_cache.h"
#include "trial/event_reader.h"
#include "trial/trial_runner.h"
#include "vm/vm_backend.h"

namespace kgate {
namespace {

namespace fs = std::filesystem;

// The agent built with this test (build/libexec/kgate); KGATE_GUEST_BIN
// overrides.
std::string AgentPath() {
  std::string agent = GuestProgramPath("kgate-agent");
  if (agent.empty()) FAIL("kgate-agent not found; build target kgate-agent or set KGATE_GUEST_BIN");
  return agent;
}

struct RealGuest {
  Kernel kernel;
  GuestImage image;
  std::string dir;
};

const RealGuest& Guest() {
  static RealGuest guest = [] {
    RealGuest g;
    KernelCache cache(CacheDir(), DefaultProcessRunner());
    auto kernel = cache.Fetch("debian:6.12-cloud");
    REQUIRE(kernel.ok());
    g.kernel = *kernel;
    GuestImageBuilder builder(CacheDir(), DefaultProcessRunner());
    GuestImageSpec spec;
    spec.init = AgentPath();
    spec.modules_dir = g.kernel.modules_dir;
    spec.kernel_version = g.kernel.version;
    spec.modules = {"virtio_blk"};
    auto image = builder.Build(spec);
    if (!image.ok()) FAIL(image.status().message());
    g.image = *image;
    g.dir = fs::temp_directory_path() / ("kgate-qemu-test-" + std::to_string(getpid()));
    return g;
  }();
  return guest;
}

std::string TaskJson(const std::string& command) {
  return R"({"version":1,"trial":1,"scenario":"hello","modules":["virtio_blk"],)"
         R"("scratch":{"device":"/dev/vda","fs":"ext4","mount":"/mnt/scratch"},)"
         R"("command":")" + command + R"(","warmup":0,"reps":1,"timeout_s":60})";
}

TEST_CASE("the 6.12 cloud kernel boots the agent, which runs a command and powers off", "[trial][slow][net][qemu]") {
  const RealGuest& g = Guest();
  BootRequest r;
  r.kernel_image = g.kernel.bzimage_path;
  r.initrd = g.dir + "/hello/initrd.img";
  r.scratch_disk = true;
  r.shape.disk_bytes = 64 << 20;
  r.trial_dir = g.dir + "/hello";
  r.timeout_seconds = 180;
  REQUIRE(MakeDirs(r.trial_dir).ok());
  REQUIRE(WriteTrialInitrd(g.image.path, TaskJson("echo hello; df -k /mnt/scratch | tail -1"), r.initrd).ok());
  auto out = MakeQemuBackend()->Boot(r);
  REQUIRE(out.ok());
  INFO(out->command_line << "\n" << out->detail);
  CHECK(out->reason == ExitReason::kPoweredOff);
  CHECK(out->ready_seconds > 0);
  CHECK(out->ready_seconds < out->wall_seconds);
  GuestEvents ev = ReadEvents(out->events_path);
  CHECK(ev.ready);
  CHECK(ev.kernel == g.kernel.version);
  CHECK_FALSE(ev.clocksource.empty());
  REQUIRE(ev.reps.size() == 1);
  CHECK(ev.reps[0].output.exit_code == 0);
  CHECK(ev.reps[0].output.output.rfind("hello\n/dev/vda", 0) == 0);
  CHECK(ev.reps[0].output.counters.count("vmstat.pgfault") == 1);
  CHECK(ev.done);
  CHECK(ev.errors.empty());
}

TEST_CASE("a kernel without a usable init is recorded as crashed with its console tail", "[trial][slow][net][qemu]") {
  const RealGuest& g = Guest();
  auto backend = MakeQemuBackend();
  TrialRunner runner(*backend);
  TrialRequest t;
  t.arm.name = "broken";
  // init= is ignored when the initramfs has /init; rdinit= is what a broken
  // init looks like for an initramfs boot.
  t.arm.cmdline = "rdinit=/nonexistent init=/nonexistent";
  t.kernel_image = g.kernel.bzimage_path;
  t.scenario.name = "hello";
  t.scenario.run = "echo hello";
  t.scenario.parser = "counters";
  t.scenario.reps = 1;
  t.scenario.warmup = 0;
  t.base_image = g.image.path;
  t.trial_dir = g.dir + "/broken";
  t.boot_deadline_s = 120;
  auto result = runner.Run(t);
  REQUIRE(result.ok());
  INFO(result->trial.message);
  CHECK(result->trial.status == TrialStatus::kCrashed);
  CHECK(result->trial.message.find("console-panic") == 0);
  CHECK(result->trial.console_log.find("Kernel panic - not syncing") != std::string::npos);
  CHECK(result->samples.empty());
}

TEST_CASE("a real trial of a counters-only scenario is ok with samples", "[trial][slow][net][qemu]") {
  const RealGuest& g = Guest();
  auto backend = MakeQemuBackend();
  TrialRunner runner(*backend);
  TrialRequest t;
  t.arm.name = "baseline";
  t.arm.sysctl = {{"vm.swappiness", "10"}};
  t.kernel_image = g.kernel.bzimage_path;
  t.scenario.name = "touch-pages";
  t.scenario.run = "echo hello";
  t.scenario.parser = "counters";
  t.scenario.metrics = {{"vmstat.pgfault", "faults", Direction::kLowerIsBetter, MetricKind::kCount}};
  t.scenario.warmup = 1;
  t.scenario.reps = 2;
  t.base_image = g.image.path;
  t.trial_dir = g.dir + "/ok";
  auto result = runner.Run(t);
  REQUIRE(result.ok());
  INFO(result->trial.message << "\n" << result->trial.console_log);
  CHECK(result->trial.status == TrialStatus::kOk);
  CHECK(result->trial.guest_kernel == g.kernel.version);
  CHECK(result->trial.boot_seconds > 0);
  REQUIRE(result->samples.size() == 2);
  CHECK(result->samples[0].metric == "vmstat.pgfault");
  CHECK(result->samples[0].value > 0);  // a shell fork-exec faults pages in
  CHECK(result->findings.empty());
  WARN("boot-to-ready " << result->trial.boot_seconds << " s, wall " << result->trial.wall_seconds << " s");
}

}  // namespace
}  // namespace kgate
