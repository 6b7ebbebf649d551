// Status and Result<T>: errors as values at module boundaries.
//
// A Status is ok or carries a code and a one-line message that names the file,
// line, key or command concerned ("proposal.yaml:12:3: unknown key 'runz'").
// The code maps onto kgate's exit codes so a command can return what failed.
// Both types are cheap to move and safe to copy; neither is thread-safe to
// mutate concurrently.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "base/check.h"

namespace kgate {

// Exit codes of the kgate command (README.md lists them). kInternal
// extends the brief's set: kgate itself failed (a broken invariant, a file
// of its own missing), which is neither the user's input nor the host's
// infrastructure. A run stopped by SIGINT or SIGTERM exits 128 + the signal.
enum class ExitCode : int {
  kPass = 0,
  kFail = 1,
  kBadInput = 2,
  kInconclusive = 3,
  kInfrastructure = 4,
  kInternal = 5,
};

class Status {
 public:
  // kNotFound: a lookup found nothing (a run id, a scenario name). The
  // caller that knows who named the thing decides what it means; the CLI
  // turns a not-found of something the user named into bad input.
  // kInterrupted: SIGINT or SIGTERM asked kgate to stop (base/interrupt.h).
  enum class Code { kOk, kBadInput, kInfrastructure, kNotFound, kInternal, kInterrupted };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status BadInput(std::string msg) { return Status(Code::kBadInput, std::move(msg)); }
  static Status Infrastructure(std::string msg) {
    return Status(Code::kInfrastructure, std::move(msg));
  }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }
  static Status Interrupted(std::string msg) {
    return Status(Code::kInterrupted, std::move(msg));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // The exit code a command returns when it stops on this status (an
  // interrupted command exits 128 + the signal instead: cli/command.cc).
  ExitCode exit_code() const {
    switch (code_) {
      case Code::kOk: return ExitCode::kPass;
      case Code::kBadInput: return ExitCode::kBadInput;
      case Code::kInfrastructure: return ExitCode::kInfrastructure;
      case Code::kInterrupted: return ExitCode::kInfrastructure;
      case Code::kNotFound:
      case Code::kInternal: return ExitCode::kInternal;
    }
    return ExitCode::kInternal;
  }

  // This status with another code and the same message (ok stays ok).
  Status WithCode(Code code) const { return ok() ? *this : Status(code, message_); }

  // Returns a copy whose message is "prefix: message".
  Status Prefixed(const std::string& prefix) const {
    return ok() ? *this : Status(code_, prefix + ": " + message_);
  }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T> holds a T or a non-ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    KG_CHECK(!status_.ok()) << "Result built from an ok Status without a value";
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    KG_CHECK(ok()) << "value() on error: " << status_.message();
    return *value_;
  }
  const T& value() const& {
    KG_CHECK(ok()) << "value() on error: " << status_.message();
    return *value_;
  }
  T&& value() && {
    KG_CHECK(ok()) << "value() on error: " << status_.message();
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace kgate

// Returns early from the enclosing function when expr yields a non-ok Status.
#define KG_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::kgate::Status kg_status_ = (expr);    \
    if (!kg_status_.ok()) return kg_status_; \
  } while (0)

// KG_ASSIGN_OR_RETURN(auto x, F()) or KG_ASSIGN_OR_RETURN(x, F()): evaluates
// F() (a Result<T>), returns its Status from the enclosing function when it
// is an error, else moves the value into the declaration or variable.
#define KG_ASSIGN_OR_RETURN(decl, expr) \
  KG_ASSIGN_OR_RETURN_IMPL(KG_CONCAT(kg_result_, __LINE__), decl, expr)
#define KG_ASSIGN_OR_RETURN_IMPL(result, decl, expr) \
  auto result = (expr);                              \
  if (!result.ok()) return result.status();          \
  decl = std::move(result).value()
#define KG_CONCAT(a, b) KG_CONCAT_IMPL(a, b)
#define KG_CONCAT_IMPL(a, b) a##b
