// RunEngine: executes a proposal's plan — `kgate run`.
//
//   proposal ─▶ plan ─▶ per arm: kernel (cache) ─▶ per kernel: guest image
//            ─▶ per planned trial, in plan order: TrialRunner ─▶ one store
//               transaction (trial + samples + findings) ─▶ progress line
//
// A trial whose guest fails, crashes or hangs is recorded and the run goes
// on; so is every trial of a scenario whose workload binary the host lacks
// (failed, without a boot). Run returns an error only when the run cannot be
// carried out at all: bad input (the proposal, a kernel reference) or
// infrastructure (no QEMU, registry unreachable, store unwritable).
//
// Resume: with options.resume_run_id the run's stored trials are kept and
// only the planned seqs without a stored trial are executed; so is the fault
// pass of an arm without a stored fault-injection check.
//
// The fault pass comes after the last round: one extra boot per arm with an
// agent, stored as a check and findings, not as a trial (fault_pass.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "base/process.h"
#include "base/status.h"
#include "config/model.h"
#include "plan/plan.h"
#include "trial/trial_runner.h"
#include "vm/vm_backend.h"
#include "store/store.h"

namespace kgate {

struct RunOptions {
  PlanOptions plan;
  std::string tier;                     // "" = the proposal's
  std::optional<std::int64_t> resume_run_id;
  std::string command_line;             // recorded with the run
  std::string work_dir;                 // trial logs; "" = <cache>/trials
  Machine machine = Machine::kPc;
  bool prefer_pvh = true;               // boot the uncompressed vmlinux when cached
  int icount_shift = 3;                 // tier icount; why 3: vm_backend_qemu.cc
  // Adaptive sampling (judge/adaptive.h): after the planned rounds, and
  // after each further look in `looks` (ascending round counts, the first
  // being the planned rounds), `settled` is asked whether the run's
  // judgement is final; if not, rounds are added up to the next look.
  // Without `settled` the planned rounds are all that run.
  std::vector<int> looks;
  std::function<Result<bool>(std::int64_t run_id, int rounds)> settled;
};

// What the caller sees while the run goes on.
struct RunProgress {
  int done = 0;        // trials finished in this invocation (including skipped)
  int total = 0;
  const PlannedTrial* trial = nullptr;
  std::string status;  // "running" before a trial, its TrialStatus name after
  double elapsed_s = 0;
  double eta_s = -1;   // -1 until one trial has run
  std::string message;
};

struct RunSummary {
  std::int64_t run_id = 0;
  std::string tier;
  int trials_run = 0;
  int trials_skipped = 0;  // already stored (resume)
  int rounds = 0;          // rounds the run ended with
  std::map<std::string, int> by_status;  // "ok" -> 12, "failed" -> 1
};

class RunEngine {
 public:
  // The engine borrows every collaborator; they must outlive it.
  RunEngine(Store& store, VmBackend& backend, ProcessRunner& runner, std::string cache_dir);

  void set_progress(std::function<void(const RunProgress&)> fn) { progress_ = std::move(fn); }
  // One line per step that is not a trial (the fault pass), for the console.
  void set_notice(std::function<void(const std::string&)> fn) { notice_ = std::move(fn); }

  Result<RunSummary> Run(const std::string& proposal_path, const RunOptions& options);

 private:
  struct Inputs;
  // The steps of Run, in order; each fails only when the run cannot go on.
  Status LoadInputs(const std::string& proposal_path, const RunOptions& options, Inputs* in);
  Status Materialise(Inputs* in);  // kernels fetched, arms analysed, one guest image per kernel
  Status ResolveTier(const RunOptions& options, Inputs* in);
  Status SaveAnalyses(const Inputs& in, std::int64_t run_id);
  Status CycleModules(const Inputs& in, const RunOptions& options, std::int64_t run_id);
  Status BeginRun(const RunOptions& options, const Inputs& in, RunSummary* summary,
                  std::set<int>* stored_seqs);
  TrialRequest MakeRequest(const PlannedTrial& planned, const RunOptions& options,
                           const Inputs& in, std::int64_t run_id);
  // The failed trial recorded, without booting, for a scenario whose host
  // binaries are missing.
  TrialResult UnavailableTrial(const TrialRequest& request, const Inputs& in);
  Status RecordResult(const TrialRequest& request, TrialResult result, const RunSummary& summary);
  // Runs the trials not in stored_seqs, reporting progress.
  Status ExecuteTrials(const std::vector<PlannedTrial>& trials, const RunOptions& options,
                       const Inputs& in, const std::set<int>& stored_seqs, RunSummary* summary,
                       RunProgress* progress);
  // The fault pass (checks/fault_pass.h) when the proposal or its policy
  // asks for it: after the measured trials, never a measured trial itself.
  Status FaultPass(const RunOptions& options, const Inputs& in, const RunSummary& summary);

  Store& store_;
  VmBackend& backend_;
  ProcessRunner& runner_;
  std::string cache_dir_;
  std::function<void(const RunProgress&)> progress_;
  std::function<void(const std::string&)> notice_;
};

// Per (scenario, shape, metric, arm): the median of the ok samples, as
// `kgate run` prints at the end until the judge renders a verdict.
void PrintArmMedians(const std::vector<SampleRow>& samples, std::ostream& out);

}  // namespace kgate
