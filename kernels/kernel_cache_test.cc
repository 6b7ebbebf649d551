#include "kernels/kernel_cache.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include "base/file_util.h"
#include "base/paths.h"
#include "base/testing/fake_process_runner.h"
#include "base/testing/temp_dir.h"
#include "kernels/vmlinux.h"

namespace kgate {
namespace {
namespace fs = std::filesystem;

using testing::Exit;
using testing::FakeProcessRunner;

constexpr char kSearch[] =
    "linux-image-6.12.117+deb12-cloud-amd64-unsigned - Linux 6.12 for x86-64 cloud\n"
    "linux-image-6.12.115+deb12-cloud-amd64-unsigned - Linux 6.12 for x86-64 cloud\n";

std::string TempCache() { return testing::UniqueTempPath("kgate-kc"); }

TEST_CASE("a registry that cannot be reached is an infrastructure error saying what to do", "[kernels]") {
  FakeProcessRunner runner;
  runner.respond = [](const std::vector<std::string>& argv, const auto&) {
    if (argv[0] == "apt-cache") return Exit(0, kSearch);
    return Exit(100, "", "E: Failed to fetch http://deb.debian.org/...  Could not resolve host\n");
  };
  std::string cache = TempCache();
  Result<Kernel> k = KernelCache(cache, runner).Fetch("debian:6.12-cloud");
  REQUIRE_FALSE(k.ok());
  CHECK(k.status().code() == Status::Code::kInfrastructure);
  CHECK_THAT(k.status().message(), Catch::Contains("apt-get update"));
  CHECK_THAT(k.status().message(), Catch::Contains("Could not resolve host"));
  CHECK(runner.commands.back() == "apt-get download linux-image-6.12.117+deb12-cloud-amd64-unsigned");
  // Nothing half-fetched is left behind.
  CHECK(fs::is_empty(cache + "/kernels"));
  fs::remove_all(cache);
}

TEST_CASE("an apt that knows no kernels is an infrastructure error", "[kernels]") {
  FakeProcessRunner runner;
  runner.respond = [](const auto&, const auto&) { return Exit(0, ""); };
  Result<Kernel> k = KernelCache(TempCache(), runner).Fetch("debian:6.12-cloud");
  REQUIRE_FALSE(k.ok());
  CHECK(k.status().code() == Status::Code::kInfrastructure);
}

TEST_CASE("an unknown flavour is bad input before the registry is asked", "[kernels]") {
  FakeProcessRunner runner;
  runner.respond = [](const auto&, const auto&) { return Exit(0, kSearch); };
  Result<Kernel> k = KernelCache(TempCache(), runner).Fetch("debian:6.12-cluod");
  REQUIRE_FALSE(k.ok());
  CHECK(k.status().code() == Status::Code::kBadInput);
  CHECK(runner.commands.empty());
}

TEST_CASE("a cached kernel is returned without downloading", "[kernels]") {
  std::string cache = TempCache();
  Kernel cached;
  cached.ref = "debian:6.12-cloud";
  cached.package = "linux-image-6.12.117+deb12-cloud-amd64-unsigned";
  cached.version = "6.12.117+deb12-cloud-amd64";
  cached.dir = cache + "/kernels/" + cached.package;
  REQUIRE(MakeDirs(cached.dir).ok());
  REQUIRE(WriteFileAtomic(cached.dir + "/kernel.json", KernelToJson(cached)).ok());
  FakeProcessRunner runner;
  runner.respond = [](const auto&, const auto&) { return Exit(0, kSearch); };
  KernelCache kernels(cache, runner);
  Result<Kernel> k = kernels.Fetch("debian:6.12-cloud");
  REQUIRE(k.ok());
  CHECK(k->version == "6.12.117+deb12-cloud-amd64");
  REQUIRE(runner.commands.size() == 1);
  CHECK_THAT(runner.commands[0], Catch::StartsWith("apt-cache search"));
  // With apt unable to answer, the cached kernel still resolves.
  runner.respond = [](const auto&, const auto&) { return Exit(100, "", "E: no lists\n"); };
  Result<Kernel> offline = kernels.Fetch("debian:6.12-cloud");
  REQUIRE(offline.ok());
  CHECK(offline->package == cached.package);
  Result<Kernel> offline_missing = kernels.Fetch("debian:6.1-cloud");
  REQUIRE_FALSE(offline_missing.ok());
  CHECK(offline_missing.status().code() == Status::Code::kInfrastructure);
  Result<std::vector<Kernel>> list = kernels.List();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  CHECK((*list)[0].package == cached.package);
  fs::remove_all(cache);
}

TEST_CASE("a path kernel that is not a bzImage is bad input", "[kernels]") {
  std::string cache = TempCache();
  REQUIRE(MakeDirs(cache).ok());
  REQUIRE(WriteFileAtomic(cache + "/bzImage", std::string(4096, 'x')).ok());
  FakeProcessRunner runner;
  Result<Kernel> k = KernelCache(cache, runner).Fetch("path:" + cache + "/bzImage");
  REQUIRE_FALSE(k.ok());
  CHECK(k.status().code() == Status::Code::kBadInput);
  CHECK_THAT(k.status().message(), Catch::Contains("HdrS"));
  fs::remove_all(cache);
}

// Fetches for real from Debian's registry into the user's kgate cache (so the
// download is shared with other slow tests and later runs).
TEST_CASE("the 6.12 cloud kernel is fetched, unpacked and extracted for real", "[kernels][slow][net]") {
  KernelCache kernels(CacheDir(), DefaultProcessRunner());
  Result<Kernel> k = kernels.Fetch("debian:6.12-cloud");
  REQUIRE(k.ok());
  CHECK_THAT(k->package, Catch::Matches("linux-image-6\\.12\\.[0-9]+\\+deb12-cloud-amd64-unsigned"));
  CHECK_THAT(k->version, Catch::Matches("6\\.12\\.[0-9]+\\+deb12-cloud-amd64"));
  CHECK(fs::path(k->modules_dir).filename() == k->version);
  CHECK(k->config_hash.size() == 64);
  Result<std::string> dep = ReadTextFile(k->modules_dir + "/modules.dep", 16 << 20);
  REQUIRE(dep.ok());
  CHECK_THAT(*dep, Catch::Contains("virtio_blk.ko.xz:"));
  Result<BzImageInfo> info = ReadBzImageInfo(k->bzimage_path);
  REQUIRE(info.ok());
  CHECK(info->version == k->version);
  CHECK(info->compression == "zstd");
  std::string head(4, '\0');
  std::FILE* f = std::fopen(k->vmlinux_path.c_str(), "rb");
  REQUIRE(f != nullptr);
  REQUIRE(std::fread(head.data(), 1, 4, f) == 4);
  std::fclose(f);
  CHECK(head == "\x7f" "ELF");

  auto start = std::chrono::steady_clock::now();
  Result<Kernel> again = kernels.Fetch("debian:6.12-cloud");
  REQUIRE(again.ok());
  CHECK(again->dir == k->dir);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

// A path: kernel, using the Debian image as if someone had built it.
TEST_CASE("a path kernel gets its version from the boot header and a vmlinux", "[kernels][slow][net]") {
  Result<Kernel> debian = KernelCache(CacheDir(), DefaultProcessRunner()).Fetch("debian:6.12-cloud");
  REQUIRE(debian.ok());
  std::string cache = TempCache();
  KernelCache kernels(cache, DefaultProcessRunner());
  Result<Kernel> k = kernels.Fetch("path:" + debian->bzimage_path);
  REQUIRE(k.ok());
  CHECK(k->version == debian->version);
  CHECK(k->package.empty());
  CHECK(k->modules_dir.empty());
  CHECK(fs::file_size(k->vmlinux_path) == fs::file_size(debian->vmlinux_path));
  Result<Kernel> with_modules =
      kernels.Fetch("path:" + debian->bzimage_path + ",modules=" + debian->modules_dir);
  REQUIRE(with_modules.ok());
  CHECK(with_modules->modules_dir == debian->modules_dir);
  Result<Kernel> no_dep = kernels.Fetch("path:" + debian->bzimage_path + ",modules=" + cache);
  REQUIRE_FALSE(no_dep.ok());
  CHECK_THAT(no_dep.status().message(), Catch::Contains("has no modules.dep"));
  fs::remove_all(cache);
}

}  // namespace
}  // namespace kgate
