// Wall-clock timestamps as kgate stores them.
#pragma once

#include <string>

namespace kgate {

// Now in UTC as ISO 8601 to the second: "2026-11-27T06:59:00Z". Thread-safe.
std::string NowIso8601();

}  // namespace kgate
