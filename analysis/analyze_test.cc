// Analyze() end to end without the network: checkpatch disabled (so the
// result must say it was not run), everything else real.
#include "analysis/analyze.h"

#include <filesystem>

#include <catch2/catch.hpp>

#include "analysis/testing/analysis_fixtures.h"

namespace kgate {
namespace {

using testing::AnalysisTestdata;
using testing::OfflineAnalysis;

TEST_CASE("Analyze the sinful patch: findings, metrics, score, policy", "[analysis]") {
  Result<Analysis> a = Analyze(AnalysisTestdata("sinful.patch"), OfflineAnalysis());
  REQUIRE(a.ok());
  CHECK(a->kind == "patch");
  CHECK(a->findings.size() == 26);
  CHECK(a->findings.front().rule == "fpu-in-kernel");
  CHECK_FALSE(a->checkpatch.ran);
  CHECK(a->checkpatch.reason == "disabled with --no-checkpatch");
  CHECK_FALSE(a->metrics.subsystems_known);  // MAINTAINERS comes with checkpatch
  CHECK(a->score.score == 0);
  Policy mainline;
  mainline.forbid = {"fpu-in-kernel", "kernel-file-io", "hardcoded-path", "raw-hook"};
  CHECK(ForbiddenRulesFired(*a, mainline) == mainline.forbid);
  Policy only_training;
  only_training.forbid = {"in-kernel-training", "checkpatch-LONG_LINE"};
  CHECK(ForbiddenRulesFired(*a, only_training) == std::vector<std::string>{"in-kernel-training"});
}

TEST_CASE("Analyze the clean module: nothing fires, score 100", "[analysis]") {
  AnalyzeOptions options = OfflineAnalysis();
  options.kernels = {"debian:6.12-cloud"};
  Result<Analysis> a = Analyze(AnalysisTestdata("clean_module"), options);
  REQUIRE(a.ok());
  CHECK(a->kind == "module");
  CHECK(a->findings.empty());
  CHECK(a->score.score == 100);
  CHECK(a->metrics.files == std::vector<std::string>{"Kbuild", "Makefile", "ra_hint.c"});
  CHECK(a->build_reason == "disabled with --no-build");
  CHECK(a->builds.empty());
}

TEST_CASE("Analysis JSON carries context, findings, checkpatch and score", "[analysis]") {
  Result<Analysis> a = Analyze(AnalysisTestdata("sinful_module"), OfflineAnalysis());
  REQUIRE(a.ok());
  nlohmann::ordered_json j = AnalysisToJson(*a, "9.9.9");
  CHECK(j["schema"] == 2);
  CHECK(j["context"]["kgate_version"] == "9.9.9");
  CHECK(j["context"]["kind"] == "module");
  CHECK(j["findings"][0]["rule"] == "fpu-in-kernel");
  CHECK(j["findings"][0]["file"] == "Kbuild");
  CHECK(j["findings"][0]["line"] == 2);
  CHECK(j["findings"][0]["excerpt"] == "ccflags-y += -mhard-float -msse2");
  CHECK(j["checkpatch"]["ran"] == false);
  CHECK(j["metrics"]["subsystems"].is_null());
  CHECK(j["maintainability"]["score"] == a->score.score);
  CHECK(j["maintainability"]["components"].size() == a->score.components.size());
  CHECK(j["build"]["ran"] == false);
  CHECK(j["build"]["reason"] == "disabled with --no-build");
  CHECK(j["kernels"].is_array());
  CHECK(j["kernels"].empty());
}

TEST_CASE("Each kernel's JSON says whether the module was loaded there", "[analysis]") {
  Analysis a;
  ModuleBuild ok, failed;
  ok.ref = "debian:6.12-cloud";
  ok.ran = ok.ok = true;
  failed.ref = "debian:6.1-cloud";
  failed.ran = true;
  a.builds = {failed, ok};
  ModuleLoadCheck not_loaded, loaded;
  not_loaded.reason = "the module did not build on this kernel";
  loaded.ran = true;
  loaded.cycles.push_back({{"ran", true}, {"loaded", 20}});
  a.loads = {not_loaded, loaded};
  nlohmann::ordered_json j = AnalysisToJson(a, "9.9.9");
  CHECK(j["kernels"][0]["load"]["ran"] == false);
  CHECK(j["kernels"][0]["load"]["reason"] == "the module did not build on this kernel");
  CHECK(j["kernels"][1]["load"]["ran"] == true);
  CHECK(j["kernels"][1]["load"]["cycles"][0]["loaded"] == 20);
}

TEST_CASE("A patch is not built, and says why", "[analysis]") {
  AnalyzeOptions options = OfflineAnalysis();
  options.build_modules = true;  // even when asked: a patch is no module directory
  Result<Analysis> a = Analyze(AnalysisTestdata("clean.patch"), options);
  REQUIRE(a.ok());
  CHECK(a->builds.empty());
  CHECK(a->build_reason == "not applicable: the input is a patch, not a module directory");
}

TEST_CASE("Analyze rejects what it cannot read", "[analysis]") {
  Result<Analysis> missing = Analyze(AnalysisTestdata("no-such.patch"), OfflineAnalysis());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kBadInput);
  std::string empty = (std::filesystem::temp_directory_path() / "kgate-analyze-empty-dir").string();
  std::filesystem::create_directories(empty);
  Result<Analysis> no_source = Analyze(empty, OfflineAnalysis());
  std::filesystem::remove_all(empty);
  REQUIRE_FALSE(no_source.ok());
  CHECK(no_source.status().message().find("no module source here") != std::string::npos);
}

TEST_CASE("A forbid list naming an unknown rule is bad input", "[analysis]") {
  Policy policy;
  policy.file = "policies/strict.yaml";
  policy.forbid = {"raw-hook", "hardcoded-paths"};
  Status s = CheckForbidList(policy);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().rfind("policies/strict.yaml: forbid: unknown rule 'hardcoded-paths' (did you "
                          "mean 'hardcoded-path'?)",
                          0) == 0);
  policy.forbid = {"raw-hook", "checkpatch-LONG_LINE"};
  CHECK(CheckForbidList(policy).ok());
}

}  // namespace
}  // namespace kgate
