// Loading policies/<name>.yaml into a Policy.
//
//   kgate: 1
//   policy: mainline                # must equal the file's stem
//   description: text
//   margin: 2%                      # equivalence margin (or a fraction, 0.02)
//   alpha: 0.05                     # after Benjamini-Hochberg
//   max_guard_regression: 2%
//   require_target_gain: true       require_beat_tuned: true
//   require_claims: false           fault_injection: false
//   forbid: [float-in-kernel, file-io-in-kernel]   # finding rule ids
//   trusted: {icount: [time, rate, latency, count, bytes], tcg: [count, bytes]}
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "config/config_files.h"
#include "config/model.h"

namespace kgate {

// Loads and validates one policy file; BadInput with every error found.
Result<Policy> LoadPolicyFile(const std::string& path, ConfigFiles& files = DiskConfigFiles());

// name_or_path is a path when it contains '/' or ends in ".yaml" (relative
// paths resolve against base_dir), else the name of a file in policies_dir.
// NotFound with a did-you-mean when the name matches no policy.
Result<Policy> LoadPolicy(const std::string& name_or_path, const std::string& base_dir,
                          const std::string& policies_dir, ConfigFiles& files = DiskConfigFiles());

std::vector<std::string> ListPolicies(const std::string& policies_dir,
                                      ConfigFiles& files = DiskConfigFiles());

// The tier names kgate knows, in order of fidelity.
const std::vector<std::string>& TierNames();

}  // namespace kgate
