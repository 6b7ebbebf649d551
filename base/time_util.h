// Wall-clock timestamps as kgate stores them.
#pragma once

#include <string>

namespace kgate {

// Now in UTC as ISO 8601 to the second: "2026-11-27T06:59:00Z". Thread-safe.
std::string NowIso8601();

// A duration for progress lines, rounded to the second: "4m07s", or
// "1h02m" from an hour; "?" when negative (unknown).
std::string FormatDuration(double seconds);

}  // namespace kgate
