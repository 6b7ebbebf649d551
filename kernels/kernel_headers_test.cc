// The headers package a kernel image maps to, and the fix-up that makes an
// unpacked headers root work without being installed at /.
#include "kernels/kernel_headers.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"

namespace kgate {
namespace {
namespace fs = std::filesystem;

std::string TempRoot() { return testing::UniqueTempPath("kgate-kh"); }

TEST_CASE("an image package maps to its headers package", "[kernels][headers]") {
  CHECK(HeadersPackageFor("linux-image-6.12.117+deb12-cloud-amd64-unsigned") ==
        "linux-headers-6.12.117+deb12-cloud-amd64");
  CHECK(HeadersPackageFor("linux-image-6.1.0-56-cloud-amd64-unsigned") ==
        "linux-headers-6.1.0-56-cloud-amd64");
  CHECK(HeadersPackageFor("linux-headers-6.1.0-56-common").empty());
}

TEST_CASE("absolute symlinks and Makefile includes are re-pointed inside the root", "[kernels][headers]") {
  // The layout of linux-headers-6.1.0-56-cloud-amd64 + -common + linux-kbuild-6.1.
  std::string root = TempRoot();
  std::string arch = root + "/usr/src/linux-headers-6.1.0-56-cloud-amd64";
  std::string common = root + "/usr/src/linux-headers-6.1.0-56-common";
  REQUIRE(MakeDirs(arch).ok());
  REQUIRE(MakeDirs(common).ok());
  REQUIRE(MakeDirs(root + "/usr/lib/linux-kbuild-6.1/scripts").ok());
  REQUIRE(MakeDirs(root + "/lib/modules/6.1.0-56-cloud-amd64").ok());
  REQUIRE(WriteFileAtomic(arch + "/Makefile",
                          "include /usr/src/linux-headers-6.1.0-56-common/Makefile\n").ok());
  REQUIRE(WriteFileAtomic(common + "/Makefile", "all:\n\t@echo common\n").ok());
  fs::create_symlink("/usr/src/linux-headers-6.1.0-56-cloud-amd64",
                     root + "/lib/modules/6.1.0-56-cloud-amd64/build");
  fs::create_symlink("../../lib/linux-kbuild-6.1/scripts", arch + "/scripts");  // already relative

  int changed = 0;
  REQUIRE(FixUpHeadersTree(root, &changed).ok());
  CHECK(changed == 2);  // one symlink, one Makefile; the relative link and common's Makefile untouched
  CHECK(fs::read_symlink(root + "/lib/modules/6.1.0-56-cloud-amd64/build") ==
        "../../../usr/src/linux-headers-6.1.0-56-cloud-amd64");
  CHECK(fs::read_symlink(arch + "/scripts") == "../../lib/linux-kbuild-6.1/scripts");
  CHECK(fs::equivalent(root + "/lib/modules/6.1.0-56-cloud-amd64/build", arch));
  CHECK(*ReadTextFile(arch + "/Makefile") ==
        "include $(dir $(lastword $(MAKEFILE_LIST)))../linux-headers-6.1.0-56-common/Makefile\n");
  CHECK(*ReadTextFile(common + "/Makefile") == "all:\n\t@echo common\n");

  // The root still works after it moves, as the rename from .tmp-* does.
  std::string moved = root + "-moved";
  fs::rename(root, moved);
  CHECK(fs::equivalent(moved + "/lib/modules/6.1.0-56-cloud-amd64/build",
                       moved + "/usr/src/linux-headers-6.1.0-56-cloud-amd64"));
  fs::remove_all(moved);
}

TEST_CASE("a path: kernel has no headers package", "[kernels][headers]") {
  struct NoRunner : ProcessRunner {
    Result<ProcessResult> Run(const std::vector<std::string>&, const ProcessOptions&) override {
      FAIL("nothing should run");
      return ProcessResult{};
    }
  } runner;
  Result<KernelHeaders> h = EnsureKernelHeaders("path:/boot/vmlinuz", TempRoot(), runner);
  REQUIRE_FALSE(h.ok());
  CHECK(h.status().code() == Status::Code::kBadInput);
  CHECK(h.status().message().find("a path: kernel has none") != std::string::npos);
}

}  // namespace
}  // namespace kgate
