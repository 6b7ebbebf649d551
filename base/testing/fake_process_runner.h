// FakeProcessRunner: runs nothing. It records every command (argv, the
// argv joined as a shell would show it, and the options it got) and answers
// with what `respond` returns: by default exit 0 with no output.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/process.h"

namespace kgate::testing {

// A finished process: exit code and output.
inline ProcessResult Exit(int code, std::string out = "", std::string err = "") {
  ProcessResult r;
  r.exit_code = code;
  r.out = std::move(out);
  r.err = std::move(err);
  return r;
}

class FakeProcessRunner : public ProcessRunner {
 public:
  using Respond =
      std::function<ProcessResult(const std::vector<std::string>& argv, const ProcessOptions&)>;

  FakeProcessRunner() = default;
  explicit FakeProcessRunner(Respond answer) : respond(std::move(answer)) {}
  // Answers every command with result.
  explicit FakeProcessRunner(ProcessResult result)
      : respond([result](const auto&, const auto&) { return result; }) {}

  Result<ProcessResult> Run(const std::vector<std::string>& argv,
                            const ProcessOptions& options = {}) override {
    argvs.push_back(argv);
    commands.push_back(ShellJoin(argv));
    options_seen.push_back(options);
    return respond ? respond(argv, options) : Exit(0);
  }

  Respond respond;
  std::vector<std::vector<std::string>> argvs;
  std::vector<std::string> commands;
  std::vector<ProcessOptions> options_seen;
};

}  // namespace kgate::testing
