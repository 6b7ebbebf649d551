#include "base/taint.h"

#include <array>

namespace kgate {
namespace {

struct Known {
  char letter;
  const char* name;
};

// Indexed by bit, as in kernel/panic.c taint_flags[] (6.12).
constexpr std::array<Known, 19> kFlags = {{
    {'P', "proprietary module was loaded"},
    {'F', "module was force loaded"},
    {'S', "kernel running on an out of specification system"},
    {'R', "module was force unloaded"},
    {'M', "processor reported a Machine Check Exception"},
    {'B', "bad page referenced or some unexpected page flags"},
    {'U', "taint requested by userspace application"},
    {'D', "kernel died recently, i.e. there was an OOPS or BUG"},
    {'A', "an ACPI table was overridden by user"},
    {'W', "kernel issued warning"},
    {'C', "staging driver was loaded"},
    {'I', "workaround for bug in platform firmware applied"},
    {'O', "externally-built (out-of-tree) module was loaded"},
    {'E', "unsigned module was loaded"},
    {'L', "soft lockup occurred"},
    {'K', "kernel has been live patched"},
    {'X', "auxiliary taint, defined for and used by distros"},
    {'T', "kernel was built with the struct randomization plugin"},
    {'N', "an in-kernel test has been run"},
}};

}  // namespace

std::vector<TaintFlag> DecodeTaint(std::uint64_t mask) {
  std::vector<TaintFlag> out;
  for (int bit = 0; bit < 64; ++bit) {
    if (!(mask & (std::uint64_t{1} << bit))) continue;
    if (bit < static_cast<int>(kFlags.size())) {
      out.push_back({bit, kFlags[bit].letter, kFlags[bit].name});
    } else {
      out.push_back({bit, '?', "taint bit " + std::to_string(bit) + ", unknown to this kgate"});
    }
  }
  return out;
}

std::string TaintLetters(std::uint64_t mask) {
  std::string out;
  for (const TaintFlag& f : DecodeTaint(mask)) out += f.letter;
  return out.empty() ? "G" : out;
}

std::string DescribeTaint(std::uint64_t mask) {
  std::string out;
  for (const TaintFlag& f : DecodeTaint(mask)) {
    if (!out.empty()) out += ", ";
    out += std::string(1, f.letter) + " (" + f.name + ")";
  }
  return out.empty() ? "none" : out;
}

}  // namespace kgate
