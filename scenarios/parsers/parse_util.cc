#include "scenarios/parsers/parse_util.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace kgate {
namespace {

constexpr std::size_t kExcerptHead = 120;
constexpr std::size_t kExcerptTail = 80;

void AppendEscaped(std::string_view part, std::string* out) {
  for (unsigned char c : part) {
    if (c == '\n') {
      *out += "\\n";
    } else if (c == '\r') {
      *out += "\\r";
    } else if (c == '\t') {
      *out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      *out += fmt::format("\\x{:02x}", c);
    } else {
      *out += static_cast<char>(c);
    }
  }
}

}  // namespace

std::string Excerpt(std::string_view output) {
  std::string out;
  if (output.size() <= kExcerptHead + kExcerptTail) {
    AppendEscaped(output, &out);
    return out;
  }
  AppendEscaped(output.substr(0, kExcerptHead), &out);
  out += fmt::format(" [... {} bytes ...] ", output.size() - kExcerptHead - kExcerptTail);
  AppendEscaped(output.substr(output.size() - kExcerptTail), &out);
  return out;
}

Status OutputError(const std::string& what, std::string_view output) {
  if (output.empty()) return Status::BadInput(what + "; the output is empty");
  return Status::BadInput(fmt::format("{}; output: '{}'", what, Excerpt(output)));
}

Result<double> ParseFiniteNumber(std::string_view text) {
  std::string trimmed = Trim(text);
  if (trimmed.empty() || trimmed.size() > 64) {
    return Status::BadInput(fmt::format("expected a number, got '{}'", Excerpt(trimmed)));
  }
  const char* begin = trimmed.c_str();
  char* end = nullptr;
  double value = std::strtod(begin, &end);
  if (end != begin + trimmed.size()) {
    return Status::BadInput(fmt::format("expected a number, got '{}'", Excerpt(trimmed)));
  }
  if (!std::isfinite(value)) {
    return Status::BadInput(fmt::format("expected a finite number, got '{}'", trimmed));
  }
  return value;
}

std::vector<std::string_view> OutputLines(std::string_view output, std::size_t max_line) {
  std::vector<std::string_view> lines;
  output = output.substr(0, kMaxParsedOutputBytes);
  std::size_t start = 0;
  while (start <= output.size()) {
    std::size_t end = output.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = output.size();
    std::string_view line = output.substr(start, end - start);
    if (!line.empty()) lines.push_back(line.substr(0, max_line));
    start = end + 1;
  }
  return lines;
}

bool NestingWithin(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return false;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return true;
}

Result<nlohmann::json> ExtractJsonObject(std::string_view output) {
  if (output.size() > kMaxParsedOutputBytes) {
    return Status::BadInput(fmt::format("output of {} bytes exceeds the {} bytes a parser reads",
                                        output.size(), kMaxParsedOutputBytes));
  }
  std::size_t begin = output.starts_with('{') ? 0 : output.find("\n{");
  if (begin == std::string_view::npos) {
    return OutputError("expected a JSON object on a line starting with '{'", output);
  }
  if (output[begin] == '\n') ++begin;
  std::size_t end = output.rfind('}');
  if (end == std::string_view::npos || end < begin) {
    return OutputError("expected a JSON object ending with '}' (truncated output?)", output);
  }
  std::string_view text = output.substr(begin, end - begin + 1);
  if (!NestingWithin(text, kMaxStructuredDepth)) {
    return OutputError(fmt::format("JSON nests deeper than {} levels", kMaxStructuredDepth),
                       output);
  }
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return OutputError("expected a well-formed JSON object (truncated output?)", text);
  }
  return doc;
}

Result<double> JsonNumberAt(const nlohmann::json& doc, const std::string& pointer) {
  nlohmann::json::json_pointer ptr;
  try {
    ptr = nlohmann::json::json_pointer(pointer);
  } catch (const nlohmann::json::exception&) {
    return Status::Internal("bad JSON pointer " + pointer);
  }
  if (!doc.contains(ptr)) return Status::BadInput("JSON has no " + pointer);
  const nlohmann::json& value = doc.at(ptr);
  if (!value.is_number()) return Status::BadInput(fmt::format("JSON {} is not a number", pointer));
  double number = value.get<double>();
  if (!std::isfinite(number)) {
    return Status::BadInput(fmt::format("JSON {} is not finite", pointer));
  }
  return number;
}

}  // namespace kgate
