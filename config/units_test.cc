#include "config/units.h"

#include <catch2/catch.hpp>

namespace kgate {

TEST_CASE("sizes take binary units and refuse bare numbers", "[config][units]") {
  CHECK(ParseBytes("512M").value == 512ull << 20);
  CHECK(ParseBytes("1G").value == 1ull << 30);
  CHECK(ParseBytes("1.5G").value == 1536ull << 20);
  CHECK(ParseBytes("64Ki").value == 64ull << 10);
  CHECK(ParseBytes("2GiB").value == 2ull << 30);
  CHECK(ParseBytes("512").error == "'512' has no unit: expected a size like 512M, 1G or 1.5G");
  CHECK(ParseBytes("1X").error ==
        "'1X' has an unknown unit 'X': expected a size like 512M, 1G or 1.5G");
  CHECK(ParseBytes("G").error == "'G' is not a size: expected a size like 512M, 1G or 1.5G");
  CHECK_FALSE(ParseBytes("-1G").ok());
  CHECK_FALSE(ParseBytes("0.3K").ok());  // 307.2 bytes
}

TEST_CASE("durations are seconds, s, m or h", "[config][units]") {
  CHECK(ParseDurationSeconds("300").value == 300);
  CHECK(ParseDurationSeconds("30s").value == 30);
  CHECK(ParseDurationSeconds("5m").value == 300);
  CHECK(ParseDurationSeconds("1.5m").value == 90);
  CHECK(ParseDurationSeconds("2h").value == 7200);
  CHECK(ParseDurationSeconds("5 minutes").error ==
        "'5 minutes' has an unknown unit 'minutes': expected a duration like 300, 30s, 5m or 1h");
  CHECK_FALSE(ParseDurationSeconds("0").ok());
  CHECK_FALSE(ParseDurationSeconds("soon").ok());
}

TEST_CASE("fractions are percentages or numbers in [0, 1]", "[config][units]") {
  CHECK(ParseFraction("2%").value == Approx(0.02));
  CHECK(ParseFraction("0.5%").value == Approx(0.005));
  CHECK(ParseFraction("0.02").value == Approx(0.02));
  CHECK(ParseFraction("2").error == "'2' is above 1; write 2% for a percentage");
  CHECK(ParseFraction("2 pct").error ==
        "'2 pct' has an unknown unit 'pct': expected a percentage like 2% or a fraction in "
        "[0, 1]");
  CHECK_FALSE(ParseFraction("150%").ok());
}

TEST_CASE("expects read ratios and changes", "[config][units]") {
  auto e = ParseExpect(">= 2.3x");
  REQUIRE(e.ok());
  CHECK(e.value.op == ">=");
  CHECK(e.value.ratio == Approx(2.3));
  e = ParseExpect("+15%");
  CHECK(e.value.op == ">=");
  CHECK(e.value.ratio == Approx(1.15));
  e = ParseExpect("<= -20%");
  CHECK(e.value.op == "<=");
  CHECK(e.value.ratio == Approx(0.8));
  e = ParseExpect("-10%");
  CHECK(e.value.op == "<=");
  CHECK(e.value.ratio == Approx(0.9));
  CHECK(ParseExpect("== 1x").value.op == "==");
  CHECK(ParseExpect("about 2x").error ==
        "bad expect 'about 2x': expected a ratio like '>= 2.3x' or a change like '+15%' or "
        "'<= -20%'");
  CHECK(ParseExpect(">= 2.3").error ==
        "bad expect '>= 2.3': expected a ratio like '>= 2.3x' or a change like '+15%' or "
        "'<= -20%'");
  CHECK(ParseExpect("+2x").error == "bad expect '+2x': a ratio takes no sign");
  CHECK(ParseExpect("-100%").error == "bad expect '-100%': the ratio must stay above 0");
  CHECK_FALSE(ParseExpect("> 2x").ok());
}

TEST_CASE("sizes format back to their shortest exact unit", "[config][units]") {
  CHECK(FormatBytes(1ull << 30) == "1G");
  CHECK(FormatBytes(1536ull << 20) == "1536M");
  CHECK(FormatBytes(50ull << 20) == "50M");
  CHECK(FormatBytes(1000) == "1000");
}

}  // namespace kgate
