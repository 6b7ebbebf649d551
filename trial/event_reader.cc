#include "trial/event_reader.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace kgate {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxMalformedNotes = 20;

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

double Num(const json& j, const char* key, double fallback = 0) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

bool Bool(const json& j, const char* key, bool fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// Returns "" or why the rep event is unusable.
std::string ReadRep(const json& j, GuestRep* rep) {
  if (!j.contains("rep") || !j["rep"].is_number_integer()) return "rep without an integer 'rep'";
  if (!j.contains("exit") || !j["exit"].is_number_integer()) return "rep without an integer 'exit'";
  rep->output.repetition = j["rep"].get<int>();
  rep->output.warmup = Bool(j, "warmup", false);
  rep->output.exit_code = j["exit"].get<int>();
  rep->output.seconds = Num(j, "seconds");
  rep->output.output = Str(j, "output");
  rep->truncated = Bool(j, "truncated", false);
  rep->timed_out = Bool(j, "timed_out", false);
  if (j.contains("counters") && j["counters"].is_object()) {
    for (const auto& [k, v] : j["counters"].items()) {
      if (v.is_number()) rep->output.counters[k] = v.get<double>();
    }
  }
  return "";
}

GuestMemorySnapshot ReadSnapshot(const json& j) {
  GuestMemorySnapshot s;
  if (!j.is_object()) return s;
  s.slab_kb = Num(j, "slab_kb");
  s.sunreclaim_kb = Num(j, "sunreclaim_kb");
  s.sreclaimable_kb = Num(j, "sreclaimable_kb");
  s.vmalloc_used_kb = Num(j, "vmalloc_used_kb");
  s.percpu_kb = Num(j, "percpu_kb");
  s.modules_bytes = Num(j, "modules_bytes");
  auto it = j.find("taint");
  if (it != j.end() && it->is_number_unsigned()) s.taint = it->get<std::uint64_t>();
  return s;
}

// Returns "" or why the module_cycle event is unusable.
std::string ReadModuleCycle(const json& j, GuestModuleCycle* c) {
  for (const char* key : {"count", "loaded", "unloaded"}) {
    if (!j.contains(key) || !j[key].is_number_integer()) {
      return std::string("module_cycle without an integer '") + key + "'";
    }
  }
  if (!j.contains("before") || !j["before"].is_object() || !j.contains("after") ||
      !j["after"].is_object()) {
    return "module_cycle without 'before' and 'after' objects";
  }
  c->path = Str(j, "path");
  c->name = Str(j, "name");
  c->count = j["count"].get<int>();
  c->loaded = j["loaded"].get<int>();
  c->unloaded = j["unloaded"].get<int>();
  if (j.contains("errors") && j["errors"].is_array()) {
    for (const json& e : j["errors"]) {
      if (!e.is_object()) continue;
      c->errors.push_back({Str(e, "op"), static_cast<int>(Num(e, "iteration", -1)), Str(e, "error")});
    }
  }
  auto taint = j.find("taint_start");
  if (taint != j.end() && taint->is_number_unsigned()) c->taint_start = taint->get<std::uint64_t>();
  c->before = ReadSnapshot(j["before"]);
  c->after = ReadSnapshot(j["after"]);
  c->still_loaded = Bool(j, "still_loaded", false);
  c->seconds = Num(j, "seconds");
  c->settle_ms = static_cast<int>(Num(j, "settle_ms"));
  return "";
}

}  // namespace

int GuestEvents::measured_reps() const {
  int n = 0;
  for (const auto& r : reps) n += r.output.warmup ? 0 : 1;
  return n;
}

GuestEvents ParseEvents(const std::string& text, const std::string& file) {
  GuestEvents ev;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  auto note = [&](const std::string& why) {
    if (ev.malformed.size() < kMaxMalformedNotes) {
      ev.malformed.push_back(file + ":" + std::to_string(line_no) + ": " + why);
    }
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      note("not a JSON object");
      continue;
    }
    std::string kind = Str(j, "event");
    if (kind == "ready") {
      ev.ready = true;
      ev.kernel = Str(j, "kernel");
      ev.clocksource = Str(j, "clocksource");
      ev.ready_uptime_s = Num(j, "uptime_s");
    } else if (kind == "step") {
      ev.steps.push_back({Str(j, "step"), Str(j, "target"), Bool(j, "ok", false), Str(j, "error")});
    } else if (kind == "rep") {
      GuestRep rep;
      if (auto why = ReadRep(j, &rep); !why.empty()) {
        note(why);
      } else {
        ev.reps.push_back(std::move(rep));
      }
    } else if (kind == "module_cycle") {
      GuestModuleCycle cycle;
      if (auto why = ReadModuleCycle(j, &cycle); !why.empty()) {
        note(why);
      } else {
        ev.module_cycle = std::move(cycle);
      }
    } else if (kind == "fault") {
      ev.fault = line;  // checks/fault_pass.cc reads it, defensively
    } else if (kind == "error") {
      ev.errors.push_back(Str(j, "message"));
    } else if (kind == "done") {
      ev.done = true;
    } else {
      note("unknown event '" + kind + "'");
    }
  }
  return ev;
}

GuestEvents ReadEvents(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return GuestEvents{};
  // Sized by the file, not the bound: a bound of 64 MiB allocated and zeroed
  // for every trial's few kilobytes of events cost more than parsing them.
  std::streamoff size = std::max<std::streamoff>(in.tellg(), 0);
  in.seekg(0);
  std::string text(std::min<std::size_t>(static_cast<std::size_t>(size), max_bytes + 1), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  bool cut = text.size() > max_bytes;
  if (cut) text.resize(max_bytes);
  GuestEvents ev = ParseEvents(text, path);
  ev.cut = cut;
  return ev;
}

}  // namespace kgate
