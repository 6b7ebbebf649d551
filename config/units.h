// The units configuration files write values in, parsed strictly.
//
//   sizes      "512M", "1G", "1.5G", "64K", "2T" (binary multiples; "Mi",
//              "MiB", "MB" are read the same); a bare number is refused,
//              since "memory: 512" is almost certainly not 512 bytes.
//   durations  "300" (seconds), "30s", "5m", "1h"; whole seconds, > 0.
//   fractions  "2%" or a bare number in [0, 1] ("0.02").
//   expects    a claim's expected effect, candidate / reference:
//              ">= 2.3x", "<= 0.8x", "== 1x", "+15%", ">= +15%", "<= -20%".
//              Without an operator a gain (> 1) means ">=", a loss "<=".
// Each parser returns the value or an error message that says what was
// expected; callers add the file:line:col.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace kgate {

// Either a parsed value or the reason the text is not one.
template <typename T>
struct Parsed {
  T value{};
  std::string error;  // empty when ok
  bool ok() const { return error.empty(); }
};

Parsed<std::uint64_t> ParseBytes(const std::string& text);
Parsed<int> ParseDurationSeconds(const std::string& text);
Parsed<double> ParseFraction(const std::string& text);

struct Expectation {
  std::string op;      // ">=", "<=", "=="
  double ratio = 1.0;  // expected candidate / reference
};
Parsed<Expectation> ParseExpect(const std::string& text);

// The shortest exact binary-unit spelling: 1073741824 -> "1G", 1536 MiB ->
// "1536M", 1000 -> "1000" (bytes).
std::string FormatBytes(std::uint64_t bytes);

}  // namespace kgate
