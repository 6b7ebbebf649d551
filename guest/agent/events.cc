#include "guest/agent/events.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace kgate::agent {
namespace {

using nlohmann::json;

std::string Line(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
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

std::string ErrorEvent(const std::string& message) {
  return Line({{"event", "error"}, {"message", message}});
}

std::string DoneEvent() { return Line({{"event", "done"}}); }

}  // namespace kgate::agent
