#include "base/time_util.h"

#include <catch2/catch.hpp>
#include <regex>

namespace kgate {

TEST_CASE("NowIso8601 is UTC to the second", "[base]") {
  std::string now = NowIso8601();
  CHECK(std::regex_match(now, std::regex(R"(20\d\d-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-6]\dZ)")));
}

}  // namespace kgate
