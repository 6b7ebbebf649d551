#include "base/strings.h"

#include <catch2/catch.hpp>

namespace kgate {

TEST_CASE("EditDistance counts single-character edits", "[base]") {
  CHECK(EditDistance("runs", "runs") == 0);
  CHECK(EditDistance("runz", "runs") == 1);
  CHECK(EditDistance("kitten", "sitting") == 3);
  CHECK(EditDistance("", "abc") == 3);
}

TEST_CASE("ClosestMatch suggests only plausible typos", "[base]") {
  std::vector<std::string> keys = {"scenarios", "shapes", "targets", "tier", "runs"};
  CHECK(ClosestMatch("scenarois", keys) == "scenarios");
  CHECK(ClosestMatch("shape", keys) == "shapes");
  CHECK(ClosestMatch("completely-different", keys).empty());
  CHECK(DidYouMean("shape", keys) == "; did you mean 'shapes'?");
  CHECK(DidYouMean("completely-different", keys).empty());
}

TEST_CASE("Split keeps empty fields", "[base]") {
  CHECK(Split("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
  CHECK(Split("", ',') == std::vector<std::string>{""});
}

TEST_CASE("Sha256Hex matches the FIPS 180-2 test vector", "[base]") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace kgate
