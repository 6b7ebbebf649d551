// Helpers for config/*_test.cc: fixture paths and throwaway YAML files.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "base/testing/source_path.h"
#include "base/testing/temp_dir.h"
#include "config/load_options.h"

namespace kgate::testing {

// The fixture tree: config/testdata/tree/{scenarios,suites,policies}.
inline LoadOptions FixtureOptions() {
  return LoadOptions::FromHome(testing::SourcePath({"config/testdata/tree"}));
}

inline std::string FixturePath(const std::string& relative) {
  return testing::SourcePath({"config/testdata", relative});
}

// A fresh directory per test process under $TMPDIR, removed at exit.
inline std::string ScratchDir() {
  static const TempDir dir("kgate-config-test");
  return dir.path();
}

// Writes text to <ScratchDir>/relative (creating folders) and returns the path.
inline std::string WriteScratch(const std::string& relative, const std::string& text) {
  std::filesystem::path path = std::filesystem::path(ScratchDir()) / relative;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path.string();
}

}  // namespace kgate::testing
