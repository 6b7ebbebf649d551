// Helpers for config/*_test.cc: fixture paths and throwaway YAML files.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/load_options.h"
#include "base/testing/source_path.h"

namespace kgate::testing {

// The fixture tree: config/testdata/tree/{scenarios,suites,policies}.
inline LoadOptions FixtureOptions() {
  return LoadOptions::FromHome(testing::SourcePath({"config/testdata/tree"}));
}

inline std::string FixturePath(const std::string& relative) {
  return testing::SourcePath({"config/testdata", relative});
}

// A fresh directory per test process under $TMPDIR.
inline std::string ScratchDir() {
  static const std::string dir = [] {
    std::string d = (std::filesystem::temp_directory_path() /
                     ("kgate-config-test-" + std::to_string(getpid())))
                        .string();
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

// Writes text to <ScratchDir>/relative (creating folders) and returns the path.
inline std::string WriteScratch(const std::string& relative, const std::string& text) {
  std::filesystem::path path = std::filesystem::path(ScratchDir()) / relative;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path.string();
}

}  // namespace kgate::testing
