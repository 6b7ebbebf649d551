#include "config/loader.h"

#include <fmt/format.h>

#include "config/yaml_reader.h"

namespace kgate {

const char* FileKindName(FileKind kind) {
  switch (kind) {
    case FileKind::kProposal: return "proposal";
    case FileKind::kScenario: return "scenario";
    case FileKind::kSuite: return "suite";
    case FileKind::kPolicy: return "policy";
  }
  return "?";
}

Result<FileKind> DetectFileKind(const std::string& path) {
  Result<YAML::Node> root = ParseYamlFile(path);
  if (!root.ok()) return root.status();
  const FileKind kinds[] = {FileKind::kProposal, FileKind::kScenario, FileKind::kSuite,
                            FileKind::kPolicy};
  // In order: a proposal also has a `policy:` key, naming its policy.
  if (root->IsMap()) {
    for (FileKind k : kinds) {
      if ((*root)[FileKindName(k)].IsDefined()) return k;
    }
  }
  YamlReader r(path);
  r.Error(*root,
          "cannot tell what this file is: expected one of the top keys 'proposal', "
          "'scenario', 'suite' or 'policy'");
  return r.ToStatus();
}

Status ValidateFile(const std::string& path, const LoadOptions& options) {
  Result<FileKind> kind = DetectFileKind(path);
  if (!kind.ok()) return kind.status();
  switch (*kind) {
    case FileKind::kProposal: return LoadProposal(path, options).status();
    case FileKind::kScenario: return LoadScenario(path).status();
    case FileKind::kSuite: return LoadSuite(path, options.scenarios_dir).status();
    case FileKind::kPolicy: return LoadPolicyFile(path).status();
  }
  return Status::Internal("unreachable file kind");
}

}  // namespace kgate
