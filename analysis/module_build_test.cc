// Module builds: golden parsing of real make/gcc/modpost output (captured
// from Debian's 6.1.0-56 and 6.12.117 cloud headers), the missing-symbol
// computation, findings and JSON; and the whole fetch-and-build
// orchestration against a scripted ProcessRunner that plays apt-get,
// dpkg-deb and make.
#include "analysis/module_build.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "base/file_util.h"
#include "base/strings.h"
#include "base/testing/fake_process_runner.h"
#include "base/testing/source_path.h"
#include "base/testing/temp_dir.h"

namespace kgate {
namespace {

using testing::FakeProcessRunner;
namespace fs = std::filesystem;

std::string Testdata(const std::string& name) {
  return testing::SourcePath({"analysis/testdata", name});
}

TEST_CASE("gcc errors in real make output become diagnostics with module-relative files",
          "[analysis][module_build]") {
  Result<std::string> out = ReadTextFile(Testdata("module_build/folio_6.1.out"));
  REQUIRE(out.ok());
  std::vector<BuildDiagnostic> d = ParseBuildOutput(*out, "/tmp/kgate-modbuild-Ab12Cd/");
  REQUIRE(d.size() == 1);  // "cc1: some warnings..." and make's own lines are not diagnostics
  CHECK(d[0].level == "error");
  CHECK(d[0].file == "ra_folio.c");
  CHECK(d[0].line == 31);
  CHECK(d[0].message ==
        "implicit declaration of function 'folio_end_read'; did you mean 'folio_test_head'? "
        "[-Werror=implicit-function-declaration]");
  CHECK(StartsWith(d[0].text, "ra_folio.c:31:9: error: "));
}

TEST_CASE("warnings, fatal errors and modpost lines are diagnostics", "[analysis][module_build]") {
  std::vector<BuildDiagnostic> d = ParseBuildOutput(
      "/w/m.c:7:5: warning: no previous prototype for 'f' [-Wmissing-prototypes]\n"
      "/w/m.c:1:10: fatal error: linux/nope.h: No such file or directory\n"
      "/w/m.c: In function 'g':\n"
      "WARNING: modpost: missing MODULE_DESCRIPTION() in /w/m.o\n"
      "ERROR: modpost: \"folio_end_read\" [/w/m.ko] undefined!\n"
      "make[2]: *** [/w/Makefile:12: /w/m.o] Error 1\n",
      "/w/");
  REQUIRE(d.size() == 4);
  CHECK(d[0].level == "warning");
  CHECK(d[0].file == "m.c");
  CHECK(d[0].line == 7);
  CHECK(d[1].level == "error");
  CHECK(d[1].message == "linux/nope.h: No such file or directory");
  CHECK(d[2].level == "warning");
  CHECK(d[2].file.empty());
  CHECK(d[2].message == "missing MODULE_DESCRIPTION() in m.o");
  CHECK(d[3].level == "error");
  CHECK(d[3].text == "ERROR: modpost: \"folio_end_read\" [m.ko] undefined!");
}

TEST_CASE("a GPL-only symbol in a non-GPL module fails the build at modpost", "[analysis][module_build]") {
  // Real modpost output (6.12.117 headers) for clean_module with
  // MODULE_LICENSE("Proprietary") and a call to local_clock().
  ModuleBuild b;
  b.ref = "debian:6.12-cloud";
  b.version = "6.12.117+deb12-cloud-amd64";
  b.ran = true;
  b.diagnostics = ParseBuildOutput(
      "  MODPOST /tmp/kgate-modbuild-x/Module.symvers\n"
      "ERROR: modpost: GPL-incompatible module ra_hint.ko uses GPL-only symbol 'local_clock'\n"
      "make[3]: *** [/r/scripts/Makefile.modpost:145: /tmp/kgate-modbuild-x/Module.symvers] Error 1\n",
      "/tmp/kgate-modbuild-x/");
  REQUIRE(b.diagnostics.size() == 1);
  b.error_lines = {b.diagnostics[0].text};
  std::vector<FindingRecord> f = ModuleBuildFindings({b});
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "module-build-failed");
  CHECK(f[0].file.empty());
  CHECK(StartsWith(f[0].message, "does not build on debian:6.12-cloud (6.12.117+deb12-cloud-amd64): "
                                 "GPL-incompatible module ra_hint.ko uses GPL-only symbol 'local_clock': "));
}

TEST_CASE("modpost's __versions table lists the symbols used, without module_layout",
          "[analysis][module_build]") {
  Result<std::string> mod_c = ReadTextFile(Testdata("module_build/ra_folio_6.12.mod.c"));
  REQUIRE(mod_c.ok());
  CHECK(ParseModversions(*mod_c) ==
        std::vector<std::string>{"__fentry__", "folio_alloc_noprof", "folio_end_read", "_printk",
                                 "__folio_put", "param_ops_bool", "__x86_return_thunk"});
  CHECK(ParseModversions("MODULE_INFO(depends, \"\");\n").empty());
}

TEST_CASE("Module.symvers maps symbols to their export type", "[analysis][module_build]") {
  std::map<std::string, std::string> s = ParseModuleSymvers(
      "0x16af9117\tfolio_end_read\tvmlinux\tEXPORT_SYMBOL\t\n"
      "0xfcfa4bf9\tinit_uts_ns\tvmlinux\tEXPORT_SYMBOL_GPL\t\n"
      "0x1\tcxl_x\tdrivers/cxl/core/cxl_core\tEXPORT_SYMBOL_GPL\tCXL\n"
      "garbage\n");
  CHECK(s.size() == 3);
  CHECK(s["folio_end_read"] == "EXPORT_SYMBOL");
  CHECK(s["init_uts_ns"] == "EXPORT_SYMBOL_GPL");
}

ModuleBuild Built(std::string ref, std::vector<std::string> symbols) {
  ModuleBuild b;
  b.ref = std::move(ref);
  b.version = b.ref.substr(7);
  b.ran = b.ok = true;
  b.symbols = std::move(symbols);
  return b;
}

TEST_CASE("missing symbols: what each build uses that another kernel does not export",
          "[analysis][module_build]") {
  std::vector<ModuleBuild> builds = {Built("debian:6.1-cloud", {"_printk"}),
                                     Built("debian:6.12-cloud", {"_printk", "folio_end_read"})};
  std::map<std::string, std::map<std::string, std::string>> exports = {
      {"debian:6.1-cloud", {{"_printk", "EXPORT_SYMBOL"}}},
      {"debian:6.12-cloud", {{"_printk", "EXPORT_SYMBOL"}, {"folio_end_read", "EXPORT_SYMBOL"}}}};
  ComputeMissingSymbols(builds, exports);
  CHECK(builds[0].missing_elsewhere.empty());
  REQUIRE(builds[1].missing_elsewhere.size() == 1);
  CHECK(builds[1].missing_elsewhere["debian:6.1-cloud"] == std::vector<std::string>{"folio_end_read"});

  std::vector<FindingRecord> f = ModuleBuildFindings(builds);
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "module-symbol-missing");
  CHECK(f[0].level == "warning");
  CHECK(f[0].excerpt == "folio_end_read");
  CHECK(StartsWith(f[0].message, "builds on debian:6.12-cloud (6.12-cloud) using folio_end_read, "
                                 "which debian:6.1-cloud does not export: "));
}

TEST_CASE("findings: a failed build at its first error, one finding per distinct warning",
          "[analysis][module_build]") {
  ModuleBuild failed = Built("debian:6.1-cloud", {});
  failed.ok = false;
  failed.diagnostics = ParseBuildOutput(
      "/w/m.c:3:1: warning: unused variable 'x' [-Wunused-variable]\n"
      "/w/m.c:9:2: error: 'y' undeclared\n/w/m.c:10:2: error: 'z' undeclared\n", "/w/");
  failed.error_lines = {"m.c:9:2: error: 'y' undeclared", "m.c:10:2: error: 'z' undeclared"};
  ModuleBuild ok = Built("debian:6.12-cloud", {});
  ok.diagnostics = ParseBuildOutput("/v/m.c:3:1: warning: unused variable 'x' [-Wunused-variable]\n", "/v/");
  ModuleBuild not_run;
  not_run.ref = "debian:6.6";
  not_run.reason = "no 6.6 kernel";

  std::vector<FindingRecord> f = ModuleBuildFindings({failed, ok, not_run});
  REQUIRE(f.size() == 2);
  CHECK(f[0].rule == "module-build-failed");
  CHECK(f[0].level == "error");
  CHECK(f[0].file == "m.c");
  CHECK(f[0].line == 9);
  CHECK(f[0].excerpt == "m.c:9:2: error: 'y' undeclared");
  CHECK(StartsWith(f[0].message, "does not build on debian:6.1-cloud (6.1-cloud): 'y' undeclared: "));
  CHECK(f[1].rule == "module-build-warning");
  CHECK(f[1].line == 3);
  CHECK(StartsWith(f[1].message, "warning building on debian:6.1-cloud, debian:6.12-cloud: unused variable"));
}

// What dpkg-deb -x would unpack from a fake package: the headers' Makefiles
// and Module.symvers, or a kbuild folder.
void UnpackFakeDeb(const std::string& deb, const std::string& root) {
  std::string name = deb.substr(0, deb.find('_'));
  bool v612 = name.find("6.12") != std::string::npos;
  std::string common =
      v612 ? "linux-headers-6.12.117+deb12-common" : "linux-headers-6.1.0-56-common";
  if (name.find("-common") != std::string::npos) {
    fs::create_directories(root + "/usr/src/" + name);
    std::ofstream(root + "/usr/src/" + name + "/Makefile") << "all:\n";
  } else if (StartsWith(name, "linux-headers-")) {
    std::string dir = root + "/usr/src/" + name;
    fs::create_directories(dir);
    std::ofstream(dir + "/Makefile") << "include /usr/src/" << common << "/Makefile\n";
    std::ofstream(dir + "/Module.symvers")
        << "0x1\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n"
        << (v612 ? "0x2\tfolio_end_read\tvmlinux\tEXPORT_SYMBOL\t\n" : "");
  } else {
    fs::create_directories(root + "/usr/lib/" + name + "/scripts");
  }
}

// Plays apt-cache, apt-get download, dpkg-deb and make for two kernels: 6.1
// fails to compile the module, 6.12 builds it using folio_end_read.
ProcessResult PlayHeadersAndMake(const std::vector<std::string>& argv,
                                 const ProcessOptions& options) {
  ProcessResult r;
  r.exit_code = 0;
  const std::string& tool = argv[0];
  if (tool == "apt-cache") {
    r.out =
        "linux-image-6.1.0-56-cloud-amd64-unsigned - Linux 6.1\n"
        "linux-image-6.12.117+deb12-cloud-amd64-unsigned - Linux 6.12\n";
  } else if (tool == "apt-get") {
    for (std::size_t i = 2; i < argv.size(); ++i) {
      std::ofstream(options.cwd + "/" + argv[i] + "_1.0-1_amd64.deb") << argv[i];
    }
  } else if (tool == "dpkg-deb" && argv[1] == "-f") {
    std::string kver = argv[2].find("6.12") != std::string::npos ? "6.12.117+deb12" : "6.1.0-56";
    std::string kbuild = kver == "6.1.0-56" ? "linux-kbuild-6.1" : "linux-kbuild-" + kver;
    r.out = "linux-headers-" + kver + "-common (= 1.0-1), " + kbuild + " (>= 1.0-1), gcc-12\n";
  } else if (tool == "dpkg-deb") {
    UnpackFakeDeb(fs::path(argv[2]).filename().string(), argv[3]);
  } else if (tool == "make") {
    std::string work = argv[3].substr(2);
    if (argv[2].find("6.1.0-56") != std::string::npos) {
      r.exit_code = 2;
      r.err = work + "/ra_hint.c:20:16: error: 'VM_READAHEAD_PAGES' undeclared\n";
    } else {
      std::ofstream(work + "/ra_hint.ko") << "ELF";
      std::ofstream(work + "/ra_hint.mod.c")
          << "__used __section(\"__versions\") = {\n\t{ 0x1, \"_printk\" },\n"
             "\t{ 0x2, \"folio_end_read\" },\n\t{ 0x3, \"module_layout\" },\n};\n";
    }
  }
  return r;
}

TEST_CASE("building on two kernels: headers fetched once, per-kernel results, missing symbols",
          "[analysis][module_build]") {
  std::string cache = testing::UniqueTempPath("kgate-mb");
  FakeProcessRunner runner(PlayHeadersAndMake);
  std::vector<ModuleBuild> builds = BuildModuleOnKernels(
      Testdata("clean_module"), {"debian:6.1-cloud", "debian:6.12-cloud", "debian:6.1-cloud"}, cache,
      runner);
  REQUIRE(builds.size() == 2);  // the repeated ref is built once

  const ModuleBuild& b61 = builds[0];
  CHECK(b61.ran);
  CHECK_FALSE(b61.ok);
  CHECK(b61.package == "linux-headers-6.1.0-56-cloud-amd64");
  CHECK(b61.version == "6.1.0-56-cloud-amd64");
  CHECK(b61.error_lines == std::vector<std::string>{"ra_hint.c:20:16: error: 'VM_READAHEAD_PAGES' undeclared"});
  CHECK(b61.symbols.empty());

  const ModuleBuild& b612 = builds[1];
  CHECK(b612.ok);
  CHECK(b612.modules == std::vector<std::string>{"ra_hint.ko"});
  CHECK(b612.symbols == std::vector<std::string>{"_printk", "folio_end_read"});
  CHECK(b612.missing_elsewhere.at("debian:6.1-cloud") == std::vector<std::string>{"folio_end_read"});
  // The built module outlives the temporary build directory, in the cache.
  REQUIRE(b612.ko_paths.size() == 1);
  const std::string kept = b612.ko_paths[0];
  CHECK(StartsWith(kept, cache + "/module-builds/6.12.117+deb12-cloud-amd64/"));
  CHECK(EndsWith(kept, "/ra_hint.ko"));
  CHECK(*ReadTextFile(kept) == "ELF");
  CHECK(b61.ko_paths.empty());  // a failed build keeps nothing

  // The headers' own tree dependencies were fetched, not gcc-12; nothing installed.
  std::string all = Join(runner.commands, "\n");
  CHECK(all.find("apt-get download linux-headers-6.1.0-56-common linux-kbuild-6.1\n") != std::string::npos);
  CHECK(all.find("apt-get download linux-headers-6.12.117+deb12-common linux-kbuild-6.12.117+deb12") !=
        std::string::npos);
  CHECK(all.find("gcc-12") == std::string::npos);
  CHECK(all.find("dpkg -i") == std::string::npos);
  // make ran on a copy, in the fixed-up tree, never in the source directory.
  CHECK(all.find("M=" + Testdata("clean_module")) == std::string::npos);
  CHECK(!fs::exists(Testdata("clean_module/ra_hint.ko")));
  std::string build_dir = cache + "/headers/6.1.0-56-cloud-amd64/root/usr/src/linux-headers-6.1.0-56-cloud-amd64";
  CHECK(*ReadTextFile(build_dir + "/Makefile") ==
        "include $(dir $(lastword $(MAKEFILE_LIST)))../linux-headers-6.1.0-56-common/Makefile\n");

  nlohmann::ordered_json j = ModuleBuildJson(b612);
  CHECK(j["ref"] == "debian:6.12-cloud");
  CHECK(j["ok"] == true);
  CHECK(j["missing_elsewhere"]["debian:6.1-cloud"][0] == "folio_end_read");
  CHECK(ModuleBuildJson(b61)["errors"].size() == 1);

  // Second time: the cache answers; only the registry lookup and make run.
  runner.commands.clear();
  auto kept_mtime = fs::last_write_time(kept);
  builds = BuildModuleOnKernels(Testdata("clean_module"), {"debian:6.12-cloud"}, cache, runner);
  CHECK(builds[0].ok);
  // Same sources, same headers: the same kept file, not rewritten.
  CHECK(builds[0].ko_paths == std::vector<std::string>{kept});
  CHECK(fs::last_write_time(kept) == kept_mtime);
  CHECK(ModuleBuildJson(builds[0])["ko_paths"][0] == kept);
  for (const std::string& c : runner.commands) {
    CHECK((StartsWith(c, "apt-cache ") || StartsWith(c, "make ")));
  }
  fs::remove_all(cache);
}

TEST_CASE("a kernel whose headers cannot be had is recorded as not run", "[analysis][module_build]") {
  FakeProcessRunner runner(PlayHeadersAndMake);
  std::vector<ModuleBuild> builds =
      BuildModuleOnKernels(Testdata("clean_module"), {"debian:5.10-cloud"}, "/nonexistent-cache", runner);
  REQUIRE(builds.size() == 1);
  CHECK_FALSE(builds[0].ran);
  CHECK(builds[0].reason.find("no cloud-amd64 kernel of series 5.10") != std::string::npos);
  CHECK(ModuleBuildFindings(builds).empty());
}

}  // namespace
}  // namespace kgate
