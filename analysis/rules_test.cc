// The rules on the fixtures: every rule fires on the sinful patch and module
// at the lines written to commit each sin, and none fires on the clean ones.
#include "analysis/rules.h"

#include <map>

#include <catch2/catch.hpp>

#include "analysis/change_set.h"
#include "base/testing/source_path.h"

namespace kgate {
namespace {

using Where = std::map<std::string, std::vector<std::string>>;  // rule -> file:line

Where FindingsOf(const std::string& fixture) {
  Result<ChangeSet> change = LoadChangeSet(testing::SourcePath({"analysis/testdata", fixture}));
  REQUIRE(change.ok());
  Where where;
  for (const FindingRecord& f : RunRules(*change)) {
    where[f.rule].push_back(f.file + ":" + std::to_string(f.line));
  }
  return where;
}

TEST_CASE("Every rule fires on the sinful patch, at the sinning lines", "[analysis][rules]") {
  Where got = FindingsOf("sinful.patch");
  const std::string c = "mm/ml_readahead.c:";
  Where want = {
      {"fpu-in-kernel",
       {"mm/Makefile:73", c + "13", c + "14", c + "15", c + "47", c + "63", c + "67", c + "108",
        c + "111", c + "112", c + "118"}},
      {"kernel-file-io", {c + "36", c + "39"}},
      {"hardcoded-path", {c + "18", c + "36"}},
      {"raw-hook", {c + "22", c + "24"}},
      {"new-uapi",
       {"include/uapi/linux/ml_readahead.h:20", "include/uapi/linux/ml_readahead.h:21", c + "143",
        c + "148"}},
      {"no-kill-switch", {"mm/Kconfig:931", c + "24"}},
      {"polling-kthread", {c + "125"}},
      {"in-kernel-training", {c + "115", c + "117"}},
  };
  CHECK(got == want);
  for (const RuleInfo& rule : KgateRules()) {
    // module-build-* and module-symbol-missing come from building a module
    // (module_build_test.cc), never from reading a patch.
    if (rule.id.starts_with("module-")) continue;
    CHECK(got.count(std::string(rule.id)) == 1);
  }
}

TEST_CASE("An out-of-tree module that can be unloaded is its own kill switch",
          "[analysis][rules]") {
  // clean_module's ra_hint has a sysfs show callback and a module_exit:
  // rmmod turns it off.
  CHECK(FindingsOf("clean_module").count("no-kill-switch") == 0);
  // The sinful module has no module_exit: once loaded it stays.
  Result<ChangeSet> change =
      LoadChangeSet(testing::SourcePath({"analysis/testdata/sinful_module"}));
  REQUIRE(change.ok());
  std::string message;
  for (const FindingRecord& f : RunRules(*change)) {
    if (f.rule == "no-kill-switch") message = f.message;
  }
  CHECK(message.rfind("the module has no module_exit, so it cannot be unloaded", 0) == 0);
}

TEST_CASE("Every rule fires on the sinful module, at the sinning lines", "[analysis][rules]") {
  Where got = FindingsOf("sinful_module");
  const std::string c = "mlsched.c:";
  Where want = {
      {"fpu-in-kernel",
       {"Kbuild:2", c + "15", c + "16", c + "36", c + "38", c + "39", c + "42", c + "45", c + "49",
        c + "51", c + "54", c + "57"}},
      {"kernel-file-io", {c + "25", c + "31"}},
      {"hardcoded-path", {c + "25"}},
      {"raw-hook", {c + "21"}},
      {"new-uapi", {c + "74", c + "75"}},
      {"no-kill-switch", {c + "23"}},
      {"polling-kthread", {c + "66"}},
      {"in-kernel-training", {c + "56"}},
  };
  CHECK(got == want);
}

TEST_CASE("No rule fires on the clean patch or the clean module", "[analysis][rules]") {
  CHECK(FindingsOf("clean.patch").empty());
  CHECK(FindingsOf("clean_module").empty());
}

TEST_CASE("A finding carries level, excerpt and a reason", "[analysis][rules]") {
  Result<ChangeSet> change =
      LoadChangeSet(testing::SourcePath({"analysis/testdata/sinful.patch"}));
  REQUIRE(change.ok());
  std::vector<FindingRecord> findings = RunRules(*change);
  auto it = std::find_if(findings.begin(), findings.end(),
                         [](const FindingRecord& f) { return f.rule == "kernel-file-io"; });
  REQUIRE(it != findings.end());
  CHECK(it->level == "error");
  CHECK(it->excerpt == R"(filp = filp_open("/tmp/mlra_weights.bin", O_RDONLY, 0);)");
  CHECK(it->message.rfind("filp_open() from kernel code: reading or writing files", 0) == 0);
  CHECK(it->run_id == 0);
}

// Rules read added code only: comments, strings, removed and context lines,
// and userspace trees stay silent.
TEST_CASE("Rules ignore comments, strings, removed lines and userspace", "[analysis][rules]") {
  const char* text =
      "--- a/mm/x.c\n"
      "+++ b/mm/x.c\n"
      "@@ -1,3 +1,5 @@\n"
      " static double context_only;\n"
      "-static float removed;\n"
      "+/* a float in a comment, and filp_open() too: \"/tmp/x\" */\n"
      "+static const char *msg = \"double trouble in /proc\"; // float\n"
      "+int ok;\n"
      " end();\n"
      "--- a/tools/ml/train.c\n"
      "+++ b/tools/ml/train.c\n"
      "@@ -1 +1,2 @@\n"
      " x();\n"
      "+float w = 1; FILE *f = fopen(\"/tmp/w\", \"r\");\n";
  Result<PatchSet> set = ParsePatchSet(text, "t.patch");
  REQUIRE(set.ok());
  std::vector<FindingRecord> findings = RunRules(ChangeSetFromPatches(std::move(*set), "t.patch"));
  for (const FindingRecord& f : findings) INFO(f.rule << " " << f.file << ":" << f.line);
  CHECK(findings.empty());
}

TEST_CASE("FP flags are found in Kbuild calls, not in -mno- flags or comments",
          "[analysis][rules]") {
  const char* text =
      "--- a/drivers/ml/Makefile\n"
      "+++ b/drivers/ml/Makefile\n"
      "@@ -1 +1,5 @@\n"
      " obj-y += ml.o\n"
      "+CFLAGS_ml.o += $(call cc-option,-mavx2)\n"
      "+CFLAGS_REMOVE_ml.o += -mno-sse -mno-mmx\n"
      "+# -msse would be wrong here\n"
      "+CFLAGS_fp.o += $(CC_FLAGS_FPU)\n";
  Result<PatchSet> set = ParsePatchSet(text, "t.patch");
  REQUIRE(set.ok());
  std::vector<FindingRecord> findings = RunRules(ChangeSetFromPatches(std::move(*set), "t.patch"));
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].line == 2);
  CHECK(findings[0].message.rfind("floating-point compiler flag -mavx2 in the kernel build", 0) == 0);
  CHECK(findings[1].line == 5);
  CHECK(findings[1].message.rfind("floating-point compiler flag $(CC_FLAGS_FPU)", 0) == 0);
}

// std::regex recurses per character: a 300,000-character line would
// overflow the stack. Rules read the first 4096 characters of a line.
TEST_CASE("Very long lines neither crash nor hide their start", "[analysis][rules]") {
  std::string text = "--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1 +1,2 @@\n a\n+static float w; char *s = \"" +
                     std::string(300000, 'x') + "\"; int " + std::string(300000, 'y') +
                     " += lr;\n";
  Result<PatchSet> set = ParsePatchSet(text, "long.patch");
  REQUIRE(set.ok());
  ChangeSet change = ChangeSetFromPatches(std::move(*set), "long.patch");
  std::vector<FindingRecord> findings = RunRules(change);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "fpu-in-kernel");
}

TEST_CASE("A hunk that opens inside a block comment is read as comment", "[analysis][rules]") {
  const char* text =
      "--- a/mm/x.c\n"
      "+++ b/mm/x.c\n"
      "@@ -10,2 +10,3 @@\n"
      " * the weights are float\n"
      "+ * and kernel_fpu_begin() is mentioned here\n"
      " */\n";
  Result<PatchSet> set = ParsePatchSet(text, "t.patch");
  REQUIRE(set.ok());
  CHECK(RunRules(ChangeSetFromPatches(std::move(*set), "t.patch")).empty());
}

TEST_CASE("Forbid lists accept kgate and checkpatch rule ids", "[analysis][rules]") {
  CHECK(IsKnownRuleId("fpu-in-kernel"));
  CHECK(IsKnownRuleId("checkpatch-LONG_LINE"));
  CHECK_FALSE(IsKnownRuleId("checkpatch-"));
  CHECK_FALSE(IsKnownRuleId("fpu-in-kernal"));
  REQUIRE(FindRule("raw-hook") != nullptr);
  CHECK(FindRule("raw-hook")->level == "error");
}

}  // namespace
}  // namespace kgate
