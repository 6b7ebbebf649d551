#include "scenarios/testing/parser_fixtures.h"

namespace kgate {
namespace {

using testing::ParseError;
using testing::ParseOk;
using testing::ReadScenarioFile;

TEST_CASE("db_bench: the report line of the benchmark", "[scenarios][db_bench]") {
  auto v = ParseOk("db_bench", ReadScenarioFile("db_bench-readrandom/testdata/output.txt"));
  CHECK(v["ops_per_sec"] == v["readrandom.ops_per_sec"]);
  CHECK(v["found_ratio"] == 1);
  CHECK(v["micros_per_op"] > 0);
}

TEST_CASE("db_bench: several benchmarks, the last one unprefixed", "[scenarios][db_bench]") {
  auto v = ParseOk("db_bench",
                   "fillseq      :       4.000 micros/op 250000 ops/sec 0.2 seconds 50000 "
                   "operations;  243.1 MB/s\n"
                   "readseq      :       0.500 micros/op 2000000 ops/sec 0.025 seconds 50000 "
                   "operations; 1944.0 MB/s\n");
  CHECK(v["fillseq.ops_per_sec"] == 250000);
  CHECK(v["fillseq.mb_per_sec"] == Approx(243.1));
  CHECK(v["ops_per_sec"] == 2000000);
  CHECK(v["micros_per_op"] == Approx(0.5));
}

TEST_CASE("db_bench: no report line, or no key found, is an error", "[scenarios][db_bench]") {
  std::string golden = ReadScenarioFile("db_bench-readrandom/testdata/output.txt");
  ParseError("db_bench", golden.substr(0, golden.find("readrandom   :")));
  CHECK(ParseError("db_bench",
                   "readrandom   :  3.0 micros/op 300000 ops/sec 0.1 seconds 5000 operations; "
                   "(0 of 5000 found)\n")
            .find("filled by the setup") != std::string::npos);
  ParseError("db_bench", "readrandom   :  nan micros/op inf ops/sec\n");
}

}  // namespace
}  // namespace kgate
