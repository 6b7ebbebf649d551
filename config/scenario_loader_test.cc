#include "config/scenario_loader.h"

#include <catch2/catch.hpp>

#include "config/testing/config_fixtures.h"

namespace kgate {
namespace {

using testing::FixtureOptions;
using testing::WriteScratch;

// Loads text as <scratch>/scenarios/<name>/workload.yaml; returns the error
// with that path written as "F" ("" when it loads).
std::string LoadError(const std::string& name, const std::string& text) {
  std::string file = WriteScratch("scenarios/" + name + "/workload.yaml", text);
  Result<ScenarioSpec> s = LoadScenario(file);
  std::string message = s.ok() ? "" : s.status().message();
  for (std::size_t at; (at = message.find(file)) != std::string::npos;) {
    message.replace(at, file.size(), "F");
  }
  return message;
}

std::string Head(const std::string& name) {
  return "kgate: 1\nscenario: " + name + "\n";
}

const std::string kTail =
    "parser: hackbench\n"
    "metrics:\n"
    "  time: {unit: s, better: lower, kind: time}\n";

}  // namespace

TEST_CASE("the fixture scenarios load with every field", "[config][scenario]") {
  const std::string root = FixtureOptions().scenarios_dir;
  Result<ScenarioSpec> h = FindScenario("hackbench-pipe", root);
  REQUIRE(h.ok());
  CHECK(h->name == "hackbench-pipe");
  CHECK(h->ExpandCommand() == "hackbench -p -g 4 -l 200");
  CHECK(h->needs == std::vector<std::string>{"hackbench"});
  CHECK(h->timeout_seconds == 300);
  REQUIRE(h->metrics.size() == 2);
  CHECK(h->metrics[1].name == "stat.ctxt");
  CHECK(h->metrics[1].kind == MetricKind::kCount);
  CHECK(h->determinism.cv_by_tier.at("icount") == Approx(0.004));
  CHECK(h->determinism.cv_by_tier.at("tcg") == Approx(0.2));
  CHECK(h->determinism.deterministic_under_icount);
  CHECK(h->location.line == 1);
  CHECK(h->metrics[1].decides);  // unless declared otherwise

  Result<ScenarioSpec> f = FindScenario("fio-randread", root);
  REQUIRE(f.ok());
  CHECK(f->timeout_seconds == 300);  // "5m"
  CHECK(f->scratch_disk);
  CHECK(f->scratch_fs == "ext4");
  CHECK(f->drop_caches);
  CHECK(f->warmup == 0);
  CHECK(f->metrics[0].better == Direction::kHigherIsBetter);
  CHECK(f->setup == std::vector<std::string>{"mkfs.ext4 -q {device}"});

  Result<ScenarioSpec> r = FindScenario("regex-count", root);
  REQUIRE(r.ok());
  CHECK(r->parser == "regex");
  REQUIRE(r->regex.size() == 1);
  CHECK(r->regex[0].pattern == "count (\\d+)");
  CHECK(r->scratch_disk);
  CHECK(r->scratch_fs.empty());
}

TEST_CASE("scenarios are found by folder, with a hint when misspelt", "[config][scenario]") {
  const std::string root = FixtureOptions().scenarios_dir;
  CHECK(ListScenarios(root) == std::vector<std::string>{"fio-randread", "hackbench-pipe",
                                                         "regex-count", "stress-ng-vm"});
  Result<ScenarioSpec> s = FindScenario("hackbench-pip", root);
  CHECK(s.status().code() == Status::Code::kNotFound);
  CHECK(s.status().message() == "unknown scenario 'hackbench-pip'; did you mean 'hackbench-pipe'?");
  CHECK(FindScenario("../etc", root).status().message() == "'../etc' is not a scenario name");
}

TEST_CASE("a scenario names its scratch disk: virtio or a storage profile, and its icount shift",
          "[config][scenario][storage]") {
  std::string file = WriteScratch("scenarios/io/workload.yaml",
                                  Head("io") +
                                      "run: x\nscratch_disk: {fs: ext4, device: sata-ssd}\n"
                                      "icount_shift: 0\n" +
                                      kTail);
  Result<ScenarioSpec> s = LoadScenario(file);
  REQUIRE(s.ok());
  REQUIRE(s->scratch_model);
  CHECK(s->scratch_model->profile == "sata-ssd");
  CHECK(s->scratch_model->latency_ns == 150'000);
  CHECK(s->icount_shift == 0);

  file = WriteScratch("scenarios/v/workload.yaml",
                      Head("v") + "run: x\nscratch_disk: {fs: ext4, device: virtio}\n" + kTail);
  s = LoadScenario(file);
  REQUIRE(s.ok());
  CHECK(s->scratch_disk);
  CHECK_FALSE(s->scratch_model);
  CHECK(s->icount_shift == -1);  // the run's

  CHECK(LoadError("b", Head("b") + "run: x\nscratch_disk: {fs: ext4, device: sata-sd}\n" + kTail) ==
        "F:4:34: disk 'sata-sd' is not one of virtio, nvme-ssd, sata-ssd, cloud-volume; did you "
        "mean 'sata-ssd'?");
  CHECK(LoadError("i", Head("i") + "run: x\nicount_shift: 11\n" + kTail).find("F:4:15:") == 0);
}

TEST_CASE("scenario errors name file:line:col and what was expected", "[config][scenario]") {
  SECTION("the name must match the folder") {
    CHECK(LoadError("a", Head("b") + "run: x\n" + kTail) ==
          "F:2:11: scenario 'b' must be named after its folder 'a'");
  }
  SECTION("a {param} with no value") {
    CHECK(LoadError("p", Head("p") + "run: hackbench -g {groups} -l {lops}\n"
                                     "params: {groups: 4, loops: 10}\n" + kTail) ==
          "F:3:6: {lops} has no value in 'params'; did you mean {loops}?");
    CHECK(LoadError("s", Head("s") + "run: x\nsetup: [\"mkfs {dev}\"]\n" + kTail) ==
          "F:4:9: {dev} has no value in 'params'");
  }
  SECTION("metric declarations are strict") {
    CHECK(LoadError("m", Head("m") + "run: x\nparser: p\nmetrics:\n"
                                     "  t: {unit: s, better: smaller, kind: time}\n"
                                     "  u: {unit: s, better: lower, kind: duration, scale: 2}\n") ==
          "F:6:24: 'better' expects one of lower, higher, got 'smaller'\n"
          "F:7:37: 'kind' expects one of time, rate, latency, count, bytes, got 'duration'\n"
          "F:7:47: unknown key 'scale'; expected one of: unit, better, kind, decides, cv");
    CHECK(LoadError("d", Head("d") + "run: x\nparser: p\nmetrics:\n"
                                     "  t: {unit: s, better: lower, kind: time, decides: no}\n") ==
          "F:6:52: 'decides' expects true or false, got 'no'");
    CHECK(LoadError("n", Head("n") + "run: x\nparser: p\nmetrics: {}\n") ==
          "F:5:10: 'metrics' declares no metric");
  }
  SECTION("a metric may be declared stored-only") {
    std::string file = WriteScratch("scenarios/o/workload.yaml",
                                    Head("o") + "run: x\nparser: p\nmetrics:\n"
                                    "  t: {unit: s, better: lower, kind: time}\n"
                                    "  n: {unit: requests, better: higher, kind: count, "
                                    "decides: false}\n");
    Result<ScenarioSpec> s = LoadScenario(file);
    REQUIRE(s.ok());
    CHECK(s->metrics[0].decides);
    CHECK_FALSE(s->metrics[1].decides);
  }
  SECTION("a metric may carry its own measured CV per tier") {
    std::string file = WriteScratch("scenarios/c/workload.yaml",
                                    Head("c") + "run: x\nparser: p\nmetrics:\n"
                                    "  n: {unit: switches, better: lower, kind: count, "
                                    "cv: {icount: 0.113, tcg: 0.19}}\n");
    Result<ScenarioSpec> s = LoadScenario(file);
    REQUIRE(s.ok());
    CHECK(s->metrics[0].cv_by_tier.at("icount") == Approx(0.113));
    CHECK(s->metrics[0].cv_by_tier.at("tcg") == Approx(0.19));
    CHECK(LoadError("c2", Head("c2") + "run: x\nparser: p\nmetrics:\n"
                                       "  n: {unit: s, better: lower, kind: count, "
                                       "cv: {icont: 0.1}}\n") ==
          "F:6:49: unknown key 'icont'; did you mean 'icount'?");
  }
  SECTION("regex rules must compile, capture, and name a declared metric") {
    CHECK(LoadError("r", Head("r") + "run: x\nparser: regex\nregex:\n"
                                     "  - {metric: ops, pattern: 'ops ([0-9]+'}\n"
                                     "  - {metric: time, pattern: 'took \\d+'}\n"
                                     "metrics: {time: {unit: s, better: lower, kind: time}}\n")
              == "F:6:14: regex rule names metric 'ops', which 'metrics' does not declare\n"
                 "F:6:28: bad regex pattern: Mismatched '(' and ')' in regular expression\n"
                 "F:7:29: regex pattern has no (capture group) for the value");
    CHECK(LoadError("r2", Head("r2") + "run: x\nparser: regex\n"
                                       "metrics: {time: {unit: s, better: lower, kind: time}}\n") ==
          "F:4:9: 'parser: regex' needs a 'regex' list of {metric, pattern}");
    CHECK(LoadError("r3", Head("r3") + "run: x\nregex: []\n" + kTail) ==
          "F:4:8: 'regex' rules need 'parser: regex'");
  }
  SECTION("units, counts and determinism") {
    CHECK(LoadError("u", Head("u") + "run: x\ntimeout: 5 min\nreps: 0\n" + kTail +
                             "determinism: {tcg: {deterministic: true}, kvn: {cv: 0.1}}\n") ==
          "F:4:10: 'timeout': '5 min' has an unknown unit 'min': expected a duration like "
          "300, 30s, 5m or 1h\n"
          "F:5:7: 'reps' must be between 1 and 1000, got 0\n"
          "F:9:36: 'deterministic' applies only under icount\n"
          "F:9:43: unknown key 'kvn'; did you mean 'kvm'?");
  }
  SECTION("required keys, values written as nothing") {
    CHECK(LoadError("q", Head("q") + "run:\n") ==
          "F:1:1: missing required key 'metrics'\n"
          "F:1:1: missing required key 'parser'\n"
          "F:3:1: 'run' expects a string, got nothing");
  }
}

}  // namespace kgate
