#include "config/model.h"

#include <catch2/catch.hpp>

namespace kgate {

TEST_CASE("shape names are short and distinguish every field", "[config][model]") {
  Shape s;
  CHECK(s.Name() == "1cpu-512M");
  s.vcpus = 2;
  s.memory_bytes = 1ull << 30;
  CHECK(s.Name() == "2cpu-1G");
  s.disk_iops = 500;
  CHECK(s.Name() == "2cpu-1G-iops500");
  s.disk_bytes = 2ull << 30;
  s.disk_bps = 50ull << 20;
  CHECK(s.Name() == "2cpu-1G-disk2G-iops500-bps50M");
}

TEST_CASE("source locations print as file:line:col", "[config][model]") {
  CHECK(SourceLocation{"p.yaml", 3, 7}.ToString() == "p.yaml:3:7");
  CHECK(SourceLocation{"p.yaml", 0, 0}.ToString() == "p.yaml");
}

TEST_CASE("commands expand params, and overrides win", "[config][model]") {
  ScenarioSpec s;
  s.run = "hackbench -g {groups} -l {loops} {missing}";
  s.params = {{"groups", "4"}, {"loops", "200"}};
  CHECK(s.ExpandCommand() == "hackbench -g 4 -l 200 {missing}");
  CHECK(s.ExpandCommand({{"loops", "10"}}) == "hackbench -g 4 -l 10 {missing}");
}

TEST_CASE("metrics are found by name", "[config][model]") {
  ScenarioSpec s;
  s.metrics = {{"time", "s", Direction::kLowerIsBetter, MetricKind::kTime}};
  REQUIRE(s.FindMetric("time") != nullptr);
  CHECK(s.FindMetric("time")->unit == "s");
  CHECK(s.FindMetric("ops") == nullptr);
  CHECK(std::string(MetricKindName(MetricKind::kLatency)) == "latency");
  CHECK(std::string(DirectionName(Direction::kHigherIsBetter)) == "higher");
}

TEST_CASE("the tuned sweep expands into one arm per combination", "[config][model]") {
  Proposal p;
  p.baseline.name = "baseline";
  p.baseline.kernel = "debian:6.12-cloud";
  p.baseline.knobs["/proc/sys/vm/swappiness"] = "60";
  p.candidate.name = "candidate";
  p.tuned = TunedSpec{};
  p.tuned->sweep["/sys/block/vda/queue/read_ahead_kb"] = {"16", "512"};
  p.tuned->sweep["/sys/block/vda/queue/nr_requests"] = {"64", "128", "256"};
  std::vector<ArmSpec> arms = p.Arms();
  REQUIRE(arms.size() == 2 + 6);
  CHECK(arms[0].name == "baseline");
  CHECK(arms[1].name == "candidate");
  CHECK(arms[2].name == "tuned:nr_requests=64,read_ahead_kb=16");
  CHECK(arms[3].name == "tuned:nr_requests=64,read_ahead_kb=512");
  CHECK(arms[7].name == "tuned:nr_requests=256,read_ahead_kb=512");
  // A tuned arm is the baseline plus its knobs.
  CHECK(arms[7].tuned);
  CHECK(arms[7].kernel == "debian:6.12-cloud");
  CHECK(arms[7].knobs.at("/proc/sys/vm/swappiness") == "60");
  CHECK(arms[7].knobs.at("/sys/block/vda/queue/read_ahead_kb") == "512");
  CHECK_FALSE(arms[1].tuned);
}

TEST_CASE("targets are looked up by scenario name", "[config][model]") {
  Proposal p;
  p.targets = {"fio-randread"};
  CHECK(p.IsTarget("fio-randread"));
  CHECK_FALSE(p.IsTarget("hackbench-pipe"));
}

}  // namespace kgate
