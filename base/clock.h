// Clock: the time kgate reads, behind an interface so that code which
// measures durations or stamps records is tested with a fake
// (base/testing/fake_clock.h).
#pragma once

#include <string>

namespace kgate {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds on a clock that never goes back, for durations.
  virtual double MonotonicSeconds() = 0;
  // Now in UTC as ISO 8601 to the second ("2026-11-27T06:59:00Z").
  virtual std::string NowIso8601() = 0;
};

// The host's clocks (steady_clock, the system time). Thread-safe.
Clock& RealClock();

}  // namespace kgate
