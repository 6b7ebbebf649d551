#include "doctor/doctor.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace kgate {
namespace {

const DoctorCheck& Find(const std::vector<DoctorCheck>& checks, const std::string& name) {
  auto it = std::find_if(checks.begin(), checks.end(),
                         [&](const DoctorCheck& c) { return c.name == name; });
  REQUIRE(it != checks.end());
  return *it;
}

}  // namespace

TEST_CASE("doctor reports the boot hook's verdict for tcg, and says why it failed", "[doctor]") {
  DoctorHooks hooks;
  std::vector<std::string> asked;
  hooks.boot_guest = [&asked](const std::string& tier, std::string* detail) -> std::string {
    asked.push_back(tier);
    if (tier == "tcg") {
      *detail = "6.12 under tcg: guest ready in 2.9 s";
      return "";
    }
    return "KVM internal error. Suberror: 1";
  };
  auto checks = RunDoctor(hooks);
  const DoctorCheck& tcg = Find(checks, "tcg-boot");
  if (Find(checks, "qemu").result == DoctorCheck::Result::kOk) {
    CHECK(tcg.result == DoctorCheck::Result::kOk);
    CHECK(tcg.detail == "6.12 under tcg: guest ready in 2.9 s");
    CHECK(tcg.essential);
    CHECK(asked.front() == "tcg");
  }
  const DoctorCheck& kvm = Find(checks, "kvm");
  CHECK(kvm.result == DoctorCheck::Result::kFailed);
  CHECK_FALSE(kvm.essential);
  if (access("/dev/kvm", R_OK | W_OK) == 0) {
    CHECK(kvm.detail == "KVM internal error. Suberror: 1");
  } else {
    CHECK(kvm.detail == "/dev/kvm is absent or not accessible");
  }
}

TEST_CASE("doctor without a boot hook skips the boot rather than guessing", "[doctor]") {
  auto checks = RunDoctor(DoctorHooks{});
  const DoctorCheck& tcg = Find(checks, "tcg-boot");
  CHECK(tcg.result != DoctorCheck::Result::kOk);
}

TEST_CASE("the cache check writes a file, and fails on a path it cannot create", "[doctor]") {
  auto dir = std::filesystem::temp_directory_path() / ("kgate-doctor-" + std::to_string(getpid()));
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
