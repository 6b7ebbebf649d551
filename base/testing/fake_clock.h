// FakeClock: time that moves only when a test says so.
#pragma once

#include <cstdio>
#include <string>

#include "base/clock.h"

namespace kgate::testing {

class FakeClock : public Clock {
 public:
  double MonotonicSeconds() override { return seconds_; }
  // 2026-01-01T00:00:00Z plus the seconds advanced, to the second.
  std::string NowIso8601() override {
    long s = static_cast<long>(seconds_);
    char buf[32];
    std::snprintf(buf, sizeof buf, "2026-01-%02ldT%02ld:%02ld:%02ldZ", 1 + s / 86400,
                  s / 3600 % 24, s / 60 % 60, s % 60);
    return buf;
  }
  void Advance(double seconds) { seconds_ += seconds; }

 private:
  double seconds_ = 0;
};

}  // namespace kgate::testing
