#include "doctor/doctor.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "base/testing/temp_dir.h"

namespace kgate {
namespace {

const DoctorCheck& Find(const std::vector<DoctorCheck>& checks, const std::string& name) {
  auto it = std::find_if(checks.begin(), checks.end(),
                         [&](const DoctorCheck& c) { return c.name == name; });
  REQUIRE(it != checks.end());
  return *it;
}

}  // namespace

DoctorHooks OfflineHooks() {
  DoctorHooks hooks;
  hooks.registry = [] {
    DoctorCheck c;
    c.name = "registry";
    c.result = DoctorCheck::Result::kOk;
    c.detail = "not asked in tests";
    return c;
  };
  return hooks;
}

// One folder per test process, removed at exit.
std::string TempDir() {
  static const testing::TempDir dir("kgate-doctor");
  return dir.path();
}

TEST_CASE("doctor reports the boot hook's verdict for tcg, and KVM that does not boot as "
          "unavailable", "[doctor]") {
  DoctorHooks hooks = OfflineHooks();
  std::vector<std::string> asked;
  hooks.boot_guest = [&asked](const std::string& tier, std::string* detail) {
    asked.push_back(tier);
    if (tier == "tcg") {
      *detail = "6.12 under tcg: guest ready in 2.9 s";
      return DoctorCheck::Result::kOk;
    }
    *detail = "KVM internal error. Suberror: 1";
    return DoctorCheck::Result::kFailed;
  };
  auto checks = RunDoctor(hooks, TempDir(), TempDir() + "/kgate.db");
  const DoctorCheck& tcg = Find(checks, "tcg-boot");
  if (Find(checks, "qemu").result == DoctorCheck::Result::kOk) {
    CHECK(tcg.result == DoctorCheck::Result::kOk);
    CHECK(tcg.detail == "6.12 under tcg: guest ready in 2.9 s");
    CHECK(tcg.essential);
    CHECK(asked.front() == "tcg");
  }
  const DoctorCheck& kvm = Find(checks, "kvm");
  CHECK(kvm.result == DoctorCheck::Result::kUnavailable);
  CHECK_FALSE(kvm.essential);
  if (access("/dev/kvm", R_OK | W_OK) == 0) {
    CHECK(kvm.detail.find("does not boot a guest (KVM internal error. Suberror: 1)") !=
          std::string::npos);
  } else {
    CHECK(kvm.detail.rfind("/dev/kvm is absent or not accessible", 0) == 0);
  }
  const DoctorCheck& store = Find(checks, "store");
  CHECK(store.result == DoctorCheck::Result::kOk);
  CHECK(store.detail.find("GiB free") != std::string::npos);
}

TEST_CASE("doctor says a boot is not checked yet, not failed, before any kernel is fetched",
          "[doctor]") {
  DoctorHooks hooks = OfflineHooks();
  hooks.boot_guest = [](const std::string&, std::string* detail) {
    *detail = "no kernel in the cache yet";
    return DoctorCheck::Result::kNotChecked;
  };
  auto checks = RunDoctor(hooks, TempDir(), TempDir() + "/kgate.db");
  for (const DoctorCheck& c : checks) {
    INFO(c.name << ": " << c.detail);
    if (c.name == "tcg-boot" || c.name == "kvm") CHECK(c.result != DoctorCheck::Result::kFailed);
  }
  if (Find(checks, "qemu").result == DoctorCheck::Result::kOk) {
    CHECK(Find(checks, "tcg-boot").result == DoctorCheck::Result::kNotChecked);
  }
  CHECK(std::string(DoctorResultName(DoctorCheck::Result::kNotChecked)) == "not checked");
}

TEST_CASE("doctor without a boot hook does not claim a boot", "[doctor]") {
  auto checks = RunDoctor(OfflineHooks(), TempDir(), TempDir() + "/kgate.db");
  CHECK(Find(checks, "tcg-boot").result != DoctorCheck::Result::kOk);
}

TEST_CASE("the cache check writes a file, and fails on a path it cannot create", "[doctor]") {
  std::filesystem::path dir = testing::UniqueTempPath("kgate-doctor-cache");
  DoctorCheck ok = CheckCacheWritable(dir.string());
  CHECK(ok.result == DoctorCheck::Result::kOk);
  CHECK(std::filesystem::is_empty(dir));  // the probe file is removed again
  std::filesystem::remove_all(dir);

  // A regular file where a directory must go cannot be made a cache, even by root.
  std::string blocker = dir.string() + "-file";
  { std::ofstream(blocker) << "x"; }
  DoctorCheck bad = CheckCacheWritable(blocker + "/cache");
  CHECK(bad.result == DoctorCheck::Result::kFailed);
  CHECK(bad.detail.find(blocker + "/cache") != std::string::npos);
  std::filesystem::remove(blocker);
}

}  // namespace kgate
