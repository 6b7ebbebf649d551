#include "analysis/rules.h"

#include <algorithm>

#include "analysis/rules_internal.h"
#include "base/check.h"
#include "base/strings.h"

namespace kgate {

const std::vector<RuleInfo>& KgateRules() {
  static const std::vector<RuleInfo> kRules = {
      {"fpu-in-kernel", "error",
       "the kernel does not preserve FPU/SIMD state for its own code: every use needs a "
       "kernel_fpu_begin() section that disables preemption and saves the user's registers, "
       "and it cannot run in most contexts, so maintainers ask for fixed-point arithmetic"},
      {"kernel-file-io", "error",
       "reading or writing files from the kernel bypasses user-space policy (namespaces, LSMs, "
       "mounts that are not there yet) and is reserved for the firmware loader and similar "
       "core code; data should come from user space through a defined interface"},
      {"hardcoded-path", "error",
       "a path or device name baked into the kernel is policy that belongs to user space: it "
       "differs on every system, breaks in containers and cannot be reviewed as an interface"},
      {"raw-hook", "error",
       "an exported function pointer lets any module replace kernel behaviour with no "
       "locking, lifetime or review story; extension points exist for this (BPF struct_ops, "
       "tracepoints, sysfs knobs) and are what maintainers ask for"},
      {"new-uapi", "warning",
       "a new user-visible file, ioctl or syscall is an ABI kept forever, so it must be "
       "documented under Documentation/ABI/ (or the sysctl/ioctl documentation) in the same "
       "series"},
      {"no-kill-switch", "warning",
       "new behaviour that cannot be turned off at run or build time (static key, sysctl, "
       "module parameter, Kconfig option defaulting to n) forces every user to take the risk "
       "and leaves no way back when it misbehaves in production"},
      {"polling-kthread", "warning",
       "a kernel thread that wakes on a timer costs CPU and power on every idle system and "
       "delays idle states; work should be event-driven (wait queues, workqueues on demand)"},
      {"in-kernel-training", "warning",
       "updating model weights in the kernel puts unbounded, data-dependent computation and "
       "non-reproducible state into kernel context; training belongs in user space, with the "
       "kernel at most applying a fixed, verified model"},
      {"module-build-failed", "error",
       "an out-of-tree module that does not build on a kernel its users run is a burden its "
       "users carry on every kernel update; code that wants to be maintained builds on every "
       "supported kernel, which in practice means going upstream"},
      {"module-build-warning", "warning",
       "the kernel builds warning-free (and with W=1 in many subsystems); a compiler warning "
       "usually marks a real bug or an API the code uses wrongly"},
      {"module-symbol-missing", "warning",
       "the module uses a kernel symbol another supported kernel does not export, so one "
       "binary or source cannot serve both; every such symbol is a fork users must maintain"},
      {"module-load-failed", "error",
       "a module that builds but does not load (unknown symbol, version mismatch, an init that "
       "fails) does nothing for its users, and the build alone proved nothing"},
      {"module-unload-failed", "error",
       "a module that cannot be unloaded forces a reboot to update or disable it, and usually "
       "means its exit path leaks a reference or leaves work running"},
      {"module-slab-leak", "error",
       "slab memory that a load takes and the unload does not give back is a leak every "
       "reload, update or test cycle repeats until the machine runs out of memory"},
      {"module-memory-leak", "error",
       "vmalloc, per-CPU or module memory that outlives the module's unload is leaked for good, "
       "since nothing else holds a pointer to free it"},
      {"module-splat", "error",
       "an Oops, BUG, WARNING or new taint while the module loads or unloads is a kernel bug "
       "maintainers will not merge, however rare the path"},
  };
  return kRules;
}

const RuleInfo* FindRule(std::string_view id) {
  for (const RuleInfo& r : KgateRules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

bool IsKnownRuleId(std::string_view id) {
  return FindRule(id) != nullptr || (StartsWith(id, "checkpatch-") && id.size() > 11);
}

namespace rules {

void FindingSink::Add(std::string_view rule, const std::string& file, const ChangedLine& line,
                      const std::string& what) {
  const RuleInfo* info = FindRule(rule);
  KG_CHECK(info != nullptr) << "unknown rule " << rule;
  FindingRecord f;
  f.rule = std::string(rule);
  f.level = std::string(info->level);
  f.file = file;
  f.line = line.line;
  f.message = what + ": " + std::string(info->why);
  f.excerpt = Trim(line.text);
  findings_.push_back(std::move(f));
}

bool Find(const std::string& text, const std::regex& re, std::smatch* m) {
  std::smatch local;
  auto end = text.begin() + static_cast<std::ptrdiff_t>(std::min(text.size(), kMaxMatchedLine));
  return std::regex_search(text.begin(), end, m != nullptr ? *m : local, re);
}

}  // namespace rules

std::vector<FindingRecord> RunRules(const ChangeSet& change) {
  rules::FindingSink sink;
  rules::CheckFpu(change, sink);
  rules::CheckFileIo(change, sink);
  rules::CheckHardcodedPaths(change, sink);
  rules::CheckRawHooks(change, sink);
  rules::CheckNewUapi(change, sink);
  rules::CheckKillSwitch(change, sink);
  rules::CheckPollingKthreads(change, sink);
  rules::CheckTraining(change, sink);
  std::vector<FindingRecord> findings = sink.Take();
  auto order = [](const FindingRecord& f) {
    const auto& all = KgateRules();
    return std::find_if(all.begin(), all.end(), [&](const RuleInfo& r) { return r.id == f.rule; }) -
           all.begin();
  };
  std::stable_sort(findings.begin(), findings.end(), [&](const FindingRecord& a, const FindingRecord& b) {
    return std::make_tuple(order(a), a.file, a.line) < std::make_tuple(order(b), b.file, b.line);
  });
  return findings;
}

}  // namespace kgate
