// Where tests find golden files: the source tree they were built from.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace kgate::testing {

// <source root>/<part>/<part>...: SourcePath({"analysis/testdata", name}).
std::string SourcePath(std::initializer_list<std::string_view> parts);

}  // namespace kgate::testing
