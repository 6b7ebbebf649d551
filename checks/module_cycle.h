// The out-of-tree burden, load half: boot a kernel, load and unload a built
// module there `count` times, and judge whether it loaded, unloaded, gave
// back its memory and left the kernel quiet.
//
//   ModuleCycleRequest ─▶ TrialRunner (task "module_cycle", guest/protocol.h;
//   the .ko appended to the trial's initrd at /kgate/modules/<file>)
//   ─▶ module_cycle event + console ─▶ EvaluateModuleCycle ─▶ findings
//
// The .ko goes into the per-trial archive, not the cached base image: the
// base image is then one per kernel, shared by every module and by kgate
// run's trials, instead of one ~10 MB image per module build evicting the
// others (guest_image.h keeps 8).
//
// Findings (rule ids in analysis/rules.h; file is the host .ko path):
//   module-load-failed    the warm-up or a measured load failed (the first
//                         error, with the kernel's last log line), or the
//                         guest stopped inside the cycle without reporting
//   module-unload-failed  an unload failed or the module is still listed
//   module-slab-leak      SUnreclaim grew by more than slab_leak_kb
//   module-memory-leak    VmallocUsed + Percpu + /proc/modules sizes grew by
//                         more than memory_leak_kb
//   module-splat          each console finding (console_monitor.h) after the
//                         agent's "module_cycle begin" marker, and a taint
//                         bit other than O and E that appeared in the cycle
// Leaks are judged only when every load and unload succeeded: a module still
// loaded holds its memory, which is its unload failure, not a leak.
//
// Thread-compatible; the backend is borrowed for the call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "config/model.h"
#include "trial/event_reader.h"
#include "trial/trial_runner.h"
#include "vm/vm_backend.h"
#include "store/records.h"

namespace kgate {

// 128 kB is 5x the largest SUnreclaim noise and 16x the VmallocUsed noise
// of 20 cycles of analysis/testdata/clean_module (TCG, Debian 6.12 and 6.1
// cloud), and a tenth of leaky_module's smaller leak: a leak of 7 kB per
// load is caught. docs/analysis.md has the figures; reproduce them with
// `kgate analyze analysis/testdata/clean_module --load` (and leaky_module).
struct ModuleCycleThresholds {
  double slab_leak_kb = 128;
  double memory_leak_kb = 128;
};

struct ModuleCycleRequest {
  std::string kernel_ref;    // for messages: "debian:6.12-cloud"
  std::string kernel_image;  // bzImage or PVH vmlinux
  std::string base_image;    // guest image of that kernel (guest_image.h), with kgate-agent
  std::string ko_path;       // host path of the built module
  std::string module_name;   // "" = ModuleName(ko_path)
  std::string params;        // module parameters for every load
  int count = 20;
  int settle_ms = 1000;
  Tier tier = Tier::kTcg;
  Shape shape;               // default 1 vCPU, 512 MiB
  std::string trial_dir;     // console.log, events.jsonl, the initrd
  ModuleCycleThresholds thresholds;
};

struct ModuleCycleResult {
  std::string kernel_ref;
  std::string kernel_version;  // the guest's uname -r; "" if it never said
  std::string module;
  std::string ko_path;
  std::string status;   // the trial's: ok | failed | crashed | hung | infra-error
  std::string message;  // the trial's message when not ok
  bool cycled = false;     // the guest reported the cycle: `cycle` holds real figures
  GuestModuleCycle cycle;  // the guest's event; count is the request's when !cycled
  double wall_seconds = 0;  // the whole boot, host clock
  ModuleCycleThresholds thresholds;
  std::vector<FindingRecord> console_findings;  // during the cycle
  std::vector<FindingRecord> findings;          // module-* rules, catalogue order
  std::string console_path;

  double SUnreclaimDeltaKb() const { return cycle.after.sunreclaim_kb - cycle.before.sunreclaim_kb; }
  double SlabDeltaKb() const { return cycle.after.slab_kb - cycle.before.slab_kb; }
  // VmallocUsed + Percpu + /proc/modules sizes (in kB).
  double MemoryDeltaKb() const;
  // Whether every load and unload succeeded, so the deltas are judged.
  bool Clean() const;
};

// Boots one guest and runs the cycle. Errors only when it cannot be tried
// (no .ko, the trial directory or initrd cannot be written); a guest that
// crashes, hangs or fails is a result with that status.
Result<ModuleCycleResult> RunModuleCycle(VmBackend& backend, const ModuleCycleRequest& request);

// Judges a finished trial: console_text is the whole console log. Pure, for
// tests with canned events and consoles.
ModuleCycleResult EvaluateModuleCycle(const ModuleCycleRequest& request, const TrialResult& trial,
                                      const std::string& console_text);

// JSON form, the detail of a "module-cycle" CheckRecord and the "load" of
// one kernel in kgate analyze --json:
//   {"ran": true, "kernel": ref, "version", "module", "ko", "status",
//    "message", "cycled", "count", "loaded", "unloaded",
//    "errors": [{"op","iteration","error"}], "still_loaded",
//    "before": {S}, "after": {S}, "delta": {"slab_kb", "sunreclaim_kb",
//    "sreclaimable_kb", "vmalloc_used_kb", "percpu_kb", "modules_kb",
//    "memory_kb"},
//    "taint": {"start", "before", "after": {"mask", "letters", "flags"},
//              "new_in_cycle": letters},
//    "thresholds": {"slab_leak_kb", "memory_leak_kb"},
//    "console_findings": [{"rule","line","message"}], "findings": [...],
//    "cycle_seconds", "wall_seconds", "console"}
//   S = {"slab_kb","sunreclaim_kb","sreclaimable_kb","vmalloc_used_kb",
//        "percpu_kb","modules_bytes"}
nlohmann::ordered_json ModuleCycleJson(const ModuleCycleResult& result);

// One line: "20/20 loads, 20/20 unloads, SUnreclaim +20 kB, memory +0 kB,
// no splat, taint OE" or what went wrong.
std::string ModuleCycleSummary(const ModuleCycleResult& result);

// The result as a CheckRecord of kind "module-cycle": passed without
// findings, failed with any, not-run when the guest never reached the
// cycle. run_id left 0.
CheckRecord ModuleCycleCheck(const ModuleCycleResult& result, const std::string& arm);

}  // namespace kgate
