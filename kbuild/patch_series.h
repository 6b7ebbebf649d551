// A patch series as a proposal names it, and applying it to a kernel tree.
//
// An arm's `patches:` lists files and folders. A file gives every patch it
// holds (an mbox several, a bare diff one); a folder gives the patches its
// `series` file lists, in that order (quilt's layout), or else its *.patch,
// *.diff and *.mbox files in name order. Each patch keeps its position in the
// whole series, so an error can say "patch 3 of 7".
//
// ApplySeries applies the series to a git tree one patch per commit, with
// `git apply --index`: exact context, no fuzz, no three-way merge. The first
// patch that does not apply stops it with a BadInput whose message is what a
// kernel engineer needs to rebase the patch: which patch (file, index,
// subject), which hunk, where (file:line), the lines the hunk expected and the
// lines the tree has there, or that the tree already contains the change
// (Debian backports stable fixes, so a fix may be in linux-source already).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/diff_parser.h"
#include "base/process.h"
#include "base/status.h"

namespace kgate {

struct SeriesPatch {
  std::string file;         // the file it came from
  int index = 0;            // 1-based position in the whole series
  int count = 0;            // patches in the whole series
  std::string subject;      // Subject: without "[PATCH n/m]"; "" for a bare diff
  std::string author;       // From:, "" when absent
  std::string base_commit;  // the base-commit: trailer, "" when absent
  Patch parsed;             // files and hunks; parsed.text is this patch alone

  // "patches/0002-mm-foo.patch (patch 2 of 3, \"mm: foo\")".
  std::string Name() const;
};

// Expands entries (paths already resolved) into one ordered series.
// BadInput for a missing path, an empty folder, a `series` file naming a
// missing patch, or a file that holds no diff (the parser's file:line).
Result<std::vector<SeriesPatch>> ExpandSeries(const std::vector<std::string>& entries);

// Why a patch did not apply.
struct ApplyFailure {
  std::string patch;        // SeriesPatch::Name()
  std::string base_commit;  // the patch's base-commit: trailer, if any
  bool already_applied = false;
  std::string file;         // the file the failing hunk is for
  int line = 0;             // where the hunk expected its old lines
  std::string hunk_header;  // "@@ -120,7 +120,8 @@"
  std::vector<std::string> expected;  // the hunk's old side, as in the patch
  std::vector<std::string> found;     // the tree's lines at file:line
  std::string git_error;    // what git said, when nothing above could be found

  std::string Describe() const;
};

// What the tree would make of patch: nullopt when it applies cleanly.
// `tree` is a git work tree; nothing in it changes.
Result<std::optional<ApplyFailure>> CheckPatch(const std::string& tree, const SeriesPatch& patch,
                                                ProcessRunner& runner);

// Applies the series in order, one commit per patch (subject and author from
// the patch, dates pinned so the same series gives the same commit ids).
// BadInput with ApplyFailure::Describe() for the first patch that does not
// apply; the tree is then left at the last patch that did.
Status ApplySeries(const std::string& tree, const std::vector<SeriesPatch>& series,
                   ProcessRunner& runner);

// Runs git in tree with kgate's fixed identity and dates; Infrastructure when
// git cannot run, BadInput-free: a failing git command is the caller's to
// judge from the result.
Result<ProcessResult> RunGit(const std::string& tree, const std::vector<std::string>& args,
                             ProcessRunner& runner, const std::string& stdin_data = "");

}  // namespace kgate
