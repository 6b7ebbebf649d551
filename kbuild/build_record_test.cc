#include "kbuild/build_record.h"

#include <catch2/catch.hpp>

namespace kgate {

TEST_CASE("build.json round-trips a build record; a broken one names its file", "[kbuild]") {
  KernelBuildRecord r;
  r.key = "c6b7da6e4d58";
  r.input_key = "fb2268938b23";
  r.source = "debian:6.12";
  r.source_package = "linux-source-6.12";
  r.source_version = "6.12.118-1~deb12u1";
  r.base_commit = "f220d60b1ac8";
  r.head_commit = "ee1b92c35b36";
  r.patch_ids = {"60488d1a3d93", "1234"};
  r.config_base = "guest";
  r.config_hash = "a87ceef96951";
  r.toolchain = "gcc (Debian 12.2.0-14) 12.2.0; GNU ld 2.40; pahole v1.24";
  r.build_steps = 2820;
  r.seconds = 1082.5;
  r.cache_hit = true;  // not stored: a hit is a fact of one lookup
  auto back = BuildRecordFromJson(BuildRecordToJson(r), "build.json");
  REQUIRE(back.ok());
  CHECK(back->key == r.key);
  CHECK(back->patch_ids == r.patch_ids);
  CHECK(back->toolchain == r.toolchain);
  CHECK(back->build_steps == 2820);
  CHECK(back->seconds == 1082.5);
  CHECK_FALSE(back->cache_hit);

  CHECK(back->config_origin.empty());
  CHECK(BuildRecordToJson(r).find("config_origin") == std::string::npos);
  r.config_base = "debian-cloud";
  r.config_origin = "linux-image-6.12.118+deb12-cloud-amd64-unsigned";
  auto debian = BuildRecordFromJson(BuildRecordToJson(r), "build.json");
  REQUIRE(debian.ok());
  CHECK(debian->config_origin == r.config_origin);

  auto broken = BuildRecordFromJson(R"({"key": "x"})", "/cache/kbuild/kernels/x/build.json");
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().message().find(
            "/cache/kbuild/kernels/x/build.json: not a kernel build record") == 0);
}

}  // namespace kgate
