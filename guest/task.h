// The task kgate-agent runs: /kgate/task.json (format in guest/protocol.h),
// one type for both sides. The host builds a Task and writes it with
// TaskToJson; the agent reads it with ParseTask, which is strict about types
// so a harness bug shows up as an `error` event naming the key, not as a
// silently different trial. trial/protocol_test.cc feeds one into the other
// for every kind of task.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "guest/protocol.h"


namespace kgate::guest {

// A modelled disk the agent makes with null_blk through configfs
// (config/storage_model.h): data in guest memory, each request completed by
// a guest timer after completion_nsec.
struct NullBlkSpec {
  std::string name;     // the configfs item and disk name: "kgate-disk"
  std::string profile;  // "sata-ssd", for the scratch step's message
  std::uint64_t completion_nsec = 0;
  std::uint32_t mbps = 0;  // 0: no cap
  std::uint32_t queue_depth = 0;
  std::uint32_t max_sectors = 0;  // 512-byte sectors per request
  std::uint32_t size_mb = 0;
};

struct ScratchSpec {
  std::string device;  // "/dev/vda"; "/dev/<null_blk.name>" for a modelled disk
  std::string fs;      // "" = raw device, not mounted; else mkfs + mount
  std::string mount;   // "/mnt/scratch"
  std::optional<NullBlkSpec> null_blk;  // set: make the device first
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

// The arm's agent program is a sched_ext BPF scheduler (guest/protocol.h,
// "sched_ext"): after starting it, the agent waits until the kernel reports
// it enabled, and checks after every repetition that it still is.
struct SchedExtWait {
  std::string ops;                // what /sys/kernel/sched_ext/root/ops must say
  double enable_timeout_s = 30;   // guest seconds from the start of the program
};

// The fault pass instead of the repetitions (guest/protocol.h, "faults").
struct FaultSpec {
  double kill_agent_after_s = 2;   // after the workload starts
  // knob path -> values written in order, each after the previous one; map
  // order, so the event lists knobs in a stable order.
  std::map<std::string, std::vector<std::string>> garbage;
  double responsive_timeout_s = 5;
};

// What a task asks of the guest after preparing the system.
enum class TaskKind {
  kMeasured,     // warm-up and measured repetitions of the command
  kModuleCycle,  // a module's load/unload cycle; no command
  kFaultPass,    // the fault pass, with the command as its workload
};

struct Task {
  int version = kProtocolVersion;
  int trial = 0;
  std::string scenario;
  std::vector<std::string> modules;
  std::vector<InsmodSpec> insmod;
  std::optional<ModuleCycleSpec> module_cycle;
  std::map<std::string, std::string> sysctl;
  std::map<std::string, std::string> knobs;
  std::optional<AgentProgram> agent;
  std::optional<SchedExtWait> sched_ext;  // only with an agent
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

  TaskKind kind() const {
    return faults ? TaskKind::kFaultPass
                  : module_cycle && command.empty() ? TaskKind::kModuleCycle
                                                    : TaskKind::kMeasured;
  }
};

// The task as task.json text. Keys as guest/protocol.h lists them; "faults"
// only when present.
std::string TaskToJson(const Task& task);

// Parses the task; a task without a command must have a module_cycle, and
// then warmup and reps are 0 whatever it says. On error returns nullopt and
// sets *error to one line naming the key and what was expected.
std::optional<Task> ParseTask(const std::string& json_text, std::string* error);

}  // namespace kgate::guest
