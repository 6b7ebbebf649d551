#include "image/module_set.h"

#include <filesystem>

#include <catch2/catch.hpp>

#include "base/file_util.h"
#include "base/paths.h"
#include "kernels/kernel_cache.h"

namespace kgate {
namespace {
namespace fs = std::filesystem;

// A modules directory in miniature: a -> b -> c, d alone, e built in.
std::string FakeModulesDir() {
  std::string dir = fs::temp_directory_path() / ("kgate-mods-" + std::to_string(getpid()));
  fs::remove_all(dir);
  REQUIRE(MakeDirs(dir).ok());
  REQUIRE(WriteFileAtomic(dir + "/modules.dep",
                          "kernel/x/mod-a.ko.xz: kernel/y/b.ko.xz kernel/z/c.ko.xz\n"
                          "kernel/y/b.ko.xz: kernel/z/c.ko.xz\n"
                          "kernel/z/c.ko.xz:\n"
                          "kernel/d.ko:\n").ok());
  REQUIRE(WriteFileAtomic(dir + "/modules.builtin", "kernel/fs/e.ko\n").ok());
  return dir;
}

TEST_CASE("modules resolve with dependencies first, each once", "[image][modules]") {
  std::string dir = FakeModulesDir();
  Result<std::vector<std::string>> order = ResolveModules(dir, {"mod_a", "d", "c", "e"});
  REQUIRE(order.ok());
  CHECK(*order == std::vector<std::string>{"kernel/z/c.ko.xz", "kernel/y/b.ko.xz",
                                           "kernel/x/mod-a.ko.xz", "kernel/d.ko"});
  Result<std::vector<std::string>> unknown = ResolveModules(dir, {"mod_b"});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == Status::Code::kBadInput);
  CHECK_THAT(unknown.status().message(), Catch::Contains("module 'mod_b' is neither"));
  CHECK_THAT(unknown.status().message(), Catch::Contains("did you mean 'mod_a'"));
  fs::remove_all(dir);
}

TEST_CASE("module names drop directories and compression and use underscores", "[image][modules]") {
  CHECK(ModuleName("kernel/drivers/block/virtio_blk.ko.xz") == "virtio_blk");
  CHECK(ModuleName("kernel/fs/nls/nls-cp437.ko.zst") == "nls_cp437");
  CHECK(ModuleName("extra/kml.ko") == "kml");
}

TEST_CASE("virtio_blk and btrfs resolve and stage on the real 6.12 cloud kernel", "[image][modules][slow][net]") {
  Result<Kernel> kernel = KernelCache(CacheDir(), DefaultProcessRunner()).Fetch("debian:6.12-cloud");
  REQUIRE(kernel.ok());
  Result<std::vector<std::string>> order = ResolveModules(kernel->modules_dir, {"virtio-blk", "btrfs", "ext4"});
  REQUIRE(order.ok());
  // virtio core is built in on the cloud kernel; btrfs pulls its RAID and CRC helpers.
  REQUIRE(order->size() == 5);
  CHECK(order->front() == "kernel/drivers/block/virtio_blk.ko.xz");
  CHECK(order->back() == "kernel/fs/btrfs/btrfs.ko.xz");
  CHECK(std::find(order->begin(), order->end(), "kernel/lib/raid6/raid6_pq.ko.xz") != order->end());

  std::string staging = fs::temp_directory_path() / ("kgate-stage-" + std::to_string(getpid()));
  fs::remove_all(staging);
  Result<std::vector<std::string>> staged =
      StageModules(DefaultProcessRunner(), kernel->modules_dir, kernel->version, *order, staging);
  REQUIRE(staged.ok());
  std::string base = staging + "/lib/modules/" + kernel->version;
  std::string head(4, '\0');
  Result<std::string> ko = ReadTextFile(base + "/kernel/drivers/block/virtio_blk.ko", 1 << 24, false);
  REQUIRE(ko.ok());
  CHECK(ko->compare(0, 4, "\x7f" "ELF") == 0);
  Result<std::string> dep = ReadTextFile(base + "/modules.dep");
  REQUIRE(dep.ok());
  CHECK_THAT(*dep, Catch::Contains("kernel/drivers/block/virtio_blk.ko:\n"));
  CHECK_THAT(*dep, Catch::Contains("kernel/fs/btrfs/btrfs.ko: "));
  CHECK_THAT(*dep, Catch::Contains("kernel/lib/raid6/raid6_pq.ko"));
  CHECK_THAT(*dep, !Catch::Contains(".xz"));
  Result<std::string> alias = ReadTextFile(base + "/modules.alias", 1 << 24);
  REQUIRE(alias.ok());
  CHECK_THAT(*alias, Catch::Contains("alias virtio:d00000002v* virtio_blk"));
  fs::remove_all(staging);
}

}  // namespace
}  // namespace kgate
