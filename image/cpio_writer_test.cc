#include "image/cpio_writer.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "base/file_util.h"
#include "base/process.h"

namespace kgate {
namespace {
namespace fs = std::filesystem;

std::string SampleArchive() {
  std::ostringstream out;
  CpioWriter cpio(out);
  cpio.AddDirectory("/bin");
  cpio.AddFile("/bin/tool", "#!/bin/sh\necho hi\n", 0755);
  cpio.AddSymlink("/bin/alias", "tool");
  cpio.AddDirectory("/etc", 0700);
  cpio.AddFile("/etc/odd", std::string("abc\0defg", 8), 0640);  // length not a multiple of 4
  cpio.AddFile("/etc/empty", "");
  cpio.AddDirectory("/dev");
  cpio.AddCharDevice("/dev/console", 5, 1);
  cpio.Finish();
  REQUIRE(cpio.status().ok());
  CHECK(cpio.bytes_written() == out.str().size());
  return out.str();
}

ProcessResult RunCpio(const std::vector<std::string>& argv, const std::string& input,
                      const std::string& cwd = "") {
  ProcessOptions options;
  options.stdin_data = input;
  options.cwd = cwd;
  Result<ProcessResult> run = DefaultProcessRunner().Run(argv, options);
  REQUIRE(run.ok());
  return *run;
}

TEST_CASE("GNU cpio lists every entry of the archive in order", "[image][cpio]") {
  std::string archive = SampleArchive();
  CHECK(archive.size() % 4 == 0);
  ProcessResult list = RunCpio({"cpio", "-t", "--quiet"}, archive);
  REQUIRE(list.success());
  CHECK(list.out == "bin\nbin/tool\nbin/alias\netc\netc/odd\netc/empty\ndev\ndev/console\n");
  ProcessResult verbose = RunCpio({"cpio", "-tv", "--quiet"}, archive);
  CHECK_THAT(verbose.out, Catch::Contains("crw-------"));
  CHECK_THAT(verbose.out, Catch::Contains("5,   1"));
  CHECK_THAT(verbose.out, Catch::Contains("bin/alias -> tool"));
}

TEST_CASE("GNU cpio extracts contents, modes and symlinks", "[image][cpio]") {
  std::string dir = fs::temp_directory_path() / ("kgate-cpio-" + std::to_string(getpid()));
  fs::remove_all(dir);
  REQUIRE(MakeDirs(dir).ok());
  // Devices need privileges to create; leave them to the listing test.
  std::ostringstream out;
  {
    CpioWriter cpio(out);
    cpio.AddDirectory("/bin");
    cpio.AddFile("/bin/tool", "#!/bin/sh\necho hi\n", 0755);
    cpio.AddSymlink("/bin/alias", "tool");
    cpio.AddDirectory("/etc", 0700);
    cpio.AddFile("/etc/odd", std::string("abc\0defg", 8), 0640);
    cpio.Finish();
  }
  ProcessResult extract = RunCpio({"cpio", "-i", "-d", "--quiet"}, out.str(), dir);
  REQUIRE(extract.success());
  Result<std::string> tool = ReadTextFile(dir + "/bin/tool");
  REQUIRE(tool.ok());
  CHECK(*tool == "#!/bin/sh\necho hi\n");
  Result<std::string> odd = ReadTextFile(dir + "/etc/odd", 100, /*require_utf8=*/false);
  REQUIRE(odd.ok());
  CHECK(*odd == std::string("abc\0defg", 8));
  struct stat st;
  REQUIRE(stat((dir + "/bin/tool").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0755);
  REQUIRE(stat((dir + "/etc/odd").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(fs::is_symlink(dir + "/bin/alias"));
  CHECK(fs::read_symlink(dir + "/bin/alias") == "tool");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kgate
