#include "config/load_options.h"

#include "base/paths.h"

namespace kgate {

LoadOptions LoadOptions::FromHome(const std::string& home) {
  return {home + "/scenarios", home + "/suites", home + "/policies"};
}

LoadOptions LoadOptions::Default() { return FromHome(SourceDir()); }

}  // namespace kgate
