#include "scenarios/testing/parser_fixtures.h"

namespace kgate {
namespace {

using testing::ParseError;
using testing::ParseOk;
using testing::ReadScenarioFile;

TEST_CASE("fio: one direction gives prefixed and plain values", "[scenarios][fio]") {
  auto read = ParseOk("fio", ReadScenarioFile("fio-randread/testdata/output.txt"));
  CHECK(read.count("read_iops") == 1);
  CHECK(read.count("write_iops") == 0);
  CHECK(read["iops"] == read["read_iops"]);
  CHECK(read["clat_p50_us"] <= read["clat_p99_us"]);
  CHECK(read["clat_p99_us"] <= read["clat_p999_us"]);
  // 4 KiB blocks: bandwidth is iops * 4 KiB, within fio's rounding.
  CHECK(read["bw_mib_s"] == Approx(read["iops"] * 4 / 1024).epsilon(0.01));

  auto write = ParseOk("fio", ReadScenarioFile("fio-randwrite/testdata/output.txt"));
  CHECK(write.count("write_iops") == 1);
  CHECK(write.count("read_iops") == 0);
}

TEST_CASE("fio: the page-cache variant (direct=0) has the same shape", "[scenarios][fio]") {
  std::string text = ReadScenarioFile("fio-randread/testdata/output-pagecache.txt");
  REQUIRE(text.find("\"direct\" : \"0\"") != std::string::npos);
  auto v = ParseOk("fio", text);
  CHECK(v["iops"] == Approx(2470.236116));
  CHECK(v["clat_p50_us"] > 0);
}

TEST_CASE("fio: truncated JSON, failed or idle jobs, separate jobs are errors",
          "[scenarios][fio]") {
  std::string golden = ReadScenarioFile("fio-seqread/testdata/output.txt");
  CHECK(ParseError("fio", golden.substr(0, golden.size() * 2 / 3)).find("fio") !=
        std::string::npos);
  CHECK(ParseError("fio", "{\"jobs\": [{\"error\": 5}]}").find("error 5") != std::string::npos);
  CHECK(ParseError("fio", "{\"jobs\": [{\"error\": 0, \"read\": {\"io_bytes\": 0}}]}")
            .find("moved no data") != std::string::npos);
  CHECK(
      ParseError("fio", "{\"jobs\": [{\"error\": 0}, {\"error\": 0}]}").find("--group_reporting") !=
      std::string::npos);
  ParseError("fio", "fio: pid=0, err=22/file:filesetup.c:240, error=Invalid argument\n");
}

}  // namespace
}  // namespace kgate
