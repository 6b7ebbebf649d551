// A kernel built from source, as the run stores it: the arm's `build` check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kbuild/kernel_builder.h"
#include "store/records.h"

namespace kgate {

// passed with where the kernel came from, or failed with the first error
// (file:line: message, as the 0-day robot reports it); detail_json holds
// the build record, the error and the log's path.
CheckRecord BuildCheck(const std::string& arm, const KernelBuildOutcome& outcome, std::int64_t run_id);

// A build that did not compile, as a finding every report shows with its
// place (SARIF points into the patched file); nullopt when it built.
std::optional<FindingRecord> BuildFinding(const std::string& arm, const KernelBuildOutcome& outcome,
                                          std::int64_t run_id);

}  // namespace kgate
