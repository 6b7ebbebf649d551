#include "scenarios/testing/parser_fixtures.h"

namespace kgate {
namespace {

using testing::ParseError;
using testing::ParseOk;
using testing::ReadScenarioFile;

TEST_CASE("microbench: ns per operation from Google Benchmark JSON", "[scenarios][microbench]") {
  auto v = ParseOk("microbench", ReadScenarioFile("microbench/testdata/output.txt"));
  for (const char* name : {"getpid", "read_dev_zero_1byte", "page_fault", "pipe_round_trip",
                           "fork_exit_wait", "mmap_munmap_1mib"}) {
    INFO(name);
    CHECK(v[std::string(name) + "_ns"] > 0);
    CHECK(v[std::string(name) + "_cpu_ns"] > 0);
  }
  CHECK(v.count("pipe_round_trip/real_time_ns") == 0);
  // page_fault divides one iteration (1024 faults) by ops_per_iteration.
  CHECK(v["page_fault_ns"] < v["fork_exit_wait_ns"]);
}

TEST_CASE("microbench: units, aggregates and ops_per_iteration", "[scenarios][microbench]") {
  auto v = ParseOk("microbench", R"({"context": {}, "benchmarks": [
    {"name": "a", "run_name": "a", "run_type": "iteration", "real_time": 2, "cpu_time": 1,
     "time_unit": "us", "ops_per_iteration": 4},
    {"name": "b/real_time", "run_name": "b/real_time", "run_type": "iteration",
     "real_time": 10, "cpu_time": 1, "time_unit": "ns"},
    {"name": "b/real_time", "run_name": "b/real_time", "run_type": "iteration",
     "real_time": 30, "cpu_time": 3, "time_unit": "ns"},
    {"name": "b/real_time_median", "run_name": "b/real_time", "run_type": "aggregate",
     "aggregate_name": "median", "real_time": 12, "cpu_time": 2, "time_unit": "ns"},
    {"name": "c/min_time:0.600/real_time", "run_name": "c/min_time:0.600/real_time",
     "run_type": "iteration", "real_time": 7, "cpu_time": 5, "time_unit": "ns"}]})");
  CHECK(v["c_ns"] == 7);  // a benchmark's MinTime() is not part of the metric
  CHECK(v.count("c_min_time_0.600_ns") == 0);
  CHECK(v["a_ns"] == 500);
  CHECK(v["a_cpu_ns"] == 250);
  CHECK(v["b_ns"] == 12);
  CHECK(v["b_cpu_ns"] == 2);
}

TEST_CASE("microbench: truncated JSON and failed benchmarks are errors",
          "[scenarios][microbench]") {
  std::string golden = ReadScenarioFile("microbench/testdata/output.txt");
  ParseError("microbench", golden.substr(0, golden.size() / 2));
  CHECK(ParseError("microbench", R"({"benchmarks": [{"name": "x", "error_occurred": true,
      "error_message": "open /dev/zero: No such file"}]})")
            .find("open /dev/zero") != std::string::npos);
  ParseError("microbench", R"({"benchmarks": [{"name": "x", "real_time": 1, "cpu_time": 1,
      "time_unit": "fortnights"}]})");
  ParseError("microbench", R"({"benchmarks": [{"name": "x", "real_time": "1", "cpu_time": 1}]})");
}

}  // namespace
}  // namespace kgate
