#include "kernels/kernel_ref.h"

#include <catch2/catch.hpp>

namespace kgate {
namespace {

const std::vector<std::string> kAvailable = {
    "linux-image-6.1.0-9-cloud-amd64-unsigned",
    "linux-image-6.1.0-56-cloud-amd64-unsigned",
    "linux-image-6.1.0-47-cloud-amd64-unsigned",
    "linux-image-6.1.0-56-amd64-unsigned",
    "linux-image-6.12.117+deb12-cloud-amd64-unsigned",
    "linux-image-6.12.99+deb12-cloud-amd64-unsigned",
    "linux-image-6.12.115+deb12-rt-amd64-unsigned",
    "linux-image-6.12.117+deb12-rt-amd64-unsigned",
    "linux-image-6.12.113+deb12-amd64-unsigned",
    "linux-image-6.12.117+deb12-amd64-unsigned",
    "linux-image-amd64-signed-template",
};

std::string Select(const std::string& ref) {
  Result<KernelRef> parsed = ParseKernelRef(ref);
  REQUIRE(parsed.ok());
  Result<std::string> pkg = SelectDebianPackage(*parsed, kAvailable);
  REQUIRE(pkg.ok());
  return *pkg;
}

TEST_CASE("a series and flavour resolve to the newest package by version", "[kernels]") {
  CHECK(Select("debian:6.12-cloud") == "linux-image-6.12.117+deb12-cloud-amd64-unsigned");
  // 56 > 47 > 9 numerically, though "9" sorts last as text.
  CHECK(Select("debian:6.1-cloud") == "linux-image-6.1.0-56-cloud-amd64-unsigned");
  CHECK(Select("debian:6.12-rt") == "linux-image-6.12.117+deb12-rt-amd64-unsigned");
  CHECK(Select("debian:6.12") == "linux-image-6.12.117+deb12-amd64-unsigned");
  CHECK(Select("debian:6.1") == "linux-image-6.1.0-56-amd64-unsigned");
}

TEST_CASE("an exact package name resolves to itself when offered", "[kernels]") {
  CHECK(Select("debian:linux-image-6.1.0-47-cloud-amd64-unsigned") ==
        "linux-image-6.1.0-47-cloud-amd64-unsigned");
  Result<KernelRef> ref = ParseKernelRef("debian:linux-image-6.1.0-48-cloud-amd64-unsigned");
  REQUIRE(ref.ok());
  Result<std::string> missing = SelectDebianPackage(*ref, kAvailable);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kBadInput);
  CHECK_THAT(missing.status().message(), Catch::Contains("did you mean linux-image-6.1.0-47-cloud"));
}

TEST_CASE("an unknown series lists the series and flavours that exist", "[kernels]") {
  Result<KernelRef> ref = ParseKernelRef("debian:5.10-cloud");
  REQUIRE(ref.ok());
  Result<std::string> pkg = SelectDebianPackage(*ref, kAvailable);
  REQUIRE_FALSE(pkg.ok());
  CHECK(pkg.status().code() == Status::Code::kBadInput);
  CHECK_THAT(pkg.status().message(),
             Catch::Contains("debian:6.1, debian:6.1-cloud, debian:6.12, debian:6.12-cloud, debian:6.12-rt"));
}

TEST_CASE("malformed references say what was expected", "[kernels]") {
  Result<KernelRef> flavour = ParseKernelRef("debian:6.12-clod");
  REQUIRE_FALSE(flavour.ok());
  CHECK_THAT(flavour.status().message(), Catch::Contains("unknown flavour 'clod'"));
  CHECK_THAT(flavour.status().message(), Catch::Contains("did you mean 'cloud'"));
  CHECK_FALSE(ParseKernelRef("debian:six-cloud").ok());
  CHECK_FALSE(ParseKernelRef("ubuntu:6.12").ok());
  CHECK_FALSE(ParseKernelRef("path:").ok());
  CHECK_FALSE(ParseKernelRef("path:/k/bzImage,initrd=/x").ok());
}

TEST_CASE("path references carry the image and the modules directory", "[kernels]") {
  Result<KernelRef> ref = ParseKernelRef("path:/src/linux/arch/x86/boot/bzImage,modules=/m/lib/modules/6.13.0");
  REQUIRE(ref.ok());
  CHECK(ref->kind == KernelRef::Kind::kPath);
  CHECK(ref->bzimage == "/src/linux/arch/x86/boot/bzImage");
  CHECK(ref->modules_dir == "/m/lib/modules/6.13.0");
}

TEST_CASE("package names are taken apart by flavour and series", "[kernels]") {
  auto pkg = ParseDebianKernelPackage("linux-image-6.12.117+deb12-rt-amd64-unsigned");
  REQUIRE(pkg);
  CHECK(pkg->series == "6.12");
  CHECK(pkg->flavour == "rt-amd64");
  CHECK(pkg->kver == "6.12.117+deb12");
  CHECK_FALSE(ParseDebianKernelPackage("linux-image-amd64-signed-template"));
  CHECK(KernelVersionLess("6.12.99+deb12", "6.12.117+deb12"));
  CHECK_FALSE(KernelVersionLess("6.1.0-56", "6.1.0-9"));
}

}  // namespace
}  // namespace kgate
