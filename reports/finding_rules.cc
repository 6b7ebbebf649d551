#include "reports/finding_rules.h"

#include <array>

namespace kgate {
namespace {

constexpr std::array kRules = {
    FindingRule{
        "console-panic", "ConsolePanic", "The guest kernel panicked (\"Kernel panic - not syncing\").",
        "A panic takes the whole machine down; no performance gain justifies a change that can "
        "stop a production system.",
        "Reproduce with the trial's console log, fix the cause, and add the scenario that "
        "triggered it to the proposal's guards.",
        "error", true},
    FindingRule{
        "console-oops", "ConsoleOops", "The guest kernel oopsed (\"Oops: ...\").",
        "An oops kills the current task, may leave locks held and taints the kernel; the "
        "system is no longer trustworthy afterwards.",
        "Decode the oops (scripts/decode_stacktrace.sh against the arm's vmlinux) and fix the "
        "faulting access.",
        "error", true},
    FindingRule{
        "console-bug", "ConsoleBug", "The guest kernel reported a BUG (\"BUG: ...\").",
        "BUG reports mean a kernel invariant was broken (NULL dereference, scheduling while "
        "atomic, sleeping in atomic context); maintainers reject code that triggers them.",
        "Read the BUG line and call trace in the excerpt; fix the broken invariant rather than "
        "silencing the check.",
        "error", true},
    FindingRule{
        "console-warning", "ConsoleWarning", "The guest kernel hit a WARN (\"WARNING: CPU: N PID: M at ...\").",
        "A WARN marks a condition the subsystem's authors consider a bug; CI systems such as "
        "syzbot and 0-day report every one, and panic_on_warn turns it into a crash.",
        "Find the WARN_ON in the named file:line and fix the caller that violates its "
        "assumption.",
        "error", true},
    FindingRule{
        "console-kasan", "ConsoleKasan", "KASAN found an invalid memory access.",
        "Use-after-free and out-of-bounds accesses are memory-safety bugs and often security "
        "holes; they are never acceptable in mainline.",
        "The KASAN report names the access, the allocation and the free stack; fix the object "
        "lifetime or bounds.",
        "error", true},
    FindingRule{
        "console-ubsan", "ConsoleUbsan", "UBSAN found undefined behaviour.",
        "Undefined behaviour lets the compiler miscompile the code; shifts, overflows and "
        "out-of-bounds indexing flagged by UBSAN are fixed before merge.",
        "Fix the expression at the reported file:line.",
        "error", true},
    FindingRule{
        "console-lockdep", "ConsoleLockdep", "Lockdep reported a locking problem (possible deadlock, inconsistent lock state, suspicious RCU usage).",
        "A lockdep splat is a deadlock or race waiting to happen on some machine; maintainers "
        "require lockdep-clean code.",
        "Follow the lock chains in the report and fix the lock ordering or context.",
        "error", true},
    FindingRule{
        "console-hung-task", "ConsoleHungTask", "A task was blocked for longer than the hung-task timeout.",
        "A task stuck in uninterruptible sleep usually means a lost wakeup or a deadlock; "
        "users see a frozen system.",
        "Inspect the blocked task's stack in the excerpt for the lock or wait it is stuck on.",
        "error", true},
    FindingRule{
        "console-rcu-stall", "ConsoleRcuStall", "RCU detected a stall.",
        "An RCU stall means a CPU did not pass a quiescent state for seconds: a long loop "
        "without cond_resched(), disabled preemption or a deadlock. Memory is not reclaimed "
        "meanwhile.",
        "Break up long loops, do not spin with preemption or interrupts disabled.",
        "error", true},
    FindingRule{
        "console-soft-lockup", "ConsoleSoftLockup", "The watchdog detected a soft or hard lockup.",
        "A CPU that does not schedule for seconds starves every other task on it; lockups are "
        "treated as crashes in production (softlockup_panic).",
        "Find the looping code in the excerpt's stack and let it schedule or bound its work.",
        "error", true},
    FindingRule{
        "console-taint", "ConsoleTaint", "The kernel gained a taint flag not seen before in the trial.",
        "A tainted kernel is one upstream developers decline to debug (out-of-tree or unsigned "
        "module, prior WARN or oops); new taint shows the change made the kernel unsupported.",
        "Look up the flag in Documentation/admin-guide/tainted-kernels.rst; build the code "
        "in-tree or remove what taints.",
        "warning", true},
    FindingRule{
        "fault-workload-failed", "FaultWorkloadFailed", "The workload did not complete after the arm's agent was killed or its knobs were fed garbage.",
        "An agent dies and misbehaves in production; a kernel feature whose workloads fail "
        "when its tuner is gone or wrong is not safe to ship, since the kernel must stay "
        "correct whatever user space writes to its knobs.",
        "Make the kernel side fall back to safe defaults when the agent stops, and validate "
        "every value written to the knob.",
        "error"},
    FindingRule{
        "fault-unresponsive", "FaultUnresponsive", "The system stopped answering after the agent was killed or fed garbage.",
        "A knob that can hang the machine with one bad write is a denial of service any "
        "privileged process can trigger; maintainers require knobs to reject what they cannot "
        "handle.",
        "Bound the values the knob accepts and find what blocked in the fault guest's console.",
        "error"},
    FindingRule{
        "fault-splat", "FaultSplat", "The kernel logged a splat (oops, BUG, WARN, lockdep, ...) or crashed while the agent was killed or fed garbage.",
        "User space must never be able to make the kernel oops or WARN by writing a knob or "
        "dying; each such splat is a bug syzbot-style fuzzing would report.",
        "Read the excerpt (the fault guest's console) and fix the code path the garbage or "
        "the agent's death reached.",
        "error"},
    FindingRule{
        "fault-new-taint", "FaultNewTaint", "The kernel gained taint flags during the fault pass.",
        "A taint such as W (a WARN fired) or D (an oops) marks the kernel as having hit a bug; "
        "upstream developers decline to debug tainted kernels.",
        "Look up the flags in Documentation/admin-guide/tainted-kernels.rst and fix what set "
        "them.",
        "warning"},
    FindingRule{
        "fault-garbage-accepted", "FaultGarbageAccepted", "A knob accepted an out-of-range or malformed value.",
        "Knobs are ABI; one that silently takes nonsense hides user errors and lets a broken "
        "agent push the kernel into states nobody tested.",
        "Validate the value in the store handler (kstrto*, range checks) and return -EINVAL.",
        "note"},
    FindingRule{
        "fpu-in-kernel", "FpuInKernel", "Floating point is used in kernel code.",
        "The kernel does not save user FPU state on entry; floating point needs "
        "kernel_fpu_begin()/end() around every use, which disables preemption, is costly and "
        "unavailable on some architectures. Maintainers ask for fixed-point arithmetic.",
        "Use integer or fixed-point arithmetic, or move the computation to user space.",
        "error"},
    FindingRule{
        "kernel-file-io", "KernelFileIo", "Kernel code opens, reads or writes files (filp_open, kernel_read, ...).",
        "Policy about which files exist and where belongs to user space; in-kernel file I/O "
        "breaks with namespaces and mounts and was removed from drivers for that reason.",
        "Pass data in through sysfs, configfs, request_firmware() or a user-space agent.",
        "error"},
    FindingRule{
        "hardcoded-path", "HardcodedPath", "A path or device name is hard-coded.",
        "Hard-coded paths and device names work on the author's machine only; mainline code "
        "must work on every system it builds for.",
        "Make the path or device a parameter supplied by user space.",
        "warning"},
    FindingRule{
        "raw-hook", "RawHook", "A raw exported function-pointer hook is added.",
        "Ad-hoc exported hooks are an unreviewable extension point that out-of-tree code can "
        "grab; maintainers point to existing ones (BPF struct_ops, tracepoints, sysfs knobs).",
        "Use an existing extension point such as BPF struct_ops, or expose a knob.",
        "warning"},
    FindingRule{
        "new-uapi", "NewUapi", "The change adds user-visible ABI (syscall, ioctl, sysfs or procfs file, uapi header).",
        "User-space ABI can never be removed once merged; it needs documentation, a user and "
        "review on linux-api.",
        "Document the interface in Documentation/ABI and justify why existing interfaces do not "
        "suffice.",
        "note"},
    FindingRule{
        "no-kill-switch", "NoKillSwitch", "The new behaviour cannot be turned off at run time.",
        "A heuristic or learned policy that misbehaves must be disableable without a reboot or "
        "rebuild; maintainers ask for a sysctl, module parameter or static key.",
        "Add a run-time switch that restores the previous behaviour.",
        "warning"},
    FindingRule{
        "polling-kthread", "PollingKthread", "A kernel thread polls in a loop with a sleep or timer.",
        "Polling wakes idle CPUs and wastes power; kernel code is expected to be event driven "
        "(wait queues, notifiers, workqueues on demand).",
        "Trigger the work from the event that makes it necessary.",
        "warning"},
    FindingRule{
        "in-kernel-training", "InKernelTraining", "A model is trained inside the kernel.",
        "Training is unbounded, floating-point-heavy work with hard-to-review numerics; "
        "maintainers accept at most small fixed inference in the kernel, with training in "
        "user space.",
        "Train in user space and load fixed parameters into the kernel.",
        "warning"},
    FindingRule{
        "kernel-build-failed", "KernelBuildFailed", "The arm's kernel, built from source with its patches, does not compile.",
        "A patch that breaks the build breaks every bisection through it and every tree that "
        "merges it; the 0-day robot reports such patches within hours, and they are not applied.",
        "Fix the code at the reported file:line, and build with the arm's config before posting "
        "(kgate kernel build PROPOSAL).",
        "error"},
    FindingRule{
        "module-build-failed", "ModuleBuildFailed", "The out-of-tree module does not build against a kernel's headers.",
        "A module that builds on one kernel only is a burden its users carry on every update; "
        "maintainable code builds on every supported kernel, which in practice means upstream.",
        "Read the first compiler error in the excerpt; use APIs every target kernel has, or "
        "merge the code upstream so it moves with the kernel.",
        "error"},
    FindingRule{
        "module-build-warning", "ModuleBuildWarning", "Building the module against a kernel's headers gave a compiler or modpost warning.",
        "The kernel builds warning-free; a warning usually marks a real bug or a misused API.",
        "Fix the code at the reported file:line.",
        "warning"},
    FindingRule{
        "module-symbol-missing", "ModuleSymbolMissing", "The module uses a kernel symbol that another target kernel does not export.",
        "One source or binary cannot serve both kernels; every such symbol is a fork the "
        "module's users must maintain.",
        "Use interfaces every target kernel exports, or guard the use with a version check and "
        "a fallback.",
        "warning"},
    FindingRule{
        "module-load-failed", "ModuleLoadFailed", "The built module did not load in a guest running its kernel.",
        "A module that builds but does not load does nothing for its users; the build alone "
        "proved nothing.",
        "Read the kernel's reason in the message (unknown symbol, bad parameter, init error) "
        "and fix the module's init path.",
        "error"},
    FindingRule{
        "module-unload-failed", "ModuleUnloadFailed", "The module could not be unloaded in a guest after loading.",
        "A module that cannot be unloaded forces a reboot to update or disable it, and usually "
        "leaks a reference or leaves work running.",
        "Drop every reference and stop every timer, work item and thread in the exit function.",
        "error"},
    FindingRule{
        "module-slab-leak", "ModuleSlabLeak", "Unreclaimable slab grew across repeated loads and unloads of the module.",
        "Slab memory a load takes and the unload does not give back is leaked again on every "
        "reload, update or test cycle.",
        "Free in the exit function (and on init's error paths) everything init allocates; "
        "kmemleak in a debug kernel names the allocation site.",
        "error"},
    FindingRule{
        "module-memory-leak", "ModuleMemoryLeak", "vmalloc, per-CPU or module memory grew across repeated loads and unloads of the module.",
        "Memory that outlives the module's unload is leaked for good: nothing else holds a "
        "pointer to free it.",
        "vfree/free_percpu in the exit function what init allocated.",
        "error"},
    FindingRule{
        "module-splat", "ModuleSplat", "An Oops, BUG, WARNING or new taint appeared while the module was loaded and unloaded.",
        "A splat on the module's load or unload path is a kernel bug maintainers will not merge, "
        "however rare the path.",
        "Read the console excerpt: its call trace names the function at fault.",
        "error"},
    FindingRule{
        "checkpatch", "Checkpatch", "scripts/checkpatch.pl reported a problem.",
        "Maintainers expect patches to be checkpatch-clean before they review them.",
        "Run scripts/checkpatch.pl --strict on the patch and fix what it reports.",
        "warning"},
};

}  // namespace

std::span<const FindingRule> FindingRules() { return kRules; }

const FindingRule* FindingRuleFor(std::string_view id) {
  for (const FindingRule& rule : kRules) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

}  // namespace kgate
