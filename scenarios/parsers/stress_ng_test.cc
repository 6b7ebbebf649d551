#include "scenarios/testing/parser_fixtures.h"

namespace kgate {
namespace {

using testing::ParseError;
using testing::ParseOk;
using testing::ReadScenarioFile;

TEST_CASE("stress-ng: bogo-ops from the --yaml metrics", "[scenarios][stress-ng]") {
  auto v = ParseOk("stress-ng", ReadScenarioFile("stress-ng-vm/testdata/output.txt"));
  CHECK(v["bogo_ops"] == 2000);
  CHECK(v["vm.bogo_ops"] == 2000);
  CHECK(v["bogo_ops_per_sec"] == Approx(4588.241214));
  CHECK(v["bogo_ops_per_sec_cpu"] == Approx(4571.595761));
}

TEST_CASE("stress-ng: several stressors are reported only prefixed", "[scenarios][stress-ng]") {
  const std::string two =
      "---\nmetrics:\n"
      "    - stressor: cpu\n      bogo-ops: 10\n      bogo-ops-per-second-usr-sys-time: 5\n"
      "      bogo-ops-per-second-real-time: 4\n      wall-clock-time: 2.5\n"
      "    - stressor: vm\n      bogo-ops: 20\n      bogo-ops-per-second-usr-sys-time: 7\n"
      "      bogo-ops-per-second-real-time: 6\n      wall-clock-time: 3.3\n...\n";
  auto v = ParseOk("stress-ng", two);
  CHECK(v["cpu.bogo_ops_per_sec"] == 4);
  CHECK(v["vm.bogo_ops_per_sec"] == 6);
  CHECK(v.count("bogo_ops_per_sec") == 0);
}

TEST_CASE("stress-ng: truncated YAML, missing metrics or NaN are errors",
          "[scenarios][stress-ng]") {
  std::string golden = ReadScenarioFile("stress-ng-vm/testdata/output.txt");
  ParseError("stress-ng", golden.substr(0, golden.find("metrics:")));
  ParseError("stress-ng", golden.substr(0, golden.find("bogo-ops-per-second-real-time")));
  std::string nan = golden;
  nan.replace(nan.find("4588.241214"), 11, ".nan");
  CHECK(ParseError("stress-ng", nan).find("bogo-ops-per-second-real-time") != std::string::npos);
  ParseError("stress-ng", "---\nmetrics: {stressor: [unclosed\n");
}

}  // namespace
}  // namespace kgate
