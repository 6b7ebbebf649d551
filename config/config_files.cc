#include "config/config_files.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "base/file_util.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

class DiskFiles : public ConfigFiles {
 public:
  Result<std::string> Read(const std::string& path) override { return ReadTextFile(path); }
  bool IsFile(const std::string& path) override {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
  }
  std::vector<std::string> List(const std::string& dir) override {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
};

// Paths are kept absolute, so a snapshot answers the same path whatever the
// working directory of the process that reads it.
std::string Normal(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  return (ec ? fs::path(path) : p).lexically_normal().string();
}

}  // namespace

ConfigFiles& DiskConfigFiles() {
  static DiskFiles files;
  return files;
}

Result<std::string> RecordingConfigFiles::Read(const std::string& path) {
  Result<std::string> text = inner_.Read(path);
  if (text.ok()) files_[Normal(path)] = *text;
  return text;
}

bool RecordingConfigFiles::IsFile(const std::string& path) {
  return inner_.IsFile(path);
}

std::vector<std::string> RecordingConfigFiles::List(const std::string& dir) {
  return inner_.List(dir);
}

SnapshotConfigFiles::SnapshotConfigFiles(std::map<std::string, std::string> files,
                                         std::string origin)
    : origin_(std::move(origin)) {
  for (auto& [path, text] : files) files_[Normal(path)] = std::move(text);
}

Result<std::string> SnapshotConfigFiles::Read(const std::string& path) {
  auto it = files_.find(Normal(path));
  if (it == files_.end()) {
    return Status::BadInput(fmt::format("{}: not among the files stored with {}", path, origin_));
  }
  return it->second;
}

bool SnapshotConfigFiles::IsFile(const std::string& path) {
  return files_.count(Normal(path)) > 0;
}

std::vector<std::string> SnapshotConfigFiles::List(const std::string& dir) {
  std::string prefix = Normal(dir);
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  if (prefix.empty() || prefix.back() != '/') prefix += '/';
  std::set<std::string> names;
  for (auto it = files_.lower_bound(prefix); it != files_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    std::string rest = it->first.substr(prefix.size());
    names.insert(rest.substr(0, rest.find('/')));
  }
  return {names.begin(), names.end()};
}

}  // namespace kgate
