#include "scenarios/parsers/parser.h"

#include <cmath>

#include "scenarios/testing/parser_fixtures.h"

namespace kgate {
namespace {

using testing::Metric;
using testing::Output;
using testing::Spec;

TEST_CASE("the built-in parsers are registered by name", "[scenarios]") {
  std::vector<std::string> names = ParserNames();
  for (const char* name : {"counters", "cyclictest", "db_bench", "fio", "hackbench", "microbench",
                           "regex", "stress-ng", "sysbench"}) {
    INFO(name);
    CHECK(std::find(names.begin(), names.end(), name) != names.end());
  }
  CHECK(FindParser("hackbench") != nullptr);
  CHECK(FindParser("hackbenhc") == nullptr);
}

TEST_CASE("samples carry the declared unit, kind, direction and repetition", "[scenarios]") {
  ScenarioSpec spec =
      Spec("hackbench-pipe", "hackbench",
           {Metric("time", "s"),
            Metric("stat.ctxt", "switches", Direction::kLowerIsBetter, MetricKind::kCount)});
  RepetitionOutput rep = Output("Running in process mode\nTime: 0.838\n");
  rep.repetition = 2;
  rep.counters = {{"stat.ctxt", 41234}, {"vmstat.pgfault", 7}};
  auto samples = ParseRepetition(spec, rep);
  REQUIRE(samples.ok());
  REQUIRE(samples->size() == 2);
  const SampleRecord& time = (*samples)[0];
  CHECK(time.metric == "time");
  CHECK(time.value == Approx(0.838));
  CHECK(time.unit == "s");
  CHECK(time.kind == "time");
  CHECK(time.better == "lower");
  CHECK(time.repetition == 2);
  const SampleRecord& ctxt = (*samples)[1];
  CHECK(ctxt.metric == "stat.ctxt");
  CHECK(ctxt.value == 41234);
  CHECK(ctxt.kind == "count");
}

TEST_CASE("a missing metric names the scenario, the metric and quotes the output", "[scenarios]") {
  ScenarioSpec spec = Spec("hackbench-pipe", "hackbench", {Metric("latency", "s")});
  auto samples = ParseRepetition(spec, Output("Time: 1.5\n"));
  REQUIRE_FALSE(samples.ok());
  const std::string& msg = samples.status().message();
  CHECK(msg.find("scenario 'hackbench-pipe' repetition 0") != std::string::npos);
  CHECK(msg.find("metric 'latency'") != std::string::npos);
  CHECK(msg.find("found (time)") != std::string::npos);
  CHECK(msg.find("Time: 1.5") != std::string::npos);
}

TEST_CASE("a counter metric comes from the counters, never from the output", "[scenarios]") {
  ScenarioSpec spec =
      Spec("mm", "counters",
           {Metric("vmstat.pgmajfault", "faults", Direction::kLowerIsBetter, MetricKind::kCount)});
  RepetitionOutput rep = Output("vmstat.pgmajfault 999\n");
  auto missing = ParseRepetition(spec, rep);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("no such counter") != std::string::npos);
  rep.counters["vmstat.pgmajfault"] = 12;
  auto samples = ParseRepetition(spec, rep);
  REQUIRE(samples.ok());
  CHECK((*samples)[0].value == 12);
  rep.counters["vmstat.pgmajfault"] = NAN;
  CHECK_FALSE(ParseRepetition(spec, rep).ok());
}

TEST_CASE("regex rules take the first capture of the first matching line", "[scenarios]") {
  ScenarioSpec spec = Spec("user", "regex",
                           {Metric("rate", "MB/s", Direction::kHigherIsBetter, MetricKind::kRate),
                            Metric("errors", "n", Direction::kLowerIsBetter, MetricKind::kCount)});
  spec.regex = {{"rate", R"(throughput: ([0-9.]+) MB/s)"}, {"errors", R"(^errors=(\d+))"}};
  auto samples = ParseRepetition(
      spec, Output("warmup throughput: 1.0 MB/s\nthroughput: 2.5 MB/s\nerrors=3\n"));
  REQUIRE(samples.ok());
  CHECK((*samples)[0].value == Approx(1.0));
  CHECK((*samples)[1].value == 3);

  auto nan = ParseRepetition(spec, Output("throughput: nan MB/s\nerrors=0\n"));
  REQUIRE_FALSE(nan.ok());
  CHECK(nan.status().message().find("metric 'rate'") != std::string::npos);

  spec.regex[0].pattern = "throughput: ([0-9.]+";
  auto bad = ParseRepetition(spec, Output("throughput: 2 MB/s\n"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("does not compile") != std::string::npos);
}

TEST_CASE("a failed command, an unknown parser and garbage are errors", "[scenarios]") {
  ScenarioSpec spec = Spec("hackbench-pipe", "hackbench", {Metric("time", "s")});
  RepetitionOutput rep = Output("Time: 1.0\n");
  rep.exit_code = 1;
  auto failed = ParseRepetition(spec, rep);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().message().find("exited with status 1") != std::string::npos);

  spec.parser = "hackbenhc";
  auto unknown = ParseRepetition(spec, Output("Time: 1.0\n"));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().message().find("did you mean 'hackbench'") != std::string::npos);

  for (const char* parser :
       {"hackbench", "cyclictest", "fio", "stress-ng", "sysbench", "db_bench", "microbench"}) {
    spec.parser = parser;
    for (const std::string& garbage : testing::GarbageOutputs()) {
      INFO(parser << " on " << garbage.substr(0, 40));
      auto samples = ParseRepetition(spec, Output(garbage));
      REQUIRE_FALSE(samples.ok());
      CHECK(samples.status().message().size() < 1000);
    }
  }
}

}  // namespace
}  // namespace kgate
