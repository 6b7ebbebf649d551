#include "config/load_options.h"

#include "base/paths.h"

namespace kgate {

LoadOptions LoadOptions::FromHome(const std::string& home) {
  LoadOptions options;
  options.scenarios_dir = home + "/scenarios";
  options.suites_dir = home + "/suites";
  options.policies_dir = home + "/policies";
  return options;
}

LoadOptions LoadOptions::Default() { return FromHome(KgateHome()); }

}  // namespace kgate
