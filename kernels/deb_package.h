// Fetching Debian packages without installing them: `apt-get download` into
// a directory and `dpkg-deb -x` into a root of one's choosing. Shared by the
// kernel-headers cache (kernels/kernel_headers.h) and checkpatch.pl's fetch
// (analysis/checkpatch.h), which both unpack packages under the kgate cache
// and never touch the system's dpkg database.
//
// Thread-compatible; every call runs host programs through the given runner.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/process.h"
#include "base/status.h"

namespace kgate {

// Runs `apt-get download PACKAGE...` in dir (which must exist) and returns
// the path of each package's .deb, in the order asked. Infrastructure naming
// the command and its last stderr line when apt-get fails, or naming the
// package whose .deb did not appear.
Result<std::vector<std::string>> DownloadDebs(ProcessRunner& runner,
                                              const std::vector<std::string>& packages,
                                              const std::string& dir);

// `dpkg-deb -x deb root`. Infrastructure with the command on failure.
Status ExtractDeb(ProcessRunner& runner, const std::string& deb, const std::string& root);

// The Version of a .deb, from its file name NAME_VERSION_ARCH.deb
// ("linux-source-6.12_6.12.117-1~deb12u1_all.deb" -> "6.12.117-1~deb12u1");
// "unknown" when the name is not in that form.
std::string DebVersion(const std::string& deb_path);

// The package names of a Depends: field, without version constraints; of an
// alternative "a | b" only the first. "x (>= 1), y | z" -> {x, y}.
std::vector<std::string> ParseDependsNames(std::string_view depends);

}  // namespace kgate
