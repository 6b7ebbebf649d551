#include "vm/tier_probe.h"

#include <catch2/catch.hpp>

#include "base/testing/temp_dir.h"
#include "vm/testing/fake_vm_backend.h"

// FakeBoot is filled with designated initializers that name only what a test
// cares about; the other members have defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace kgate {
namespace {

TierProbeRequest Request(const std::string& kvm_device) {
  TierProbeRequest r;
  r.kernel_image = "/k/vmlinuz";
  r.initrd = "/k/probe.cpio";
  static const testing::TempDir dir("kgate-tier-probe-test");
  r.work_dir = dir.path();
  r.kvm_device = kvm_device;
  return r;
}

TEST_CASE("kvm without a device fails without booting; auto falls back to icount", "[tier_probe]") {
  ClearTierProbeCache();
  FakeVmBackend backend;
  std::string why;
  CHECK(ResolveAutoTier(backend, Request("/nonexistent/kvm"), &why) == Tier::kIcount);
  CHECK(why == "icount: kvm probe failed (/nonexistent/kvm: No such file or directory)");
  CHECK(backend.requests().empty());
}

TEST_CASE("a kvm guest that hangs fails the probe; the result is cached", "[tier_probe]") {
  ClearTierProbeCache();
  FakeVmBackend backend;
  backend.Push({.reason = ExitReason::kTimedOut, .console = "KVM internal error. Suberror: 1\n"});
  auto r = ProbeTier(Tier::kKvm, backend, Request("/dev/null"));  // openable stand-in for /dev/kvm
  CHECK_FALSE(r.ok);
  CHECK(r.reason == "guest did not power off within 30 s (agent never ready)");
  REQUIRE(backend.requests().size() == 1);
  CHECK(backend.requests()[0].tier == Tier::kKvm);
  auto again = ProbeTier(Tier::kKvm, backend, Request("/dev/null"));
  CHECK(again.cached);
  CHECK_FALSE(again.ok);
  CHECK(backend.requests().size() == 1);
}

TEST_CASE("a kvm guest that reports ready and powers off passes", "[tier_probe]") {
  ClearTierProbeCache();
  FakeVmBackend backend;
  backend.Push({.events = "{\"event\":\"ready\",\"kernel\":\"6.12\"}\n{\"event\":\"done\"}\n", .ready_seconds = 0.8});
  std::string why;
  CHECK(ResolveAutoTier(backend, Request("/dev/null"), &why) == Tier::kKvm);
  CHECK(why == "kvm: the probe guest booted (guest ready in 0.800 s)");
}

TEST_CASE("QEMU refusing kvm fails the probe with its stderr", "[tier_probe]") {
  ClearTierProbeCache();
  FakeVmBackend backend;
  backend.Push({.reason = ExitReason::kQemuFailed, .detail = "exit 1: Could not access KVM kernel module"});
  auto r = ProbeTier(Tier::kKvm, backend, Request("/dev/null"));
  CHECK_FALSE(r.ok);
  CHECK(r.reason == "QEMU failed: exit 1: Could not access KVM kernel module");
}

}  // namespace
}  // namespace kgate
