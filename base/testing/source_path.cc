#include "base/testing/source_path.h"

namespace kgate::testing {

std::string SourcePath(std::initializer_list<std::string_view> parts) {
  std::string path = KGATE_SOURCE_ROOT;
  for (std::string_view part : parts) {
    path += '/';
    path.append(part);
  }
  return path;
}

}  // namespace kgate::testing
