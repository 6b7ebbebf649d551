#include <catch2/catch.hpp>

#include "config/testing/config_fixtures.h"
#include "config/loader.h"

namespace kgate {
namespace {

using testing::FixtureOptions;
using testing::WriteScratch;

std::string Replace(std::string message, const std::string& file) {
  for (std::size_t at; (at = message.find(file)) != std::string::npos;) {
    message.replace(at, file.size(), "F");
  }
  return message;
}

}  // namespace

TEST_CASE("suites list existing scenarios and do not nest", "[config][suite]") {
  const LoadOptions o = FixtureOptions();
  Result<SuiteSpec> quick = FindSuite("quick", o.suites_dir, o.scenarios_dir);
  REQUIRE(quick.ok());
  CHECK(quick->scenarios ==
        std::vector<std::string>{"hackbench-pipe", "fio-randread", "stress-ng-vm"});
  CHECK(FindSuite("quik", o.suites_dir, o.scenarios_dir).status().message() ==
        "unknown suite 'quik'; did you mean 'quick'?");

  std::string f = WriteScratch("suites/mine.yaml",
                               "kgate: 1\nsuite: mine\nscenarios: [hackbench-pipe, fio-randraed,"
                               " suite:quick]\n");
  CHECK(Replace(LoadSuite(f, o.scenarios_dir).status().message(), f) ==
        "F:3:29: unknown scenario 'fio-randraed'; did you mean 'fio-randread'?\n"
        "F:3:43: 'suite:quick': suites do not nest; list scenarios");
  f = WriteScratch("suites/other.yaml", "kgate: 1\nsuite: mine\nscenarios: []\n");
  CHECK(Replace(LoadSuite(f, o.scenarios_dir).status().message(), f) ==
        "F:2:8: suite 'mine' must be named after its file 'other'\n"
        "F:3:12: 'scenarios' is empty; a suite lists at least one");
}

TEST_CASE("policies load by name or path", "[config][policy]") {
  const LoadOptions o = FixtureOptions();
  Result<Policy> p = LoadPolicy("mainline", "", o.policies_dir);
  REQUIRE(p.ok());
  CHECK(p->margin == Approx(0.02));
  CHECK(p->require_beat_tuned);
  CHECK(p->forbid == std::vector<std::string>{"float-in-kernel"});
  CHECK(p->trusted_kinds.at("tcg") ==
        std::vector<MetricKind>{MetricKind::kCount, MetricKind::kBytes});
  CHECK(p->trusted_kinds.at("icount").size() == 5);

  Result<Policy> lenient = LoadPolicy("policies/lenient.yaml", o.policies_dir + "/..", "");
  REQUIRE(lenient.ok());
  CHECK(lenient->margin == Approx(0.05));
  CHECK(lenient->max_guard_regression == Approx(0.05));
  CHECK_FALSE(lenient->require_beat_tuned);
  CHECK(lenient->require_target_gain);  // the default

  CHECK(LoadPolicy("mainlien", "", o.policies_dir).status().message() ==
        "unknown policy 'mainlien'; did you mean 'mainline'?");
}

TEST_CASE("policy errors name file:line:col", "[config][policy]") {
  std::string f = WriteScratch("policies/strict.yaml",
                               "kgate: 1\npolicy: strict\nmargin: 2\nalpha: 0.9\n"
                               "trusted: {tcg: [count, bites], kvn: [time]}\n"
                               "require_claims: yes\n");
  CHECK(Replace(LoadPolicyFile(f).status().message(), f) ==
        "F:3:9: 'margin': '2' is above 1; write 2% for a percentage\n"
        "F:4:8: 'alpha' must be between 1e-06 and 0.5, got 0.9\n"
        "F:5:24: unknown metric kind 'bites'; expected one of time, rate, latency, count, "
        "bytes; did you mean 'bytes'?\n"
        "F:5:32: unknown key 'kvn'; did you mean 'kvm'?\n"
        "F:6:17: 'require_claims' expects true or false, got 'yes'");
}

TEST_CASE("any kgate file is told apart by its top key", "[config][loader]") {
  const LoadOptions o = FixtureOptions();
  CHECK(*DetectFileKind(testing::FixturePath("proposals/full.yaml")) == FileKind::kProposal);
  CHECK(*DetectFileKind(o.suites_dir + "/quick.yaml") == FileKind::kSuite);
  CHECK(*DetectFileKind(o.policies_dir + "/mainline.yaml") == FileKind::kPolicy);
  CHECK(*DetectFileKind(o.scenarios_dir + "/regex-count/workload.yaml") == FileKind::kScenario);
  CHECK(ValidateFile(o.scenarios_dir + "/regex-count/workload.yaml", o).ok());
  CHECK(ValidateFile(testing::FixturePath("proposals/full.yaml"), o).ok());
  std::string f = WriteScratch("what.yaml", "kgate: 1\nname: x\n");
  CHECK(Replace(ValidateFile(f, o).message(), f) ==
        "F:1:1: cannot tell what this file is: expected one of the top keys 'proposal', "
        "'scenario', 'suite' or 'policy'");
  f = WriteScratch("list.yaml", "- a\n- b\n");
  CHECK(Replace(ValidateFile(f, o).message(), f).starts_with("F:1:1: cannot tell"));
}

}  // namespace kgate
