// kernel: {build: ...} in a proposal: what is read, what same-as copies, and
// what is refused.
#include <catch2/catch.hpp>

#include "config/proposal_loader.h"
#include "config/testing/config_fixtures.h"

namespace kgate {
namespace {

using testing::FixtureOptions;
using testing::WriteScratch;

Result<Proposal> Load(const std::string& arms) {
  WriteScratch("proposals/patches/0001-raise.patch", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n");
  WriteScratch("proposals/configs/lru.config", "CONFIG_LRU_GEN=y\n");
  std::string file = WriteScratch("proposals/built.yaml",
                                  "kgate: 1\nproposal: built\n" + arms +
                                      "scenarios: [hackbench-pipe]\n");
  return LoadProposal(file, FixtureOptions());
}

}  // namespace

TEST_CASE("a build arm reads source, config and patches; same-as copies all but the patches",
          "[config][proposal][kbuild]") {
  Result<Proposal> p = Load(
      "candidate:\n"
      "  kernel:\n"
      "    build:\n"
      "      source: debian:6.12\n"
      "      config: {fragments: [configs/lru.config], set: {SCHED_CLASS_EXT: y, CONFIG_HZ: 1000}}\n"
      "      patches: [patches/0001-raise.patch]\n"
      "baseline: {kernel: {build: {same-as: candidate, patches: []}}}\n");
  REQUIRE(p.ok());
  const KernelBuildSpec& c = p->candidate.build;
  CHECK(p->candidate.kernel == "build:candidate");
  CHECK(c.source == "debian:6.12");
  CHECK(c.config_base == "guest");
  REQUIRE(c.fragments.size() == 1);
  CHECK_THAT(c.fragments[0], Catch::EndsWith("/proposals/configs/lru.config"));
  CHECK(c.set == std::map<std::string, std::string>{{"SCHED_CLASS_EXT", "y"}, {"HZ", "1000"}});
  REQUIRE(p->candidate.patch.size() == 1);
  CHECK_THAT(p->candidate.patch[0], Catch::EndsWith("/proposals/patches/0001-raise.patch"));

  const KernelBuildSpec& b = p->baseline.build;
  CHECK(p->baseline.kernel == "build:baseline");
  CHECK(b.same_as == "candidate");
  CHECK(b.source == "debian:6.12");
  CHECK(b.set == c.set);
  CHECK(b.fragments == c.fragments);
  CHECK(b.patches.empty());
  CHECK(p->baseline.patch.empty());
}

TEST_CASE("a built arm against a prebuilt Debian kernel is refused unless accepted",
          "[config][proposal][kbuild]") {
  Result<Proposal> mixed = Load(
      "baseline: {kernel: debian:6.12-cloud}\n"
      "candidate: {kernel: {build: {source: debian:6.12, patches: [patches/0001-raise.patch]}}}\n");
  REQUIRE_FALSE(mixed.ok());
  CHECK_THAT(mixed.status().message(),
             Catch::Contains("arm 'candidate' builds its kernel but arm 'baseline' runs the "
                             "prebuilt debian:6.12-cloud"));
  CHECK_THAT(mixed.status().message(), Catch::Contains("compare-with-prebuilt: true"));

  CHECK(Load("baseline: {kernel: debian:6.12-cloud}\n"
             "candidate: {kernel: {build: {source: debian:6.12, compare-with-prebuilt: true}}}\n")
            .ok());
}

TEST_CASE("a build arm's mistakes are reported where they are written",
          "[config][proposal][kbuild]") {
  Result<Proposal> p = Load(
      "baseline: {kernel: {build: {same-as: candidat}}}\n"
      "candidate:\n"
      "  kernel:\n"
      "    build:\n"
      "      source: linux-6.12\n"
      "      config: {base: guests, set: {sched-ext: y}}\n"
      "      patches: [patches/missing.patch]\n");
  REQUIRE_FALSE(p.ok());
  const std::string& m = p.status().message();
  CHECK_THAT(m, Catch::Contains("'source' expects debian:<series>"));
  CHECK_THAT(m, Catch::Contains("config base 'guests' is not one of guest"));
  CHECK_THAT(m, Catch::Contains("did you mean 'guest'"));
  CHECK_THAT(m, Catch::Contains("config option 'sched-ext' is not a Kconfig symbol"));
  CHECK_THAT(m, Catch::Contains("patch 'patches/missing.patch' does not exist"));
  CHECK_THAT(m, Catch::Contains("same-as: 'candidat' is not the other arm ('candidate')"));
}

TEST_CASE("sched_ext: names an in-tree scheduler, as a word or with its options",
          "[config][proposal][kbuild][sched_ext]") {
  Result<Proposal> p = Load(
      "candidate:\n"
      "  kernel: {build: {source: debian:6.12, config: {base: guest-sched-ext}}}\n"
      "  sched_ext: {scheduler: scx_central, args: [-s, '10000']}\n"
      "baseline:\n"
      "  kernel: {build: {same-as: candidate}}\n"
      "  sched_ext: scx_simple\n");
  REQUIRE(p.ok());
  CHECK(p->candidate.build.config_base == "guest-sched-ext");
  CHECK(p->baseline.build.config_base == "guest-sched-ext");
  CHECK(p->candidate.sched_ext.scheduler == "scx_central");
  CHECK(p->candidate.sched_ext.args == std::vector<std::string>{"-s", "10000"});
  CHECK(p->candidate.sched_ext.OpsName() == "central");
  CHECK(p->baseline.sched_ext.scheduler == "scx_simple");
  CHECK(p->baseline.sched_ext.args.empty());
  CHECK_FALSE(p->baseline.agent.present());
}

TEST_CASE("sched_ext: an unknown scheduler, a second agent and a Debian kernel are refused",
          "[config][proposal][kbuild][sched_ext]") {
  WriteScratch("proposals/tuner.sh", "#!/bin/sh\n");
  Result<Proposal> p = Load(
      "baseline: {kernel: debian:6.12-cloud, sched_ext: scx_simple}\n"
      "candidate:\n"
      "  kernel: {build: {source: debian:6.12, config: {base: guest-sched-ext}}}\n"
      "  compare-with-prebuilt: true\n"
      "  sched_ext: scx_simpel\n"
      "  agent: {source: tuner.sh}\n");
  REQUIRE_FALSE(p.ok());
  const std::string& m = p.status().message();
  CHECK_THAT(m, Catch::Contains("sched_ext: 'scx_simpel' is not one of the kernel's in-tree schedulers"));
  CHECK_THAT(m, Catch::Contains("did you mean 'scx_simple'"));
  CHECK_THAT(m, Catch::Contains("write either agent: or sched_ext:"));
  CHECK_THAT(m, Catch::Contains("'debian:6.12-cloud' is not one (Debian's 6.12 kernels leave "
                                "SCHED_CLASS_EXT unset)"));
}

}  // namespace kgate
