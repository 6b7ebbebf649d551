#include "kbuild/build_record.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace kgate {

// build.json: every field but cache_hit, under its own name.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(KernelBuildRecord, key, input_key, source, source_package,
                                   source_version, source_sha256, base_commit, head_commit,
                                   patch_ids, config_base, config_hash, toolchain, build_steps,
                                   seconds)

// config_origin came later: written when set, read when there.
std::string BuildRecordToJson(const KernelBuildRecord& r) {
  nlohmann::json j = r;
  if (!r.config_origin.empty()) j["config_origin"] = r.config_origin;
  return j.dump(2) + "\n";
}

Result<KernelBuildRecord> BuildRecordFromJson(const std::string& json, const std::string& origin) {
  try {
    nlohmann::json j = nlohmann::json::parse(json);
    KernelBuildRecord r = j.get<KernelBuildRecord>();
    r.config_origin = j.value("config_origin", "");
    return r;
  } catch (const nlohmann::json::exception& e) {
    return Status::BadInput(fmt::format("{}: not a kernel build record: {}", origin, e.what()));
  }
}

}  // namespace kgate
