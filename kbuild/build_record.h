// What kgate records beside each kernel it builds: build.json.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace kgate {

// Where a built kernel came from, recorded beside it.
struct KernelBuildRecord {
  std::string key;
  std::string input_key;
  std::string source;          // "debian:6.12"
  std::string source_package;  // "linux-source-6.12"; "" for git
  std::string source_version;  // "6.12.118-1~deb12u1", or the git ref
  std::string source_sha256;   // of the tarball; "" for git
  std::string base_commit;
  std::string head_commit;             // base + one commit per patch
  std::vector<std::string> patch_ids;  // `git patch-id --stable`, in series order
  std::string config_base;
  std::string
      config_origin;  // debian-cloud/-generic: the linux-image package whose config it started from
  std::string config_hash;  // sha256 of the final .config's settings
  std::string toolchain;    // "gcc (Debian 12.2.0-14) 12.2.0; GNU ld ...; pahole v1.24"
  int build_steps = 0;      // Kbuild's CC/LD/AR... lines
  double seconds = 0;       // wall time of the build; 0 on a hit
  bool cache_hit = false;
};

// build.json: every field but cache_hit, under its own name; config_origin
// only when set (records written before it existed have none). A file that
// is not a record is BadInput naming origin.
std::string BuildRecordToJson(const KernelBuildRecord& record);
Result<KernelBuildRecord> BuildRecordFromJson(const std::string& json, const std::string& origin);

}  // namespace kgate
