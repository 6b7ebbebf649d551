#include "base/file_lock.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include <catch2/catch.hpp>

#include "base/testing/temp_dir.h"

namespace kgate {

TEST_CASE("FileLock waits for another process and says so once", "[base]") {
  testing::TempDir dir;
  std::string path = dir.File("slot.lock");
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto held = FileLock::Acquire(path);
    char c = held.ok() ? 'y' : 'n';
    if (write(ready[1], &c, 1) != 1) _exit(2);
    usleep(300 * 1000);
    _exit(held.ok() ? 0 : 1);
  }
  char c = 0;
  REQUIRE(read(ready[0], &c, 1) == 1);
  REQUIRE(c == 'y');
  int waits = 0;
  auto lock = FileLock::Acquire(path, [&](const std::string& p) {
    CHECK(p == path);
    ++waits;
  });
  REQUIRE(lock.ok());
  CHECK(waits == 1);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WEXITSTATUS(status) == 0);
  close(ready[0]);
  close(ready[1]);
}

TEST_CASE("FileLock is free again once its holder is gone", "[base]") {
  testing::TempDir dir;
  std::string path = dir.File("slot.lock");
  { REQUIRE(FileLock::Acquire(path).ok()); }
  int waits = 0;
  auto again = FileLock::Acquire(path, [&](const std::string&) { ++waits; });
  REQUIRE(again.ok());
  CHECK(waits == 0);
}

TEST_CASE("A shared FileLock keeps exclusive tries out and admits other readers", "[base]") {
  testing::TempDir dir;
  std::string path = dir.File("image.cpio");
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    REQUIRE(f);
    std::fclose(f);
  }
  {
    auto reader = FileLock::AcquireShared(path);
    REQUIRE(reader.ok());
    CHECK(FileLock::AcquireShared(path).ok());
    CHECK_FALSE(FileLock::TryAcquire(path).has_value());
  }
  auto evictor = FileLock::TryAcquire(path);
  REQUIRE(evictor.has_value());
  CHECK_FALSE(FileLock::TryAcquire(path).has_value());
}

TEST_CASE("A shared FileLock on a missing or removed file is NotFound", "[base]") {
  testing::TempDir dir;
  auto missing = FileLock::AcquireShared(dir.File("gone.cpio"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kNotFound);
  CHECK_FALSE(FileLock::TryAcquire(dir.File("gone.cpio")).has_value());
}

TEST_CASE("FileLock in a folder that does not exist is an infrastructure error", "[base]") {
  auto lock = FileLock::Acquire("/nonexistent-kgate-dir/x.lock");
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.status().code() == Status::Code::kInfrastructure);
  CHECK(lock.status().message().find("/nonexistent-kgate-dir/x.lock") != std::string::npos);
}

}  // namespace kgate
