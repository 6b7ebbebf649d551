#include "scenarios/testing/parser_fixtures.h"

namespace kgate {
namespace {

using testing::ParseError;
using testing::ParseOk;
using testing::ReadScenarioFile;

TEST_CASE("hackbench: the Time line of pipe and socket runs", "[scenarios][hackbench]") {
  CHECK(ParseOk("hackbench", ReadScenarioFile("hackbench-pipe/testdata/output.txt"))["time"] ==
        Approx(1.936));
  CHECK(ParseOk("hackbench", ReadScenarioFile("hackbench-socket/testdata/output.txt"))["time"] > 0);
}

TEST_CASE("hackbench: truncated, malformed or negative times are errors",
          "[scenarios][hackbench]") {
  std::string golden = ReadScenarioFile("hackbench-pipe/testdata/output.txt");
  std::string truncated = golden.substr(0, golden.find("Time:"));
  CHECK(ParseError("hackbench", truncated).find("expected a line 'Time: <seconds>'") !=
        std::string::npos);
  CHECK(ParseError("hackbench", "Time: 0.8x3\n").find("0.8x3") != std::string::npos);
  CHECK(ParseError("hackbench", "Time: inf\n").find("finite") != std::string::npos);
  ParseError("hackbench", "Time: -1\n");
  ParseError("hackbench", "Time:\n");
}

}  // namespace
}  // namespace kgate
