#include "image/guest_image.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "base/file_util.h"
#include "base/paths.h"
#include "base/strings.h"
#include "base/testing/temp_dir.h"
#include "image/library_closure.h"

namespace kgate {
namespace {
namespace fs = std::filesystem;

using testing::TempDir;

std::string WriteScript(const std::string& dir, const std::string& body) {
  std::string path = dir + "/init.sh";
  REQUIRE(WriteFileAtomic(path, "#!/bin/sh\n" + body).ok());
  chmod(path.c_str(), 0755);
  return path;
}

std::vector<std::string> ListArchive(const std::string& path) {
  ProcessOptions options;
  options.cwd = "/";
  Result<ProcessResult> list =
      DefaultProcessRunner().Run({"cpio", "-t", "--quiet", "-F", path}, options);
  REQUIRE(list.ok());
  REQUIRE(list->success());
  return Split(Trim(list->out), '\n');
}

bool Lists(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST_CASE("an image holds init, busybox with applets, binaries and their libraries", "[image]") {
  TempDir tmp("kgate-image");
  GuestImageSpec spec;
  spec.init = WriteScript(tmp.path(), "echo hi\n");
  spec.needs = {{"hackbench", "scenario hackbench-pipe"}};
  spec.extra_files = {{"/kgate/agent/tuner", spec.init}};
  GuestImageBuilder builder(tmp.path() + "/cache", DefaultProcessRunner());
  Result<GuestImage> image = builder.Build(spec);
  REQUIRE(image.ok());
  CHECK_FALSE(image->reused);
  CHECK(image->path == tmp.path() + "/cache/images/" + image->key + ".cpio");
  CHECK(fs::file_size(image->path) == image->bytes);
  std::vector<std::string> names = ListArchive(image->path);
  CHECK(Lists(names, "init"));
  CHECK(Lists(names, "bin/busybox"));
  CHECK(Lists(names, "bin/sh"));
  CHECK(Lists(names, "bin/poweroff"));
  CHECK(Lists(names, "dev/console"));
  CHECK(Lists(names, "mnt/scratch"));
  CHECK(Lists(names, "kgate/agent/tuner"));
  CHECK(Lists(names, GuestPathFor(FindInPath("hackbench")).substr(1)));
  CHECK(Lists(names, "lib64/ld-linux-x86-64.so.2"));
  CHECK(std::any_of(names.begin(), names.end(), [](const std::string& n) { return EndsWith(n, "/libc.so.6"); }));
}

TEST_CASE("an unchanged image is reused and a changed input rebuilds it", "[image]") {
  TempDir tmp("kgate-image-cache");
  GuestImageSpec spec;
  spec.init = WriteScript(tmp.path(), "echo one\n");
  GuestImageBuilder builder(tmp.path() + "/cache", DefaultProcessRunner());
  Result<GuestImage> first = builder.Build(spec);
  REQUIRE(first.ok());
  struct stat before;
  REQUIRE(stat(first->path.c_str(), &before) == 0);
  Result<GuestImage> second = builder.Build(spec);
  REQUIRE(second.ok());
  CHECK(second->reused);
  CHECK(second->key == first->key);
  struct stat after;
  REQUIRE(stat(second->path.c_str(), &after) == 0);
  CHECK(after.st_ino == before.st_ino);  // not rewritten; touched as most recently used
  REQUIRE(second->in_use);
  CHECK_FALSE(FileLock::TryAcquire(second->path).has_value());  // no evictor can take it

  WriteScript(tmp.path(), "echo two, longer\n");
  Result<GuestImage> third = builder.Build(spec);
  REQUIRE(third.ok());
  CHECK_FALSE(third->reused);
  CHECK(third->key != first->key);
}

TEST_CASE("a needed binary missing on the host is bad input naming the scenario", "[image]") {
  TempDir tmp("kgate-image-missing");
  GuestImageSpec spec;
  spec.init = WriteScript(tmp.path(), "true\n");
  spec.needs = {{"kgate-no-such-workload", "scenario fio-randread"}};
  Result<GuestImage> image = GuestImageBuilder(tmp.path(), DefaultProcessRunner()).Build(spec);
  REQUIRE_FALSE(image.ok());
  CHECK(image.status().code() == Status::Code::kBadInput);
  CHECK_THAT(image.status().message(),
             Catch::StartsWith("scenario fio-randread needs 'kgate-no-such-workload', which is not in PATH"));
  spec.needs.clear();
  spec.init = tmp.path() + "/no-agent";
  image = GuestImageBuilder(tmp.path(), DefaultProcessRunner()).Build(spec);
  REQUIRE_FALSE(image.ok());
  CHECK_THAT(image.status().message(), Catch::Contains(tmp.path() + "/no-agent"));
}

TEST_CASE("the trial initrd is the base image followed by a task archive", "[image]") {
  TempDir tmp("kgate-trial");
  std::string task = R"({"version": 1, "trial": 7})";
  std::string archive = BuildTaskArchive(task);
  REQUIRE(WriteFileAtomic(tmp.path() + "/task.cpio", archive).ok());
  CHECK(ListArchive(tmp.path() + "/task.cpio") == std::vector<std::string>{"kgate", "kgate/task.json"});
  std::string base = "base-bytes!!";  // a multiple of 4, as every cpio archive is
  REQUIRE(WriteFileAtomic(tmp.path() + "/base.cpio", base).ok());
  REQUIRE(WriteTrialInitrd(tmp.path() + "/base.cpio", task, tmp.path() + "/initrd").ok());
  Result<std::string> initrd = ReadTextFile(tmp.path() + "/initrd", 1 << 20, false);
  REQUIRE(initrd.ok());
  CHECK(*initrd == base + archive);
}

}  // namespace
}  // namespace kgate

namespace kgate {

TEST_CASE("image eviction keeps the most recently used images and the new one", "[image]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kgate-evict-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto now = fs::file_time_type::clock::now();
  for (int i = 0; i < 10; ++i) {
    fs::path p = dir / (std::to_string(i) + ".cpio");
    std::ofstream(p) << i;
    fs::last_write_time(p, now - std::chrono::hours(10 - i));  // 0 is the oldest
  }
  std::ofstream(dir / "facts") << "not an image";
  // The new image is the oldest on disk here, to prove it is protected.
  EvictImages(dir.string(), 4, (dir / "0.cpio").string());
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir)) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"0.cpio", "7.cpio", "8.cpio", "9.cpio", "facts"});
  fs::remove_all(dir);
}

TEST_CASE("image eviction leaves an image another run holds, however old", "[image]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kgate-evict-held-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto now = fs::file_time_type::clock::now();
  for (int i = 0; i < 6; ++i) {
    fs::path p = dir / (std::to_string(i) + ".cpio");
    std::ofstream(p) << i;
    fs::last_write_time(p, now - std::chrono::hours(10 - i));
  }
  Result<FileLock> booting = FileLock::AcquireShared((dir / "0.cpio").string());
  REQUIRE(booting.ok());
  EvictImages(dir.string(), 3, (dir / "5.cpio").string());
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir)) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"0.cpio", "4.cpio", "5.cpio"});
  fs::remove_all(dir);
}

}  // namespace kgate
