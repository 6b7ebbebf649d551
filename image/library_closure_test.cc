#include "image/library_closure.h"

#include <algorithm>

#include <catch2/catch.hpp>

namespace kgate {
namespace {

bool HasSuffix(const std::vector<std::string>& paths, const std::string& suffix) {
  return std::any_of(paths.begin(), paths.end(), [&](const std::string& p) {
    return p.size() >= suffix.size() && p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0;
  });
}

TEST_CASE("the closure of the host's fio holds libc, libaio and the loader", "[image]") {
  std::string fio = FindInPath("fio");
  REQUIRE_FALSE(fio.empty());
  Result<std::vector<std::string>> libs = LibraryClosure(DefaultProcessRunner(), fio);
  REQUIRE(libs.ok());
  CHECK(HasSuffix(*libs, "/libc.so.6"));
  CHECK(HasSuffix(*libs, "/libaio.so.1"));
  CHECK(HasSuffix(*libs, "/ld-linux-x86-64.so.2"));
  for (const std::string& lib : *libs) CHECK(lib.front() == '/');
}

TEST_CASE("a static binary has an empty closure", "[image]") {
  std::string busybox = FindInPath("busybox");
  REQUIRE_FALSE(busybox.empty());
  Result<std::vector<std::string>> libs = LibraryClosure(DefaultProcessRunner(), busybox);
  REQUIRE(libs.ok());
  CHECK(libs->empty());
}

TEST_CASE("ldd output is parsed into paths and missing libraries are bad input", "[image]") {
  const std::string out =
      "\tlinux-vdso.so.1 (0x00007ffd)\n"
      "\tlibceph-common.so.2 => /usr/lib/x86_64-linux-gnu/ceph/libceph-common.so.2 (0x7f)\n"
      "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n"
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n";
  Result<std::vector<std::string>> libs = ParseLddOutput("/usr/bin/x", out);
  REQUIRE(libs.ok());
  CHECK(*libs == std::vector<std::string>{"/usr/lib/x86_64-linux-gnu/ceph/libceph-common.so.2",
                                          "/lib/x86_64-linux-gnu/libc.so.6",
                                          "/lib64/ld-linux-x86-64.so.2"});
  Result<std::vector<std::string>> missing =
      ParseLddOutput("/usr/bin/x", "\tlibgone.so.3 => not found\n\tlibc.so.6 => /lib/libc.so.6 (0x1)\n");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kBadInput);
  CHECK(missing.status().message() == "/usr/bin/x needs libgone.so.3, which is not found on this host");
  CHECK(GuestPathFor("/usr/bin/../lib/x/libr.so") == "/usr/lib/x/libr.so");
}

}  // namespace
}  // namespace kgate
