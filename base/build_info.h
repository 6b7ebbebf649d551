// What this kgate is: its version and the git commit it was built from,
// baked in at build time (cmake/build_info.cmake), so a run records the
// code that measured it whatever directory it runs from.
#pragma once

namespace kgate::build_info {

extern const char kVersion[];  // "0.2.0"
extern const char kGitSha[];   // 40 hex digits, "-dirty" appended for a
                               // modified tree; "unknown" outside git

}  // namespace kgate::build_info
