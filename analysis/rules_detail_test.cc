// Targeted cases for detection paths the fixtures do not exercise.
#include <map>

#include <catch2/catch.hpp>

#include "analysis/rules.h"

namespace kgate {
namespace {

// New files given as (path, text); every line added.
std::vector<std::string> Fired(const std::vector<std::pair<std::string, std::string>>& files) {
  std::string diff;
  for (const auto& [path, text] : files) {
    int n = 0;
    std::string body;
    for (std::size_t start = 0; start < text.size();) {
      std::size_t end = text.find('\n', start);
      body += "+" + text.substr(start, end - start) + "\n";
      start = end + 1;
      ++n;
    }
    diff += "--- /dev/null\n+++ b/" + path + "\n@@ -0,0 +1," + std::to_string(n) + " @@\n" + body;
  }
  Result<PatchSet> set = ParsePatchSet(diff, "t.patch");
  REQUIRE(set.ok());
  std::vector<std::string> out;
  for (const FindingRecord& f : RunRules(ChangeSetFromPatches(std::move(*set), "t.patch"))) {
    out.push_back(f.rule + " " + f.file + ":" + std::to_string(f.line));
  }
  return out;
}

using V = std::vector<std::string>;

// A static key keeps no-kill-switch quiet so each case shows one rule.
constexpr char kSwitch[] = "static DEFINE_STATIC_KEY_FALSE(k);\n";

TEST_CASE("fpu-in-kernel: target attributes and pragmas that enable SIMD", "[analysis][rules]") {
  CHECK(Fired({{"lib/x.c", std::string(kSwitch) +
                               "__attribute__((target(\"sse2\"))) static void a(void);\n"
                               "#pragma GCC target(\"avx2\")\n"
                               "__attribute__((target(\"arch=x86-64-v2\"))) static void b(void);\n"}}) ==
        V{"fpu-in-kernel lib/x.c:2", "fpu-in-kernel lib/x.c:3"});
}

TEST_CASE("new-uapi: procfs and syscalls, unless documented", "[analysis][rules]") {
  std::string code = std::string(kSwitch) +
                     "static int __init i(void)\n{\n\tproc_create(\"mlstat\", 0444, NULL, &ops);\n"
                     "\treturn 0;\n}\nSYSCALL_DEFINE1(mltune, int, x)\n{\n\treturn x;\n}\n";
  CHECK(Fired({{"kernel/ml.c", code}}) == V{"new-uapi kernel/ml.c:4", "new-uapi kernel/ml.c:7"});
  CHECK(Fired({{"kernel/ml.c", code},
               {"Documentation/ABI/testing/procfs-mlstat", "What: /proc/mlstat\n"}}) ==
        V{"new-uapi kernel/ml.c:7"});
}

TEST_CASE("new-uapi: a uapi header without named interfaces fires once", "[analysis][rules]") {
  CHECK(Fired({{"include/uapi/linux/ml.h", "/* ML */\nstruct ml_req {\n\t__u32 n;\n};\n"}}) ==
        V{"new-uapi include/uapi/linux/ml.h:2"});
}

TEST_CASE("raw-hook: an RCU-published hook and its exported installer", "[analysis][rules]") {
  CHECK(Fired({{"net/ml.c", std::string(kSwitch) +
                                "static int (*__rcu ml_hook)(struct sk_buff *skb);\n"
                                "int ml_install(int (*fn)(struct sk_buff *))\n{\n"
                                "\trcu_assign_pointer(ml_hook, fn);\n\treturn 0;\n}\n"
                                "EXPORT_SYMBOL_GPL(ml_install);\n"}}) ==
        V{"raw-hook net/ml.c:3"});
}

TEST_CASE("raw-hook: an exported ops pointer is a hook, other pointers are not",
          "[analysis][rules]") {
  CHECK(Fired({{"mm/ml.c", std::string(kSwitch) +
                               "struct ml_ops *ml_active_ops;\nEXPORT_SYMBOL(ml_active_ops);\n"
                               "struct page *ml_pages;\nEXPORT_SYMBOL(ml_pages);\n"}}) ==
        V{"raw-hook mm/ml.c:3"});
}

TEST_CASE("polling-kthread: a forever loop of a thread started by kthread_run",
          "[analysis][rules]") {
  CHECK(Fired({{"mm/ml.c", std::string(kSwitch) +
                               "static int worker(void *p)\n{\n\twhile (1) {\n\t\tscan();\n"
                               "\t\tssleep(1);\n\t}\n\treturn 0;\n}\n"
                               "static void go(void)\n{\n\tkthread_run(worker, NULL, \"w\");\n}\n"}}) ==
        V{"polling-kthread mm/ml.c:6"});
  // The same loop outside a kernel thread polls hardware, not an idle system.
  CHECK(Fired({{"mm/ml.c", std::string(kSwitch) +
                               "static int wait_hw(void *p)\n{\n\twhile (1) {\n\t\tif (ready())\n"
                               "\t\t\tbreak;\n\t\tmsleep(1);\n\t}\n\treturn 0;\n}\n"}})
            .empty());
}

TEST_CASE("no-kill-switch: a Kconfig option defaulting to n is a switch", "[analysis][rules]") {
  std::string code = "static int ml(void)\n{\n\treturn 1;\n}\n";
  CHECK(Fired({{"mm/ml.c", code}}) == V{"no-kill-switch mm/ml.c:1"});
  CHECK(Fired({{"mm/Kconfig", "config ML\n\tbool \"ml\"\n"},
               {"mm/Makefile", "obj-$(CONFIG_ML) += ml.o\n"},
               {"mm/ml.c", code}})
            .empty());
  CHECK(Fired({{"mm/Kconfig", "config ML\n\tbool \"ml\"\n\tdefault y\n"},
               {"mm/Makefile", "obj-$(CONFIG_ML) += ml.o\n"},
               {"mm/ml.c", code}}) ==
        V{"no-kill-switch mm/Kconfig:3", "no-kill-switch mm/ml.c:1"});
  CHECK(Fired({{"mm/ml.c", "static bool on;\nmodule_param(on, bool, 0444);\n" + code}}).empty());
}

TEST_CASE("in-kernel-training: learning signals, not load weights", "[analysis][rules]") {
  CHECK(Fired({{"mm/ml.c", std::string(kSwitch) +
                               "\tw[i] -= eta * g[i];\n"
                               "\tse->load.weight += inc;\n"
                               "\tml_bias += ml_error;\n"
                               "\tcount += delta;\n"}}) ==
        V{"in-kernel-training mm/ml.c:2", "in-kernel-training mm/ml.c:4"});
}

}  // namespace
}  // namespace kgate
