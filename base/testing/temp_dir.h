// Temporary folders for tests that touch files. Names carry the process id
// and a counter: ctest runs every test case in its own process, several at
// once, so a name that is only unique within one process (std::rand()
// unseeded gives every process the same sequence) lets two tests share a
// folder and break each other now and then.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace kgate::testing {

// A path under the temporary folder that no other test process uses; it
// does not exist yet.
inline std::string UniqueTempPath(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::filesystem::path p =
      std::filesystem::temp_directory_path() /
      (prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(p);
  return p.string();
}

// A fresh folder, removed with everything in it when the object goes.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "kgate-test") : path_(UniqueTempPath(prefix)) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace kgate::testing
