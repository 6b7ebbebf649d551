#include "dashboard/validation.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace kgate::dashboard {
namespace {

bool HasControl(const std::string& s) {
  return std::any_of(s.begin(), s.end(),
                     [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::optional<std::int64_t> ParseRunId(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id;
}

bool IsSafePath(const std::string& path, const std::string& target) {
  if (path.empty() || path[0] != '/') return false;
  if (path.find("..") != std::string::npos || path.find('\\') != std::string::npos ||
      path.find("//") != std::string::npos || path.find('%') != std::string::npos ||
      HasControl(path)) {
    return false;
  }
  std::string raw = Lower(target.substr(0, target.find('?')));
  for (const char* encoded : {"%2f", "%5c", "%00", "%2e"}) {
    if (raw.find(encoded) != std::string::npos) return false;
  }
  return true;
}

bool IsDateFilter(const std::string& text) {
  static const std::regex date(R"(\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}Z?)?)?)?)");
  return std::regex_match(text, date);
}

bool IsName(const std::string& text) {
  return !text.empty() && text.size() <= 200 && !HasControl(text) &&
         text.find('/') == std::string::npos;
}

bool IsVerdictFilter(const std::string& text) {
  return text == "PASS" || text == "FAIL" || text == "INCONCLUSIVE" || text == "none";
}

}  // namespace kgate::dashboard
