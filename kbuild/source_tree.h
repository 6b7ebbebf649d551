// Kernel sources as git trees with one pinned base commit, kept in kgate's
// cache, and the build slots where arms are built.
//
//   <cache>/kbuild/sources/<id>/        a git repository of the whole source
//                                        (one commit for a Debian source package)
//   <cache>/kbuild/sources/<id>.json    what it is: package, version, sha256, base commit
//   <cache>/kbuild/trees/<slot>/src     a git worktree, checked out per arm
//   <cache>/kbuild/trees/<slot>/out     make O=, kept between builds
//   <cache>/kbuild/trees/<slot>.lock    held while anything uses the slot
//
// A Debian source (debian:6.12 -> linux-source-6.12, installed by apt) is
// unpacked and committed once with a fixed author and date, so the same
// package gives the same base commit on every machine. A git source
// (git:/srv/linux@v6.12.3) is cloned from the local repository (this machine
// reaches no git host) and its ref resolved to a commit.
#pragma once

#include <functional>
#include <string>

#include "base/file_lock.h"
#include "base/process.h"
#include "base/status.h"

namespace kgate {

struct KernelSourceTree {
  std::string ref;          // as the proposal wrote it: "debian:6.12", "git:/srv/linux@v6.12.3"
  std::string id;           // a file name: "linux-source-6.12_6.12.118-1~deb12u1", "git-<sha>"
  std::string package;      // "linux-source-6.12"; "" for git
  std::string version;      // the package version, or the ref as given
  std::string sha256;       // of the source tarball; "" for git
  std::string base_commit;  // what every arm's series applies on
  std::string repo;         // the git repository in the cache
};

using Notice = std::function<void(const std::string&)>;

// Identifies a source without unpacking anything (a cache key can be made
// from it): BadInput for a malformed reference or a Debian source package
// that is not installed (the message says which apt-get install adds it).
Result<KernelSourceTree> IdentifySource(const std::string& ref, ProcessRunner& runner);

// Makes sure the source's repository is in the cache, unpacking and
// committing it the first time (about a minute for linux-source-6.12).
Result<KernelSourceTree> PrepareSource(const std::string& ref, const std::string& cache_dir,
                                       ProcessRunner& runner, const Notice& notice);

// A build slot: a worktree of the source and its make output folder, locked
// for the life of the object.
struct BuildSlot {
  std::string dir;  // <cache>/kbuild/trees/<name>
  std::string src;  // dir/src
  std::string out;  // dir/out
  FileLock lock;
};

// Opens (creating when new) the slot `name` for source, and checks out the
// source's base commit in it with a clean tree; out is kept.
Result<BuildSlot> OpenSlot(const KernelSourceTree& source, const std::string& cache_dir,
                           const std::string& name, ProcessRunner& runner, const Notice& notice);

}  // namespace kgate
