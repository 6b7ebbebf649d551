#include "analysis/c_lexer.h"

#include <catch2/catch.hpp>

namespace kgate {
namespace {

TEST_CASE("CLexer blanks comments and keeps columns", "[analysis][lexer]") {
  CLexer lexer;
  LexedLine l = lexer.Next("int x; /* float */ double y; // float z");
  CHECK(l.code == "int x; " + std::string(11, ' ') + " double y; " + std::string(10, ' '));
  CHECK(l.has_comment);
  CHECK(l.HasCode());
}

TEST_CASE("CLexer carries block comments across lines", "[analysis][lexer]") {
  std::vector<LexedLine> lines =
      LexLines({"a = 1; /* start", " * float in a comment", " */ b = 2;", "c = 3;"},
               CLexer::Language::kC);
  CHECK(lines[0].code == "a = 1;         ");
  CHECK_FALSE(lines[1].HasCode());
  CHECK(lines[1].has_comment);
  CHECK(lines[2].code == "    b = 2;");
  CHECK_FALSE(lines[3].has_comment);
}

TEST_CASE("CLexer does not close a comment on its own opening", "[analysis][lexer]") {
  std::vector<LexedLine> lines = LexLines({"/*/ float", "still comment */ x;"},
                                          CLexer::Language::kC);
  CHECK_FALSE(lines[0].HasCode());
  CHECK(lines[1].code == "                 x;");
}

TEST_CASE("CLexer blanks literal contents and lists strings", "[analysis][lexer]") {
  CLexer lexer;
  LexedLine l = lexer.Next(R"(f("/tmp/w \"q\" // no", '"', "/dev/sda");)");
  CHECK(l.code == R"(f("                  ", ' ', "        ");)");
  REQUIRE(l.strings.size() == 2);
  CHECK(l.strings[0] == R"(/tmp/w \"q\" // no)");
  CHECK(l.strings[1] == "/dev/sda");
  CHECK_FALSE(l.has_comment);
}

TEST_CASE("CLexer treats comment markers inside strings as text", "[analysis][lexer]") {
  std::vector<LexedLine> lines = LexLines({R"(s = "/*"; float f;)", "g();"},
                                          CLexer::Language::kC);
  CHECK(lines[0].code == R"(s = "  "; float f;)");
  CHECK(lines[1].code == "g();");
}

TEST_CASE("Make lexer blanks # comments but not escaped hashes", "[analysis][lexer]") {
  CLexer lexer(CLexer::Language::kMake);
  CHECK(lexer.Next("ccflags-y += -msse # -mhard-float").code ==
        "ccflags-y += -msse " + std::string(14, ' '));
  CHECK(lexer.Next(R"(X := a\#b)").code == R"(X := a\#b)");
}

TEST_CASE("Comment continuation and languages", "[analysis][lexer]") {
  CHECK(CLexer::LooksLikeCommentContinuation(" * text"));
  CHECK(CLexer::LooksLikeCommentContinuation("\t */"));
  CHECK(CLexer::LooksLikeCommentContinuation(" *"));
  CHECK_FALSE(CLexer::LooksLikeCommentContinuation("\t*p = 0;"));
  CHECK(LanguageOf("mm/Kconfig") == CLexer::Language::kMake);
  CHECK(LanguageOf("Kbuild") == CLexer::Language::kMake);
  CHECK(LanguageOf("drivers/x/Makefile") == CLexer::Language::kMake);
  CHECK(LanguageOf("mm/readahead.c") == CLexer::Language::kC);
}

}  // namespace
}  // namespace kgate
