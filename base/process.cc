#include "base/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "base/strings.h"

extern char** environ;

namespace kgate {
namespace {

using Clock = std::chrono::steady_clock;

void AppendBounded(std::string* dst, const char* data, std::size_t n, std::size_t max) {
  if (dst->size() >= max) return;
  dst->append(data, std::min(n, max - dst->size()));
}

}  // namespace

std::string ProcessResult::Describe() const {
  if (timed_out) return fmt::format("timed out after {:.1f} s", seconds);
  if (signal != 0) return fmt::format("killed by signal {} ({})", signal, strsignal(signal));
  return fmt::format("exit {}", exit_code);
}

std::string FindInPath(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    return access(program.c_str(), X_OK) == 0 ? program : "";
  }
  const char* path = getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  dirs += ":/usr/sbin:/sbin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + program;
    struct stat st;
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return "";
}

std::string ShellQuote(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789-_./=:,+@%") == std::string::npos) {
    return arg;
  }
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string ShellJoin(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    out += ShellQuote(a);
  }
  return out;
}

Result<ProcessResult> PosixProcessRunner::Run(const std::vector<std::string>& argv,
                                              const ProcessOptions& options) {
  KG_CHECK(!argv.empty()) << "empty argv";
  std::string program = FindInPath(argv[0]);
  if (program.empty()) {
    return Status::Infrastructure(fmt::format("{}: program not found in PATH", argv[0]));
  }
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 ||
      pipe2(in_pipe, O_CLOEXEC) != 0) {
    return Status::Infrastructure(fmt::format("pipe: {}", std::strerror(errno)));
  }
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    std::string key = kv.substr(0, kv.find('='));
    if (!options.env.count(key)) env_store.push_back(kv);
  }
  for (const auto& [k, v] : options.env) env_store.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& s : env_store) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  auto start = Clock::now();
  pid_t pid = fork();
  if (pid < 0) return Status::Infrastructure(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    setpgid(0, 0);  // so a timeout kills the whole process group
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(127);
    execve(program.c_str(), args.data(), envp.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Small stdin payloads fit the pipe buffer; larger ones would need polling.
  if (!options.stdin_data.empty()) {
    ssize_t ignored = write(in_pipe[1], options.stdin_data.data(),
                            std::min<std::size_t>(options.stdin_data.size(), 60000));
    (void)ignored;
  }
  close(in_pipe[1]);

  ProcessResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    int wait_ms = -1;
    if (options.timeout.count() > 0) {
      auto left = options.timeout - std::chrono::duration_cast<std::chrono::milliseconds>(
                                        Clock::now() - start);
      if (left.count() <= 0) {
        result.timed_out = true;
        kill(-pid, SIGKILL);
        break;
      }
      wait_ms = static_cast<int>(left.count());
    }
    int n = poll(fds, 2, wait_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    for (auto& f : fds) {
      if (f.fd < 0 || !(f.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = read(f.fd, buf, sizeof buf);
      if (got <= 0) {
        close(f.fd);
        f.fd = -1;
        --open_fds;
        continue;
      }
      AppendBounded(f.fd == out_pipe[0] ? &result.out : &result.err, buf,
                    static_cast<std::size_t>(got), options.max_output_bytes);
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  if (result.exit_code == 127 && result.out.empty() && result.err.empty() && !result.timed_out) {
    result.err = fmt::format("{}: could not be executed", program);
  }
  return result;
}

ProcessRunner& DefaultProcessRunner() {
  static PosixProcessRunner runner;
  return runner;
}

Result<ProcessResult> RunChecked(ProcessRunner& runner, const std::vector<std::string>& argv,
                                 const std::string& cwd, int timeout_s) {
  ProcessOptions options;
  options.cwd = cwd;
  options.timeout = std::chrono::seconds(timeout_s);
  Result<ProcessResult> run = runner.Run(argv, options);
  if (!run.ok()) return run.status();
  if (!run->success()) {
    return Status::Infrastructure(fmt::format("`{}` failed ({}): {}", ShellJoin(argv),
                                              run->Describe(), LastLine(run->err)));
  }
  return run;
}

std::string LastLine(const std::string& text) {
  std::vector<std::string> lines = Split(Trim(text), '\n');
  return lines.empty() ? "" : Trim(lines.back());
}

}  // namespace kgate
