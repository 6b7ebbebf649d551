// Rules about what the added code exposes: raw exported hooks, new
// user-space API without documentation, and new behaviour without a switch.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "analysis/rules_internal.h"
#include "base/strings.h"

namespace kgate::rules {
namespace {

bool IsKernelC(const ChangedFile& f) { return IsCSource(f.path) && !IsUserspacePath(f.path); }

// Brace depth before each line of a file, restarting at 0 at each hunk.
std::vector<int> DepthBefore(const ChangedFile& file) {
  std::vector<int> depth(file.lines.size(), 0);
  std::size_t hunk = 0;
  int d = 0;
  for (std::size_t i = 0; i < file.lines.size(); ++i) {
    if (hunk < file.hunk_starts.size() && file.hunk_starts[hunk] == i) {
      ++hunk;
      d = 0;
    }
    depth[i] = d;
    for (char c : file.lines[i].lexed.code) d += c == '{' ? 1 : c == '}' ? -1 : 0;
    if (d < 0) d = 0;
  }
  return depth;
}

// File-scope variables holding a function pointer or a pointer to an
// ops-like structure (struct *_ops, *_operations, *_hook(s), *_callback(s)),
// by file. Function-pointer typedefs count from anywhere in the change.
std::map<std::string, std::set<std::string>> HookVariables(const ChangeSet& change) {
  static const std::regex kFnPtrTypedef(R"(\btypedef\b[^;]*\(\s*\*\s*(\w+)\s*\)\s*\()");
  static const std::regex kFnPtrVar(R"(\(\s*\*\s*(?:__rcu\s+)?(\w+)\s*\)\s*\([^;]*\)\s*(=[^;]*)?;)");
  static const std::regex kOpsPtrVar(R"(^(static\s+)?(const\s+)?struct\s+\w*(ops|operations|hooks?|callbacks?)\s*\*\s*(?:__rcu\s+)?(\w+)\s*(=[^;]*)?;)");
  static const std::regex kTypedVar(R"(^(?:static\s+)?(\w+)\s+(?:__rcu\s+)?(\w+)\s*(=[^;]*)?;)");
  std::set<std::string> typedefs;
  std::map<std::string, std::set<std::string>> vars;
  for (const ChangedFile& file : change.files) {
    for (const ChangedLine& line : file.lines) {
      std::smatch m;
      if (Find(line.lexed.code, kFnPtrTypedef, &m)) typedefs.insert(m[1]);
    }
  }
  for (const ChangedFile& file : change.files) {
    if (!IsKernelC(file)) continue;
    std::vector<int> depth = DepthBefore(file);
    for (std::size_t i = 0; i < file.lines.size(); ++i) {
      const std::string& code = file.lines[i].lexed.code;
      std::smatch m;
      if (depth[i] != 0 || StartsWith(Trim(code), "typedef")) continue;
      if (Find(code, kFnPtrVar, &m)) {
        vars[file.path].insert(m[1]);
      } else if (Find(code, kOpsPtrVar, &m)) {
        vars[file.path].insert(m[4]);
      } else if (Find(code, kTypedVar, &m) && typedefs.count(m[1])) {
        vars[file.path].insert(m[2]);
      }
    }
  }
  return vars;
}

std::set<std::string> ExportedSymbols(const ChangeSet& change) {
  static const std::regex kExport(R"(\bEXPORT_SYMBOL(_GPL)?\s*\(\s*(\w+)\s*\))");
  std::set<std::string> out;
  for (const ChangedFile& file : change.files) {
    for (const ChangedLine& line : file.lines) {
      std::smatch m;
      if (line.added && Find(line.lexed.code, kExport, &m)) out.insert(m[2]);
    }
  }
  return out;
}

// The text of every added line under Documentation/, where new interfaces
// are documented.
std::string DocumentationText(const ChangeSet& change) {
  std::string text;
  for (const ChangedFile& file : change.files) {
    if (!StartsWith(file.path, "Documentation/")) continue;
    for (const ChangedLine& line : file.lines) {
      if (line.added) text += line.text + "\n";
    }
  }
  return text;
}

}  // namespace

void CheckRawHooks(const ChangeSet& change, FindingSink& sink) {
  static const std::regex kExport(R"(\bEXPORT_SYMBOL(_GPL)?\s*\(\s*(\w+)\s*\))");
  static const std::regex kSetterName(R"(^(set|register|install)_\w*(hook|fptr|fn|func|cb|callback|ops)\w*$)");
  std::map<std::string, std::set<std::string>> hooks_by_file = HookVariables(change);
  std::set<std::string> exported = ExportedSymbols(change);
  for (const ChangedFile& file : change.files) {
    if (!IsKernelC(file)) continue;
    // A setter sets a hook of its own file; EXPORT_SYMBOL names one there too.
    const std::set<std::string>& hooks = hooks_by_file[file.path];
    for (const ChangedLine& line : file.lines) {
      std::smatch m;
      if (line.added && Find(line.lexed.code, kExport, &m) && hooks.count(m[2])) {
        sink.Add("raw-hook", file.path, line,
                 fmt::format("EXPORT_SYMBOL{} of the pointer variable '{}'", m[1].str(), m[2].str()));
      }
    }
    for (const FunctionSpan& fn : FindFunctions(file)) {
      if (!fn.added || StartsWith(file.lines[fn.header].lexed.code, "static")) continue;
      if (!exported.count(fn.name) && !std::regex_match(fn.name, kSetterName)) continue;
      std::string assigned;
      for (std::size_t i = fn.body_begin; i <= fn.body_end && assigned.empty(); ++i) {
        for (const std::string& hook : hooks) {
          std::regex assign("(\\b" + hook + "\\s*=[^=])|((rcu_assign_pointer|WRITE_ONCE|xchg|cmpxchg)\\s*\\(\\s*&?\\s*" + hook + "\\b)");
          if (Find(file.lines[i].lexed.code, assign)) {
            assigned = hook;
            break;
          }
        }
      }
      if (!assigned.empty()) {
        sink.Add("raw-hook", file.path, file.lines[fn.header],
                 fmt::format("{}() lets other modules install the raw hook '{}'", fn.name, assigned));
      }
    }
  }
}

void CheckNewUapi(const ChangeSet& change, FindingSink& sink) {
  struct Pattern {
    std::regex re;
    int group;           // the interface name: a capture group, or -1 for the first string literal
    const char* kind;
  };
  static const std::vector<Pattern> kPatterns = {
      {std::regex(R"(\b(DEVICE_ATTR|DRIVER_ATTR|CLASS_ATTR|BUS_ATTR|__ATTR)(_RW|_RO|_WO|_ADMIN_RW|_ADMIN_RO)?\s*\(\s*(\w+))"), 3, "sysfs file"},
      {std::regex(R"(\bdebugfs_create_\w+\s*\()"), -1, "debugfs file"},
      {std::regex(R"(\bproc_(create\w*|mkdir\w*)\s*\()"), -1, "procfs file"},
      {std::regex(R"(\.procname\s*=)"), -1, "sysctl"},
      {std::regex(R"(#\s*define\s+(\w+)\s+_IO(R|W|WR)?\s*\()"), 1, "ioctl"},
      {std::regex(R"(\b(?:COMPAT_)?SYSCALL_DEFINE\d\s*\(\s*(\w+))"), 1, "syscall"},
  };
  const std::string docs = DocumentationText(change);
  for (const ChangedFile& file : change.files) {
    if (!IsCSource(file.path) || IsUserspacePath(file.path)) continue;
    bool uapi = StartsWith(file.path, "include/uapi/") || file.path.find("/include/uapi/") != std::string::npos;
    bool reported = false;
    const ChangedLine* first_code = nullptr;
    for (const ChangedLine& line : file.lines) {
      if (!line.added) continue;
      if (first_code == nullptr && line.lexed.HasCode()) first_code = &line;
      for (const Pattern& p : kPatterns) {
        std::smatch m;
        if (!Find(line.lexed.code, p.re, &m)) continue;
        std::string name = p.group >= 0 ? m[p.group].str()
                           : line.lexed.strings.empty() ? "" : line.lexed.strings.front();
        if (name.empty() || docs.find(name) != std::string::npos) break;
        sink.Add("new-uapi", file.path, line,
                 fmt::format("new {} '{}' with no documentation in the change", p.kind, name));
        reported = true;
        break;
      }
    }
    if (uapi && !reported && first_code != nullptr && docs.empty()) {
      sink.Add("new-uapi", file.path, *first_code,
               "change to a user-space API header with no documentation in the change");
    }
  }
}

void CheckKillSwitch(const ChangeSet& change, FindingSink& sink) {
  static const std::regex kSwitch(R"(\b(DEFINE_STATIC_KEY_(FALSE|TRUE)\w*|DECLARE_STATIC_KEY\w*|static_branch_\w+|static_key_\w+|module_param\w*|core_param|early_param|__setup|register_sysctl\w*)\s*\(|\.procname\s*=)");
  static const std::regex kConfig(R"(^\s*(menu)?config\s+(\w+))");
  static const std::regex kDefault(R"(^\s*default\s+(\S+))");
  static const std::regex kConfigUse(R"(\bCONFIG_(\w+)\b)");
  // An out-of-tree module is switched off by unloading it, when it can be:
  // one with a module_exit can, one without stays until the next boot.
  static const std::regex kModuleExit(R"(\bmodule_exit\s*\()");
  const bool out_of_tree = change.kind == ChangeSet::Kind::kModule;
  bool unloadable = false;
  bool has_switch = false;
  std::map<std::string, const ChangedLine*> yes_defaults;  // option -> its "default y" line
  std::map<std::string, std::string> yes_files;
  std::set<std::string> off_options, used_options;
  const ChangedLine* first_fn = nullptr;
  std::string first_fn_file, first_fn_name;
  for (const ChangedFile& file : change.files) {
    std::string option;
    for (const ChangedLine& line : file.lines) {
      if (!line.added) continue;
      const std::string& code = line.lexed.code;
      std::smatch m;
      if (IsKconfig(file.path)) {
        if (Find(code, kConfig, &m)) {
          option = m[2];
          off_options.insert(option);  // no default: n
        } else if (!option.empty() && Find(code, kDefault, &m) && m[1] != "n") {
          off_options.erase(option);
          yes_defaults[option] = &line;
          yes_files[option] = file.path;
        }
        continue;
      }
      if (IsUserspacePath(file.path)) continue;
      if (Find(code, kSwitch)) has_switch = true;
      if (out_of_tree && Find(code, kModuleExit)) unloadable = true;
      auto code_end = code.begin() + static_cast<std::ptrdiff_t>(std::min(code.size(), kMaxMatchedLine));
      for (auto it = std::sregex_iterator(code.begin(), code_end, kConfigUse);
           it != std::sregex_iterator(); ++it) {
        used_options.insert((*it)[1]);
      }
    }
    if (first_fn == nullptr && IsKernelC(file)) {
      for (const FunctionSpan& fn : FindFunctions(file)) {
        if (!fn.added) continue;
        first_fn = &file.lines[fn.header];
        first_fn_file = file.path;
        first_fn_name = fn.name;
        break;
      }
    }
  }
  for (const std::string& option : off_options) has_switch = has_switch || used_options.count(option);
  if (has_switch || unloadable || first_fn == nullptr) return;
  for (const auto& [option, line] : yes_defaults) {
    sink.Add("no-kill-switch", yes_files[option], *line,
             fmt::format("Kconfig option {} defaults to enabled", option));
  }
  sink.Add("no-kill-switch", first_fn_file, *first_fn,
           out_of_tree
               ? fmt::format("the module has no module_exit, so it cannot be unloaded, and new "
                             "function {}() is not behind a static key, sysctl or module "
                             "parameter",
                             first_fn_name)
               : fmt::format("new function {}() is not behind a static key, sysctl, module "
                             "parameter or Kconfig option defaulting to n",
                             first_fn_name));
}

}  // namespace kgate::rules
