// The scenario catalogue: every scenarios/<name>/workload.yaml loads, and the
// golden pair in its testdata/ (output.txt, captured from a real run of the
// tool on the development host, plus counters.json when the metrics are
// kernel counters) yields exactly the samples of expected.json.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "config/scenario_loader.h"
#include "scenarios/parsers/parser.h"
#include "scenarios/testing/parser_fixtures.h"
#include "base/testing/source_path.h"

namespace kgate {
namespace {

namespace fs = std::filesystem;
using testing::ReadScenarioFile;
using testing::ScenarioFile;

RepetitionOutput GoldenRepetition(const std::string& name) {
  RepetitionOutput rep;
  rep.output = ReadScenarioFile(name + "/testdata/output.txt");
  if (fs::exists(ScenarioFile(name + "/testdata/counters.json"))) {
    nlohmann::json counters =
        nlohmann::json::parse(ReadScenarioFile(name + "/testdata/counters.json"));
    for (const auto& [key, value] : counters.items()) rep.counters[key] = value.get<double>();
  }
  return rep;
}

TEST_CASE("the catalogue holds every scenario of the brief", "[scenarios][catalogue]") {
  std::vector<std::string> names = ListScenarios(testing::SourcePath({"scenarios"}));
  for (const char* name :
       {"hackbench-pipe", "hackbench-socket", "cyclictest", "fio-randread", "fio-seqread",
        "fio-randwrite", "stress-ng-vm", "stress-ng-cpu", "stress-ng-pagefault", "sysbench-memory",
        "sysbench-threads", "db_bench-readrandom", "db_bench-readseq", "db_bench-fillrandom",
        "mm-pressure", "microbench"}) {
    INFO(name);
    CHECK(std::find(names.begin(), names.end(), name) != names.end());
  }
}

TEST_CASE("every workload.yaml loads and its golden output yields the expected samples",
          "[scenarios][catalogue]") {
  std::vector<std::string> names = ListScenarios(testing::SourcePath({"scenarios"}));
  REQUIRE(names.size() >= 16);
  for (const std::string& name : names) {
    INFO("scenario " << name);
    auto spec = LoadScenario(ScenarioFile(name + "/workload.yaml"));
    INFO((spec.ok() ? std::string() : spec.status().message()));
    REQUIRE(spec.ok());
    CHECK(spec->name == name);
    CHECK((FindParser(spec->parser) != nullptr || spec->parser == "counters" ||
           spec->parser == "regex"));

    nlohmann::json expected =
        nlohmann::json::parse(ReadScenarioFile(name + "/testdata/expected.json"));
    auto samples = ParseRepetition(*spec, GoldenRepetition(name));
    INFO((samples.ok() ? std::string() : samples.status().message()));
    REQUIRE(samples.ok());
    REQUIRE(samples->size() == spec->metrics.size());
    CHECK(expected.size() == spec->metrics.size());
    for (const SampleRecord& sample : *samples) {
      INFO("metric " << sample.metric);
      REQUIRE(expected.contains(sample.metric));
      CHECK(sample.value == Approx(expected[sample.metric].get<double>()).epsilon(1e-9));
      const MetricSpec* declared = spec->FindMetric(sample.metric);
      REQUIRE(declared != nullptr);
      CHECK(sample.unit == declared->unit);
    }
  }
}

}  // namespace
}  // namespace kgate
