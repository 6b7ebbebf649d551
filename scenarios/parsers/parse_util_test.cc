#include "scenarios/parsers/parse_util.h"

#include <catch2/catch.hpp>

namespace kgate {
namespace {

TEST_CASE("ParseFiniteNumber takes the whole text as one finite number", "[scenarios]") {
  CHECK(*ParseFiniteNumber(" 12.5 ") == 12.5);
  CHECK(*ParseFiniteNumber("1e3") == 1000);
  for (const char* bad :
       {"", "  ", "nan", "-nan", "inf", "Infinity", "12abc", "1.2.3", "0x", "1e999"}) {
    INFO(bad);
    auto r = ParseFiniteNumber(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kBadInput);
  }
}

TEST_CASE("Excerpt is one bounded line", "[scenarios]") {
  CHECK(Excerpt("a\nb\tc\x01") == "a\\nb\\tc\\x01");
  std::string big = "HEAD" + std::string(100000, 'x') + "TAIL";
  std::string e = Excerpt(big);
  CHECK(e.size() < 300);
  CHECK(e.rfind("HEAD", 0) == 0);
  CHECK(e.find("TAIL") != std::string::npos);
  CHECK(e.find("[... ") != std::string::npos);
}

TEST_CASE("OutputLines splits at CR and LF and cuts long lines", "[scenarios]") {
  const std::string output = "a\r\nprogress 1\rprogress 2\n" + std::string(10, 'z');
  auto lines = OutputLines(output, 4);  // views into output
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "a");
  CHECK(lines[1] == "prog");
  CHECK(lines[3] == "zzzz");
}

TEST_CASE("ExtractJsonObject finds the JSON among warnings", "[scenarios]") {
  auto doc = ExtractJsonObject("fio: warning\n{\"jobs\": [{\"x\": 1}]}\ntrailing\n");
  REQUIRE(doc.ok());
  CHECK(*JsonNumberAt(*doc, "/jobs/0/x") == 1);
  CHECK_FALSE(JsonNumberAt(*doc, "/jobs/1/x").ok());
  CHECK_FALSE(JsonNumberAt(*doc, "/jobs").ok());

  CHECK_FALSE(ExtractJsonObject("no json here").ok());
  CHECK_FALSE(ExtractJsonObject("warning {\"inline\": 1}").ok());  // not at a line start
  CHECK_FALSE(ExtractJsonObject("{\"a\": [1, 2").ok());
  auto deep = ExtractJsonObject("{\"a\":" + std::string(1000, '[') + std::string(1000, ']') + "}");
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.status().message().find("nests deeper") != std::string::npos);
}

TEST_CASE("NestingWithin ignores brackets inside strings", "[scenarios]") {
  CHECK(NestingWithin("{\"[[[[\": [1]}", 2));
  CHECK_FALSE(NestingWithin("[[[1]]]", 2));
  CHECK(NestingWithin("\"\\\"[[[\"", 0));
}

}  // namespace
}  // namespace kgate
