// Requested config values checked against a final .config, with the
// dependencies a tiny Kconfig tree declares.
#include "kbuild/kconfig.h"

#include <catch2/catch.hpp>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"

namespace kgate {

using testing::TempDir;

TEST_CASE("a .config reads as option -> value, 'is not set' as n", "[kbuild][kconfig]") {
  ConfigValues v = ParseConfigValues(
      "#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_BPF=y\nCONFIG_HZ=250\n"
      "CONFIG_LOCALVERSION=\"-kgate\"\n# CONFIG_SCHED_CLASS_EXT is not set\nCONFIG_NULL_BLK=m\n");
  CHECK(v == ConfigValues{{"BPF", "y"},
                          {"HZ", "250"},
                          {"LOCALVERSION", "\"-kgate\""},
                          {"SCHED_CLASS_EXT", "n"},
                          {"NULL_BLK", "m"}});
}

TEST_CASE("a fragment is read line by line and a stray line is refused at file:line",
          "[kbuild][kconfig]") {
  TempDir dir;
  REQUIRE(WriteFileAtomic(dir.File("lru.config"),
                          "# multi-gen LRU\nCONFIG_LRU_GEN=y\n\n# CONFIG_LRU_GEN_STATS is not set\n")
              .ok());
  auto requests = ReadConfigFragment(dir.File("lru.config"));
  REQUIRE(requests.ok());
  REQUIRE(requests->size() == 2);
  CHECK((*requests)[0].option == "LRU_GEN");
  CHECK((*requests)[0].origin == dir.File("lru.config") + ":2");
  CHECK((*requests)[1].value == "n");
  CHECK(FragmentText(*requests) == "CONFIG_LRU_GEN=y\n# CONFIG_LRU_GEN_STATS is not set\n");

  REQUIRE(WriteFileAtomic(dir.File("bad.config"), "CONFIG_A=y\nLRU_GEN=y\n").ok());
  auto bad = ReadConfigFragment(dir.File("bad.config"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() ==
        dir.File("bad.config") +
            ":2: expected CONFIG_NAME=value, '# CONFIG_NAME is not set', a comment or a blank "
            "line, got 'LRU_GEN=y'");
}

TEST_CASE("a value Kconfig dropped is named with its dependencies and their values",
          "[kbuild][kconfig]") {
  TempDir tree;
  REQUIRE(MakeDirs(tree.File("kernel/sched")).ok());
  REQUIRE(WriteFileAtomic(tree.File("kernel/Kconfig.preempt"),
                          "config SCHED_CLASS_EXT\n"
                          "\tbool \"Extensible Scheduling Class\"\n"
                          "\tdepends on BPF_SYSCALL && BPF_JIT && DEBUG_INFO_BTF\n"
                          "\tselect STACKTRACE if STACKTRACE_SUPPORT\n"
                          "\n"
                          "config SCHED_CORE\n"
                          "\tbool \"Core Scheduling\"\n"
                          "\tdepends on SCHED_SMT\n")
              .ok());
  std::vector<ConfigRequest> requests = {
      {"SCHED_CLASS_EXT", "y", "set: SCHED_CLASS_EXT"},
      {"HZ", "1000", "guest config:3"},
      {"HZ", "250", "set: HZ"},  // the last request for an option wins
      {"SCHED_CLASS_EXTT", "y", "set: SCHED_CLASS_EXTT"},
      {"BPF_JIT", "y", "set: BPF_JIT"},
  };
  ConfigValues final_config = {{"BPF_SYSCALL", "y"}, {"BPF_JIT", "y"}, {"HZ", "250"}};
  std::vector<DroppedOption> dropped = FindDroppedOptions(requests, final_config, tree.path());
  REQUIRE(dropped.size() == 2);
  CHECK(dropped[0].depends == "BPF_SYSCALL && BPF_JIT && DEBUG_INFO_BTF");
  CHECK(dropped[0].symbols ==
        std::vector<std::string>{"BPF_SYSCALL=y", "BPF_JIT=y", "DEBUG_INFO_BTF=n"});
  CHECK_FALSE(dropped[1].known);
  CHECK(DescribeDropped(dropped) ==
        "CONFIG_SCHED_CLASS_EXT=y (set: SCHED_CLASS_EXT) became n; it depends on BPF_SYSCALL && "
        "BPF_JIT && DEBUG_INFO_BTF (BPF_SYSCALL=y BPF_JIT=y DEBUG_INFO_BTF=n)\n"
        "CONFIG_SCHED_CLASS_EXTT=y (set: SCHED_CLASS_EXTT) became n; no Kconfig file in this "
        "tree declares it (misspelt, or not in this version)");
  CHECK(FindDroppedOptions({{"BPF_JIT", "y", "x"}}, final_config, tree.path()).empty());
}

TEST_CASE("an option requested off that another entry selects names the selector",
          "[kbuild][kconfig]") {
  TempDir tree;
  REQUIRE(MakeDirs(tree.File("security/lockdown")).ok());
  REQUIRE(MakeDirs(tree.File("kernel/module")).ok());
  REQUIRE(WriteFileAtomic(tree.File("security/lockdown/Kconfig"),
                          "config SECURITY_LOCKDOWN_LSM\n"
                          "\tbool \"Basic module for enforcing kernel lockdown\"\n"
                          "\tdepends on SECURITY\n"
                          "\tselect MODULE_SIG if MODULES\n"
                          "\n"
                          "config IMA_APPRAISE_MODSIG\n"
                          "\tbool \"modsig\"\n"
                          "\tselect MODULE_SIG\n")
              .ok());
  REQUIRE(WriteFileAtomic(tree.File("kernel/module/Kconfig"),
                          "config MODULE_SIG\n\tbool \"Module signature verification\"\n"
                          "\tselect MODULE_SIG_FORMAT\n")
              .ok());
  ConfigValues final_config = {
      {"SECURITY_LOCKDOWN_LSM", "y"}, {"MODULES", "y"}, {"MODULE_SIG", "y"}};
  std::vector<DroppedOption> dropped =
      FindDroppedOptions({{"MODULE_SIG", "n", "debian.config:9"}}, final_config, tree.path());
  REQUIRE(dropped.size() == 1);
  REQUIRE(dropped[0].selected_by.size() == 1);  // IMA_APPRAISE_MODSIG is off
  CHECK(dropped[0].selected_by[0].where == "security/lockdown/Kconfig:4");
  CHECK(DescribeDropped(dropped) ==
        "CONFIG_MODULE_SIG=n (debian.config:9) became y; it is selected by SECURITY_LOCKDOWN_LSM "
        "(security/lockdown/Kconfig:4, if MODULES): turn that off too, or keep it");
}

}  // namespace kgate
