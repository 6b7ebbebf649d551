#include "guest/agent/faults.h"

#include <cerrno>
#include <cstdlib>

#include <nlohmann/json.hpp>

namespace kgate::agent {
namespace {

using nlohmann::json;

json Workload(const ExecResult& r, std::size_t max_output_bytes) {
  std::string out = r.output;
  bool cut = r.truncated;
  if (out.size() > max_output_bytes) {
    out = out.substr(out.size() - max_output_bytes);
    cut = true;
  }
  json j = {{"started", r.started}, {"exit", r.exit_code}, {"seconds", r.seconds},
            {"timed_out", r.timed_out}, {"output", out}, {"truncated", cut}};
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

}  // namespace

std::uint64_t ParseTaint(const std::string& text) {
  if (text.empty()) return 0;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  while (end && (*end == '\n' || *end == ' ')) ++end;
  if (errno != 0 || !end || *end != '\0') return 0;
  return v;
}

std::string FaultEvent(const FaultReport& r, std::size_t max_output_bytes) {
  json garbage = json::array();
  for (const GarbageWrite& g : r.garbage) {
    json w = {{"knob", g.knob}, {"value", g.value}, {"accepted", g.accepted},
              {"written", g.written}, {"before", g.before}, {"after", g.after}};
    if (!g.accepted) {
      w["errno"] = g.error_number;
      w["error"] = g.error;
    }
    garbage.push_back(w);
  }
  json j = {{"event", "fault"},
            {"taint_boot", r.taint_boot},
            {"taint_before", r.taint_before},
            {"taint_after", r.taint_after},
            {"agent",
             {{"pid", r.agent.pid},
              {"kill_after_s", r.agent.after_s},
              {"alive_at_kill", r.agent.alive_at_kill},
              {"killed", r.agent.killed},
              {"status", r.agent.status}}},
            {"workload_after_kill", Workload(r.workload_after_kill, max_output_bytes)},
            {"garbage", garbage},
            {"workload_after_garbage", Workload(r.workload_after_garbage, max_output_bytes)},
            {"responsive",
             {{"ok", r.responsive.ok},
              {"seconds", r.responsive.seconds},
              {"timeout_s", r.responsive.timeout_s},
              {"loadavg", r.responsive.loadavg},
              {"error", r.responsive.error}}}};
  if (r.sched_ext) {
    j["sched_ext"] = {{"state_after_kill", r.sched_ext->state},
                      {"seconds_to_disabled", r.sched_ext->seconds_to_disabled},
                      {"ext_tasks", r.sched_ext->ext_tasks},
                      {"tasks", r.sched_ext->tasks},
                      {"kernel_said", r.sched_ext->kernel_said}};
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace kgate::agent
