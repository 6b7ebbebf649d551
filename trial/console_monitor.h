// ConsoleMonitor: finds kernel splats in a guest's console log (ttyS0) and
// turns each into a safety finding on the trial.
//
// Rules (stable ids; the level is "error" for every splat, "warning" for a
// taint change):
//   console-panic       "Kernel panic - not syncing: ..."         kernel/panic.c
//   console-oops        "Oops: ..." (die(), arch/x86/kernel/dumpstack.c)
//   console-bug         "BUG: ..." not matched by a more specific rule
//                       (NULL deref, "scheduling while atomic", "sleeping
//                       function called from invalid context", ...)
//   console-warning     "WARNING: CPU: N PID: M at file:line" (__warn(),
//                       kernel/panic.c), usually after "------------[ cut here ]"
//   console-lockdep     "WARNING: possible recursive locking detected",
//                       "WARNING: possible circular locking dependency detected",
//                       "WARNING: inconsistent lock state",
//                       "INFO: possible irq lock inversion dependency detected"
//                       (kernel/locking/lockdep.c)
//   console-hung-task   "INFO: task X:PID blocked for more than N seconds."
//                       (kernel/hung_task.c)
//   console-soft-lockup "watchdog: BUG: soft lockup - CPU#N stuck for Ns!"
//                       (kernel/watchdog.c); also hard LOCKUP
//   console-rcu-stall   "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
//                       "INFO: rcu_sched self-detected stall on CPU"
//                       (kernel/rcu/tree_stall.h)
//   console-kasan       "BUG: KASAN: <type> in <func>" (mm/kasan/report.c)
//   console-ubsan       "UBSAN: <check> in <file:line>" (lib/ubsan.c)
//   console-taint       a "Tainted: <flags>" header showing a flag not seen
//                       before in this log (kernel/panic.c print_tainted)
// Lines may carry a printk timestamp "[    1.234567] " and a caller id
// "[    T1] "; both are ignored for matching and kept in the excerpt.
//
// Thread-safe: stateless functions.
#pragma once

#include <string>
#include <vector>

#include "store/records.h"

namespace kgate {

struct ConsoleScanOptions {
  std::string file{};              // recorded in each finding's file field
  std::size_t excerpt_lines = 24;  // the matching line and what follows
  std::size_t max_excerpt_bytes = 4096;
  std::size_t max_findings_per_rule = 20;  // a flood of identical splats stays bounded
};

// Findings in console order. run_id, trial_id and arm are left for the
// caller to fill.
std::vector<FindingRecord> ScanConsole(const std::string& text, const ConsoleScanOptions& options);

// The line without its printk timestamp/caller-id prefixes.
std::string StripPrintkPrefix(const std::string& line);

// True when any finding's rule means the kernel itself crashed (panic, oops,
// BUG, KASAN): the trial status is crashed.
bool IsCrash(const FindingRecord& finding);

}  // namespace kgate
