#include "config/units.h"

#include <cctype>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "base/strings.h"

namespace kgate {
namespace {

// Reads an unsigned decimal ("12", "1.5") from the front of s; returns the
// number of characters used, 0 when s does not start with one.
std::size_t ReadDecimal(std::string_view s, double* value) {
  std::size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0) return 0;
  std::size_t end = i;
  if (i < s.size() && s[i] == '.') {
    std::size_t j = i + 1;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i + 1) end = j;
  }
  *value = std::stod(std::string(s.substr(0, end)));
  return end;
}

// Binary multiplier of a size suffix, 0 when the suffix is not one.
std::uint64_t SizeMultiplier(std::string_view suffix) {
  static const std::pair<const char*, std::uint64_t> kUnits[] = {
      {"K", 1ull << 10}, {"M", 1ull << 20}, {"G", 1ull << 30}, {"T", 1ull << 40}};
  if (suffix.empty()) return 0;
  for (const auto& [unit, mult] : kUnits) {
    if (suffix[0] != unit[0]) continue;
    std::string_view rest = suffix.substr(1);
    if (rest.empty() || rest == "i" || rest == "iB" || rest == "B") return mult;
  }
  return 0;
}

}  // namespace

Parsed<std::uint64_t> ParseBytes(const std::string& text) {
  const std::string expected = "expected a size like 512M, 1G or 1.5G";
  std::string s = Trim(text);
  double number = 0;
  std::size_t used = ReadDecimal(s, &number);
  if (used == 0) return {0, fmt::format("'{}' is not a size: {}", text, expected)};
  std::string suffix = Trim(std::string_view(s).substr(used));
  if (suffix.empty()) {
    return {0, fmt::format("'{}' has no unit: {}", text, expected)};
  }
  std::uint64_t mult = SizeMultiplier(suffix);
  if (mult == 0) {
    return {0, fmt::format("'{}' has an unknown unit '{}': {}", text, suffix, expected)};
  }
  double bytes = number * static_cast<double>(mult);
  if (bytes < 1 || bytes > 1e18 || bytes != std::floor(bytes)) {
    return {0, fmt::format("'{}' is not a whole, positive number of bytes: {}", text, expected)};
  }
  return {static_cast<std::uint64_t>(bytes), ""};
}

Parsed<int> ParseDurationSeconds(const std::string& text) {
  const std::string expected = "expected a duration like 300, 30s, 5m or 1h";
  std::string s = Trim(text);
  double number = 0;
  std::size_t used = ReadDecimal(s, &number);
  if (used == 0) return {0, fmt::format("'{}' is not a duration: {}", text, expected)};
  std::string suffix = Trim(std::string_view(s).substr(used));
  double scale = 0;
  if (suffix.empty() || suffix == "s") scale = 1;
  if (suffix == "m") scale = 60;
  if (suffix == "h") scale = 3600;
  if (scale == 0) {
    return {0, fmt::format("'{}' has an unknown unit '{}': {}", text, suffix, expected)};
  }
  double seconds = number * scale;
  if (seconds < 1 || seconds > 7 * 24 * 3600 || seconds != std::floor(seconds)) {
    return {0, fmt::format("'{}' is not a whole number of seconds between 1s and 7 days",
                           text)};
  }
  return {static_cast<int>(seconds), ""};
}

Parsed<double> ParseFraction(const std::string& text) {
  const std::string expected = "expected a percentage like 2% or a fraction in [0, 1]";
  std::string s = Trim(text);
  double number = 0;
  std::size_t used = ReadDecimal(s, &number);
  if (used == 0) return {0, fmt::format("'{}' is not a percentage: {}", text, expected)};
  std::string suffix = Trim(std::string_view(s).substr(used));
  if (suffix == "%") {
    if (number > 100) return {0, fmt::format("'{}' is above 100%", text)};
    return {number / 100.0, ""};
  }
  if (!suffix.empty()) {
    return {0, fmt::format("'{}' has an unknown unit '{}': {}", text, suffix, expected)};
  }
  if (number > 1) {
    return {0, fmt::format("'{}' is above 1; write {}% for a percentage", text, s)};
  }
  return {number, ""};
}

Parsed<Expectation> ParseExpect(const std::string& text) {
  const std::string expected =
      "expected a ratio like '>= 2.3x' or a change like '+15%' or '<= -20%'";
  std::string s = Trim(text);
  Expectation e;
  for (const char* op : {">=", "<=", "=="}) {
    if (StartsWith(s, op)) {
      e.op = op;
      s = Trim(std::string_view(s).substr(2));
      break;
    }
  }
  int sign = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '+' ? 1 : -1;
    s = s.substr(1);
  }
  double number = 0;
  std::size_t used = ReadDecimal(s, &number);
  std::string suffix = used == 0 ? "" : Trim(std::string_view(s).substr(used));
  if (used == 0 || (suffix != "x" && suffix != "%")) {
    return {e, fmt::format("bad expect '{}': {}", text, expected)};
  }
  if (suffix == "x") {
    if (sign != 0) return {e, fmt::format("bad expect '{}': a ratio takes no sign", text)};
    e.ratio = number;
  } else {
    e.ratio = 1.0 + (sign < 0 ? -number : number) / 100.0;
  }
  if (e.ratio <= 0) {
    return {e, fmt::format("bad expect '{}': the ratio must stay above 0", text)};
  }
  if (e.op.empty()) e.op = e.ratio >= 1.0 ? ">=" : "<=";
  return {e, ""};
}

std::string FormatBytes(std::uint64_t bytes) {
  static const std::pair<const char*, std::uint64_t> kUnits[] = {
      {"T", 1ull << 40}, {"G", 1ull << 30}, {"M", 1ull << 20}, {"K", 1ull << 10}};
  for (const auto& [unit, mult] : kUnits) {
    if (bytes >= mult && bytes % mult == 0) return fmt::format("{}{}", bytes / mult, unit);
  }
  return fmt::format("{}", bytes);
}

}  // namespace kgate
