// RunEngine: executes a proposal's plan — `kgate run`.
//
//   proposal ─▶ plan ─▶ per arm: kernel, analysis ─▶ per kernel: guest image
//     ─▶ the run stored, with every configuration file it read
//     ─▶ module cycles (arms with modules) ─▶ per planned trial, in plan
//        order: TrialRunner ─▶ one store transaction ─▶ progress
//     ─▶ adaptive looks: judge, add rounds up to the next look until final
//     ─▶ the fault pass (arms with an agent or modules) ─▶ the verdict
//
// Every side effect goes through a collaborator in RunEnvironment (the
// store, the VM backend, kernels, images, arm analysis, programs, the
// clock, the observer), so the whole loop runs in tests against fakes.
//
// A trial whose guest fails, crashes or hangs is recorded and the run goes
// on; so is every trial of a scenario whose workload binary the host lacks
// (failed, without a boot). Run returns an error only when the run cannot be
// carried out at all: bad input (the proposal, a kernel reference),
// infrastructure (no agent, registry unreachable, store unwritable), or a
// stop requested by a signal (Interrupted; the run is marked interrupted).
//
// Resume (options.resume_run_id): the run's stored configuration is loaded
// again (not the tree's), its stored trials are kept and only the planned
// seqs without a stored trial are executed; module cycles and fault passes
// with a stored check are not repeated.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/programs.h"
#include "base/status.h"
#include "checks/arm_analysis.h"
#include "config/load_options.h"
#include "engine/provenance.h"
#include "engine/run_observer.h"
#include "image/guest_image.h"
#include "kbuild/kernel_builder.h"
#include "kernels/kernel.h"
#include "plan/plan.h"
#include "store/store.h"
#include "vm/vm_backend.h"

namespace kgate {

// The collaborators of a run, all borrowed; each must outlive the engine.
struct RunEnvironment {
  Store* store = nullptr;
  VmBackend* backend = nullptr;
  KernelSource* kernels = nullptr;
  KernelBuilder* builder = nullptr;  // kernels built from source
  ImageBuilder* images = nullptr;
  ArmAnalyzer* analyzer = nullptr;
  ProgramFinder* programs = nullptr;
  Clock* clock = nullptr;
  RunObserver* observer = nullptr;
  LoadOptions load;       // where scenarios, suites and policies are read
  Provenance provenance;  // recorded with a new run
};

struct RunOptions {
  PlanOptions plan;
  std::string tier;                     // "" = the proposal's
  std::optional<std::int64_t> resume_run_id;
  std::string command_line;             // recorded with the run
  std::string work_dir;                 // trial logs go to <work_dir>/run-<id>/; required
  Machine machine = Machine::kPc;
  bool prefer_pvh = true;               // boot the uncompressed vmlinux when cached
  int icount_shift = kDefaultIcountShift;
  // Adaptive sampling (judge/adaptive.h): after the planned rounds, and at
  // each further look, the stored run is judged, and rounds are added up to
  // the next look until the judgement is final. false: the planned rounds.
  bool adaptive = true;
  // Per arm: the build that replaces the proposal's (`kgate bisect` builds
  // each step's commit this way). The arm must be built from source in the
  // proposal; not with resume_run_id.
  std::map<std::string, KernelBuildSpec> build_of_arm;
};

struct RunSummary {
  std::int64_t run_id = 0;
  std::string tier;
  int trials_run = 0;
  int trials_skipped = 0;  // already stored (resume)
  int rounds = 0;          // rounds the run ended with
  std::map<std::string, int> by_status;  // "ok" -> 12, "failed" -> 1
  Verdict verdict = Verdict::kInconclusive;  // the final judgement's
};

class RunEngine {
 public:
  // Every collaborator in env must be set (checked).
  explicit RunEngine(RunEnvironment env);

  Result<RunSummary> Run(const std::string& proposal_path, const RunOptions& options);

 private:
  struct State;
  Status Prepare(const std::string& proposal_path, const RunOptions& options, State* state);
  Status ResolveTier(const RunOptions& options, State* state);
  Status BeginRun(const RunOptions& options, State* state);
  Status SaveBuilds(const State& state);
  Status SaveAnalyses(const State& state);
  Status CycleModules(const RunOptions& options, const State& state);
  Status ExecuteRounds(const RunOptions& options, int first_round, int end_round, State* state);
  Status ExecuteTrial(const PlannedTrial& planned, const RunOptions& options, State* state);
  Status Sample(const RunOptions& options, State* state);
  Status FaultPass(const RunOptions& options, const State& state);
  void Notice(const std::string& line);

  RunEnvironment env_;
};

}  // namespace kgate
