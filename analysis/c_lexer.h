// A line-preserving lexer for kernel C and Kbuild/Makefile text.
//
// The rules of kgate analyze match patterns in code, never in comments or in
// the text of string literals: "float" in a comment must not fire
// fpu-in-kernel and a path in a comment must not fire hardcoded-path. The
// lexer turns each input line into a LexedLine of the same length in which
//   - comment text (/* */ and // in C, # to end of line in Makefiles) is
//     replaced by spaces, the delimiters included;
//   - the contents of string and character literals are replaced by spaces,
//     the quotes kept, so `x = "a/b";` becomes `x = "   ";`;
// and the literals' contents are listed separately (escapes kept as written),
// so a rule can still look for a path inside a string that is code.
// Columns and line numbers therefore stay those of the input.
//
// A literal is closed at the end of its line (a backslash-continued string is
// cut there); a block comment carries over to the following lines. Not
// thread-safe: one lexer per sequence of lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kgate {

struct LexedLine {
  std::string code;                  // the line, comments and literal contents blanked
  std::vector<std::string> strings;  // contents of the string literals on this line, in order
  bool has_comment = false;          // some comment text (or a delimiter) lies on this line
  // True when the line holds code once comments are blanked.
  bool HasCode() const { return code.find_first_not_of(" \t\r\\") != std::string::npos; }
};

class CLexer {
 public:
  enum class Language { kC, kMake };
  explicit CLexer(Language language = Language::kC) : language_(language) {}

  // Lexes the next line, continuing any block comment the previous one left open.
  LexedLine Next(std::string_view line);

  // Starts in a block comment: for a diff hunk whose first line is the middle
  // of a comment (" * text" or " */" in kernel style).
  void AssumeInComment() { in_block_comment_ = true; }

  // Whether a line read without context looks like the inside of a kernel-style
  // block comment: after indentation it is "*", or starts with "* " or "*/".
  static bool LooksLikeCommentContinuation(std::string_view line);

 private:
  LexedLine NextMake(std::string_view line);
  Language language_;
  bool in_block_comment_ = false;
};

// Lexes a whole file's lines in order.
std::vector<LexedLine> LexLines(const std::vector<std::string>& lines, CLexer::Language language);

// The language of a path: kMake for Makefile, Kbuild, Kconfig and *.mk;
// kC otherwise.
CLexer::Language LanguageOf(std::string_view path);

}  // namespace kgate
