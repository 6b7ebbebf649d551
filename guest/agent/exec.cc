#include "guest/agent/exec.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>

namespace kgate::agent {
namespace {

double Now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// Runs in the child after fork. The agent is single-threaded, so the
// non-async-signal-safe setenv is safe here.
[[noreturn]] void ExecChild(const std::vector<std::string>& argv, const ExecOptions& options,
                            int out_fd, int err_fd) {
  setpgid(0, 0);
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) dup2(null_fd, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  for (const auto& [k, v] : options.env) setenv(k.c_str(), v.c_str(), 1);
  if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  signal(SIGPIPE, SIG_DFL);
  execvp(args[0], args.data());
  _exit(127);
}

// Appends what is readable on fd to *buf, keeping at most cap bytes; returns
// false at EOF or error.
bool Drain(int fd, std::string* buf, std::size_t cap, bool* truncated) {
  char chunk[16384];
  ssize_t n = read(fd, chunk, sizeof chunk);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  std::size_t room = buf->size() < cap ? cap - buf->size() : 0;
  buf->append(chunk, std::min<std::size_t>(room, n));
  if (static_cast<std::size_t>(n) > room) *truncated = true;
  return true;
}

void DrainAll(int fd, std::string* buf, std::size_t cap, bool* truncated) {
  char chunk[16384];
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) > 0) {
    std::size_t room = buf->size() < cap ? cap - buf->size() : 0;
    buf->append(chunk, std::min<std::size_t>(room, n));
    if (static_cast<std::size_t>(n) > room) *truncated = true;
  }
}

}  // namespace

ExecResult Exec(const std::vector<std::string>& argv, const ExecOptions& options) {
  ExecResult r;
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + strerror(errno);
    return r;
  }
  double start = Now();
  pid_t pid = fork();
  if (pid < 0) {
    r.error = std::string("fork: ") + strerror(errno);
    return r;
  }
  if (pid == 0) ExecChild(argv, options, out_pipe[1], err_pipe[1]);
  setpgid(pid, pid);  // also in the parent, so the group exists before any kill
  close(out_pipe[1]);
  close(err_pipe[1]);
  fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
  fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);
  r.started = true;

  // Each stream may use the whole budget while running; the final output is
  // cut to max_output_bytes after concatenation.
  std::string out, err;
  bool out_open = true, err_open = true;
  int status = 0;
  bool exited = false;
  double deadline = start + options.timeout_s;
  while (!exited) {
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int n = poll(fds, 2, 20);
    if (n > 0) {
      if (out_open && fds[0].revents) out_open = Drain(out_pipe[0], &out, options.max_output_bytes, &r.truncated);
      if (err_open && fds[1].revents) err_open = Drain(err_pipe[0], &err, options.max_output_bytes, &r.truncated);
      if (!out_open) fds[0].fd = -1;
      if (!err_open) fds[1].fd = -1;
    }
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) {
      exited = true;
    } else if (Now() > deadline) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      exited = true;
    }
  }
  r.seconds = Now() - start;
  // What the exited process left in the pipes; a background grandchild that
  // still holds a pipe open gives EAGAIN, not EOF, and is not waited for.
  if (out_open) DrainAll(out_pipe[0], &out, options.max_output_bytes, &r.truncated);
  if (err_open) DrainAll(err_pipe[0], &err, options.max_output_bytes, &r.truncated);
  kill(-pid, SIGKILL);  // leftovers of the group; ESRCH when none
  close(out_pipe[0]);
  close(err_pipe[0]);
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.exit_code = 128 + WTERMSIG(status);
  }
  r.output = out + err;
  if (r.output.size() > options.max_output_bytes) {
    r.output.resize(options.max_output_bytes);
    r.truncated = true;
  }
  return r;
}

pid_t Spawn(const std::vector<std::string>& argv, std::string* error, const std::string& output_path) {
  pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + strerror(errno);
    return -1;
  }
  if (pid == 0) {
    setsid();
    int null_fd = open("/dev/null", O_RDWR);
    int out_fd = output_path.empty() ? null_fd
                                     : open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (null_fd >= 0) dup2(null_fd, 0);
    if (out_fd < 0) out_fd = null_fd;
    if (out_fd >= 0) {
      dup2(out_fd, 1);
      dup2(out_fd, 2);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

}  // namespace kgate::agent
