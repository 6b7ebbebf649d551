// The shared libraries a host binary needs at run time, so the guest image can
// carry a Debian-built fio or db_bench as it is.
//
// The closure comes from ldd (the host's dynamic loader resolving the binary
// for real), which already follows DT_NEEDED transitively, honours RUNPATH
// (db_bench's ceph libraries live in a subdirectory) and names the loader
// itself. A reimplementation from DT_NEEDED would have to reproduce all three.
// Libraries loaded with dlopen are not seen; none of the catalogue's
// workloads needs one.
#pragma once

#include <string>
#include <vector>

#include "base/process.h"
#include "base/status.h"

namespace kgate {

// Absolute host paths of the libraries binary loads, the dynamic loader
// included, in ldd's order; empty for a static binary. BadInput names the
// binary and the library when a library cannot be found on the host;
// Infrastructure when ldd cannot run.
Result<std::vector<std::string>> LibraryClosure(ProcessRunner& runner, const std::string& binary);

// Parses ldd's output (exposed for tests).
Result<std::vector<std::string>> ParseLddOutput(const std::string& binary, const std::string& out);

// Where a host file goes in the guest: the same path, lexically normalised
// ("/usr/bin/../lib/x" becomes "/usr/lib/x"). Symlinked directories are not
// resolved: the image holds /lib/x86_64-linux-gnu/libc.so.6 as a real
// directory even on a merged-/usr host, because the loader's default search
// path names both /lib and /usr/lib and the guest needs no /usr merge.
std::string GuestPathFor(const std::string& host_path);

}  // namespace kgate
