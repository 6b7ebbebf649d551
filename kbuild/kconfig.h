// Kernel configuration values: what a proposal asks for, what Kconfig made of
// it, and why an option was dropped.
//
// `make olddefconfig` silently turns off any requested option whose
// dependencies are not met. kgate checks every requested value against the
// final .config and names each one that did not survive with the
// dependencies Kconfig declares for it and which of those are off.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kgate {

// Option (without CONFIG_) -> value: y, m, a number or a quoted string;
// "# CONFIG_FOO is not set" gives "n".
using ConfigValues = std::map<std::string, std::string>;

ConfigValues ParseConfigValues(std::string_view text);

struct ConfigRequest {
  std::string option;  // without CONFIG_
  std::string value;   // y, m, n, a number or a "quoted string"
  std::string origin;  // "configs/lru.config:3", "set: SCHED_CLASS_EXT", "guest config:12"
};

// A fragment file: CONFIG_FOO=value and "# CONFIG_FOO is not set" lines,
// other comments and blank lines. Anything else is BadInput at file:line.
Result<std::vector<ConfigRequest>> ReadConfigFragment(const std::string& path);

// The text of a fragment holding requests, for scripts/kconfig/merge_config.sh.
std::string FragmentText(const std::vector<ConfigRequest>& requests);

// An entry that forces an option on with `select`.
struct Selector {
  std::string option;     // the selecting entry: "SECURITY_LOCKDOWN_LSM"
  std::string condition;  // its "if" part, "" when unconditional
  std::string where;      // "security/lockdown/Kconfig:4", relative to the tree
};

// A requested value the final configuration does not have.
struct DroppedOption {
  ConfigRequest request;
  std::string got;      // the final value; "n" when the option is absent
  bool known = true;    // false: no Kconfig file in the tree declares it
  std::string depends;  // its "depends on" expressions, joined with " && "
  std::vector<std::string> symbols;  // each symbol in `depends` with its final value: "BPF_JIT=n"
  std::vector<Selector>
      selected_by;  // requested n: the entries, on in the final config, that select it
};

// Requests in order; for the same option the last request wins (as in
// merge_config.sh). `source_tree` is searched for Kconfig declarations only
// when something was dropped.
std::vector<DroppedOption> FindDroppedOptions(const std::vector<ConfigRequest>& requests,
                                              const ConfigValues& final_config,
                                              const std::string& source_tree);

// One line per dropped option:
//   CONFIG_SCHED_CLASS_EXT=y (set: SCHED_CLASS_EXT) became n; it depends on
//   BPF_SYSCALL && BPF_JIT && DEBUG_INFO_BTF (BPF_SYSCALL=y BPF_JIT=y DEBUG_INFO_BTF=n)
std::string DescribeDropped(const std::vector<DroppedOption>& dropped);

}  // namespace kgate
