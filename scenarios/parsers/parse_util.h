// Helpers shared by the workload parsers (scenarios/<name>/parser.cc).
//
// A guest is untrusted: its output may be truncated, interleaved with kernel
// messages, or garbage. Every helper here is bounded in the bytes it reads
// and the nesting it accepts, never throws, and rejects NaN and infinities,
// so a parser built from them fails with a one-line BadInput instead of
// crashing or storing a nonsense sample. All functions are thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kgate {

// Parsers look at no more than this many bytes of a repetition's output.
inline constexpr std::size_t kMaxParsedOutputBytes = 8 << 20;
// JSON/YAML nested deeper than this is refused before it is parsed.
inline constexpr int kMaxStructuredDepth = 64;

// A one-line, bounded rendering of output for error messages: at most ~200
// bytes (head and tail when longer), control bytes escaped.
std::string Excerpt(std::string_view output);

// BadInput "<what>; output: '<excerpt>'".
Status OutputError(const std::string& what, std::string_view output);

// The whole of text (surrounding blanks allowed) as a finite number; BadInput
// naming the text otherwise ("nan", "inf", "12abc" and "" are all errors).
Result<double> ParseFiniteNumber(std::string_view text);

// output split into lines at '\n' and '\r' (progress bars rewrite a line with
// '\r'); lines longer than max_line are cut to that length.
std::vector<std::string_view> OutputLines(std::string_view output, std::size_t max_line = 4096);

// The JSON object that starts at the first line beginning with '{' and ends
// at the last '}' of output: tools print warnings around their JSON. BadInput
// when there is none, when it does not parse, or when it nests too deeply.
Result<nlohmann::json> ExtractJsonObject(std::string_view output);

// The number at a JSON pointer ("/jobs/0/read/iops"): BadInput naming the
// pointer when it is absent or not a finite number.
Result<double> JsonNumberAt(const nlohmann::json& doc, const std::string& pointer);

// True when brackets/braces in text (outside quoted strings) nest no deeper
// than max_depth.
bool NestingWithin(std::string_view text, int max_depth);

}  // namespace kgate
