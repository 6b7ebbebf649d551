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
#include "trial/event_reader.h"
#include "vm/vm_backend.h"
#include "store/records.h"

namespace kgate {

// An out-of-tree module file the guest loads with finit_module after the
// modprobe'd modules (task "insmod", guest/protocol.h). The image must carry
// the file at guest_path.
struct GuestInsmod {
  std::string guest_path;  // "/kgate/modules/ra_hint.ko"
  std::string params;      // "a=1 b=2" or ""
};

// A load/unload cycle of one module in the guest (task "module_cycle").
struct GuestModuleCycleRequest {
  std::string guest_path;
  std::string name;  // the module's name (ModuleName of the file)
  int count = 20;
  std::string params;
  int settle_ms = 1000;
};

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
  int icount_shift = 3;            // see vm_backend_qemu.cc
  Machine machine = Machine::kPc;
  std::string base_image;          // the base initramfs (guest_image.h)
  std::vector<std::string> modules;  // kernel modules to modprobe, in order;
                                     // virtio_blk is added when the scenario
                                     // wants a scratch disk
  std::vector<GuestInsmod> insmod;   // loaded after modules, in order
  std::optional<GuestModuleCycleRequest> module_cycle;  // the scenario may then
                                                        // have no command and reps 0
  std::string agent_guest_path;    // where the image put the arm's agent
                                   // program; default /kgate/agent/<stem>
  std::string trial_dir;
  // The task's "faults" object as JSON text (guest/protocol.h): the guest
  // runs the fault pass instead of the repetitions, and the result carries
  // the fault event and no samples. "" for a measured trial.
  std::string faults_json;
  double boot_allowance_s = 120;   // watchdog = allowance + (warmup+reps) x timeout
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

// Builds the trial's initrd from the base image and the task JSON.
using InitrdWriter = std::function<Status(const std::string& base_image, const std::string& task_json,
                                          const std::string& out_path)>;

// The trial row a request starts as: its identity (seq, round, arm,
// scenario, shape, tier) and start time, status ok until something says not.
TrialRecord StartTrialRecord(const TrialRequest& request);

// The task.json text for a request (exposed for tests).
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
