// The JSON lines kgate-agent emits on the channel (format in guest/protocol.h).
// Each function returns one complete line ending in '\n'. Invalid UTF-8 in
// workload output is replaced (U+FFFD), never an exception: a guest's bytes
// must not be able to kill PID 1.
#pragma once

#include <string>

#include "guest/agent/counters.h"
#include "guest/agent/exec.h"
#include "guest/agent/module_cycle.h"

namespace kgate::agent {

std::string ReadyEvent(const std::string& kernel, const std::string& clocksource,
                       double uptime_s);
std::string StepEvent(const std::string& step, const std::string& target, bool ok,
                      const std::string& error);
// rep is 0-based among warm-up or among measured repetitions.
std::string RepEvent(int rep, bool warmup, const ExecResult& result, const Counters& deltas);
// The outcome of a task's module_cycle (format in guest/protocol.h).
std::string ModuleCycleEvent(const ModuleCycleSpec& spec, const CycleReport& report);
std::string ErrorEvent(const std::string& message);
std::string DoneEvent();

}  // namespace kgate::agent
