#include "config/load_options.h"

#include <filesystem>

#include "base/paths.h"

namespace kgate {

LoadOptions LoadOptions::FromHome(const std::string& home) {
  std::error_code ec;
  std::string root = std::filesystem::absolute(home, ec).lexically_normal().string();
  if (ec) root = home;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  LoadOptions options;
  options.scenarios_dir = root + "/scenarios";
  options.suites_dir = root + "/suites";
  options.policies_dir = root + "/policies";
  return options;
}

LoadOptions LoadOptions::Default() { return FromHome(KgateHome()); }

}  // namespace kgate
