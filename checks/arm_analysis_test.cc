// AnalyzeArm without the network: checkpatch and module builds off, so a
// patch arm is analysed for real and a module arm must refuse to run.
#include "checks/arm_analysis.h"

#include <catch2/catch.hpp>

#include "analysis/testing/analysis_fixtures.h"

namespace kgate {
namespace {

using testing::AnalysisTestdata;
using testing::OfflineAnalysis;

Kernel KernelOf(std::string version) {
  Kernel k;
  k.version = std::move(version);
  return k;
}

ArmSpec ModuleArm(std::string kernel) {
  ArmSpec arm;
  arm.name = "candidate";
  arm.kernel = std::move(kernel);
  arm.modules = {AnalysisTestdata("clean_module")};
  return arm;
}

ArmSpec PatchArm() {
  ArmSpec arm;
  arm.name = "candidate";
  arm.kernel = "build:ml-readahead";
  arm.patch = {AnalysisTestdata("clean.patch"), AnalysisTestdata("sinful.patch")};
  return arm;
}

TEST_CASE("A patch arm's analyses: findings of the arm, the worst score", "[arm_analysis]") {
  auto a = AnalyzeArm(PatchArm(), 1, KernelOf("6.12.0-patched"), OfflineAnalysis());
  REQUIRE(a.ok());
  REQUIRE(a->analyses.size() == 2);
  CHECK(a->worst == 1);  // the sinful patch
  CHECK(a->score == a->analyses[1].score.score);
  CHECK(a->score < a->analyses[0].score.score);
  CHECK(a->modules.empty());
  REQUIRE_FALSE(a->findings.empty());
  for (const FindingRecord& f : a->findings) CHECK(f.arm == "candidate");
  // A patch's files are paths in the patched tree, kept as the patch says.
  CHECK(a->findings.front().file.find("testdata") == std::string::npos);

  CheckRecord c = AnalysisCheck(*a, 7, "test");
  CHECK(c.run_id == 7);
  CHECK(c.kind == "analysis");
  CHECK(c.status == CheckStatus::kFailed);  // the sinful patch has error-level findings
  CHECK(c.summary.rfind("maintainability " + std::to_string(a->score) + "/100; ", 0) == 0);
  auto detail = nlohmann::json::parse(c.detail_json);
  CHECK(detail["maintainability"]["score"] == a->score);
  CHECK(detail["maintainability"]["input"] == AnalysisTestdata("sinful.patch"));
  CHECK(detail["inputs"].size() == 2);
  CHECK(detail["modules"].empty());
}

TEST_CASE("A clean patch arm passes its check", "[arm_analysis]") {
  ArmSpec arm = PatchArm();
  arm.patch = {AnalysisTestdata("clean.patch")};
  auto a = AnalyzeArm(arm, 1, KernelOf("6.12.0-patched"), OfflineAnalysis());
  REQUIRE(a.ok());
  CHECK(AnalysisCheck(*a, 1, "test").status == CheckStatus::kPassed);
}

TEST_CASE("A module arm whose module was not built for its kernel is refused",
          "[arm_analysis]") {
  ArmSpec arm = ModuleArm("debian:6.12-cloud");
  auto a = AnalyzeArm(arm, 1, KernelOf("6.12.117+deb12-cloud-amd64"), OfflineAnalysis());
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().code() == Status::Code::kBadInput);
  CHECK(a.status().message().find("arm 'candidate': module ") != std::string::npos);
  CHECK(a.status().message().find("could not be built against debian:6.12-cloud") !=
        std::string::npos);
}

TEST_CASE("A module arm on a built kernel builds against that kernel's own tree",
          "[arm_analysis]") {
  ArmSpec arm = ModuleArm("build:candidate");
  Kernel k = KernelOf("6.12.118-gf220d60b1ac8");
  k.package = "kgate-build-0123456789ab";

  // Built without CONFIG_MODULES: no tree, and the reason.
  auto none = AnalyzeArm(arm, 1, k, OfflineAnalysis());
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().code() == Status::Code::kBadInput);
  CHECK(none.status().message().find("built without CONFIG_MODULES=y") != std::string::npos);

  // A tree without Module.symvers (an incomplete cache entry) is named.
  k.build_dir = "/nonexistent/kgate-build/build";
  auto broken = AnalyzeArm(arm, 1, k, OfflineAnalysis());
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().message().find("/nonexistent/kgate-build/build/Module.symvers is missing") !=
        std::string::npos);
}

TEST_CASE("Headers of a built kernel keep their modules apart from a same-version twin",
          "[arm_analysis]") {
  KernelHeaders debian;
  debian.package = "linux-headers-6.12.117+deb12-cloud-amd64";
  debian.version = "6.12.117+deb12-cloud-amd64";
  CHECK(debian.BuildsName() == "6.12.117+deb12-cloud-amd64");
  KernelHeaders base, cand;
  base.version = cand.version = "6.12.118-gf220d60b1ac8";
  base.package = "kgate-build-0123456789ab";
  cand.package = "kgate-build-ba9876543210";
  CHECK(base.BuildsName() != cand.BuildsName());
  CHECK(base.BuildsName() == "6.12.118-gf220d60b1ac8-kgate-build-0123456789ab");
}

TEST_CASE("A missing patch file is bad input naming the arm", "[arm_analysis]") {
  ArmSpec arm = PatchArm();
  arm.patch = {AnalysisTestdata("no-such.patch")};
  auto a = AnalyzeArm(arm, 1, KernelOf("v"), OfflineAnalysis());
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().message().rfind("arm 'candidate'", 0) == 0);
}

}  // namespace
}  // namespace kgate
