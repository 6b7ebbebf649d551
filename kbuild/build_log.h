// Reading a kernel build's log: how far it got, and the first error in it,
// told as the 0-day robot tells it (file:line: message).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kgate {

// The first thing that stopped a build.
struct BuildError {
  std::string file;     // relative to the source tree; "" when the error has no place
  int line = 0;         // 0 when unknown
  int column = 0;
  std::string message;  // "'foo' undeclared (first use in this function)"
  std::string kind;     // "compiler", "linker", "missing tool", "make"
  std::vector<std::string> context;  // the log lines that follow, as the compiler printed them

  // "mm/readahead.c:130:9: error: 'ra' undeclared (first use in this function)".
  std::string Describe() const;
};

// Kbuild's quiet lines ("  CC      mm/filemap.o", "  LD      vmlinux.o") so far.
int CountBuildSteps(std::string_view log);

// The first error in a build log, or nullopt when none is recognised. Paths
// are made relative to the source tree by removing any of src_prefixes
// (the tree as an absolute path and as the build folder sees it, "../src/").
std::optional<BuildError> FirstBuildError(std::string_view log,
                                          const std::vector<std::string>& src_prefixes);

}  // namespace kgate
