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

struct Task {
  int version = 0;
  int trial = 0;
  std::string scenario;
  std::vector<std::string> modules;
  std::map<std::string, std::string> sysctl;
  std::map<std::string, std::string> knobs;
  std::optional<AgentProgram> agent;
  std::optional<ScratchSpec> scratch;
  std::vector<std::string> setup;
  std::string command;
  int warmup = 0;
  int reps = 1;
  double timeout_s = 300;
  bool drop_caches = false;
  std::map<std::string, std::string> env;
  std::size_t max_output_bytes = 256 * 1024;
  std::optional<FaultSpec> faults;  // the fault pass instead of the repetitions
};

// Parses the task; on error returns nullopt and sets *error to one line
// naming the key and what was expected.
std::optional<Task> ParseTask(const std::string& json_text, std::string* error);

}  // namespace kgate::agent
