// The fault pass of `kgate run` (docs/safety.md): after the measured trials,
// each arm with an agent or out-of-tree modules (ArmTakesFaults) gets one
// more boot, on the plan's first target scenario that can run (else its
// first runnable scenario), whose guest SIGKILLs the agent mid-workload,
// feeds the agent's knobs (and the modules' parameters) garbage, and checks
// that the workload still completes, the system still answers and no splat
// or new taint appears (task field "faults", event "fault":
// guest/protocol.h).
//
// The fault boot is not a measured trial: it is stored as one CheckRecord of
// kind "fault-injection" per arm plus findings (trial_id empty, arm set),
// never as a trial or samples, so comparisons do not change.
//
// Rules (stable ids, store/records.h FindingRecord.rule):
//   fault-workload-failed   error    the workload did not complete after the
//                                    kill or after the garbage, or the guest
//                                    stopped without reporting
//   fault-unresponsive      error    no shell in responsive_timeout_s, or the
//                                    guest hung
//   fault-splat             error    a console splat (console-* error rule)
//                                    during the fault boot, or a crash
//   fault-new-taint         warning  taint flags gained during the pass
//   fault-garbage-accepted  note     the kernel took an out-of-range value
// The check fails when any error-level finding is present.
//
// Thread-compatible; the pure functions are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/model.h"
#include "guest/task.h"
#include "trial/trial_runner.h"
#include "vm/vm_backend.h"
#include "store/records.h"
#include "store/store.h"

namespace kgate {

inline constexpr char kFaultCheckKind[] = "fault-injection";
// The kill time when no measured repetition of the scenario is known.
inline constexpr double kFallbackKillSeconds = 2.0;

// Whether an arm gets a fault boot: it runs an agent program or loads
// out-of-tree modules. A module arm without an agent has nothing to kill;
// its fault boot feeds garbage to the modules' parameters (the run engine
// adds them to the arm's fault knobs) and checks the workload as usual.
bool ArmTakesFaults(const ArmSpec& arm);

// The paths fed garbage: the agent's knobs: when given, else the arm's
// knobs: paths and sysctl: names as /proc/sys paths.
std::vector<std::string> FaultKnobs(const ArmSpec& arm);

// The values written to every fault knob, in order: negative, hexadecimal,
// past INT_MAX, past UINT64_MAX, not a number, empty, two numbers.
const std::vector<std::string>& GarbageValues();

// Half the median of the scenario's measured repetition times, so the kill
// lands mid-workload; kFallbackKillSeconds when none are known.
double KillAfterSeconds(std::vector<double> rep_seconds);

// The scenario the fault boot runs: the first of the plan's scenarios that
// is a target, else the first.
std::string FaultScenario(const Proposal& proposal, const std::vector<std::string>& plan_scenarios);

// The task's "faults" object for the arm.
guest::FaultSpec FaultSpecFor(const ArmSpec& arm, double kill_after_s,
                              double responsive_timeout_s = 5);

struct FaultOutcome {
  CheckRecord check;                   // run_id left 0 for the caller
  std::vector<FindingRecord> findings;  // run_id left 0, trial_id empty
  std::string line;                    // one line for the console
};

// Judges one fault boot (pure): its status, console findings and fault
// event. A crashed, hung or silent guest is a failed check, not an error.
FaultOutcome EvaluateFaultBoot(const std::string& arm, const std::string& scenario,
                               double kill_after_s, const TrialResult& boot);

}  // namespace kgate

namespace kgate {

// What RunFaultPass needs from the run it belongs to.
struct FaultPassContext {
  Store* store = nullptr;
  VmBackend* backend = nullptr;
  std::int64_t run_id = 0;
  std::string run_dir;   // the run's trial logs: <run_dir>/trial-<seq>/...
  // A trial request for the arm on the scenario, as a measured trial of the
  // run would get (kernel, image, shape, tier); trial_dir is replaced.
  std::function<TrialRequest(const ArmSpec& arm, const std::string& scenario)> make_request;
  std::function<void(const std::string& line)> print;  // may be empty
};

// Boots one fault guest per arm that takes faults and has no stored
// fault-injection check yet (so --resume does not repeat it), and stores
// the check and findings. The kill time comes from the measured repetitions
// of the arm on the scenario in this run (their events.jsonl). Returns an
// error only when a boot cannot be attempted or the store fails.
Status RunFaultPass(const FaultPassContext& context, const std::vector<ArmSpec>& arms,
                    const std::string& scenario);

}  // namespace kgate
