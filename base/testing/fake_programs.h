// FakePrograms: kgate's guest programs and the host's workloads, as paths
// that need not exist; `missing` names host programs the host lacks.
#pragma once

#include <set>
#include <string>

#include "base/programs.h"

namespace kgate::testing {

class FakePrograms : public ProgramFinder {
 public:
  std::string GuestProgram(const std::string& name) override {
    return name == "kgate-agent" || name == "kgate-microbench" ? "/fake/libexec/kgate/" + name
                                                               : "";
  }
  std::string HostProgram(const std::string& name) override {
    return missing.count(name) ? "" : "/usr/bin/" + name;
  }
  std::set<std::string> missing;
};

}  // namespace kgate::testing
