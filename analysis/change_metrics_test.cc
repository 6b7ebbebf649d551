#include "analysis/change_metrics.h"
#include "base/testing/source_path.h"

#include <catch2/catch.hpp>

namespace kgate {
namespace {

ChangeSet Parse(const std::string& text) {
  Result<PatchSet> set = ParsePatchSet(text, "t.patch");
  REQUIRE(set.ok());
  return ChangeSetFromPatches(std::move(*set), "t.patch");
}

TEST_CASE("Cyclomatic complexity counts decisions in code only", "[analysis][metrics]") {
  ChangeSet change = Parse(
      "--- /dev/null\n"
      "+++ b/mm/f.c\n"
      "@@ -0,0 +1,21 @@\n"
      "+/* Decides. */\n"
      "+static int f(int a,\n"
      "+\t     int b)\n"
      "+{\n"
      "+\tif (a && b)\n"
      "+\t\treturn 1;\n"
      "+\tfor (;;) {\n"
      "+\t\twhile (a--)\n"
      "+\t\t\tb = a ? b : 0;\n"
      "+\t\tswitch (b) {\n"
      "+\t\tcase 1:\n"
      "+\t\tcase 2:\n"
      "+\t\t\tbreak;\n"
      "+\t\tdefault:\n"
      "+\t\t\treturn 0;\n"
      "+\t\t}\n"
      "+\t}\n"
      "+\t/* if while for || in a comment */\n"
      "+\treturn \"if (x) || y\" != 0;\n"
      "+}\n"
      "+EXPORT_SYMBOL_GPL(f);\n");
  ChangeMetrics m = ComputeMetrics(change, nullptr);
  REQUIRE(m.functions.size() == 1);
  CHECK(m.functions[0].name == "f");
  CHECK(m.functions[0].line == 2);
  CHECK(m.functions[0].lines == 19);
  CHECK(m.functions[0].complexity == 8);  // 1 + if && for while ?: case case
  CHECK(m.max_complexity == 8);
  CHECK(m.exported_symbols == std::vector<std::string>{"f"});
  CHECK(m.insertions == 21);
  CHECK(m.added_c_lines == 21);
  CHECK(m.added_comment_lines == 2);
  CHECK(m.comment_density == Approx(2.0 / 21));
  CHECK_FALSE(m.subsystems_known);
}

TEST_CASE("Metrics of the sinful patch", "[analysis][metrics]") {
  Result<ChangeSet> change =
      LoadChangeSet(testing::SourcePath({"analysis/testdata/sinful.patch"}));
  REQUIRE(change.ok());
  Result<MaintainersMap> map = MaintainersMap::Parse(
      "MEMORY MANAGEMENT\nF:\tmm/\nF:\tinclude/linux/mm*.h\n\nPAGE CACHE\nF:\tmm/readahead.c\n\n"
      "ABI/API\nF:\tinclude/uapi/\n\nTHE REST\nF:\t*\nF:\t*/\n",
      "M");
  REQUIRE(map.ok());
  ChangeMetrics m = ComputeMetrics(*change, &*map);
  CHECK(m.patches == 1);
  CHECK(m.files_changed == 6);
  CHECK(m.insertions == 202);
  CHECK(m.deletions == 1);
  CHECK(m.subsystems == std::vector<std::string>{"THE REST", "ABI/API", "MEMORY MANAGEMENT", "PAGE CACHE"});
  CHECK(m.subsystems_by_file.at("mm/readahead.c") ==
        std::vector<std::string>{"PAGE CACHE", "MEMORY MANAGEMENT"});
  CHECK(m.exported_symbols == std::vector<std::string>{"mlra_predict_hook", "set_mlra_predict_hook"});
  auto window = std::find_if(m.functions.begin(), m.functions.end(),
                             [](const FunctionComplexity& f) { return f.name == "mlra_window"; });
  REQUIRE(window != m.functions.end());
  CHECK(window->line == 44);
  CHECK(window->complexity > 20);
  CHECK(m.max_complexity == window->complexity);
  CHECK(m.comment_density < 0.05);
}

TEST_CASE("A cover letter is not counted as a patch", "[analysis][metrics]") {
  ChangeSet change = Parse(
      "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
      "From: A <a@example.org>\n"
      "Subject: [PATCH 0/1] cover\n"
      "\n"
      "This series does one thing.\n"
      "\n"
      "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n"
      "From: A <a@example.org>\n"
      "Subject: [PATCH 1/1] the thing\n"
      "\n"
      "---\n"
      "--- a/x.c\n"
      "+++ b/x.c\n"
      "@@ -1 +1 @@\n"
      "-a\n"
      "+b\n");
  CHECK(change.patches.patches.size() == 2);
  CHECK(ComputeMetrics(change, nullptr).patches == 1);
}

}  // namespace
}  // namespace kgate
