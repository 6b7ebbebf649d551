// The kernel modules a guest image carries: the ones a trial asks for plus
// everything they depend on, decompressed, with a modules.dep that matches.
//
// Debian ships modules compressed (.ko.xz). The guest's busybox modprobe and
// kgate-agent's finit_module would both need in-kernel decompression
// (CONFIG_MODULE_DECOMPRESS) and a modules.dep naming the .xz files; instead
// the image holds plain .ko files and a modules.dep/modules.alias generated
// by depmod -b over exactly the staged set, so the guest's metadata cannot
// name a module the image lacks.
#pragma once

#include <string>
#include <vector>

#include "base/process.h"
#include "base/status.h"

namespace kgate {

// A module's name as the kernel knows it: the file name without directory or
// .ko[.xz|.zst|.gz], with '-' as '_' ("kernel/fs/fat/vfat.ko.xz" -> "vfat").
std::string ModuleName(const std::string& path);

// The modules.dep entries (paths relative to modules_dir) that loading names
// needs, dependencies before the modules that use them, each once. A name
// that is built into the kernel (modules.builtin) needs nothing. BadInput
// when a name is neither a module nor built in (with the closest name), or
// modules.dep is missing (run depmod).
Result<std::vector<std::string>> ResolveModules(const std::string& modules_dir,
                                                const std::vector<std::string>& names);

// Writes the resolved modules decompressed under
// staging_root/lib/modules/<version>/ (same relative paths, without the
// compression suffix), copies modules.builtin*, modules.order, then runs
// depmod -b staging_root <version>. Returns the staged files' paths relative
// to staging_root, metadata included. Infrastructure when xz/zstd/depmod fail.
Result<std::vector<std::string>> StageModules(ProcessRunner& runner, const std::string& modules_dir,
                                              const std::string& version,
                                              const std::vector<std::string>& relative_paths,
                                              const std::string& staging_root);

}  // namespace kgate
