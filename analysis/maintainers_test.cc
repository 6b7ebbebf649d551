#include "analysis/maintainers.h"

#include <filesystem>

#include <catch2/catch.hpp>

#include "base/paths.h"

namespace kgate {
namespace {

// The shape of the real file: a preamble whose indented tag descriptions are
// not sections, then sections with F:, X: and N: entries.
constexpr char kExcerpt[] = R"(List of maintainers
===================

Descriptions of section entries and preferred order
---------------------------------------------------

	M: *Mail* patches to: FullName <address@domain>
	F: *Files* and directories wildcard patterns.

Maintainers List
----------------

.. note:: When reading this list, please look for the most precise areas
          first. When adding to this list, please keep the entries in
          alphabetical order.

MEMORY MANAGEMENT - CORE
M:	Andrew Morton <akpm@linux-foundation.org>
L:	linux-mm@kvack.org
S:	Maintained
F:	include/linux/mm.h
F:	mm/
X:	mm/readahead.c

PAGE CACHE
M:	Matthew Wilcox (Oracle) <willy@infradead.org>
S:	Supported
F:	include/linux/pagemap.h
F:	mm/readahead.c

NETWORKING DRIVERS
S:	Odd Fixes
F:	drivers/net/
X:	drivers/net/wireless/

TEGRA ARCHITECTURE SUPPORT
S:	Supported
N:	[^a-z]tegra

X86 FPU
S:	Maintained
F:	arch/x86/kernel/fpu/*
F:	Documentation/*/fpu.rst

THE REST
M:	Linus Torvalds <torvalds@linux-foundation.org>
S:	Buried alive in reporters
F:	*
F:	*/
)";

MaintainersMap Excerpt() {
  Result<MaintainersMap> map = MaintainersMap::Parse(kExcerpt, "MAINTAINERS");
  REQUIRE(map.ok());
  return *map;
}

TEST_CASE("MAINTAINERS parsing keeps sections, not the preamble", "[analysis][maintainers]") {
  MaintainersMap map = Excerpt();
  REQUIRE(map.sections().size() == 6);
  CHECK(map.sections()[0].name == "MEMORY MANAGEMENT - CORE");
  CHECK(map.sections()[0].files == std::vector<std::string>{"include/linux/mm.h", "mm/"});
  CHECK(map.sections()[0].excludes == std::vector<std::string>{"mm/readahead.c"});
  CHECK(map.sections()[3].regexes == std::vector<std::string>{"[^a-z]tegra"});
}

TEST_CASE("MAINTAINERS maps paths to their sections", "[analysis][maintainers]") {
  MaintainersMap map = Excerpt();
  using V = std::vector<std::string>;
  CHECK(map.SubsystemsOf("mm/filemap.c") == V{"MEMORY MANAGEMENT - CORE"});
  CHECK(map.SubsystemsOf("mm/damon/core.c") == V{"MEMORY MANAGEMENT - CORE"});
  CHECK(map.SubsystemsOf("mm/readahead.c") == V{"PAGE CACHE"});  // X: takes it out of core
  CHECK(map.SubsystemsOf("include/linux/mm.h") == V{"MEMORY MANAGEMENT - CORE"});
  CHECK(map.SubsystemsOf("include/linux/mm_types.h") == V{"THE REST"});
  CHECK(map.SubsystemsOf("drivers/net/wireless/x.c") == V{"THE REST"});
  CHECK(map.SubsystemsOf("drivers/net/virtio_net.c") == V{"NETWORKING DRIVERS"});
  CHECK(map.SubsystemsOf("drivers/gpu/host1x/tegra/x.c") == V{"TEGRA ARCHITECTURE SUPPORT"});
  CHECK(map.SubsystemsOf("arch/x86/kernel/fpu/core.c") == V{"X86 FPU"});
  // "dir/*" covers that directory only, as in get_maintainer.pl.
  CHECK(map.SubsystemsOf("arch/x86/kernel/fpu/sub/x.c") == V{"THE REST"});
  CHECK(map.SubsystemsOf("Documentation/x86/fpu.rst") == V{"X86 FPU"});
  CHECK(map.SubsystemsOf("Makefile") == V{"THE REST"});
}

TEST_CASE("MAINTAINERS orders the most specific section first", "[analysis][maintainers]") {
  Result<MaintainersMap> map = MaintainersMap::Parse(
      "BROAD\nF:\tmm/\n\nNARROW\nF:\tmm/readahead.c\n\nREGEX\nN:\treadahead\n", "M");
  REQUIRE(map.ok());
  CHECK(map->SubsystemsOf("mm/readahead.c") == std::vector<std::string>{"NARROW", "BROAD", "REGEX"});
}

TEST_CASE("MAINTAINERS without sections is bad input", "[analysis][maintainers]") {
  Result<MaintainersMap> map = MaintainersMap::Parse("just text\n\nmore text\n", "M");
  REQUIRE_FALSE(map.ok());
  CHECK(map.status().message() == "M:1: no MAINTAINERS section with F: or N: entries");
}

TEST_CASE("Pattern matching follows get_maintainer.pl", "[analysis][maintainers]") {
  CHECK(MaintainersPatternMatches("mm/", "mm/a/b.c"));
  CHECK_FALSE(MaintainersPatternMatches("mm/", "mmx/a.c"));
  CHECK(MaintainersPatternMatches("fs/ext4", "fs/ext4/inode.c"));  // a directory named without '/'
  CHECK_FALSE(MaintainersPatternMatches("fs/ext4", "fs/ext4x/inode.c"));
  CHECK(MaintainersPatternMatches("include/linux/mm*.h", "include/linux/mm_types.h"));
  CHECK_FALSE(MaintainersPatternMatches("include/linux/mm*.h", "include/linux/x/mm.h"));
  CHECK(MaintainersPatternMatches("drivers/*/tegra/", "drivers/gpu/tegra/x.c"));
}

// The real file, when a kgate analyze run (or the e2e test) has cached it.
TEST_CASE("The real 6.12 MAINTAINERS maps mm/readahead.c", "[analysis][maintainers]") {
  std::string path = CacheDir() + "/checkpatch/6.12/MAINTAINERS";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path << " is not cached yet (tests/e2e/analyze.sh fetches it)");
    return;
  }
  Result<MaintainersMap> map = MaintainersMap::Load(path);
  REQUIRE(map.ok());
  CHECK(map->sections().size() > 2000);
  std::vector<std::string> sections = map->SubsystemsOf("mm/readahead.c");
  REQUIRE_FALSE(sections.empty());
  CHECK(sections.front() == "PAGE CACHE");
  CHECK(std::find(sections.begin(), sections.end(), "THE REST") == sections.end());
}

}  // namespace
}  // namespace kgate
