// KG_CHECK(cond) << "message": aborts loudly when an internal invariant breaks.
// For bugs in kgate only; bad input and failed guests are values (status.h).
#pragma once

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace kgate::internal {

class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* cond) {
    stream_ << file << ":" << line << ": check failed: " << cond << ": ";
  }
  [[noreturn]] ~CheckFailure() {
    std::cerr << stream_.str() << std::endl;
    std::abort();
  }
  std::ostream& stream() { return stream_; }

 private:
  std::ostringstream stream_;
};

}  // namespace kgate::internal

#define KG_CHECK(cond) \
  if (cond) {          \
  } else               \
    ::kgate::internal::CheckFailure(__FILE__, __LINE__, #cond).stream()
