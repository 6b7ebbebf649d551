#include "config/proposal_loader.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "config/testing/config_fixtures.h"

namespace kgate {
namespace {

using testing::FixtureOptions;
using testing::FixturePath;
using testing::WriteScratch;

// Loads text as <scratch>/proposals/name.yaml against the fixture tree and
// returns the error message with that path written as "F" ("" when it loads).
std::string LoadError(const std::string& name, const std::string& text) {
  std::string file = WriteScratch("proposals/" + name + ".yaml", text);
  Result<Proposal> p = LoadProposal(file, FixtureOptions());
  std::string message = p.ok() ? "" : p.status().message();
  for (std::size_t at; (at = message.find(file)) != std::string::npos;) {
    message.replace(at, file.size(), "F");
  }
  return message;
}

// A valid proposal up to its candidate arm, and up to its scenarios.
const std::string kUpToCandidate =
    "kgate: 1\n"
    "proposal: p\n"
    "baseline: {kernel: debian:6.12-cloud}\n";
const std::string kHead = kUpToCandidate + "candidate: {kernel: debian:6.12-cloud}\n";

}  // namespace

TEST_CASE("the full example proposal loads with every field", "[config][proposal]") {
  Result<Proposal> r = LoadProposal(FixturePath("proposals/full.yaml"), FixtureOptions());
  REQUIRE(r.ok());
  const Proposal& p = *r;
  CHECK(p.name == "readahead-ml-agent");
  CHECK(p.source == "arXiv:2111.11554");
  // suite:quick expands in place; the repeated hackbench-pipe is dropped.
  CHECK(p.scenarios ==
        std::vector<std::string>{"hackbench-pipe", "fio-randread", "stress-ng-vm", "regex-count"});
  CHECK(p.targets == std::vector<std::string>{"fio-randread"});
  CHECK(p.IsTarget("fio-randread"));
  REQUIRE(p.shapes.size() == 2);
  CHECK(p.shapes[0].Name() == "2cpu-1G");
  CHECK(p.shapes[1].Name() == "1cpu-1536M-disk2G-iops500-bps50M");
  CHECK(p.tier == "icount");
  CHECK(p.runs.min == 3);
  CHECK(p.runs.max == 9);
  CHECK(p.fault_injection == std::optional<bool>(true));
  CHECK(p.candidate.cmdline == "mitigations=off");
  CHECK(p.candidate.knobs.at("/sys/block/vda/queue/read_ahead_kb") == "16");
  CHECK(p.candidate.sysctl.at("vm.swappiness") == "10");
  // Relative paths resolve against the proposal's folder.
  CHECK(p.candidate.agent.source == FixturePath("proposals/agent/tuner.cc"));
  CHECK(p.candidate.agent.args == std::vector<std::string>{"--interval", "1s"});
  CHECK(p.candidate.agent.knobs ==
        std::vector<std::string>{"/sys/block/vda/queue/read_ahead_kb"});
  CHECK(p.policy == FixturePath("tree/policies/lenient.yaml"));
  REQUIRE(p.claims.size() == 2);
  CHECK(p.claims[0].vs == "tuned");
  CHECK(p.claims[0].op == ">=");
  CHECK(p.claims[0].ratio == Approx(2.3));
  CHECK(p.claims[1].vs == "baseline");
  CHECK(p.claims[1].op == "<=");
  CHECK(p.claims[1].ratio == Approx(0.8));
  CHECK(p.claims[1].location.line == 29);
  CHECK(p.Arms().size() == 2 + 3 * 2);
}

TEST_CASE("a minimal proposal gets the documented defaults", "[config][proposal]") {
  Result<Proposal> r = LoadProposal(FixturePath("proposals/minimal.yaml"), FixtureOptions());
  REQUIRE(r.ok());
  CHECK(r->tier == "auto");
  CHECK(r->policy == "mainline");
  CHECK(r->runs.min == 5);
  CHECK(r->runs.max == 15);
  REQUIRE(r->shapes.size() == 1);
  CHECK(r->shapes[0].Name() == "1cpu-512M");
  CHECK(r->targets.empty());
  CHECK_FALSE(r->tuned.has_value());
  // Unset, so the policy decides; an explicit false must stay distinguishable.
  CHECK_FALSE(r->fault_injection.has_value());
}

TEST_CASE("fault_injection: false in a proposal overrides the policy", "[config][proposal]") {
  auto r = LoadProposal(WriteScratch("proposals/nofaults.yaml",
                                    kHead + "scenarios: [hackbench-pipe]\nfault_injection: false\n"),
                       FixtureOptions());
  REQUIRE(r.ok());
  CHECK(r->fault_injection == std::optional<bool>(false));
}

TEST_CASE("disk: names every scenario's scratch disk, checked against the profiles",
          "[config][proposal][storage]") {
  auto r = LoadProposal(WriteScratch("proposals/disk.yaml",
                                     kHead + "scenarios: [fio-randread]\ndisk: cloud-volume\n"),
                        FixtureOptions());
  REQUIRE(r.ok());
  CHECK(r->disk == "cloud-volume");
  CHECK(LoadError("baddisk", kHead + "scenarios: [fio-randread]\ndisk: nvme-sd\n") ==
        "F:6:7: disk 'nvme-sd' is not one of virtio, nvme-ssd, sata-ssd, cloud-volume; did you "
        "mean 'nvme-ssd'?");
}

TEST_CASE("params: override a scenario's params, checked against the scenario",
          "[config][proposal]") {
  const std::string head = kHead + "scenarios: [fio-randread, hackbench-pipe]\n";
  auto r = LoadProposal(WriteScratch("proposals/params.yaml", head + "params: {fio-randread: {bs: 16k}}\n"),
                        FixtureOptions());
  REQUIRE(r.ok());
  CHECK(r->params.at("fio-randread").at("bs") == "16k");
  CHECK(LoadError("params-typo", head + "params: {fio-randread: {bss: 16k}}\n") ==
        "F:6:25: params: scenario 'fio-randread' has no param 'bss'; did you mean 'bs'?");
  CHECK(LoadError("params-scenario", head + "params: {fio-randreed: {bs: 16k}}\n") ==
        "F:6:10: params: 'fio-randreed' is not among the proposal's scenarios; did you mean "
        "'fio-randread'?");
}

TEST_CASE("agent files resolve against the proposal's folder and must exist", "[config][proposal]") {
  const std::string arms =
      "kgate: 1\nproposal: p\nbaseline: {kernel: debian:6.12-cloud}\n"
      "candidate:\n  kernel: debian:6.12-cloud\n"
      "  agent: {source: agent/tuner.cc, files: [";
  auto r = LoadProposal(FixturePath("proposals/full.yaml"), FixtureOptions());
  REQUIRE(r.ok());
  CHECK(r->candidate.agent.files.empty());
  CHECK(LoadError("agentfile", arms + "model.txt]}\nscenarios: [hackbench-pipe]\n").find(
            "agent file 'model.txt' does not exist") != std::string::npos);
}

TEST_CASE("proposal errors name file:line:col and what was expected", "[config][proposal]") {
  const std::string head = kHead;
  SECTION("unknown key, with a hint") {
    CHECK(LoadError("typo", head + "scenarios: [hackbench-pipe]\nrunz: {min: 2}\n") ==
          "F:6:1: unknown key 'runz'; did you mean 'runs'?");
  }
  SECTION("unknown key without a likely meaning lists the keys") {
    CHECK(LoadError("nohint", head + "scenarios: [hackbench-pipe]\nzzzzzzzzzzzz: 1\n") ==
          "F:6:1: unknown key 'zzzzzzzzzzzz'; expected one of: kgate, proposal, title, source, "
          "description, baseline, candidate, tuned, scenarios, targets, shapes, tier, runs, "
          "claims, policy, fault_injection, disk, params");
  }
  SECTION("unknown key inside an arm") {
    CHECK(LoadError("armkey",
                    "kgate: 1\nproposal: p\nbaseline: {kernel: debian:6.12-cloud}\n"
                    "candidate:\n  kernel: debian:6.12-cloud\n  knob: {}\n"
                    "scenarios: [hackbench-pipe]\n") ==
          "F:6:3: unknown key 'knob'; did you mean 'knobs'?");
  }
  SECTION("agent knobs must be sysfs or procfs paths") {
    CHECK(LoadError("agentknob",
                    kUpToCandidate + "candidate:\n  kernel: debian:6.12-cloud\n"
                    "  agent: {source: /bin/true, knobs: [/etc/passwd]}\n"
                    "scenarios: [hackbench-pipe]\n") ==
          "F:6:38: agent knob '/etc/passwd' must be a /sys/ or /proc/ path");
  }
  SECTION("version missing, then wrong") {
    CHECK(LoadError("nover", head.substr(9) + "scenarios: [hackbench-pipe]\n") ==
          "F:1:1: missing required key 'kgate'");
    CHECK(LoadError("v2", "kgate: 2\n" + head.substr(9) + "scenarios: [hackbench-pipe]\n") ==
          "F:1:8: unsupported format version kgate: 2; this kgate reads version 1");
  }
  SECTION("empty arm and missing kernel") {
    CHECK(LoadError("emptyarm", kUpToCandidate + "candidate: {}\nscenarios: [a]\n")
              .starts_with("F:4:12: arm 'candidate' is empty; expected at least 'kernel'\n"));
    CHECK(LoadError("nullarm", kUpToCandidate + "candidate:\nscenarios: [hackbench-pipe]\n") ==
          "F:4:1: arm 'candidate' is empty; expected at least 'kernel'");
    CHECK(LoadError("nokernel",
                    kUpToCandidate + "candidate: {cmdline: quiet}\nscenarios: [hackbench-pipe]\n") ==
          "F:4:12: missing required key 'kernel'");
  }
  SECTION("the old top-level patch: key says where patches go now") {
    CHECK(LoadError("oldpatch", kUpToCandidate +
                                    "candidate: {kernel: debian:6.12-cloud, patch: [x.patch]}\n"
                                    "scenarios: [hackbench-pipe]\n") ==
          "F:4:40: unknown key 'patch': patches apply to a kernel kgate builds, so they go under "
          "kernel: {build: {source: debian:6.12, patches: [...]}} (docs/formats.md)");
  }
  SECTION("a bad kernel reference") {
    CHECK(LoadError("kernel",
                    kUpToCandidate + "candidate: {kernel: linux-6.12}\nscenarios: [hackbench-pipe]\n") ==
          "F:4:21: 'kernel' expects debian:<series>-<flavour>, debian:<package>, "
          "path:<bzImage> or a map {build: ...}, got 'linux-6.12'");
  }
  SECTION("unknown scenario, with a hint over the scenario folders") {
    CHECK(LoadError("scen", head + "scenarios: [hackbench-pipe, fio-randreed]\n") ==
          "F:5:29: unknown scenario 'fio-randreed'; did you mean 'fio-randread'?");
  }
  SECTION("unknown suite") {
    CHECK(LoadError("suite", head + "scenarios: [suite:quik]\n") ==
          "F:5:13: unknown suite 'quik'; did you mean 'quick'?");
  }
  SECTION("missing and empty scenarios") {
    CHECK(LoadError("noscen", head) == "F:1:1: missing required key 'scenarios'");
    CHECK(LoadError("emptyscen", head + "scenarios: []\n") ==
          "F:5:12: 'scenarios' is empty; name at least one scenario");
  }
  SECTION("a target that is not among the scenarios") {
    CHECK(LoadError("target",
                    head + "scenarios: [hackbench-pipe, fio-randread]\ntargets: [stress-ng-vm]\n") ==
          "F:6:11: target 'stress-ng-vm' is not among the proposal's scenarios");
  }
  SECTION("bad units and types in a shape") {
    CHECK(LoadError("mem", head + "scenarios: [hackbench-pipe]\nshapes: [{vcpus: 2, memory: 1024}]\n") ==
          "F:6:29: 'memory': '1024' has no unit: expected a size like 512M, 1G or 1.5G");
    CHECK(LoadError("vcpus", head + "scenarios: [hackbench-pipe]\nshapes: [{vcpus: two}]\n") ==
          "F:6:18: 'vcpus' expects an integer, got 'two'");
  }
  SECTION("every error of a file is reported, in file order per check") {
    CHECK(LoadError("types", head + "scenarios: hackbench-pipe\nfault_injection: maybe\n") ==
          "F:5:12: 'scenarios' expects a list, got 'hackbench-pipe'\n"
          "F:6:18: 'fault_injection' expects true or false, got 'maybe'");
  }
  SECTION("runs out of order, tier unknown") {
    CHECK(LoadError("runs", head + "scenarios: [hackbench-pipe]\nruns: {min: 5, max: 3}\n"
                                   "tier: icont\n") ==
          "F:6:21: runs.max (3) is below runs.min (5)\n"
          "F:7:7: 'tier' expects one of auto, icount, tcg, kvm, hw, got 'icont'; did you "
          "mean 'icount'?");
  }
  SECTION("claims: unknown scenario, undeclared metric, bad expect, duplicate id") {
    std::string text = head +
                       "scenarios: [hackbench-pipe, fio-randread]\n"
                       "claims:\n"
                       "  - {id: a, scenario: stress-ng-vm, metric: bogo_ops_per_sec, "
                       "expect: '+10%'}\n"
                       "  - {id: b, scenario: fio-randread, metric: read_ops, expect: '>= 2x'}\n"
                       "  - {id: c, scenario: hackbench-pipe, metric: time, expect: 'twice'}\n"
                       "  - {id: a, scenario: hackbench-pipe, metric: time, expect: '-5%', "
                       "vs: tuned}\n";
    CHECK(LoadError("claims", text) ==
          "F:7:23: claim 'a' names scenario 'stress-ng-vm', which is not among the "
          "proposal's scenarios\n"
          "F:8:45: claim 'b': scenario 'fio-randread' declares no metric 'read_ops'; did "
          "you mean 'read_iops'?\n"
          "F:9:61: bad expect 'twice': expected a ratio like '>= 2.3x' or a change like "
          "'+15%' or '<= -20%'\n"
          "F:10:10: duplicate claim id 'a' (first used on line 7)\n"
          "F:10:72: claim 'a' is against tuned, but the proposal has no 'tuned' sweep");
  }
  SECTION("unknown policy") {
    CHECK(LoadError("policy", head + "scenarios: [hackbench-pipe]\npolicy: mainlin\n") ==
          "F:6:9: unknown policy 'mainlin'; did you mean 'mainline'?");
  }
  SECTION("an agent whose source is missing") {
    CHECK(LoadError("agent", kUpToCandidate +
                                 "candidate:\n  kernel: debian:6.12-cloud\n  agent: {source: nope.cc}\n"
                                 "scenarios: [hackbench-pipe]\n")
              .starts_with("F:6:19: agent source 'nope.cc' does not exist (looked for "));
  }
  SECTION("a tuned sweep with a repeated value or a non-knob path") {
    CHECK(LoadError("sweep", head + "scenarios: [hackbench-pipe]\n"
                                    "tuned: {sweep: {/sys/a: [1, 2, 1], vm.swappiness: [10]}}\n") ==
          "F:6:32: knob '/sys/a' sweeps '1' twice\n"
          "F:6:36: knob 'vm.swappiness' must be a /sys/ or /proc/ path");
  }
  SECTION("duplicate keys") {
    CHECK(LoadError("dup", head + "scenarios: [hackbench-pipe]\ntier: tcg\ntier: icount\n") ==
          "F:7:1: duplicate key 'tier'");
  }
  SECTION("malformed YAML") {
    CHECK(LoadError("malformed", "kgate: 1\nproposal: [unclosed\n").starts_with("F:3:1: malformed YAML: "));
  }
}

TEST_CASE("unreadable proposal files are one-line errors", "[config][proposal]") {
  CHECK(LoadProposal("/nonexistent/p.yaml", FixtureOptions()).status().message() ==
        "/nonexistent/p.yaml: cannot read: No such file or directory");
  std::string dir = testing::ScratchDir();
  CHECK(LoadProposal(dir, FixtureOptions()).status().message() ==
        dir + ": is a directory, expected a file");
  std::string latin1 = WriteScratch("latin1.yaml", "kgate: 1\nproposal: caf\xe9\n");
  CHECK(LoadProposal(latin1, FixtureOptions()).status().message() ==
        latin1 + ": not valid UTF-8 text (bad byte at offset 22)");
  std::string big = WriteScratch("big.yaml", std::string(50 << 20, '#'));
  CHECK(LoadProposal(big, FixtureOptions()).status().message() ==
        big + ": 52428800 bytes, larger than the 4194304 bytes allowed");
  CHECK(LoadProposal(big, FixtureOptions()).status().exit_code() == ExitCode::kBadInput);
  std::filesystem::remove(big);  // 50 MB left in /tmp by every test run otherwise
}

}  // namespace kgate
