#include "guest/agent/exec.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "guest/agent/events.h"

namespace kgate::agent {
namespace {

TEST_CASE("stdout then stderr, exit code, env", "[agent][exec]") {
  ExecOptions o;
  o.env = {{"KG_X", "42"}};
  auto r = Shell("echo err >&2; echo out $KG_X; exit 3", o);
  REQUIRE(r.started);
  CHECK(r.exit_code == 3);
  CHECK(r.output == "out 42\nerr\n");
  CHECK_FALSE(r.timed_out);
  CHECK_FALSE(r.truncated);
}

TEST_CASE("timeout kills the whole process group", "[agent][exec]") {
  ExecOptions o;
  o.timeout_s = 0.3;
  auto r = Shell("sleep 30 & sleep 30; echo never", o);
  CHECK(r.timed_out);
  CHECK(r.exit_code == 128 + 9);
  CHECK(r.seconds < 5);
  CHECK(r.output.empty());
}

TEST_CASE("output is bounded and marked truncated", "[agent][exec]") {
  ExecOptions o;
  o.max_output_bytes = 1000;
  auto r = Shell("head -c 100000 /dev/zero | tr '\\0' a", o);
  CHECK(r.exit_code == 0);
  CHECK(r.output.size() == 1000);
  CHECK(r.truncated);
}

TEST_CASE("a background leftover does not hold the repetition open", "[agent][exec]") {
  ExecOptions o;
  o.timeout_s = 10;
  auto r = Shell("sleep 20 & echo started", o);
  CHECK(r.exit_code == 0);
  CHECK(r.output == "started\n");
  CHECK(r.seconds < 5);
}

TEST_CASE("rep events are valid JSON even for invalid UTF-8 output", "[agent][events]") {
  ExecResult r;
  r.exit_code = 0;
  r.seconds = 1.25;
  r.output = std::string("ok \xff\xfe \"quoted\"\n");
  std::string line = RepEvent(2, false, r, {{"vmstat.pgfault", 12}});
  REQUIRE(line.back() == '\n');
  auto j = nlohmann::json::parse(line);
  CHECK(j["event"] == "rep");
  CHECK(j["rep"] == 2);
  CHECK(j["warmup"] == false);
  CHECK(j["counters"]["vmstat.pgfault"] == 12);
  CHECK(j["output"].get<std::string>() == "ok \xEF\xBF\xBD\xEF\xBF\xBD \"quoted\"\n");
  CHECK_FALSE(j.contains("timed_out"));
  auto e = nlohmann::json::parse(StepEvent("knob", "/sys/x", false, "open /sys/x: ENOENT"));
  CHECK(e["ok"] == false);
  CHECK(e["error"] == "open /sys/x: ENOENT");
}

}  // namespace
}  // namespace kgate::agent
