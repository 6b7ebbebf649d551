#include "scenarios/testing/parser_fixtures.h"

namespace kgate {
namespace {

using testing::ParseError;
using testing::ParseOk;
using testing::ReadScenarioFile;

std::string TwoThreads(const std::string& histogram0, double max0) {
  return "# /dev/cpu_dma_latency set to 0us\n{\n \"thread\": {\n"
         "  \"0\": {\"histogram\": {" +
         histogram0 + "}, \"cycles\": 100, \"min\": 5, \"max\": " + std::to_string(max0) +
         ", \"avg\": 10.0},\n"
         "  \"1\": {\"histogram\": {\"20\": 100}, \"cycles\": 100, \"min\": 20, \"max\": 20, "
         "\"avg\": 20.0}\n }\n}\n";
}

TEST_CASE("cyclictest: threads merge into one latency distribution", "[scenarios][cyclictest]") {
  auto v = ParseOk("cyclictest", TwoThreads("\"5\": 97, \"300\": 3", 300));
  CHECK(v["cycles"] == 200);
  CHECK(v["latency_avg_us"] == Approx(15.0));
  CHECK(v["latency_min_us"] == 5);
  CHECK(v["latency_max_us"] == 300);
  CHECK(v["latency_p50_us"] == 20);   // 97 at 5 µs, then 100 at 20 µs
  CHECK(v["latency_p99_us"] == 300);  // the 198th of 200 samples is past the 197 below 300
}

TEST_CASE("cyclictest: a percentile in the histogram overflow is the max",
          "[scenarios][cyclictest]") {
  // 10 of thread 0's 100 cycles exceeded the histogram range.
  auto v = ParseOk("cyclictest", TwoThreads("\"5\": 90", 12000));
  CHECK(v["latency_p50_us"] == 20);
  CHECK(v["latency_p99_us"] == 12000);
}

TEST_CASE("cyclictest: the golden run", "[scenarios][cyclictest]") {
  auto v = ParseOk("cyclictest", ReadScenarioFile("cyclictest/testdata/output.txt"));
  CHECK(v["cycles"] == 2000);
  CHECK(v["latency_min_us"] <= v["latency_p99_us"]);
  CHECK(v["latency_p99_us"] <= v["latency_max_us"]);
}

TEST_CASE("cyclictest: truncated or incomplete JSON is an error", "[scenarios][cyclictest]") {
  std::string golden = ReadScenarioFile("cyclictest/testdata/output.txt");
  ParseError("cyclictest", golden.substr(0, golden.size() / 2));
  CHECK(ParseError("cyclictest",
                   "{\"thread\": {\"0\": {\"cycles\": 1, \"min\": 1, \"max\": 1, "
                   "\"avg\": 1}}}\n")
            .find("no histogram") != std::string::npos);
  ParseError("cyclictest", "{\"thread\": {}}\n");
  ParseError("cyclictest",
             "{\"thread\": {\"0\": {\"histogram\": {\"x\": 1}, \"cycles\": 1, "
             "\"min\": 1, \"max\": 1, \"avg\": 1}}}\n");
}

}  // namespace
}  // namespace kgate
