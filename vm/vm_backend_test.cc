#include "vm/vm_backend.h"

#include <catch2/catch.hpp>

#include "base/process.h"

namespace kgate {
namespace {

std::string Joined(const BootRequest& r) {
  return ShellJoin(QemuCommandLine(r, "qemu-system-x86_64", "/t/console.log", "/t/events.jsonl", "/t/scratch.raw"));
}

BootRequest Request() {
  BootRequest r;
  r.kernel_image = "/k/vmlinuz";
  r.initrd = "/t/initrd.img";
  r.shape.vcpus = 2;
  r.shape.memory_bytes = 1ull << 30;
  return r;
}

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST_CASE("tcg command line: machine, shape, console and channel apart, no network", "[vm_backend]") {
  std::string c = Joined(Request());
  CHECK(Has(c, "-M pc -accel tcg -cpu max"));
  CHECK(Has(c, "-m 1024M -smp 2 -nographic -no-reboot -nodefaults"));
  CHECK(Has(c, "-kernel /k/vmlinuz -initrd /t/initrd.img"));
  CHECK(Has(c, "-append 'console=ttyS0 panic=-1 quiet no_timer_check cryptomgr.notests=1'"));
  CHECK(Has(c, "-chardev file,id=console,path=/t/console.log -serial chardev:console"));
  CHECK(Has(c, "-chardev file,id=channel,path=/t/events.jsonl -device virtio-serial-pci"));
  CHECK(Has(c, "virtserialport,name=org.kgate.channel,chardev=channel"));
  CHECK_FALSE(Has(c, "-drive"));
  CHECK_FALSE(Has(c, "netdev"));
  CHECK_FALSE(Has(c, "-icount"));
}

TEST_CASE("icount and kvm tiers", "[vm_backend]") {
  BootRequest r = Request();
  r.tier = Tier::kIcount;
  r.icount_shift = 3;
  r.guest_seed = 1234567;
  CHECK(Has(Joined(r), "-accel tcg -icount shift=3,sleep=off -cpu max -seed 1234567 "
                       "-rtc base=2024-01-01T00:00:00,clock=vm"));
  r.tier = Tier::kKvm;
  CHECK(Has(Joined(r), "-accel kvm -cpu host"));
  CHECK_FALSE(Has(Joined(r), "-seed"));
}

TEST_CASE("arm cmdline is appended; scratch disk carries throttling", "[vm_backend]") {
  BootRequest r = Request();
  r.cmdline = "init=/nonexistent";
  r.scratch_disk = true;
  r.shape.disk_iops = 500;
  r.shape.disk_bps = 10 << 20;
  r.machine = Machine::kMicrovm;
  std::string c = Joined(r);
  CHECK(Has(c, "-append 'console=ttyS0 panic=-1 quiet no_timer_check cryptomgr.notests=1 "
               "init=/nonexistent'"));
  CHECK(Has(c, "-drive file=/t/scratch.raw,if=none,id=scratch,format=raw,throttling.iops-total=500,"
               "throttling.bps-total=10485760 -device virtio-blk-pci,drive=scratch"));
  CHECK(Has(c, "-M microvm,pcie=on"));
}

TEST_CASE("tier names round-trip and bad ones are refused", "[vm_backend]") {
  for (Tier t : {Tier::kTcg, Tier::kIcount, Tier::kKvm}) {
    auto parsed = ParseTier(TierName(t));
    REQUIRE(parsed.ok());
    CHECK(*parsed == t);
  }
  auto bad = ParseTier("hw");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "unknown tier 'hw': expected tcg, icount or kvm");
}

TEST_CASE("QEMU that cannot be executed is an outcome, a missing kernel an error", "[vm_backend]") {
  auto backend = MakeQemuBackend("/nonexistent/qemu-system-x86_64");
  BootRequest r = Request();
  r.kernel_image = "/nonexistent/vmlinuz";
  auto missing = backend->Boot(r);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kBadInput);

  r.kernel_image = "/proc/self/exe";  // any readable file
  r.initrd = "/proc/self/exe";
  r.trial_dir = "/tmp/kgate-vm-backend-test-" + std::to_string(getpid());
  auto out = backend->Boot(r);
  REQUIRE(out.ok());
  CHECK(out->reason == ExitReason::kQemuFailed);
  CHECK(Has(out->detail, "exit 127"));
  CHECK(Has(out->detail, "cannot execute /nonexistent/qemu-system-x86_64"));
  std::system(("rm -rf " + r.trial_dir).c_str());
}

}  // namespace
}  // namespace kgate
