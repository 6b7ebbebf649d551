#include "kbuild/build_log.h"

#include <catch2/catch.hpp>

namespace kgate {

TEST_CASE("the first compiler error is told as file:line: message, relative to the tree", "[kbuild]") {
  std::string log =
      "  CC      mm/filemap.o\n"
      "  CC      mm/readahead.o\n"
      "../src/mm/readahead.c: In function 'page_cache_ra_order':\n"
      "../src/mm/readahead.c:130:9: error: 'ra_pages' undeclared (first use in this function)\n"
      "  130 |         ra_pages += 1;\n"
      "      |         ^~~~~~~~\n"
      "../src/mm/readahead.c:131:2: error: expected ';' before '}' token\n"
      "make[4]: *** [../src/scripts/Makefile.build:229: mm/readahead.o] Error 1\n";
  auto e = FirstBuildError(log, {"/cache/trees/x/src/", "../src/"});
  REQUIRE(e.has_value());
  CHECK(e->kind == "compiler");
  CHECK(e->file == "mm/readahead.c");
  CHECK(e->line == 130);
  CHECK(e->column == 9);
  CHECK(e->message == "'ra_pages' undeclared (first use in this function)");
  CHECK(e->context.size() == 2);
  CHECK(e->Describe() == "mm/readahead.c:130:9: error: 'ra_pages' undeclared (first use in this function)");
  CHECK(CountBuildSteps(log) == 2);
}

TEST_CASE("a link error names the object and the missing symbol", "[kbuild]") {
  std::string log =
      "  LD      vmlinux.o\n"
      "ld: mm/readahead.o: in function `ml_readahead':\n"
      "readahead.c:(.text+0x1c): undefined reference to `ml_predict'\n"
      "make[2]: *** [../src/scripts/Makefile.vmlinux_o:62: vmlinux.o] Error 1\n";
  auto e = FirstBuildError(log, {"../src/"});
  REQUIRE(e.has_value());
  CHECK(e->kind == "linker");
  CHECK(e->file == "mm/readahead.o");
  CHECK(e->message == "readahead.c:(.text+0x1c): undefined reference to `ml_predict'");
}

TEST_CASE("a tool the build needs and does not find is named", "[kbuild]") {
  auto e = FirstBuildError("  LEX     scripts/kconfig/lexer.lex.c\n/bin/sh: 1: flex: not found\n"
                           "make[2]: *** [scripts/Makefile.host:9: scripts/kconfig/lexer.lex.c] Error 127\n",
                           {});
  REQUIRE(e.has_value());
  CHECK(e->kind == "missing tool");
  CHECK(e->message.find("flex is not installed") == 0);
}

TEST_CASE("with nothing better, make's own error is the build error; a clean log has none", "[kbuild]") {
  auto e = FirstBuildError("make[1]: *** No rule to make target 'bzImagex'.  Stop.\n", {});
  REQUIRE(e.has_value());
  CHECK(e->kind == "make");
  CHECK(e->Describe() == "make error: No rule to make target 'bzImagex'.  Stop.");
  CHECK_FALSE(FirstBuildError("  CC      init/main.o\n  LD      vmlinux\n", {}).has_value());
}

}  // namespace kgate
