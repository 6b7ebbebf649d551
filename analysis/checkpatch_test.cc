// Golden tests of the checkpatch output parser on real checkpatch.pl output
// (linux-source-6.12 6.12.117, captured from the fixtures in testdata/), and
// of how failures to run are reported.
#include "analysis/checkpatch.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "base/file_util.h"
#include "base/testing/fake_process_runner.h"
#include "base/testing/source_path.h"

namespace kgate {
namespace {

std::string Testdata(const std::string& name) {
  return testing::SourcePath({"analysis/testdata", name});
}

std::vector<std::string> Render(const std::vector<FindingRecord>& findings) {
  std::vector<std::string> out;
  for (const FindingRecord& f : findings) {
    out.push_back(f.rule + " " + f.level + " " + f.file + ":" + std::to_string(f.line));
  }
  return out;
}

TEST_CASE("checkpatch output of the sinful patch parses to findings", "[analysis][checkpatch]") {
  Result<std::string> out = ReadTextFile(Testdata("checkpatch/sinful_patch.out"));
  REQUIRE(out.ok());
  Result<std::vector<FindingRecord>> findings = ParseCheckpatchOutput(*out, "");
  REQUIRE(findings.ok());
  CHECK(Render(*findings) == std::vector<std::string>{
                                 "checkpatch-FILE_PATH_CHANGES warning include/linux/ml_readahead.h:0",
                                 "checkpatch-CONFIG_DESCRIPTION warning mm/Kconfig:929",
                                 "checkpatch-INITIALISED_STATIC error mm/ml_readahead.c:19",
                                 "checkpatch-SPACING error mm/ml_readahead.c:51",
                                 "checkpatch-TRAILING_WHITESPACE error mm/ml_readahead.c:68",
                                 "checkpatch-LONG_LINE warning mm/ml_readahead.c:102",
                                 "checkpatch-PRINTK_WITHOUT_KERN_LEVEL warning mm/ml_readahead.c:102",
                                 "checkpatch-MSLEEP warning mm/ml_readahead.c:125",
                             });
  CHECK((*findings)[3].message ==
        "space required before the open parenthesis '(' (checkpatch.pl)");
}

TEST_CASE("checkpatch output of the clean patch is one known warning", "[analysis][checkpatch]") {
  Result<std::string> out = ReadTextFile(Testdata("checkpatch/clean_patch.out"));
  REQUIRE(out.ok());
  Result<std::vector<FindingRecord>> findings = ParseCheckpatchOutput(*out, "");
  REQUIRE(findings.ok());
  CHECK(Render(*findings) ==
        std::vector<std::string>{"checkpatch-FILE_PATH_CHANGES warning "
                                 "Documentation/ABI/testing/procfs-sys-vm-readahead:0"});
}

TEST_CASE("checkpatch -f output loses the module directory prefix", "[analysis][checkpatch]") {
  Result<std::string> out = ReadTextFile(Testdata("checkpatch/sinful_module.out"));
  REQUIRE(out.ok());
  Result<std::vector<FindingRecord>> findings =
      ParseCheckpatchOutput(*out, "/work/wt-analyze/analysis/testdata/sinful_module/");
  REQUIRE(findings.ok());
  CHECK(Render(*findings) == std::vector<std::string>{
                                 "checkpatch-TRAILING_WHITESPACE error mlsched.c:16",
                                 "checkpatch-SPACING error mlsched.c:29",
                             });
}

TEST_CASE("checkpatch CHECK lines are notes; other lines are errors", "[analysis][checkpatch]") {
  Result<std::vector<FindingRecord>> ok =
      ParseCheckpatchOutput("mm/x.c:3: CHECK:PARENTHESIS_ALIGNMENT: Alignment should match\n", "");
  REQUIRE(ok.ok());
  REQUIRE(ok->size() == 1);
  CHECK((*ok)[0].level == "note");
  Result<std::vector<FindingRecord>> bad =
      ParseCheckpatchOutput("mm/x.c:3: CHECK:A: fine\ntotal: 0 errors, 1 warnings\n", "");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() ==
        "checkpatch output line 2 is not 'FILE:LINE: LEVEL:TYPE: message': total: 0 errors, 1 "
        "warnings");
}

using testing::FakeProcessRunner;

TEST_CASE("A checkpatch that dies is reported as not run, with why", "[analysis][checkpatch]") {
  ProcessResult died;
  died.exit_code = 2;
  died.err = "Global symbol \"$x\" requires explicit package name\n";
  FakeProcessRunner runner(died);
  ChangeSet change;
  change.patches.patches.push_back(Patch{});
  change.patches.patches[0].files.resize(1);
  CheckpatchInstall install{"/cache/checkpatch/6.12", "/cache/checkpatch/6.12/scripts/checkpatch.pl",
                            "", "linux-source-6.12", "6.12.117-1~deb12u1"};
  CheckpatchResult result = RunCheckpatch(change, install, runner);
  CHECK_FALSE(result.ran);
  CHECK(result.reason ==
        "checkpatch.pl failed (exit 2): Global symbol \"$x\" requires explicit package name");
  REQUIRE(runner.argvs.size() == 1);
  CHECK(runner.argvs[0] == std::vector<std::string>{"perl", install.script, "--no-tree", "--terse",
                                                    "--show-types", "--showfile", "--no-summary",
                                                    "--color=never", "-"});
}

TEST_CASE("Each patch of a series is checked on its own", "[analysis][checkpatch]") {
  ProcessResult clean;
  clean.exit_code = 0;
  FakeProcessRunner runner(clean);
  ChangeSet change;
  change.patches.patches.resize(3);
  change.patches.patches[0].text = "cover letter\n";  // no files: skipped
  change.patches.patches[1].text = "patch one\n";
  change.patches.patches[1].files.resize(1);
  change.patches.patches[2].text = "patch two\n";
  change.patches.patches[2].files.resize(1);
  CheckpatchInstall install{"/c", "/c/scripts/checkpatch.pl", "", "linux-source-6.12", "6.12.117"};
  CheckpatchResult result = RunCheckpatch(change, install, runner);
  CHECK(result.ran);
  CHECK(result.reason.empty());
  CHECK(runner.argvs.size() == 2);
  REQUIRE(runner.options_seen.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const ProcessOptions& o = runner.options_seen[i];
    CHECK(o.stdin_data == (i == 0 ? "patch one\n" : "patch two\n"));
    CHECK(o.cwd == "/c");
    CHECK(o.env.at("HOME") == "/c");
  }
}

TEST_CASE("A failed package fetch says what to do", "[analysis][checkpatch]") {
  ProcessResult failed;
  failed.exit_code = 100;
  failed.err = "E: Unable to locate package linux-source-6.12\n";
  FakeProcessRunner runner(failed);
  std::string cache = (std::filesystem::temp_directory_path() /
                       ("kgate-checkpatch-test-" + std::to_string(getpid()))).string();
  Result<CheckpatchInstall> install = EnsureCheckpatch(cache, runner);
  std::filesystem::remove_all(cache);
  REQUIRE_FALSE(install.ok());
  CHECK(install.status().code() == Status::Code::kInfrastructure);
  CHECK(install.status().message().find("run apt-get update") != std::string::npos);
  CHECK(install.status().message().find("Unable to locate package linux-source-6.12") !=
        std::string::npos);
}

}  // namespace
}  // namespace kgate
