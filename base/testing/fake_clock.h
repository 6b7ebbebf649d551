// FakeClock: time that moves only when a test says so.
#pragma once

#include <string>

#include <fmt/format.h>

#include "base/clock.h"

namespace kgate::testing {

class FakeClock : public Clock {
 public:
  double MonotonicSeconds() override { return seconds_; }
  // 2026-01-01T00:00:00Z plus the seconds advanced, to the second.
  std::string NowIso8601() override {
    long s = static_cast<long>(seconds_);
    return fmt::format("2026-01-{:02}T{:02}:{:02}:{:02}Z", 1 + s / 86400 % 28, s / 3600 % 24,
                       s / 60 % 60, s % 60);
  }
  void Advance(double seconds) { seconds_ += seconds; }

 private:
  double seconds_ = 0;
};

}  // namespace kgate::testing
