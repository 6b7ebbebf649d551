#include "base/file_util.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "base/testing/temp_dir.h"

namespace kgate {
namespace {

// In one folder per test process, removed at exit.
std::string TempPath(const std::string& name) {
  static const testing::TempDir dir("kgate-test");
  return dir.path() + "/" + name;
}

}  // namespace

TEST_CASE("ReadTextFile names the file and what was wrong", "[base]") {
  SECTION("missing file") {
    auto r = ReadTextFile("/nonexistent/kgate.yaml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("/nonexistent/kgate.yaml") == 0);
  }
  SECTION("directory") {
    auto r = ReadTextFile("/tmp");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("is a directory") != std::string::npos);
  }
  SECTION("too large") {
    std::string p = TempPath("big.yaml");
    std::ofstream(p) << std::string(2048, 'x');
    auto r = ReadTextFile(p, 1024);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("larger than the 1024 bytes") != std::string::npos);
  }
  SECTION("not UTF-8") {
    std::string p = TempPath("latin1.yaml");
    std::ofstream(p) << "title: caf\xe9\n";
    auto r = ReadTextFile(p);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("offset 10") != std::string::npos);
  }
  SECTION("good file") {
    std::string p = TempPath("ok.yaml");
    std::ofstream(p) << "title: caf\xc3\xa9\n";
    auto r = ReadTextFile(p);
    REQUIRE(r.ok());
    CHECK(*r == "title: caf\xc3\xa9\n");
  }
}

TEST_CASE("FindInvalidUtf8 rejects overlong and truncated sequences", "[base]") {
  CHECK(FindInvalidUtf8("plain ascii") == std::string::npos);
  CHECK(FindInvalidUtf8("\xc0\xaf") == 0);         // overlong '/'
  CHECK(FindInvalidUtf8("ab\xe2\x82") == 2);       // truncated euro sign
  CHECK(FindInvalidUtf8("\xf0\x9f\x98\x80") == std::string::npos);
}

TEST_CASE("WriteFileAtomic then ReadFileTail", "[base]") {
  std::string p = TempPath("tail.txt");
  REQUIRE(WriteFileAtomic(p, "0123456789").ok());
  auto tail = ReadFileTail(p, 4);
  REQUIRE(tail.ok());
  CHECK(*tail == "6789");
}

}  // namespace kgate
