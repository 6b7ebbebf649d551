// Where kgate finds its own files and keeps its caches.
//
// kgate is relocatable: its data and guest programs are found relative to
// the running executable, in the layout `cmake --install` writes and the
// build tree mirrors:
//   <prefix>/bin/kgate
//   <prefix>/libexec/kgate/kgate-agent, kgate-microbench
//   <prefix>/share/kgate/scenarios, policies, suites, proposals
// Environment variables override each part; nothing refers to the source
// tree kgate was built from.
#pragma once

#include <string>

namespace kgate {

// The folder of the running executable (from /proc/self/exe); "" when it
// cannot be read.
std::string ExecutableDir();

// kgate's data (scenarios/, policies/, suites/, proposals/): $KGATE_HOME
// when set, else <executable dir>/../share/kgate.
std::string KgateHome();

// kgate's kernel config fragments (guest.config): <KgateHome()>/kernel-configs,
// from kernels/configs/ in the source tree.
std::string KernelConfigsDir();

// The absolute path of a program kgate ships into guests ("kgate-agent",
// "kgate-microbench"): $KGATE_GUEST_BIN/<name> when that variable is set,
// else <executable dir>/../libexec/kgate/<name>. "" when the file is not
// there or not executable.
std::string GuestProgramPath(const std::string& name);

// The cache for kernels, headers and guest images: $KGATE_CACHE, else
// $XDG_CACHE_HOME/kgate, else ~/.cache/kgate. Not created here.
std::string CacheDir();

// The results store: --db beats $KGATE_DB beats ./kgate.db.
std::string DefaultDbPath();

}  // namespace kgate
