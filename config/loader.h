// The configuration loaders in one place, and validation of any kgate file.
//
//   LoadProposal  config/proposal_loader.h   proposals (docs/formats.md)
//   LoadScenario  config/scenario_loader.h   scenarios/<name>/workload.yaml
//   LoadSuite     config/suite_loader.h      suites/<name>.yaml
//   LoadPolicy    config/policy_loader.h     policies/<name>.yaml
//
// Every loader reads through ReadTextFile (bounded size, UTF-8), parses with
// yaml-cpp, and reports every error it finds as "file:line:col: message",
// one per line, in a BadInput status (exit code 2).
#pragma once

#include <string>

#include "base/status.h"
#include "config/load_options.h"
#include "config/policy_loader.h"
#include "config/proposal_loader.h"
#include "config/scenario_loader.h"
#include "config/suite_loader.h"

namespace kgate {

enum class FileKind { kProposal, kScenario, kSuite, kPolicy };
const char* FileKindName(FileKind kind);

// The kind of a kgate file, told by its top key (proposal:, scenario:,
// suite:, policy:, looked for in that order since a proposal names its
// policy). BadInput when the file cannot be read or parsed, or has none.
Result<FileKind> DetectFileKind(const std::string& path);

// Loads path as whatever kind it is; Ok or every error found.
Status ValidateFile(const std::string& path, const LoadOptions& options);

}  // namespace kgate
