// The change kgate analyze judges, in one shape whatever the input was.
//
// A patch, a format-patch series or an mbox becomes one ChangedFile per file
// diff of each patch (a file touched by two patches appears twice, each with
// the line numbers of the tree after its own patch). An out-of-tree module
// directory becomes one ChangedFile per *.c, *.h, Kbuild and Makefile under it
// (hidden directories and build products such as *.mod.c skipped), with every
// line "added" at its real line number and the path relative to the directory.
//
// Each ChangedFile holds the lines of the new file the input shows (context
// and added lines, hunk after hunk) already lexed (analysis/c_lexer.h), so
// rules read code without comments and string contents. Lexing restarts at
// each hunk; a hunk that opens inside a block comment is detected by its
// first line's kernel comment style (" * ..."), which is a heuristic.
#pragma once

#include <string>
#include <vector>

#include "analysis/c_lexer.h"
#include "analysis/diff_parser.h"
#include "base/status.h"

namespace kgate {

struct ChangedLine {
  int line = 0;       // line number in the new file
  bool added = false; // false: context shown by the diff
  std::string text;   // as written
  LexedLine lexed;    // comments and literal contents blanked
};

struct ChangedFile {
  std::string path;
  bool is_new = false;
  bool is_deleted = false;
  bool is_binary = false;
  int added = 0;
  int removed = 0;
  std::vector<ChangedLine> lines;           // the new side, in order
  std::vector<std::size_t> hunk_starts;     // indexes into lines where a hunk begins
};

struct ChangeSet {
  enum class Kind { kPatch, kModule };
  Kind kind = Kind::kPatch;
  std::string origin;                    // the input path as given
  PatchSet patches;                      // kPatch: the parsed patches
  std::vector<std::string> module_files; // kModule: absolute paths, in files order
  std::vector<ChangedFile> files;
};

// Reads a patch file or a module directory. BadInput when the path does not
// exist, a file is not a diff (ParsePatchSet's file:line message), or a
// directory holds no C, Kbuild or Makefile source.
Result<ChangeSet> LoadChangeSet(const std::string& path);

// The ChangeSet of an already parsed patch set.
ChangeSet ChangeSetFromPatches(PatchSet patches, const std::string& origin);

// A function definition found in a ChangedFile, kernel style: a header line
// starting at column 0 with a '(' (possibly continued on further lines) and a
// body from a "{" line at column 0 to the next "}" at column 0.
struct FunctionSpan {
  std::string name;
  std::size_t header = 0;      // index into ChangedFile::lines of the header's first line
  std::size_t body_begin = 0;  // index of the "{" line
  std::size_t body_end = 0;    // index of the "}" line
  bool added = false;          // the header line is an added line
};
// Functions whose header and both braces lie within one hunk.
std::vector<FunctionSpan> FindFunctions(const ChangedFile& file);

// Path classes the rules use.
bool IsCSource(const std::string& path);      // *.c, *.h
bool IsBuildFile(const std::string& path);    // Makefile, Kbuild, *.mk
bool IsKconfig(const std::string& path);      // Kconfig*
// Not kernel code: tools/, Documentation/, scripts/, samples/, usr/ and
// userspace sources (*.py, *.sh), under any of which FPU use and file I/O are
// not the kernel's business.
bool IsUserspacePath(const std::string& path);

}  // namespace kgate
