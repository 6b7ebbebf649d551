#include "base/clock.h"

#include <chrono>

#include "base/time_util.h"

namespace kgate {
namespace {

class HostClock : public Clock {
 public:
  double MonotonicSeconds() override {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  std::string NowIso8601() override { return ::kgate::NowIso8601(); }
};

}  // namespace

Clock& RealClock() {
  static HostClock clock;
  return clock;
}

}  // namespace kgate
