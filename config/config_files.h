// ConfigFiles: where the loaders read kgate's configuration from.
//
// The loaders never touch the file system directly; they read through this
// interface, so the same code loads
//   - the files on disk (DiskConfigFiles),
//   - any of these while remembering each file read (RecordingConfigFiles:
//     `kgate run` stores them with the run), and
//   - a run's stored files alone (SnapshotConfigFiles: re-judging a stored
//     run reads the scenarios and policy it was measured with, whatever the
//     tree holds today).
// Paths are used as given: a snapshot answers exactly the paths that were
// recorded.
//
// Thread-compatible.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace kgate {

class ConfigFiles {
 public:
  virtual ~ConfigFiles() = default;
  // The file's text (ReadTextFile's bounds and UTF-8 check). BadInput naming
  // the path when it is missing or unreadable.
  virtual Result<std::string> Read(const std::string& path) = 0;
  virtual bool IsFile(const std::string& path) = 0;
  // The names of the entries of a folder (files and folders), sorted; empty
  // when it does not exist.
  virtual std::vector<std::string> List(const std::string& dir) = 0;
};

// The real file system. Stateless; the instance is shared.
ConfigFiles& DiskConfigFiles();

class RecordingConfigFiles : public ConfigFiles {
 public:
  // Reads through inner, which must outlive this.
  explicit RecordingConfigFiles(ConfigFiles& inner = DiskConfigFiles()) : inner_(inner) {}
  Result<std::string> Read(const std::string& path) override;
  bool IsFile(const std::string& path) override;
  std::vector<std::string> List(const std::string& dir) override;

  // Every file read successfully so far: path -> text.
  const std::map<std::string, std::string>& files() const { return files_; }

 private:
  ConfigFiles& inner_;
  std::map<std::string, std::string> files_;
};

class SnapshotConfigFiles : public ConfigFiles {
 public:
  // origin names the snapshot in errors ("run 12").
  SnapshotConfigFiles(std::map<std::string, std::string> files, std::string origin);
  Result<std::string> Read(const std::string& path) override;
  bool IsFile(const std::string& path) override;
  std::vector<std::string> List(const std::string& dir) override;

 private:
  std::map<std::string, std::string> files_;
  std::string origin_;
};

}  // namespace kgate
