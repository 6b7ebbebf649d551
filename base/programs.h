// ProgramFinder: where kgate finds the programs it ships into guests,
// behind an interface so the engine is tested without the host's PATH.
#pragma once

#include <string>

namespace kgate {

class ProgramFinder {
 public:
  virtual ~ProgramFinder() = default;
  // One of kgate's own guest programs ("kgate-agent", "kgate-microbench"):
  // its absolute path, "" when it is not there.
  virtual std::string GuestProgram(const std::string& name) = 0;
  // A host program shipped into guests ("fio", "mkfs.ext4"): its absolute
  // path from PATH, "" when absent.
  virtual std::string HostProgram(const std::string& name) = 0;
};

// GuestProgramPath (base/paths.h) and FindInPath (base/process.h).
ProgramFinder& SystemPrograms();

}  // namespace kgate
