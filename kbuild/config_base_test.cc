#include "kbuild/config_base.h"

#include <catch2/catch.hpp>

namespace kgate {

TEST_CASE("a Debian config base takes the config of Debian's kernel of the source's series",
          "[kbuild]") {
  KernelSourceTree debian;
  debian.version = "6.12.118-1~deb12u1";
  CHECK(*DebianConfigKernel("debian-cloud", debian) == "debian:6.12-cloud");
  CHECK(*DebianConfigKernel("debian-generic", debian) == "debian:6.12");
  KernelSourceTree git;
  for (const char* ref : {"v6.12.3", "v6.12", "linux-6.12.y", "6.12"}) {
    git.version = ref;
    INFO(ref);
    CHECK(*DebianConfigKernel("debian-cloud", git) == "debian:6.12-cloud");
  }
  git.version = "v6.1.119";
  CHECK(*DebianConfigKernel("debian-generic", git) == "debian:6.1");
  for (const char* ref : {"HEAD~3", "2b1f5e3c9a0d", "main"}) {
    git.version = ref;
    INFO(ref);
    auto none = DebianConfigKernel("debian-cloud", git);
    REQUIRE_FALSE(none.ok());
    CHECK(none.status().code() == Status::Code::kBadInput);
    CHECK(none.status().message().find("names no version") != std::string::npos);
  }
}

}  // namespace kgate
