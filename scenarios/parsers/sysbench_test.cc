#include "scenarios/testing/parser_fixtures.h"

namespace kgate {
namespace {

using testing::ParseError;
using testing::ParseOk;
using testing::ReadScenarioFile;

TEST_CASE("sysbench: threads report", "[scenarios][sysbench]") {
  auto v = ParseOk("sysbench", ReadScenarioFile("sysbench-threads/testdata/output.txt"));
  CHECK(v["events"] == 2000);
  CHECK(v["events_per_sec"] == Approx(2000 / v["total_time_s"]));
  CHECK(v["latency_min_ms"] <= v["latency_avg_ms"]);
  CHECK(v["latency_avg_ms"] <= v["latency_max_ms"]);
  CHECK(v.count("mib_per_sec") == 0);
}

TEST_CASE("sysbench: memory report", "[scenarios][sysbench]") {
  auto v = ParseOk("sysbench", ReadScenarioFile("sysbench-memory/testdata/output.txt"));
  CHECK(v["events"] == 1048576);
  CHECK(v["mib_per_sec"] > 0);
  CHECK(v["ops_per_sec"] > v["mib_per_sec"]);  // 1 KiB blocks: 1024 ops per MiB
}

TEST_CASE("sysbench: a truncated report is an error", "[scenarios][sysbench]") {
  std::string golden = ReadScenarioFile("sysbench-threads/testdata/output.txt");
  CHECK(ParseError("sysbench", golden.substr(0, golden.find("General statistics")))
            .find("total time") != std::string::npos);
  CHECK(ParseError("sysbench", "    total time:   nans\n    total number of events: 3\n")
            .find("total_time_s") != std::string::npos);
}

}  // namespace
}  // namespace kgate
