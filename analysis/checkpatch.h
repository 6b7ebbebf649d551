// checkpatch.pl from the kernel tree, fetched once and run on a change.
//
// The script comes from Debian's linux-source-6.12 package: on first use
// `apt-get download linux-source-6.12` and `dpkg-deb -x` unpack the source
// tarball into a temporary directory under <cache>/checkpatch/, tar extracts
// only the files checkpatch reads, and the directory is renamed into place:
//   <cache>/checkpatch/6.12/
//     scripts/checkpatch.pl  scripts/spelling.txt  scripts/const_structs.checkpatch
//     Documentation/dev-tools/checkpatch.rst       (read with --verbose only)
//     MAINTAINERS                                  (also kgate's subsystem map)
//     source.json   {"package": ..., "version": ...}, written last
// A killed fetch leaves only a .tmp-* directory behind; concurrent fetches
// each use their own and the first rename wins.
//
// Each patch of a series is checked on its own (stdin, so commit-message
// checks apply per patch; a cover letter, which has no diff, is skipped); a
// module's files with -f. The command line is
//   perl checkpatch.pl --no-tree --terse --show-types --showfile --no-summary
//        --color=never (- | -f FILE...)
// run in the install directory with HOME pointing there, so no
// .checkpatch.conf of the user or of the input changes the result. Output
// lines "FILE:LINE: LEVEL:TYPE: message" become findings checkpatch-<TYPE>
// with level error (ERROR), warning (WARNING) or note (CHECK).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/change_set.h"
#include "base/process.h"
#include "base/status.h"
#include "store/records.h"

namespace kgate {

inline constexpr char kCheckpatchSeries[] = "6.12";

struct CheckpatchInstall {
  std::string dir;          // <cache>/checkpatch/6.12
  std::string script;       // dir/scripts/checkpatch.pl
  std::string maintainers;  // dir/MAINTAINERS
  std::string package;      // linux-source-6.12
  std::string version;      // the package version the files came from
};

// The cached install, fetching it first when absent. Infrastructure when
// apt-get, dpkg-deb or tar fail (the message names the command and says to
// run apt-get update when the package is unknown).
Result<CheckpatchInstall> EnsureCheckpatch(const std::string& cache_dir, ProcessRunner& runner);

// What running checkpatch gave. When it could not run, ran is false and
// reason says why (no perl, fetch failed, the script died, unreadable output).
struct CheckpatchResult {
  bool ran = false;
  std::string reason;
  std::string version;  // of the linux-source package, when ran
  std::vector<FindingRecord> findings;
  int errors = 0, warnings = 0, checks = 0;
};

// Runs checkpatch on every patch of a kPatch change or on the files of a
// kModule change. Never fails: a failure is a CheckpatchResult with a reason.
CheckpatchResult RunCheckpatch(const ChangeSet& change, const CheckpatchInstall& install,
                               ProcessRunner& runner);

// Parses checkpatch's terse output. strip_prefix is removed from file names
// (the module directory for -f runs). BadInput naming the output line when a
// non-empty line is not in the expected form.
Result<std::vector<FindingRecord>> ParseCheckpatchOutput(std::string_view out,
                                                         const std::string& strip_prefix);

}  // namespace kgate
