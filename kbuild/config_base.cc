#include "kbuild/config_base.h"

#include <regex>

#include <fmt/format.h>

#include "base/strings.h"

namespace kgate {

bool GuestBase(const std::string& base) { return base == "guest" || base == "guest-sched-ext"; }

bool DebianBase(const std::string& base) {
  return base == "debian-cloud" || base == "debian-generic";
}

bool GivenConfigBase(const std::string& base) {
  return StartsWith(base, "file:") || DebianBase(base);
}

Result<std::string> DebianConfigKernel(const std::string& config_base,
                                       const KernelSourceTree& source) {
  // "6.12.118-1~deb12u1" for a Debian source, "v6.12.3" or "linux-6.12.y" for a git ref.
  static const std::regex kSeries(R"((?:^|[^0-9.])(\d+)\.(\d+)(?:[.-]|$|\.y))");
  std::smatch m;
  if (!std::regex_search(source.version, m, kSeries)) {
    return Status::BadInput(fmt::format(
        "config base '{}' takes the config of Debian's kernel of the source's series, and '{}' "
        "names no "
        "version (expected a ref such as v6.12.3); use file:<path> with the config you want",
        config_base, source.version));
  }
  std::string series = m[1].str() + "." + m[2].str();
  return config_base == "debian-cloud" ? "debian:" + series + "-cloud" : "debian:" + series;
}

}  // namespace kgate
