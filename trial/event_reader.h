// Reads the JSON lines kgate-agent wrote on the channel (guest/protocol.h)
// into typed events. The guest is untrusted: the file is read up to a bound,
// a malformed line is noted and skipped, and nothing here throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "guest/protocol.h"
#include "scenarios/parsers/parser.h"

namespace kgate {

struct GuestStep {
  std::string step;    // module | insmod | scratch | sysctl | knob | settle | agent | setup
  std::string target;
  bool ok = true;
  std::string error;
};

struct GuestRep {
  RepetitionOutput output;  // repetition is the agent's index among its kind
  bool timed_out = false;
  bool truncated = false;   // the agent cut the output at max_output_bytes
};

// Memory at one moment of a module cycle (fields in guest/protocol.h).
using GuestMemorySnapshot = guest::MemorySnapshot;

struct GuestCycleError {
  std::string op;  // warmup-load | warmup-unload | load | unload | drop-caches
  int iteration = -1;
  std::string error;
};

// The module_cycle event (guest/protocol.h).
struct GuestModuleCycle {
  std::string path;
  std::string name;
  int count = 0;
  int loaded = 0;
  int unloaded = 0;
  std::vector<GuestCycleError> errors;
  std::uint64_t taint_start = 0;
  GuestMemorySnapshot before, after;
  bool still_loaded = false;
  double seconds = 0;
  int settle_ms = 0;
};

struct GuestEvents {
  bool ready = false;
  std::string kernel;       // uname -r
  std::string clocksource;
  double ready_uptime_s = 0;
  std::vector<GuestStep> steps;
  std::vector<GuestRep> reps;  // warm-up and measured, in order
  std::optional<GuestModuleCycle> module_cycle;
  std::vector<std::string> errors;
  std::string fault;        // the "fault" event's line as sent (fault pass); "" when none
  bool done = false;
  std::vector<std::string> malformed;  // "file:line: why", at most 20
  bool cut = false;                    // the file was longer than the bound

  int measured_reps() const;
};

// Parses events text; file names the source in malformed-line notes.
GuestEvents ParseEvents(const std::string& text, const std::string& file);

// Reads at most max_bytes of path (a missing file is no events: the guest
// never got that far) and parses it.
GuestEvents ReadEvents(const std::string& path, std::size_t max_bytes = 64 << 20);

}  // namespace kgate
