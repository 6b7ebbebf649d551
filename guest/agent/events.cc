#include "guest/agent/events.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace kgate::agent {
namespace {

using nlohmann::json;

std::string Line(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

json SnapshotJson(const MemorySnapshot& s) {
  return {{"slab_kb", s.slab_kb},
          {"sunreclaim_kb", s.sunreclaim_kb},
          {"sreclaimable_kb", s.sreclaimable_kb},
          {"vmalloc_used_kb", s.vmalloc_used_kb},
          {"percpu_kb", s.percpu_kb},
          {"modules_bytes", s.modules_bytes},
          {"taint", s.taint}};
}

}  // namespace

std::string ReadyEvent(const std::string& kernel, const std::string& clocksource,
                       double uptime_s) {
  return Line({{"event", "ready"}, {"kernel", kernel}, {"clocksource", clocksource},
               {"uptime_s", uptime_s}});
}

std::string StepEvent(const std::string& step, const std::string& target, bool ok,
                      const std::string& error) {
  json j = {{"event", "step"}, {"step", step}, {"target", target}, {"ok", ok}};
  if (!ok) j["error"] = error;
  return Line(j);
}

std::string RepEvent(int rep, bool warmup, const ExecResult& result, const Counters& deltas) {
  json counters = json::object();
  for (const auto& [k, v] : deltas) {
    if (std::isfinite(v)) counters[k] = v;
  }
  json j = {{"event", "rep"},          {"rep", rep},
            {"warmup", warmup},        {"exit", result.exit_code},
            {"seconds", result.seconds}, {"output", result.output},
            {"truncated", result.truncated}, {"counters", counters}};
  if (result.timed_out) j["timed_out"] = true;
  return Line(j);
}

std::string ModuleCycleEvent(const ModuleCycleSpec& spec, const CycleReport& r) {
  json errors = json::array();
  for (const CycleError& e : r.errors) {
    errors.push_back({{"op", e.op}, {"iteration", e.iteration}, {"error", e.error}});
  }
  return Line({{"event", "module_cycle"},   {"path", spec.path},
               {"name", spec.name},         {"count", r.count},
               {"loaded", r.loaded},        {"unloaded", r.unloaded},
               {"errors", errors},          {"taint_start", r.taint_start},
               {"before", SnapshotJson(r.before)}, {"after", SnapshotJson(r.after)},
               {"still_loaded", r.still_loaded},   {"seconds", r.seconds},
               {"settle_ms", spec.settle_ms}});
}

std::string ErrorEvent(const std::string& message) {
  return Line({{"event", "error"}, {"message", message}});
}

std::string DoneEvent() { return Line({{"event", "done"}}); }

}  // namespace kgate::agent
