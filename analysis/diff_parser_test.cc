#include "analysis/diff_parser.h"

#include <catch2/catch.hpp>

namespace kgate {
namespace {

using Kind = DiffLine::Kind;

TEST_CASE("ParsePatchSet reads a plain diff -u with timestamps", "[analysis][diff]") {
  const char* text =
      "--- a/mm/readahead.c\t2026-11-01 10:00:00.000000000 +0000\n"
      "+++ b/mm/readahead.c\t2026-11-02 10:00:00.000000000 +0000\n"
      "@@ -10,4 +10,5 @@ static void f(void)\n"
      " a\n"
      "-b\n"
      "+B\n"
      "+C\n"
      " d\n"
      "\n";  // a context line whose leading space an editor stripped
  Result<PatchSet> set = ParsePatchSet(text, "x.diff");
  REQUIRE(set.ok());
  REQUIRE(set->patches.size() == 1);
  REQUIRE(set->patches[0].files.size() == 1);
  const FileDiff& f = set->patches[0].files[0];
  CHECK(f.old_path == "mm/readahead.c");
  CHECK(f.new_path == "mm/readahead.c");
  CHECK_FALSE(f.is_new);
  CHECK(f.Added() == 2);
  CHECK(f.Removed() == 1);
  REQUIRE(f.hunks.size() == 1);
  const std::vector<DiffLine>& l = f.hunks[0].lines;
  REQUIRE(l.size() == 6);
  CHECK(l[1].kind == Kind::kRemoved);
  CHECK(l[1].old_line == 11);
  CHECK(l[2].kind == Kind::kAdded);
  CHECK(l[2].new_line == 11);
  CHECK(l[2].text == "B");
  CHECK(l[2].input_line == 6);
  CHECK(l[3].new_line == 12);
  CHECK(l[4].new_line == 13);
  CHECK(l[4].old_line == 12);
}

TEST_CASE("ParsePatchSet splits an mbox into its patches", "[analysis][diff]") {
  const char* text =
      "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n"
      "From: Ada Tester <ada@example.org>\n"
      "Subject: [PATCH 1/2] mm: first\n"
      "\n"
      "Body one.\n"
      "\n"
      "Signed-off-by: Ada Tester <ada@example.org>\n"
      "---\n"
      " mm/a.c | 1 +\n"
      "\n"
      "diff --git a/mm/a.c b/mm/a.c\n"
      "new file mode 100644\n"
      "--- /dev/null\n"
      "+++ b/mm/a.c\n"
      "@@ -0,0 +1 @@\n"
      "+int a;\n"
      "-- \n"
      "2.39.5\n"
      "\n"
      "From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\n"
      "From: Ada Tester <ada@example.org>\n"
      "Subject: [PATCH 2/2] mm: second, with a subject\n"
      " folded over two lines\n"
      "\n"
      "Body two.\n"
      "---\n"
      "diff --git a/mm/b.c b/mm/b.c\n"
      "deleted file mode 100644\n"
      "--- a/mm/b.c\n"
      "+++ /dev/null\n"
      "@@ -1,2 +0,0 @@\n"
      "-int b;\n"
      "-int c;\n";
  Result<PatchSet> set = ParsePatchSet(text, "series.mbox");
  REQUIRE(set.ok());
  REQUIRE(set->patches.size() == 2);
  const Patch& one = set->patches[0];
  CHECK(one.subject == "[PATCH 1/2] mm: first");
  CHECK(one.author == "Ada Tester <ada@example.org>");
  CHECK(one.message == "Body one.\n\nSigned-off-by: Ada Tester <ada@example.org>");
  REQUIRE(one.files.size() == 1);
  CHECK(one.files[0].is_new);
  CHECK(one.files[0].old_path.empty());
  CHECK(one.files[0].path() == "mm/a.c");
  CHECK(one.files[0].hunks[0].lines[0].new_line == 1);
  CHECK(one.text.rfind("From 1111", 0) == 0);
  CHECK(one.text.find("From 2222") == std::string::npos);
  const Patch& two = set->patches[1];
  CHECK(two.subject == "[PATCH 2/2] mm: second, with a subject folded over two lines");
  CHECK(two.input_line == 20);
  REQUIRE(two.files.size() == 1);
  CHECK(two.files[0].is_deleted);
  CHECK(two.files[0].path() == "mm/b.c");
  CHECK(two.files[0].Removed() == 2);
}

TEST_CASE("ParsePatchSet handles renames, binaries, no-newline markers and CRLF",
          "[analysis][diff]") {
  const char* text =
      "diff --git a/old/name.c b/new/name.c\r\n"
      "similarity index 100%\r\n"
      "rename from old/name.c\r\n"
      "rename to new/name.c\r\n"
      "diff --git a/fw.bin b/fw.bin\r\n"
      "new file mode 100644\r\n"
      "index 0000000..1234567\r\n"
      "GIT binary patch\r\n"
      "literal 4\r\n"
      "LcmZQzU|<9Q00aO5\r\n"
      "\r\n"
      "literal 0\r\n"
      "HcmV?d00001\r\n"
      "\r\n"
      "diff --git a/x.c b/x.c\r\n"
      "--- a/x.c\r\n"
      "+++ b/x.c\r\n"
      "@@ -1 +1 @@\r\n"
      "-int x;\r\n"
      "\\ No newline at end of file\r\n"
      "+int x = 1;\r\n"
      "\\ No newline at end of file\r\n";
  Result<PatchSet> set = ParsePatchSet(text, "mixed.patch");
  REQUIRE(set.ok());
  const std::vector<FileDiff>& files = set->patches[0].files;
  REQUIRE(files.size() == 3);
  CHECK(files[0].is_rename);
  CHECK(files[0].old_path == "old/name.c");
  CHECK(files[0].new_path == "new/name.c");
  CHECK(files[0].hunks.empty());
  CHECK(files[1].is_binary);
  CHECK(files[1].is_new);
  CHECK(files[1].path() == "fw.bin");
  CHECK(files[1].hunks.empty());
  REQUIRE(files[2].hunks.size() == 1);
  CHECK(files[2].Added() == 1);
  CHECK(files[2].hunks[0].lines[1].text == "int x = 1;");  // no '\r' left
}

TEST_CASE("ParsePatchSet rejects text that is no diff, with file:line", "[analysis][diff]") {
  Result<PatchSet> set = ParsePatchSet("Dear maintainers,\nplease merge.\n", "letter.txt");
  REQUIRE_FALSE(set.ok());
  CHECK(set.status().code() == Status::Code::kBadInput);
  CHECK(set.status().message().rfind("letter.txt:1: no diff found", 0) == 0);
}

TEST_CASE("ParsePatchSet rejects a truncated hunk at the line it stops", "[analysis][diff]") {
  const char* text =
      "--- a/x.c\n"
      "+++ b/x.c\n"
      "@@ -1,3 +1,4 @@\n"
      " a\n"
      "+b\n";
  Result<PatchSet> set = ParsePatchSet(text, "cut.patch");
  REQUIRE_FALSE(set.ok());
  CHECK(set.status().message() ==
        "cut.patch:5: truncated hunk (the one at line 3): 2 old and 2 new lines missing");
}

TEST_CASE("ParsePatchSet rejects a hunk cut short by the next file", "[analysis][diff]") {
  const char* text =
      "diff --git a/x.c b/x.c\n"
      "--- a/x.c\n"
      "+++ b/x.c\n"
      "@@ -1,2 +1,2 @@\n"
      "-a\n"
      "+b\n"
      "diff --git a/y.c b/y.c\n";
  Result<PatchSet> set = ParsePatchSet(text, "cut.patch");
  REQUIRE_FALSE(set.ok());
  CHECK(set.status().message().rfind("cut.patch:7: truncated hunk (the one at line 4)", 0) == 0);
}

TEST_CASE("ParsePatchSet rejects a malformed hunk header", "[analysis][diff]") {
  Result<PatchSet> set = ParsePatchSet("--- a/x.c\n+++ b/x.c\n@@ -1,x +1 @@\n a\n", "bad.patch");
  REQUIRE_FALSE(set.ok());
  CHECK(set.status().message().rfind("bad.patch:3: malformed hunk header '@@ -1,x +1 @@'", 0) == 0);
}

}  // namespace
}  // namespace kgate
