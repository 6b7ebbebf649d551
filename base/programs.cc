#include "base/programs.h"

#include "base/paths.h"
#include "base/process.h"

namespace kgate {
namespace {

class HostPrograms : public ProgramFinder {
 public:
  std::string GuestProgram(const std::string& name) override { return GuestProgramPath(name); }
  std::string HostProgram(const std::string& name) override { return FindInPath(name); }
};

}  // namespace

ProgramFinder& SystemPrograms() {
  static HostPrograms programs;
  return programs;
}

}  // namespace kgate
