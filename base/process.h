// Running host programs: a small interface so planning and judging code can be
// tested with a fake (base/testing/fake_process_runner.h), and a POSIX
// implementation that forks and execs for real.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace kgate {

struct ProcessOptions {
  std::string cwd;                              // empty: inherit
  std::map<std::string, std::string> env;       // added to the inherited environment
  std::chrono::milliseconds timeout{0};         // 0: none; on expiry SIGKILL
  std::size_t max_output_bytes = 16 << 20;      // captured stdout/stderr are cut beyond this
  std::string stdin_data;                       // written to the child's stdin

  static ProcessOptions WithTimeout(std::chrono::milliseconds t) {
    ProcessOptions o;
    o.timeout = t;
    return o;
  }
};

struct ProcessResult {
  int exit_code = -1;    // valid when !signaled
  int signal = 0;        // the terminating signal, 0 if it exited
  bool timed_out = false;
  std::string out;       // captured stdout (bounded)
  std::string err;       // captured stderr (bounded)
  double seconds = 0;    // wall time

  bool success() const { return !timed_out && signal == 0 && exit_code == 0; }
  // "exit 3", "killed by signal 9", "timed out after 5.0 s".
  std::string Describe() const;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs argv[0] (searched in PATH) to completion. Returns Infrastructure when
  // the program cannot be started at all (not found, not executable); a
  // program that runs and fails is a ProcessResult, not an error.
  virtual Result<ProcessResult> Run(const std::vector<std::string>& argv,
                                    const ProcessOptions& options = {}) = 0;
};

// Forks and execs. Thread-compatible; each Run is independent.
class PosixProcessRunner : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const std::vector<std::string>& argv,
                            const ProcessOptions& options = {}) override;
};

// The process-wide real runner.
ProcessRunner& DefaultProcessRunner();

// Runs argv in cwd (empty: the current directory) with a timeout and
// requires it to succeed. Infrastructure naming the command, how it ended and
// the last line of its stderr when it does not; the runner's own error when
// it cannot start.
Result<ProcessResult> RunChecked(ProcessRunner& runner, const std::vector<std::string>& argv,
                                 const std::string& cwd, int timeout_s);

// The last line of text, trimmed ("" for blank text): the line of a tool's
// stderr worth quoting in an error.
std::string LastLine(const std::string& text);

// Returns the absolute path of program in PATH, or "" when absent.
std::string FindInPath(const std::string& program);

// Quotes one argument for display in a shell-pasteable command line.
std::string ShellQuote(const std::string& arg);
std::string ShellJoin(const std::vector<std::string>& argv);

}  // namespace kgate
