// Where kgate finds its own files and keeps its caches.
#pragma once

#include <string>

namespace kgate {

// The kgate source tree (scenarios/, policies/, proposals/): $KGATE_HOME if
// set, else the tree kgate was built from.
std::string SourceDir();

// The cache for kernels, headers and guest images: $KGATE_CACHE, else
// $XDG_CACHE_HOME/kgate, else ~/.cache/kgate. Not created here.
std::string CacheDir();

// The results store: --db beats $KGATE_DB beats ./kgate.db.
std::string DefaultDbPath();

}  // namespace kgate
