// Patch series against a real git tree: the order a series is read in, and
// the errors a patch that does not apply gives.
#include "kbuild/patch_series.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"

namespace kgate {
namespace {

using testing::TempDir;

// mm/readahead.c as a tiny tree with one commit.
constexpr char kReadahead[] =
    "int ra_pages(int kb)\n"
    "{\n"
    "\treturn kb / 4;\n"
    "}\n"
    "\n"
    "int ra_max(void)\n"
    "{\n"
    "\treturn 128;\n"
    "}\n";

// Changes ra_max's 128 to 512.
constexpr char kRaisePatch[] =
    "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n"
    "From: Ada Dev <ada@example.org>\n"
    "Subject: [PATCH 1/2] mm: raise the readahead maximum\n"
    "\n"
    "Larger windows for sequential readers.\n"
    "---\n"
    " mm/readahead.c | 2 +-\n"
    "\n"
    "diff --git a/mm/readahead.c b/mm/readahead.c\n"
    "--- a/mm/readahead.c\n"
    "+++ b/mm/readahead.c\n"
    "@@ -6,4 +6,4 @@ int ra_pages(int kb)\n"
    " int ra_max(void)\n"
    " {\n"
    "-\treturn 128;\n"
    "+\treturn 512;\n"
    " }\n"
    "-- \n"
    "2.39.5\n";

// Expects ra_pages to divide by 8, which the tree does not.
constexpr char kStalePatch[] =
    "From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\n"
    "From: Ada Dev <ada@example.org>\n"
    "Subject: [PATCH 2/2] mm: halve ra_pages\n"
    "\n"
    "---\n"
    "diff --git a/mm/readahead.c b/mm/readahead.c\n"
    "--- a/mm/readahead.c\n"
    "+++ b/mm/readahead.c\n"
    "@@ -1,4 +1,4 @@\n"
    " int ra_pages(int kb)\n"
    " {\n"
    "-\treturn kb / 8;\n"
    "+\treturn kb / 16;\n"
    " }\n"
    "\n"
    "base-commit: 0123456789abcdef0123456789abcdef01234567\n"
    "-- \n"
    "2.39.5\n";

struct Tree {
  TempDir dir{"kgate-series"};
  std::string path = dir.File("linux");
  PosixProcessRunner runner;

  Tree() {
    REQUIRE(MakeDirs(path + "/mm").ok());
    REQUIRE(WriteFileAtomic(path + "/mm/readahead.c", kReadahead).ok());
    REQUIRE(Git({"init", "-q"}).success());
    REQUIRE(Git({"add", "-A"}).success());
    REQUIRE(Git({"commit", "-q", "-m", "base"}).success());
  }

  ProcessResult Git(const std::vector<std::string>& args) {
    auto r = RunGit(path, args, runner);
    REQUIRE(r.ok());
    return *r;
  }

  std::string Write(const std::string& name, const std::string& text) {
    std::string p = dir.File(name);
    REQUIRE(MakeDirs(std::filesystem::path(p).parent_path().string()).ok());
    REQUIRE(WriteFileAtomic(p, text).ok());
    return p;
  }

  std::vector<SeriesPatch> Series(const std::vector<std::string>& entries) {
    auto s = ExpandSeries(entries);
    REQUIRE(s.ok());
    return *s;
  }
};

}  // namespace

TEST_CASE("a series applies one commit per patch, with the patch's subject and author",
          "[kbuild][patches]") {
  Tree t;
  std::vector<SeriesPatch> series = t.Series({t.Write("0001-raise.patch", kRaisePatch)});
  REQUIRE(series.size() == 1);
  CHECK(series[0].subject == "mm: raise the readahead maximum");
  CHECK(series[0].Name() == t.dir.File("0001-raise.patch") +
                                " (patch 1 of 1, \"mm: raise the readahead maximum\")");
  REQUIRE(ApplySeries(t.path, series, t.runner).ok());
  CHECK(ReadTextFile(t.path + "/mm/readahead.c")->find("return 512;") != std::string::npos);
  CHECK(t.Git({"log", "-1", "--format=%s|%an <%ae>"}).out ==
        "mm: raise the readahead maximum|Ada Dev <ada@example.org>\n");
  CHECK(t.Git({"status", "--porcelain"}).out.empty());

  // Pinned dates and identity: the same series on the same base gives the
  // same commit, so a tree's head names its inputs.
  Tree again;
  REQUIRE(ApplySeries(again.path, again.Series({again.Write("p.patch", kRaisePatch)}),
                      again.runner)
              .ok());
  CHECK(again.Git({"rev-parse", "HEAD"}).out == t.Git({"rev-parse", "HEAD"}).out);
}

TEST_CASE("a folder is read in its series file's order, else by name; an mbox gives each patch",
          "[kbuild][patches]") {
  Tree t;
  t.Write("q/b.patch", kRaisePatch);
  t.Write("q/a.patch", kStalePatch);
  t.Write("q/notes.txt", "not a patch\n");
  std::vector<SeriesPatch> by_name = t.Series({t.dir.File("q")});
  REQUIRE(by_name.size() == 2);
  CHECK(by_name[0].subject == "mm: halve ra_pages");
  CHECK(by_name[1].index == 2);
  CHECK(by_name[1].count == 2);

  t.Write("q/series", "# quilt series\nb.patch -p1\na.patch\n");
  std::vector<SeriesPatch> by_series = t.Series({t.dir.File("q")});
  REQUIRE(by_series.size() == 2);
  CHECK(by_series[0].subject == "mm: raise the readahead maximum");

  std::string cover =
      "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
      "From: Ada Dev <ada@example.org>\n"
      "Subject: [PATCH 0/2] readahead tweaks\n"
      "\n"
      "Two patches.\n"
      "\n"
      "base-commit: fedcba9876543210fedcba9876543210fedcba98\n"
      "-- \n"
      "2.39.5\n"
      "\n";
  std::vector<SeriesPatch> mbox =
      t.Series({t.Write("v2.mbox", cover + kRaisePatch + "\n" + kStalePatch)});
  REQUIRE(mbox.size() == 2);  // the cover letter is not a patch
  CHECK(mbox[0].base_commit == "fedcba9876543210fedcba9876543210fedcba98");  // from the cover
  CHECK(mbox[1].base_commit == "0123456789abcdef0123456789abcdef01234567");  // its own

  t.Write("q/series", "b.patch\nmissing.patch\n");
  auto bad = ExpandSeries({t.dir.File("q")});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() ==
        t.dir.File("q/series") + ":2: 'missing.patch' is not a file in " + t.dir.File("q"));
  CHECK_FALSE(ExpandSeries({t.dir.File("nowhere")}).ok());
}

TEST_CASE("a patch that does not apply names the patch, hunk, file:line, expected and found lines",
          "[kbuild][patches]") {
  Tree t;
  std::vector<SeriesPatch> series =
      t.Series({t.Write("0001.patch", kRaisePatch), t.Write("0002.patch", kStalePatch)});
  Status s = ApplySeries(t.path, series, t.runner);
  REQUIRE(s.code() == Status::Code::kBadInput);
  CHECK(s.message() ==
        t.dir.File("0002.patch") + " (patch 2 of 2, \"mm: halve ra_pages\") does not apply:\n"
        "  mm/readahead.c:1: hunk @@ -1,4 +1,4 @@ expected:\n"
        "    |  int ra_pages(int kb)\n"
        "    |  {\n"
        "    | -\treturn kb / 8;\n"
        "    |  }\n"
        "  the tree has there:\n"
        "    | int ra_pages(int kb)\n"
        "    | {\n"
        "    | \treturn kb / 4;\n"
        "    | }\n"
        "  the patch says base-commit: 0123456789abcdef0123456789abcdef01234567; rebase it onto "
        "the arm's source");
  // The first patch stays applied: the tree is at the last patch that did.
  CHECK(t.Git({"log", "-1", "--format=%s"}).out == "mm: raise the readahead maximum\n");
}

TEST_CASE("a patch the tree already contains is named as already applied", "[kbuild][patches]") {
  Tree t;
  std::string file = t.Write("raise.patch", kRaisePatch);
  REQUIRE(ApplySeries(t.path, t.Series({file}), t.runner).ok());
  Status s = ApplySeries(t.path, t.Series({file}), t.runner);
  REQUIRE(s.code() == Status::Code::kBadInput);
  CHECK(s.message() == file +
                           " (patch 1 of 1, \"mm: raise the readahead maximum\") is already "
                           "applied: the tree contains its change (Debian's linux-source carries "
                           "backported stable fixes); drop it from the series");
}

TEST_CASE("a patch for a file the tree does not have says so", "[kbuild][patches]") {
  Tree t;
  std::string patch = kRaisePatch;
  for (std::size_t at; (at = patch.find("mm/readahead.c")) != std::string::npos;) {
    patch.replace(at, 14, "mm/filemap.c");
  }
  Status s = ApplySeries(t.path, t.Series({t.Write("f.patch", patch)}), t.runner);
  REQUIRE(s.code() == Status::Code::kBadInput);
  CHECK_THAT(s.message(), Catch::EndsWith("does not apply: mm/filemap.c is not in the tree"));
}

}  // namespace kgate
