// Helpers for tests that analyse the fixtures in analysis/testdata/.
#pragma once

#include <string>

#include "analysis/analyze.h"
#include "base/testing/source_path.h"

namespace kgate::testing {

inline std::string AnalysisTestdata(const std::string& name) {
  return SourcePath({"analysis/testdata", name});
}

// Analysis that reaches nothing outside the process: checkpatch and module
// builds off, each recorded as not run.
inline AnalyzeOptions OfflineAnalysis() {
  AnalyzeOptions options;
  options.run_checkpatch = false;
  options.build_modules = false;
  return options;
}

}  // namespace kgate::testing
