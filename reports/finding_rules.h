// The catalogue of finding rules: what each stable rule id means and why
// maintainers object to what it flags, for reports that explain findings
// (SARIF's rules[], and any reporter that lists findings).
//
// Two families:
//   console-*  safety findings from the guest console (trial/console_monitor.h):
//              console-panic, -oops, -bug, -warning, -kasan, -ubsan, -lockdep,
//              -hung-task, -rcu-stall, -soft-lockup (level error) and
//              console-taint (warning).
//   fault-*    safety findings of the fault pass (checks/fault_pass.h):
//              fault-workload-failed, fault-unresponsive, fault-splat
//              (error; its file is the fault guest's console log, an
//              absolute path), fault-new-taint (warning),
//              fault-garbage-accepted (note).
//   static     maintainability findings from analysing a proposal's patch or
//              module source: fpu-in-kernel, kernel-file-io, hardcoded-path,
//              raw-hook, new-uapi, no-kill-switch, polling-kthread,
//              in-kernel-training, module-build-failed, module-build-warning,
//              module-symbol-missing, checkpatch. Their file is relative to the
//              proposal's source root.
//   build      kernel-build-failed: the arm's kernel, built from source,
//              does not compile; file is relative to the kernel tree.
//   load       from loading a built module in a guest (checks/module_cycle.h):
//              module-load-failed, module-unload-failed, module-slab-leak,
//              module-memory-leak, module-splat; file is the .ko.
// A finding whose rule is not listed still renders; reporters describe it
// generically (FindingRuleFor returns nullptr).
//
// Thread-safe: the catalogue is immutable static data.
#pragma once

#include <span>
#include <string_view>

namespace kgate {

struct FindingRule {
  std::string_view id;             // the stable rule id stored in findings.rule
  std::string_view name;           // CamelCase, e.g. "ConsoleOops" (SARIF rule name)
  std::string_view summary;        // one sentence: what the rule flags
  std::string_view why;            // why maintainers object, for a reviewer
  std::string_view help;           // what to do about a finding
  std::string_view default_level;  // error | warning | note
  bool console = false;            // a console-* rule: its file is a console log
};

// Every catalogued rule: console rules first, then fault-pass rules, then
// static-analysis rules.
std::span<const FindingRule> FindingRules();

// The rule with this id; nullptr when the id is not catalogued.
const FindingRule* FindingRuleFor(std::string_view id);

}  // namespace kgate
