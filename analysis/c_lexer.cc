#include "analysis/c_lexer.h"

#include "base/strings.h"

namespace kgate {

bool CLexer::LooksLikeCommentContinuation(std::string_view line) {
  std::size_t start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) return false;
  std::string_view rest = line.substr(start);
  return rest == "*" || StartsWith(rest, "* ") || StartsWith(rest, "*\t") || StartsWith(rest, "*/");
}

LexedLine CLexer::NextMake(std::string_view line) {
  LexedLine out;
  out.code = std::string(line);
  // In Make a '#' starts a comment unless escaped as "\#".
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] != '\\')) {
      for (std::size_t j = i; j < line.size(); ++j) out.code[j] = ' ';
      out.has_comment = true;
      break;
    }
  }
  return out;
}

LexedLine CLexer::Next(std::string_view line) {
  if (language_ == Language::kMake) return NextMake(line);
  LexedLine out;
  out.code = std::string(line);
  std::size_t i = 0;
  auto blank = [&](std::size_t from, std::size_t to) {
    for (std::size_t j = from; j < to && j < out.code.size(); ++j) out.code[j] = ' ';
  };
  while (i < line.size()) {
    if (in_block_comment_) {
      out.has_comment = true;
      std::size_t end = line.find("*/", i);
      std::size_t stop = end == std::string_view::npos ? line.size() : end + 2;
      blank(i, stop);
      i = stop;
      if (end != std::string_view::npos) in_block_comment_ = false;
      continue;
    }
    char c = line[i];
    if (c == '/' && i + 1 < line.size() && line[i + 1] == '*') {
      in_block_comment_ = true;
      out.has_comment = true;
      blank(i, i + 2);
      i += 2;  // so that "/*/" does not close the comment it opens
      continue;
    }
    if (c == '/' && i + 1 < line.size() && line[i + 1] == '/') {
      out.has_comment = true;
      blank(i, line.size());
      break;
    }
    if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      while (j < line.size() && line[j] != c) j += line[j] == '\\' ? 2 : 1;
      std::size_t close = j < line.size() ? j : line.size();
      if (c == '"') out.strings.emplace_back(line.substr(i + 1, close - i - 1));
      blank(i + 1, close);
      i = close + 1;
      continue;
    }
    ++i;
  }
  return out;
}

std::vector<LexedLine> LexLines(const std::vector<std::string>& lines, CLexer::Language language) {
  CLexer lexer(language);
  std::vector<LexedLine> out;
  out.reserve(lines.size());
  for (const std::string& line : lines) out.push_back(lexer.Next(line));
  return out;
}

CLexer::Language LanguageOf(std::string_view path) {
  std::size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base == "Makefile" || base == "Kbuild" || StartsWith(base, "Kconfig") ||
      EndsWith(base, ".mk")) {
    return CLexer::Language::kMake;
  }
  return CLexer::Language::kC;
}

}  // namespace kgate
