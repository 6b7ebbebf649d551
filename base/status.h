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

// Exit codes of the kgate command (see BRIEF "Command line").
enum class ExitCode : int {
  kPass = 0,
  kFail = 1,
  kBadInput = 2,
  kInconclusive = 3,
  kInfrastructure = 4,
};

class Status {
 public:
  enum class Code { kOk, kBadInput, kInfrastructure, kNotFound, kInternal };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status BadInput(std::string msg) { return Status(Code::kBadInput, std::move(msg)); }
  static Status Infrastructure(std::string msg) {
    return Status(Code::kInfrastructure, std::move(msg));
  }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // The exit code a command returns when it stops on this status.
  ExitCode exit_code() const {
    return code_ == Code::kInfrastructure ? ExitCode::kInfrastructure : ExitCode::kBadInput;
  }

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
