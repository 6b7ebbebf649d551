#include <cmath>
#include <limits>
#include <set>

#include <catch2/catch.hpp>

#include "reports/svg_plot.h"

namespace kgate::svg {
namespace {

TEST_CASE("Escape writes the five HTML specials as entities", "[reports][svg]") {
  CHECK(Escape(R"(<a href="x">'&'</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(Escape("plain ünïcode ✓") == "plain ünïcode ✓");
}

TEST_CASE("SanitizeUtf8 replaces every malformed sequence and control byte", "[reports][svg]") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(SanitizeUtf8("ok\xff") == "ok" + fffd);
  CHECK(SanitizeUtf8("\xC0\xAF") == fffd + fffd);              // overlong '/'
  CHECK(SanitizeUtf8("\xED\xA0\x80") == fffd + fffd + fffd);   // a UTF-16 surrogate
  CHECK(SanitizeUtf8("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // > U+10FFFF
  CHECK(SanitizeUtf8("cut \xE2\x9C") == "cut " + fffd + fffd);  // truncated ✓
  CHECK(SanitizeUtf8("\x1b[31mred\x1b[0m") == fffd + "[31mred" + fffd + "[0m");
  CHECK(SanitizeUtf8(std::string("a\0b", 3)) == "a" + fffd + "b");
  CHECK(SanitizeUtf8("tab\tline\r\n") == "tab\tline\r\n");
  CHECK(SanitizeUtf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");  // U+1F600 kept
}

TEST_CASE("Truncate counts code points and marks the cut", "[reports][svg]") {
  CHECK(Truncate("abcdefg", 7) == "abcdefg");
  CHECK(Truncate("abcdefg", 5) == "abcd…");
  CHECK(Truncate("ääääää", 3) == "ää…");
}

TEST_CASE("Coord and TickLabel format numbers deterministically", "[reports][svg]") {
  CHECK(Coord(12.04) == "12");
  CHECK(Coord(12.25) == "12.2");  // round-half-even on the binary value, but fixed
  CHECK(Coord(-0.01) == "0");
  CHECK(Coord(std::nan("")) == "0");
  CHECK(Fixed(0.88, 4) == "0.8800");
  CHECK(Fixed(-std::numeric_limits<double>::infinity(), 4) == "-inf");
  CHECK(Fixed(std::nan(""), 2) == "nan");
  CHECK(TickLabel(0.95) == "0.95");
  CHECK(TickLabel(1200) == "1200");
  CHECK(TickLabel(15000) == "15k");
  CHECK(TickLabel(2500000) == "2.5M");
  CHECK(TickLabel(-0.5) == "-0.5");
}

TEST_CASE("a linear scale maps its domain onto a backwards range", "[reports][svg]") {
  Scale y = Scale::Linear(0, 100, 200, 0);
  CHECK(y(0) == Approx(200));
  CHECK(y(25) == Approx(150));
  CHECK(y(150) == Approx(-100));  // extrapolates
  CHECK(y.Ticks(5) == std::vector<double>{0, 20, 40, 60, 80, 100});
  CHECK_FALSE(y.Contains(std::nan("")));
}

TEST_CASE("a log scale puts reciprocal ratios symmetrically around 1", "[reports][svg]") {
  Scale x = Scale::Log(0.5, 2, 0, 400);
  CHECK(x(1) == Approx(200));
  CHECK(x(0.5) == Approx(0));
  CHECK(x(2) - x(1) == Approx(x(1) - x(0.5)));
  CHECK(x(-1) == Approx(0));  // non-positive values sit at the low end
  CHECK(x.Ticks(5) == std::vector<double>{0.5, 1, 2});
  // A narrow ratio domain gets linear round ticks instead.
  std::vector<double> narrow = Scale::Log(0.9, 1.1, 0, 400).Ticks(4);
  REQUIRE(narrow.size() == 5);
  CHECK(narrow[0] == Approx(0.9));
  CHECK(narrow[2] == Approx(1.0));
}

TEST_CASE("degenerate domains are widened instead of dividing by zero", "[reports][svg]") {
  Scale s = Scale::Linear(5, 5, 0, 100);
  CHECK(s(5) == Approx(50));
  CHECK(Scale::Log(1, 1, 0, 100)(1) == Approx(50));
  auto [lo, hi] = NiceDomain(3, 3, 5);
  CHECK(lo < 3);
  CHECK(hi > 3);
}

TEST_CASE("NiceDomain widens to round values", "[reports][svg]") {
  auto [lo, hi] = NiceDomain(8712, 15340, 5);
  CHECK(lo == Approx(8000));
  CHECK(hi == Approx(16000));
}

TEST_CASE("Jitter is deterministic, bounded and spread", "[reports][svg]") {
  std::set<double> seen;
  double sum = 0;
  for (std::uint64_t k = 0; k < 1000; ++k) {
    double j = Jitter(k);
    CHECK(j >= -1);
    CHECK(j <= 1);
    CHECK(j == Jitter(k));
    seen.insert(j);
    sum += j;
  }
  CHECK(seen.size() == 1000);
  CHECK(std::fabs(sum / 1000) < 0.1);
}

TEST_CASE("SvgWriter escapes text and closes its element", "[reports][svg]") {
  SvgWriter w(100, 20, "plot", "a <plot>");
  w.OpenGroup("row", "t'itle");
  w.Circle(1.25, 2, 3, "dot", "<b>");
  w.CloseGroup();
  w.Text(5, 6, "x<y", "label", "end");
  w.ArrowHead(10, 10, -1, 4, "arrow");
  std::string svg = w.Finish();
  CHECK(svg.rfind(R"(<svg viewBox="0 0 100 20" class="plot" role="img" aria-label="a &lt;plot&gt;">)",
                  0) == 0);
  CHECK(svg.find("<title>t&#39;itle</title>") != std::string::npos);
  CHECK(svg.find(R"(<circle cx="1.2" cy="2" r="3" class="dot"><title>&lt;b&gt;</title></circle>)") !=
        std::string::npos);
  CHECK(svg.find(R"(text-anchor="end">x&lt;y</text>)") != std::string::npos);
  CHECK(svg.find(R"(<polygon points="10,10 14,7.6 14,12.4" class="arrow"/>)") !=
        std::string::npos);
  CHECK(svg.substr(svg.size() - 7) == "</svg>\n");
  CHECK(svg.find("xmlns") == std::string::npos);
}

}  // namespace
}  // namespace kgate::svg
