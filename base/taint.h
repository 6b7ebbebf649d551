// The kernel's taint mask (/proc/sys/kernel/tainted) in the letters the
// kernel prints in an Oops ("Tainted: G        W  OE"), with their meaning.
// A module cycle or a fault pass reads the mask before and after: a bit that
// appears in between (W: a WARN fired, D: an Oops) is what kgate reports;
// O and E are expected of any out-of-tree, unsigned module.
// Table: Documentation/admin-guide/tainted-kernels.rst, kernel/panic.c.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kgate {

struct TaintFlag {
  int bit = 0;
  char letter = '?';
  std::string name;
};

// The flags set in mask, lowest bit first. Bits the kernel does not define
// (yet) come back with letter '?' and a name saying which bit.
std::vector<TaintFlag> DecodeTaint(std::uint64_t mask);

// The set flags' letters, lowest bit first: "OE"; "G" when nothing is set
// (the kernel's own word for an untainted kernel).
std::string TaintLetters(std::uint64_t mask);

// "W (kernel issued warning), O (out-of-tree module was loaded)"; "none".
std::string DescribeTaint(std::uint64_t mask);

// Bits set in after that were not set in before.
inline std::uint64_t NewTaintBits(std::uint64_t before, std::uint64_t after) {
  return after & ~before;
}

}  // namespace kgate
