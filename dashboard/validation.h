// What the dashboard accepts from a URL, decided before anything is read.
//
// Every request parameter is checked here against a closed pattern; a value
// that does not match is answered 400 without opening the store. Values are
// only ever compared with stored strings in memory, never put into SQL or a
// file path, so these checks are defence in depth and clear error messages,
// not the only line. All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kgate::dashboard {

// A run id: 1 to 18 ASCII digits (fits int64), nothing else.
std::optional<std::int64_t> ParseRunId(const std::string& text);

// Whether a request may be routed at all. path is the percent-decoded path,
// target the raw request target as received. Refused: "..", backslashes,
// empty segments ("//"), control characters and '%' in the decoded path
// (double encoding), and encoded '/', '\' or NUL in the raw target.
bool IsSafePath(const std::string& path, const std::string& target);

// A date or time prefix of ISO 8601 UTC: 2026-11-27, 2026-11-27T10,
// 2026-11-27T10:20, 2026-11-27T10:20:00, 2026-11-27T10:20:00Z.
bool IsDateFilter(const std::string& text);

// A proposal, scenario, metric or arm name: 1 to 200 bytes, no control
// characters and no '/'. (Names in a store may hold characters a YAML key
// allows; tuned arm names contain ':', '=' and ',').
bool IsName(const std::string& text);

// PASS, FAIL, INCONCLUSIVE or none.
bool IsVerdictFilter(const std::string& text);

}  // namespace kgate::dashboard
