#include "engine/build_check.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kgate {

CheckRecord BuildCheck(const std::string& arm, const KernelBuildOutcome& outcome, std::int64_t run_id) {
  const KernelBuildRecord& r = outcome.record;
  CheckRecord check;
  check.run_id = run_id;
  check.arm = arm;
  check.kind = "build";
  nlohmann::json detail = nlohmann::json::parse(BuildRecordToJson(r));
  detail["log"] = outcome.log_path;
  if (outcome.error) {
    const BuildError& e = *outcome.error;
    check.status = CheckStatus::kFailed;
    check.summary = e.Describe();
    detail["error"] = {{"kind", e.kind},       {"file", e.file},       {"line", e.line},
                       {"column", e.column},   {"message", e.message}, {"context", e.context}};
  } else {
    check.status = CheckStatus::kPassed;
    std::string patches = r.patch_ids.empty() ? "no patches" : fmt::format("{} patch(es)", r.patch_ids.size());
    check.summary = r.cache_hit
                        ? fmt::format("kernel {} ({} config, {}) from the build cache", r.key.substr(0, 12),
                                      r.config_base, patches)
                        : fmt::format("kernel {} ({} config, {}) built in {:.0f} s", r.key.substr(0, 12),
                                      r.config_base, patches, r.seconds);
  }
  check.detail_json = detail.dump();
  return check;
}

std::optional<FindingRecord> BuildFinding(const std::string& arm, const KernelBuildOutcome& outcome,
                                          std::int64_t run_id) {
  if (!outcome.error) return std::nullopt;
  const BuildError& e = *outcome.error;
  FindingRecord f;
  f.run_id = run_id;
  f.arm = arm;
  f.rule = "kernel-build-failed";
  f.level = "error";
  f.file = e.file;
  f.line = e.line;
  f.message = e.kind == "compiler" ? "error: " + e.message : e.kind + " error: " + e.message;
  for (const std::string& line : e.context) f.excerpt += line + "\n";
  return f;
}

}  // namespace kgate
