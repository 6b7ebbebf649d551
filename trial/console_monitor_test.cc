#include "trial/console_monitor.h"

#include <catch2/catch.hpp>

#include "base/file_util.h"
#include "base/testing/source_path.h"

namespace kgate {
namespace {

std::string Fixture(const std::string& name) {
  auto text = ReadTextFile(testing::SourcePath({"trial/testdata/console", name}), 1 << 20,
                           /*require_utf8=*/false);
  REQUIRE(text.ok());
  return *text;
}

// "rule@line" for each finding, in order: compact and exact.
std::vector<std::string> Summary(const std::string& fixture) {
  std::vector<std::string> out;
  for (const auto& f : ScanConsole(Fixture(fixture), {.file = fixture})) {
    out.push_back(f.rule + "@" + std::to_string(f.line));
  }
  return out;
}

using V = std::vector<std::string>;

TEST_CASE("a real clean boot log has no findings", "[console_monitor]") {
  CHECK(Summary("clean_boot.txt").empty());
}

TEST_CASE("a WARN splat and the taint flags it adds", "[console_monitor]") {
  CHECK(Summary("warning.txt") ==
        V{"console-warning@2", "console-taint@4", "console-taint@16"});
  auto findings = ScanConsole(Fixture("warning.txt"), {.file = "console.log"});
  CHECK(findings[0].level == "error");
  CHECK(findings[0].file == "console.log");
  CHECK(findings[0].message == "WARNING: CPU: 0 PID: 1 at mm/readahead.c:471 page_cache_ra_order+0x2b1/0x2f0");
  CHECK(findings[0].excerpt.find("Call Trace:") != std::string::npos);
  CHECK(findings[1].level == "warning");
  CHECK(findings[1].message.find("new flags O") != std::string::npos);
  CHECK(findings[2].message.find("new flags W") != std::string::npos);
}

TEST_CASE("an oops that panics yields bug, oops and panic, all crashes", "[console_monitor]") {
  CHECK(Summary("oops_panic.txt") == V{"console-bug@1", "console-oops@5", "console-panic@14"});
  for (const auto& f : ScanConsole(Fixture("oops_panic.txt"), {})) CHECK(IsCrash(f));
}

TEST_CASE("lockdep reports are lockdep, not generic warnings", "[console_monitor]") {
  CHECK(Summary("lockdep.txt") ==
        V{"console-lockdep@3", "console-lockdep@11", "console-lockdep@14", "console-lockdep@16"});
}

TEST_CASE("hung task, soft lockup, RCU stalls", "[console_monitor]") {
  CHECK(Summary("hung_task.txt") == V{"console-hung-task@1"});
  CHECK(Summary("soft_lockup.txt") == V{"console-soft-lockup@1", "console-taint@3"});
  CHECK(Summary("rcu_stall.txt") == V{"console-rcu-stall@1", "console-rcu-stall@4"});
  auto lockup = ScanConsole(Fixture("soft_lockup.txt"), {});
  CHECK(lockup[1].message.find("new flags OL") != std::string::npos);
  CHECK_FALSE(IsCrash(lockup[0]));
}

TEST_CASE("KASAN and UBSAN reports", "[console_monitor]") {
  CHECK(Summary("kasan.txt") == V{"console-kasan@2", "console-taint@5"});
  CHECK(Summary("ubsan.txt") == V{"console-ubsan@2"});
}

TEST_CASE("printk prefixes are stripped for matching", "[console_monitor]") {
  CHECK(StripPrintkPrefix("[   12.345678] Oops: 0000") == "Oops: 0000");
  CHECK(StripPrintkPrefix("[   12.345678] [    T1] BUG: x") == "BUG: x");
  CHECK(StripPrintkPrefix("no prefix") == "no prefix");
  // A splat keyword in the middle of a line (a workload echoing it) is not a splat.
  CHECK(ScanConsole("hello Kernel panic - not syncing\necho BUG: nope\n", {}).empty());
}

TEST_CASE("a flood of identical splats stays bounded", "[console_monitor]") {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "BUG: scheduling while atomic: x/1/0x00000002\n";
  auto findings = ScanConsole(text, {.max_findings_per_rule = 5});
  REQUIRE(findings.size() == 5);
  CHECK(findings[4].line == 5);
  CHECK(findings[0].excerpt.size() <= 4096);
}

}  // namespace
}  // namespace kgate
