// The module load/unload cycle kgate-agent runs for a task's "module_cycle"
// (guest/protocol.h): does an out-of-tree module give back, on unload, all
// the memory its load took?
//
//   marker "begin" ─▶ warm-up load + unload ─▶ drop caches ─▶ snapshot "before"
//   ─▶ count × (finit_module, delete_module O_NONBLOCK)
//   ─▶ sleep settle_ms ─▶ drop caches ─▶ snapshot "after" ─▶ marker "end"
//
// Why a warm-up: the first load does things once for good (it sets the O
// and E taint; slab pages the kernel allocates for its first objects may
// stay with their caches), so only later loads are compared. Why the settle
// sleep: a module's init sections are freed from a workqueue after an RCU
// grace period, and modules may free through call_rcu; measured on the
// fixtures it changed nothing (docs/analysis.md), and it costs 1 s.
//
// The loop is written against ModuleOps so the host tests it with fakes; the
// real ops are in system.cc. Snapshot parsing is pure over /proc text.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "guest/task.h"
#include "guest/protocol.h"

namespace kgate::agent {

using guest::ModuleCycleSpec;

// Memory the kernel accounts for, at one moment (fields in guest/protocol.h).
using MemorySnapshot = guest::MemorySnapshot;

// Builds a snapshot from the text of /proc/meminfo, /proc/modules and
// /proc/sys/kernel/tainted. Missing fields stay 0.
MemorySnapshot ParseMemorySnapshot(const std::string& meminfo, const std::string& modules,
                                   const std::string& tainted);

// Sum of the size column of /proc/modules ("name size refs deps state addr").
double ParseModulesBytes(const std::string& proc_modules);
// Whether /proc/modules lists name.
bool ModuleListed(const std::string& proc_modules, const std::string& name);

// The first failure of one kind of operation.
struct CycleError {
  std::string op;  // warmup-load | warmup-unload | load | unload | drop-caches
  int iteration = -1;  // 0-based among the measured cycles; -1 for warm-up
  std::string error;
};

struct CycleReport {
  int count = 0;     // cycles asked for
  int loaded = 0;    // successful measured loads
  int unloaded = 0;  // successful measured unloads
  std::vector<CycleError> errors;  // first error per op, in order of occurrence
  std::uint64_t taint_start = 0;   // before the warm-up load
  MemorySnapshot before, after;
  bool still_loaded = false;  // the module is listed after the cycle
  double seconds = 0;         // the measured loop, load of the first to unload of the last
};

// What the cycle does to the system; each returns "" or what failed.
struct ModuleOps {
  std::function<std::string(const std::string& path, const std::string& params)> load;
  std::function<std::string(const std::string& name)> unload;
  std::function<std::string()> drop_caches;
  std::function<MemorySnapshot()> snapshot;
  std::function<bool(const std::string& name)> loaded;
  std::function<void(int ms)> sleep_ms;
  std::function<double()> now_s;                  // a monotonic clock
  std::function<void(const std::string&)> mark;  // a line on the kernel log
};

// Runs the cycle. A failed warm-up load skips the measured loop (the module
// cannot load at all; the report says so with loaded 0). A failed unload is
// not retried; the next load then fails with "File exists", and both are
// recorded once.
CycleReport RunModuleCycle(const ModuleCycleSpec& spec, const ModuleOps& ops);

}  // namespace kgate::agent
