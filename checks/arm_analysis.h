// The static analysis `kgate run` makes of every arm with modules: or patch:,
// before anything boots: the same Analyze() as `kgate analyze`, once per
// module directory and once per patch file, stored with the run as the arm's
// findings and one CheckRecord of kind "analysis".
//
// A module directory is built against the arm's own kernel besides the
// default ones (analysis/module_build.h), and the .ko files of that build are
// what the arm's trials load. So a module that does not build against the
// arm's kernel stops the run before it is created: there would be nothing to
// measure. Patches are analysed the same way, for the day patch: arms run:
// the loader allows patch: only beside a build: kernel, and this kgate does
// not build kernels yet, so `kgate run` refuses such arms (run_engine.cc).
//
// Check detail JSON:
//   {"maintainability": {"score", "components", "input"},  the worst input's
//    "inputs": [AnalysisToJson(...) per input],
//    "modules": [{"dir", "kernel", "version", "ko": [host paths]}]}
// status: failed when a finding is an error, passed otherwise. What the
// policy forbids is the verdict's business (judge/verdict_rules.cc reads findings).
#pragma once

#include <string>
#include <vector>

#include "analysis/analyze.h"
#include "base/status.h"
#include "config/model.h"
#include "kernels/kernel.h"
#include "store/records.h"

namespace kgate {

// A module to load in the arm's guests: its file on the host and the path
// the guest image puts it at.
struct ArmModule {
  std::string host_path;
  std::string guest_path;  // /kgate/modules/<arm index>/<file>.ko
  // /sys/module/<name>/parameters/<param> of each parameter the module
  // declares (modinfo -F parmtype): the knobs the fault pass feeds garbage.
  // Empty when modinfo is missing.
  std::vector<std::string> parameter_paths;
};

struct ArmAnalysis {
  std::string arm;
  std::vector<Analysis> analyses;      // module dirs first, then patches
  std::vector<FindingRecord> findings;  // every analysis's, arm filled, files
                                        // relative to the working directory
  int score = 100;                      // the worst analysis's
  std::size_t worst = 0;                // index of that analysis
  std::vector<ArmModule> modules;       // built for the arm's kernel, in order
  std::string kernel_version;           // what they were built for
};

// Whether the arm has anything to analyse.
bool NeedsAnalysis(const ArmSpec& arm);

// The engine's seam for AnalyzeArm: the real analyzer builds modules and runs
// checkpatch; a fake hands the run loop modules without building any.
class ArmAnalyzer {
 public:
  virtual ~ArmAnalyzer() = default;
  // Errors as AnalyzeArm.
  virtual Result<ArmAnalysis> Analyze(const ArmSpec& arm, int arm_index, const Kernel& kernel) = 0;
};

// AnalyzeArm with options fixed at construction.
class ModuleArmAnalyzer : public ArmAnalyzer {
 public:
  explicit ModuleArmAnalyzer(AnalyzeOptions options) : options_(std::move(options)) {}
  Result<ArmAnalysis> Analyze(const ArmSpec& arm, int arm_index, const Kernel& kernel) override;

 private:
  AnalyzeOptions options_;
};

// Analyses the arm. arm_index numbers the arm's guest module directory.
// BadInput when an input cannot be read, or a module directory does not
// build against the arm's kernel (naming the first error's file:line) or
// produced no .ko, or was built for another kernel version than the one the
// run boots. A kernel kgate built (kernel.build_dir set) is built against
// its own tree; a Debian one against its headers package.
Result<ArmAnalysis> AnalyzeArm(const ArmSpec& arm, int arm_index, const Kernel& kernel,
                               const AnalyzeOptions& options);

CheckRecord AnalysisCheck(const ArmAnalysis& analysis, std::int64_t run_id,
                          const std::string& kgate_version);

}  // namespace kgate
