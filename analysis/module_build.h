// The out-of-tree burden, build half: an out-of-tree module directory built
// against the Debian headers of several kernels (kernels/kernel_headers.h),
// with what each build gave and which used symbols the other kernels lack.
//
// Each build copies the module's sources (not build products: *.o, *.ko,
// *.mod*, hidden files, Module.symvers, modules.order) into a fresh
// directory under $TMPDIR, so the source tree is never written, and runs
//   make -C <headers build_dir> M=<copy> modules      (LANG, LC_CTYPE, LC_MESSAGES=C)
//        CONFIG_DEBUG_INFO_BTF_MODULES=
// The override turns off the module's BTF: the 6.12 headers ship a vmlinux
// and would run pahole (not a dependency of the headers, absent on most
// hosts) to write it, 6.1's skip it by themselves. Only debugging tools read
// module BTF, and a build should not depend on whether the host has pahole.
// gcc is the headers' own choice (x86_64-linux-gnu-gcc-12 for both series).
// What one build records:
//   ok        make exited 0 and left at least one .ko (kept: ko_paths)
//   warnings  compiler "FILE:LINE[:COL]: warning:" lines plus modpost
//             "WARNING: modpost:" lines
//   symbols   the kernel symbols the modules use, as modpost lists them in
//             the __versions table of each <module>.mod.c (Debian kernels set
//             CONFIG_MODVERSIONS); module_layout, a modversions sentinel
//             rather than a use, is left out
//   missing   per other kernel, the used symbols absent from that kernel's
//             Module.symvers: "builds on 6.12, uses folio_end_read, which 6.1
//             does not export". A renamed allocator (vmalloc is the macro
//             vmalloc_noprof since 6.10) shows up here as well: the binary
//             really would not load there, though the source may build.
// A non-GPL module using an EXPORT_SYMBOL_GPL symbol is refused by modpost
// itself ("ERROR: modpost: GPL-incompatible module ... uses GPL-only
// symbol"), so it needs no check of its own: the build fails with that line.
// A build that cannot start (headers not fetched, make missing) has ran
// false and a reason; nothing here fails the analysis.
//
// Findings (rule ids in analysis/rules.h): module-build-failed (error, one
// per kernel, at the first error's file:line), module-build-warning (one per
// distinct compiler/modpost warning, naming every kernel that gave it),
// module-symbol-missing (one per kernel pair and symbol).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/process.h"
#include "kernels/kernel_headers.h"
#include "store/records.h"

namespace kgate {

// The kernels a module is built against when the user names none more:
// Debian 12's own kernel series and its backported one.
inline const std::vector<std::string> kDefaultBuildKernels = {"debian:6.1-cloud",
                                                              "debian:6.12-cloud"};
inline constexpr std::size_t kMaxErrorLines = 10;

// One compiler or modpost diagnostic. file is relative to the module
// directory ("" for modpost's own lines, line 0 then).
struct BuildDiagnostic {
  std::string level;  // error | warning
  std::string file;
  int line = 0;
  std::string message;
  std::string text;  // the output line as printed, build directory stripped
};

struct ModuleBuild {
  std::string ref;      // as the user wrote it
  std::string package;  // the linux-headers package built against
  std::string version;  // that kernel's uname -r
  bool ran = false;
  std::string reason;  // why it did not run, when !ran; when ok, why a
                       // module could not be kept in the cache (else "")
  bool ok = false;
  double seconds = 0;                        // wall time of make
  std::vector<std::string> modules;          // .ko files produced, relative
  // Absolute host paths of the modules of an ok build, kept (unlike the
  // temporary build directory) under
  // <cache>/module-builds/<headers' builds_name>/<first 16 hex of the
  // sources' SHA-256>/,
  // so kgate can load them in a guest; an existing copy is reused.
  std::vector<std::string> ko_paths;
  int warnings = 0;
  std::vector<BuildDiagnostic> diagnostics;  // in output order
  std::vector<std::string> error_lines;      // the first kMaxErrorLines error lines
  std::vector<std::string> symbols;          // sorted, distinct
  std::map<std::string, std::vector<std::string>> missing_elsewhere;  // other ref -> symbols
};

// Builds module_dir against every ref (duplicates dropped, order kept):
// with the headers known gives for it, else with Debian headers fetched into
// cache_dir as needed; then fills missing_elsewhere. Never fails; every
// problem is a ModuleBuild with ran false or ok false.
std::vector<ModuleBuild> BuildModuleOnKernels(const std::string& module_dir,
                                              const std::vector<std::string>& refs,
                                              const std::string& cache_dir, ProcessRunner& runner,
                                              const std::map<std::string, KernelHeaders>& known = {});

// Compiler and modpost diagnostics in make's output; strip_prefix (the
// build directory, with a trailing '/') is removed from file names and text.
std::vector<BuildDiagnostic> ParseBuildOutput(std::string_view out, const std::string& strip_prefix);

// The symbol names of the __versions table of a modpost-generated .mod.c.
std::vector<std::string> ParseModversions(std::string_view mod_c);

// Module.symvers: "CRC<TAB>symbol<TAB>module<TAB>export type[<TAB>namespace]"
// lines -> symbol -> export type (EXPORT_SYMBOL, EXPORT_SYMBOL_GPL).
std::map<std::string, std::string> ParseModuleSymvers(std::string_view text);

// For each ran build, the used symbols each other build's kernel does not
// export. exports maps ref -> ParseModuleSymvers of that kernel; refs without
// an entry are not compared against.
void ComputeMissingSymbols(std::vector<ModuleBuild>& builds,
                           const std::map<std::string, std::map<std::string, std::string>>& exports);

std::vector<FindingRecord> ModuleBuildFindings(const std::vector<ModuleBuild>& builds);

nlohmann::ordered_json ModuleBuildJson(const ModuleBuild& build);

}  // namespace kgate
