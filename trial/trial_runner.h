// TrialRunner: runs ONE trial — one boot of one arm on one shape running one
// scenario — and turns whatever happened into data.
//
//   request ─▶ task.json (guest/protocol.h) ─▶ initrd = base image + task
//           ─▶ VmBackend::Boot ─▶ events.jsonl + console.log
//           ─▶ ParseRepetition per measured rep ─▶ TrialResult
//
// Status of the TrialRecord, first match wins:
//   infra-error  QEMU could not start (the backend's kQemuFailed)
//   crashed      a panic/oops/BUG/KASAN on the console, a panicked guest, or
//                a splat of any kind followed by no `done`
//   hung         the host watchdog killed the VM
//   failed       an `error` event (module, scratch, knob, sysctl, agent,
//                setup), a log past its bound, no ready/done event, a
//                repetition that exited non-zero or timed out, a parse error,
//                fewer measured repetitions than asked
//   ok           otherwise; only ok trials carry samples
// A guest's failure never makes Run return an error: Run fails only when the
// trial cannot be attempted at all (trial dir unwritable, initrd not built).
// Console findings are returned whatever the status. A module_cycle's
// failed loads or unloads are data in TrialResult::module_cycle, not a
// failed trial (checks/module_cycle.h judges them).
//
// Thread-compatible: one TrialRunner per thread (the backend is not shared).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/model.h"
#include "guest/task.h"
#include "trial/event_reader.h"
#include "vm/vm_backend.h"
#include "store/records.h"

namespace kgate {

// Watchdog allowance per load/unload of a module cycle: a load takes ~25 ms
// under TCG; a module whose init or exit hangs must end as hung, not wait
// for ever.
inline constexpr double kModuleCycleSecondsPerLoad = 5;

struct TrialRequest {
  int seq = 0;
  int round = 0;
  ArmSpec arm;
  std::string kernel_image;        // resolved image (bzImage or PVH vmlinux)
  ScenarioSpec scenario;
  std::map<std::string, std::string> param_overrides;
  Shape shape;
  Tier tier = Tier::kTcg;
  int icount_shift = kDefaultIcountShift;
  std::uint32_t guest_seed = 0;    // plan/plan.h GuestSeed; used at icount
  Machine machine = Machine::kPc;
  std::string base_image;          // the base initramfs (guest_image.h)
  std::vector<std::string> modules;  // kernel modules to modprobe, in order;
                                     // virtio_blk is added when the scenario
                                     // wants a scratch disk
  // Out-of-tree module files loaded with finit_module after the modprobe'd
  // modules, in order; the image must carry each at its path.
  std::vector<guest::InsmodSpec> insmod;
  // The task's kind (guest/task.h TaskKind) follows from these: a module
  // cycle (the scenario then has no command and reps 0), the fault pass
  // instead of the repetitions, or neither: a measured trial.
  std::optional<guest::ModuleCycleSpec> module_cycle;
  std::optional<guest::FaultSpec> faults;
  std::string agent_guest_path;    // where the image put the arm's agent
                                   // program; default /kgate/agent/<stem>
  std::string trial_dir;
  // The boot deadline: host seconds from QEMU's start to the agent's ready
  // event; a guest silent past it is hung. The engine derives it from the
  // kernel's measured boot times (engine/boot_deadline.h).
  double boot_deadline_s = 120;
  std::size_t max_output_bytes = 256 * 1024;
  std::size_t console_tail_bytes = 64 * 1024;
};

struct TrialResult {
  TrialRecord trial;                   // id and run_id left 0 for the caller
  std::vector<SampleRecord> samples;
  std::vector<FindingRecord> findings;  // console findings, arm filled
  std::string vm_command;              // the exact QEMU command line
  std::vector<std::string> notes;      // malformed event lines etc.
  std::optional<GuestModuleCycle> module_cycle;  // the guest's module_cycle event
  std::string console_path;            // the whole console log, for callers that
                                       // look past console_tail_bytes
  std::string fault_event;             // the "fault" event line; "" when none
};

// The host watchdogs of a trial: the boot deadline, then the longest the
// agent may stay silent (one setup command or repetition, each bounded by the
// scenario's timeout in guest time; the 30 s idle settle; a module cycle;
// the fault pass, which reports after two runs of the workload), doubled
// since guest time under icount may run slower than the host's clock, plus a
// minute; and a cap on the whole boot.
struct TrialDeadlines {
  double ready_s = 0;
  double quiet_s = 0;
  double total_s = 0;
};
TrialDeadlines DeadlinesOf(const TrialRequest& request);

// Builds the trial's initrd from the base image and the task JSON.
using InitrdWriter = std::function<Status(const std::string& base_image, const std::string& task_json,
                                          const std::string& out_path)>;

// The trial row a request starts as: its identity (seq, round, arm,
// scenario, shape, tier) and start time, status ok until something says not.
TrialRecord StartTrialRecord(const TrialRequest& request);

// The task the request's guest runs (guest/task.h), and its task.json text.
guest::Task TaskOf(const TrialRequest& request);
std::string BuildTaskJson(const TrialRequest& request);

class TrialRunner {
 public:
  // backend must outlive the runner. The default writer is WriteTrialInitrd
  // (guest_image.h).
  explicit TrialRunner(VmBackend& backend, InitrdWriter writer = nullptr);

  Result<TrialResult> Run(const TrialRequest& request);

 private:
  VmBackend& backend_;
  InitrdWriter writer_;
};

}  // namespace kgate
