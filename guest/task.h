// The task kgate-agent runs, parsed from /kgate/task.json (format in
// guest/protocol.h). Parsing is strict about types so a harness bug shows up
// as an `error` event naming the key, not as a silently different trial.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "guest/agent/faults.h"

namespace kgate::agent {

struct ScratchSpec {
  std::string device;  // "/dev/vda"
  std::string fs;      // "" = raw device, not mounted; else mkfs + mount
  std::string mount;   // "/mnt/scratch"
};

struct AgentProgram {
  std::string path;
  std::vector<std::string> args;
};

// A module file loaded with finit_module before the scratch disk, sysctls and
// knobs: an arm's out-of-tree module.
struct InsmodSpec {
  std::string path;    // "/kgate/modules/ra_hint.ko"
  std::string params;  // "a=1 b=2", as insmod takes them; "" for none
};

// The load/unload cycle of one module (guest/protocol.h, "module_cycle").
struct ModuleCycleSpec {
  std::string path;    // the .ko in the guest
  std::string name;    // the module's name, for delete_module
  int count = 20;      // measured load+unload repetitions after one warm-up
  std::string params;
  int settle_ms = 1000;  // sleep after the last unload, before the final snapshot
};

struct Task {
  int version = 0;
  int trial = 0;
  std::string scenario;
  std::vector<std::string> modules;
  std::vector<InsmodSpec> insmod;
  std::optional<ModuleCycleSpec> module_cycle;
  std::map<std::string, std::string> sysctl;
  std::map<std::string, std::string> knobs;
  std::optional<AgentProgram> agent;
  std::optional<ScratchSpec> scratch;
  std::vector<std::string> setup;
  std::string command;  // "" only with module_cycle: then no repetitions run
  int warmup = 0;
  int reps = 1;
  double timeout_s = 300;
  bool drop_caches = false;
  std::map<std::string, std::string> env;
  std::size_t max_output_bytes = 256 * 1024;
  std::optional<FaultSpec> faults;  // the fault pass instead of the repetitions
};

// Parses the task; a task without a command must have a module_cycle, and
// then warmup and reps are 0 whatever it says. On error returns nullopt and sets *error to one line
// naming the key and what was expected.
std::optional<Task> ParseTask(const std::string& json_text, std::string* error);

}  // namespace kgate::agent
