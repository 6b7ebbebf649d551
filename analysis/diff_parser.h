// Parsing unified diffs, `git format-patch` files and mboxes of patches.
//
// Accepted input, in any mix a mail client or git produces:
//   - an mbox: patches separated by "From <sha-or-address> <date>" lines, each
//     with mail headers (From:, Subject:, possibly folded), a commit message,
//     a "---" line, an optional diffstat, then the diff and a "-- " signature;
//   - a single format-patch mail (the same without the separator, or with one);
//   - a bare unified diff (`diff -u`, `git diff`), with or without
//     "diff --git" lines; paths lose their a/ and b/ prefixes and any
//     tab-separated timestamp.
// Per file the parser understands "new file mode", "deleted file mode",
// "rename from/to", "copy from/to", "Binary files ... differ" and
// "GIT binary patch" blocks (skipped), /dev/null as either side, and
// "\ No newline at end of file". CRLF line ends are accepted and removed.
//
// Errors (Status::BadInput, the message begins "<origin>:<line>:"): text that
// holds no diff at all, a malformed "@@" line, and a hunk with fewer lines than
// its header promises (a truncated patch).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kgate {

struct DiffLine {
  enum class Kind { kContext, kAdded, kRemoved };
  Kind kind = Kind::kContext;
  std::string text;    // without the leading marker and the line end
  int old_line = 0;    // line in the old file; 0 for added lines
  int new_line = 0;    // line in the new file; 0 for removed lines
  int input_line = 0;  // line in the parsed input
};

struct Hunk {
  int old_start = 0, old_count = 0, new_start = 0, new_count = 0;
  int input_line = 0;  // the "@@" line
  std::vector<DiffLine> lines;
};

struct FileDiff {
  std::string old_path;  // "" when the old side is /dev/null
  std::string new_path;  // "" when the new side is /dev/null
  bool is_new = false;
  bool is_deleted = false;
  bool is_rename = false;
  bool is_binary = false;
  int input_line = 0;  // the first line of this file's diff
  std::vector<Hunk> hunks;

  // The path the change is known by: the new path, or the old one when deleted.
  const std::string& path() const { return new_path.empty() ? old_path : new_path; }
  int Added() const;
  int Removed() const;
};

// One patch of a series: one mail of an mbox, or the whole input when it is a
// bare diff.
struct Patch {
  std::string subject;  // "" for a bare diff
  std::string author;   // the From: header, "" when absent
  std::string message;  // the commit message between the headers and "---"
  int input_line = 1;   // where this patch starts in the input
  std::string text;     // this patch's own text, as given (for checkpatch)
  std::vector<FileDiff> files;
};

struct PatchSet {
  std::vector<Patch> patches;
};

// Parses text (read from origin, which only names it in messages).
Result<PatchSet> ParsePatchSet(std::string_view text, const std::string& origin);

}  // namespace kgate
