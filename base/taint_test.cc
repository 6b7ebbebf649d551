#include "base/taint.h"

#include <catch2/catch.hpp>

namespace kgate {
namespace {

TEST_CASE("Taint letters follow the kernel's bit order", "[taint]") {
  CHECK(TaintLetters(0) == "G");
  // 12288 = O|E: what loading an unsigned out-of-tree module leaves.
  CHECK(TaintLetters(12288) == "OE");
  CHECK(TaintLetters((1u << 9) | (1u << 12) | (1u << 13)) == "WOE");
  CHECK(TaintLetters(1u << 7) == "D");
  CHECK(TaintLetters(1u << 18) == "N");
}

TEST_CASE("DecodeTaint names every bit, unknown ones too", "[taint]") {
  auto flags = DecodeTaint((1u << 9) | (std::uint64_t{1} << 40));
  REQUIRE(flags.size() == 2);
  CHECK(flags[0].letter == 'W');
  CHECK(flags[0].name == "kernel issued warning");
  CHECK(flags[1].bit == 40);
  CHECK(flags[1].letter == '?');
  CHECK(DescribeTaint(0) == "none");
  CHECK(DescribeTaint(1u << 12) == "O (externally-built (out-of-tree) module was loaded)");
}

TEST_CASE("NewTaintBits keeps only what appeared", "[taint]") {
  CHECK(NewTaintBits(12288, 12288 | (1u << 9)) == (1u << 9));
  CHECK(NewTaintBits(1u << 9, 0) == 0);
}

}  // namespace
}  // namespace kgate
