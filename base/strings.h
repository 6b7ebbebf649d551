// Small string helpers shared across libraries.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kgate {

// Edit distance (insert, delete, substitute each cost 1).
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to word, if it is close enough to be a likely typo
// (distance <= max(2, len/3)); "" otherwise.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);
// "; did you mean 'X'?" for ClosestMatch's X, or "" when nothing is close:
// the tail of an "unknown ..." message.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

std::vector<std::string> Split(std::string_view s, char sep);
std::string Trim(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// Lowercase hex SHA-256 of data.
std::string Sha256Hex(std::string_view data);

}  // namespace kgate
