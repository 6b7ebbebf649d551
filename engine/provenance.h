// What a new run records about where and with what it was measured.
#pragma once

#include <string>

#include "base/process.h"

namespace kgate {

struct Provenance {
  std::string host;           // hostname
  std::string host_kernel;    // uname -r of the host
  std::string qemu_version;   // first line of `qemu --version`; "" when it does not run
  std::string kgate_version;  // base/build_info.h
  std::string git_sha;        // base/build_info.h
};

// Reads the host's facts; runs `qemu_binary --version` through runner.
Provenance CollectProvenance(ProcessRunner& runner,
                             const std::string& qemu_binary = "qemu-system-x86_64");

}  // namespace kgate
