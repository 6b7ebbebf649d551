// Kernels built from source for an arm: source + patch series + config ->
// bzImage and vmlinux, in a content-addressed cache.
//
//   <cache>/kbuild/kernels/<key>/   bzImage, vmlinux, config, build.log,
//                                   build.json, kernel.json, reproduce.sh,
//                                   patches/, kgate.config, root/lib/modules/,
//                                   build/ (out-of-tree modules), sched_ext/
//                                   (the in-tree BPF schedulers, with
//                                   CONFIG_SCHED_CLASS_EXT)
//   <cache>/kbuild/index/<input key>   the <key> those inputs built
//   <cache>/kbuild/module-signing-key.pem  signs the modules of Debian
//                                   config bases (kernels/configs/debian-rebuild.config)
//   <cache>/kbuild/logs/<input key>.log  the log of a build that failed
//
// The key is the sha256 of what decides the bytes: the source (package and
// version, or commit), each patch's text in order, the final .config's
// settings, the toolchain (gcc, ld, pahole) and the make variables. Before
// anything is unpacked, the *input key* (source, config base, the requested
// values, the patches, toolchain) is looked up in the index, so a second
// build of the same inputs is a hit in well under a second.
//
// Arms that share source and config base build in one slot (source_tree.h),
// the baseline first: the candidate is then the baseline plus its series,
// an incremental build. ccache (from Debian) under <cache>/ccache serves the
// rest; KBUILD_BUILD_TIMESTAMP/USER/HOST/VERSION are pinned so the same
// inputs give a byte-identical bzImage in any slot.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/process.h"
#include "base/status.h"
#include "config/model.h"
#include "kbuild/build_log.h"
#include "kbuild/build_record.h"
#include "kbuild/source_tree.h"
#include "kernels/kernel.h"

namespace kgate {

struct KernelBuildOutcome {
  std::optional<Kernel> kernel;     // set when it built
  std::optional<BuildError> error;  // set when it did not
  std::string log_path;
  KernelBuildRecord record;
};

// Builds the kernels of arms; a fake in tests.
class KernelBuilder {
 public:
  virtual ~KernelBuilder() = default;
  // A build that fails to compile is an outcome with an error, not a
  // Status. BadInput: a source that is not there, a patch that does not
  // apply (ApplyFailure's message), a fragment with a bad line, a requested
  // option Kconfig dropped; Infrastructure: a host tool failing.
  virtual Result<KernelBuildOutcome> Build(const std::string& arm, const KernelBuildSpec& spec) = 0;
};

class CachedKernelBuilder : public KernelBuilder {
 public:
  struct Options {
    std::string cache_dir;    // CacheDir()
    std::string configs_dir;  // where guest.config is: <KgateHome()>/kernel-configs
    int jobs = 0;             // make -j; 0: the host's CPUs
    std::function<void(const std::string&)> notice;  // progress lines
  };
  CachedKernelBuilder(Options options, ProcessRunner& runner);

  Result<KernelBuildOutcome> Build(const std::string& arm, const KernelBuildSpec& spec) override;

  // Every built kernel with its record, newest first.
  Result<std::vector<std::pair<Kernel, KernelBuildRecord>>> List() const;
  // Removes all but the newest `keep` built kernels (and the index entries
  // naming them); returns how many went.
  Result<int> Collect(int keep);

  std::string kernels_dir() const { return options_.cache_dir + "/kbuild/kernels"; }

 private:
  struct Inputs;
  Result<Inputs> ReadInputs(const std::string& arm, const KernelBuildSpec& spec);
  Result<std::string> Toolchain();
  // <cache>/kbuild/module-signing-key.pem, made with openssl the first
  // time: Debian config bases sign their modules with it.
  Result<std::string> ModuleSigningKey();
  // "Debian clang version 16.0.6 (15~deb12u1)"; Infrastructure when the
  // host has no clang-16 to build sched_ext schedulers with.
  Result<std::string> SchedExtCompiler();
  std::optional<KernelBuildOutcome> Lookup(const std::string& key) const;
  // Writes and checks out/.config; returns its text.
  Result<std::string> Configure(const Inputs& in, const std::string& src, const std::string& out);
  Result<KernelBuildOutcome> Make(const std::string& arm, const Inputs& in, const std::string& src,
                                  const std::string& out, const std::string& config,
                                  KernelBuildRecord record);
  // make -C src/tools/sched_ext against out/vmlinux, then the loaders
  // relinked statically; output appended to log. The last step's result.
  Result<ProcessResult> BuildSchedExt(const std::string& src, const std::string& out,
                                      const std::string& log);
  void Notice(const std::string& line) const;

  Options options_;
  ProcessRunner& runner_;
  std::string toolchain_;  // computed once
};

}  // namespace kgate
