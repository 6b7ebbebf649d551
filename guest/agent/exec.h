// Running one command in the guest: /bin/sh -c in its own process group,
// stdout and stderr captured separately (bounded), killed as a group on
// timeout. Also used on the host by the unit tests, so it relies on POSIX
// only.
#pragma once

#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace kgate::agent {

struct ExecOptions {
  double timeout_s = 300;
  std::size_t max_output_bytes = 256 * 1024;  // stdout + stderr together
  std::map<std::string, std::string> env;     // added to the agent's environment
  std::string cwd;                            // empty: inherit
};

struct ExecResult {
  bool started = false;     // false: fork/exec failed (error says why)
  int exit_code = -1;       // 128 + signal when killed, as a shell reports it
  bool timed_out = false;
  double seconds = 0;       // fork to exit, CLOCK_MONOTONIC
  std::string output;       // stdout then stderr, at most max_output_bytes
  bool truncated = false;
  std::string error;
};

// Runs argv (argv[0] an absolute path or found in PATH). When the main
// process exits, whatever is left of its process group is killed so that
// background leftovers cannot disturb the next repetition.
ExecResult Exec(const std::vector<std::string>& argv, const ExecOptions& options);

inline ExecResult Shell(const std::string& command, const ExecOptions& options) {
  return Exec({"/bin/sh", "-c", command}, options);
}

// Starts argv detached in its own session; returns its pid or -1. Its
// stdout and stderr go to output_path (created or truncated), or are
// discarded when it is "". For the arm's agent program, which runs for the
// whole trial.
pid_t Spawn(const std::vector<std::string>& argv, std::string* error,
            const std::string& output_path = "");

}  // namespace kgate::agent
