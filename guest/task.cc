#include "guest/task.h"

#include <nlohmann/json.hpp>

#include "guest/protocol.h"

namespace kgate::guest {
namespace {

using nlohmann::json;

// Thrown inside ParseTask only, caught at its boundary.
struct TaskError {
  std::string message;
};

[[noreturn]] void Fail(const std::string& key, const std::string& expected) {
  throw TaskError{"task.json: key '" + key + "': expected " + expected};
}

std::vector<std::string> StringList(const json& j, const std::string& key) {
  std::vector<std::string> out;
  if (!j.contains(key) || j[key].is_null()) return out;
  if (!j[key].is_array()) Fail(key, "a list of strings");
  for (const auto& v : j[key]) {
    if (!v.is_string()) Fail(key, "a list of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::map<std::string, std::string> StringMap(const json& j, const std::string& key) {
  std::map<std::string, std::string> out;
  if (!j.contains(key) || j[key].is_null()) return out;
  if (!j[key].is_object()) Fail(key, "an object of strings");
  for (const auto& [k, v] : j[key].items()) {
    if (v.is_string()) {
      out[k] = v.get<std::string>();
    } else if (v.is_number()) {
      out[k] = v.dump();  // a YAML 16 may arrive as a number
    } else {
      Fail(key + "." + k, "a string");
    }
  }
  return out;
}

// prefix names the enclosing object in errors ("module_cycle.").
template <typename T>
T Get(const json& j, const std::string& key, T fallback, const std::string& prefix = "") {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  try {
    return j[key].get<T>();
  } catch (const json::exception&) {
    Fail(prefix + key, "a value of the right type");
  }
}

std::string GetString(const json& j, const std::string& key, const std::string& fallback,
                      const std::string& prefix = "") {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_string()) Fail(prefix + key, "a string");
  return j[key].get<std::string>();
}

std::vector<InsmodSpec> InsmodList(const json& j) {
  std::vector<InsmodSpec> out;
  if (!j.contains("insmod") || j["insmod"].is_null()) return out;
  if (!j["insmod"].is_array()) Fail("insmod", "a list of {\"path\", \"params\"} objects");
  for (std::size_t i = 0; i < j["insmod"].size(); ++i) {
    const json& m = j["insmod"][i];
    std::string key = "insmod[" + std::to_string(i) + "]";
    if (!m.is_object()) Fail(key, "an object with \"path\" and \"params\"");
    InsmodSpec spec{GetString(m, "path", "", key + "."), GetString(m, "params", "", key + ".")};
    if (spec.path.empty() || spec.path[0] != '/') Fail(key + ".path", "an absolute path to a .ko");
    out.push_back(std::move(spec));
  }
  return out;
}

std::optional<ModuleCycleSpec> ModuleCycle(const json& j) {
  if (!j.contains("module_cycle") || j["module_cycle"].is_null()) return std::nullopt;
  const json& c = j["module_cycle"];
  if (!c.is_object()) Fail("module_cycle", "an object or null");
  ModuleCycleSpec spec;
  spec.path = GetString(c, "path", "", "module_cycle.");
  if (spec.path.empty() || spec.path[0] != '/') Fail("module_cycle.path", "an absolute path to a .ko");
  spec.name = GetString(c, "name", "", "module_cycle.");
  if (spec.name.empty() || spec.name.find_first_of("/ ") != std::string::npos) {
    Fail("module_cycle.name", "a module name");
  }
  spec.count = Get<int>(c, "count", spec.count, "module_cycle.");
  if (spec.count < 1) Fail("module_cycle.count", "a count >= 1");
  spec.params = GetString(c, "params", "", "module_cycle.");
  spec.settle_ms = Get<int>(c, "settle_ms", spec.settle_ms, "module_cycle.");
  if (spec.settle_ms < 0) Fail("module_cycle.settle_ms", "milliseconds >= 0");
  return spec;
}

double Seconds(const json& faults, const std::string& key, double fallback) {
  if (!faults.contains(key) || faults[key].is_null()) return fallback;
  if (!faults[key].is_number() || faults[key].get<double>() <= 0) {
    Fail("faults." + key, "a positive number of seconds");
  }
  return faults[key].get<double>();
}

std::optional<FaultSpec> Faults(const json& task) {
  if (!task.contains("faults") || task["faults"].is_null()) return std::nullopt;
  const json& f = task["faults"];
  if (!f.is_object()) Fail("faults", "an object or null");
  FaultSpec spec;
  spec.kill_agent_after_s = Seconds(f, "kill_agent_after_s", spec.kill_agent_after_s);
  spec.responsive_timeout_s = Seconds(f, "responsive_timeout_s", spec.responsive_timeout_s);
  if (f.contains("garbage") && !f["garbage"].is_null()) {
    if (!f["garbage"].is_object()) Fail("faults.garbage", "an object of knob -> list of strings");
    for (const auto& [knob, values] : f["garbage"].items()) {
      bool strings = values.is_array();
      for (const auto& v : values) strings = strings && v.is_string();
      if (!strings) Fail("faults.garbage." + knob, "a list of strings");
      spec.garbage[knob] = values.get<std::vector<std::string>>();
    }
  }
  return spec;
}

}  // namespace

std::string TaskToJson(const Task& t) {
  json insmod = json::array();
  for (const InsmodSpec& m : t.insmod) insmod.push_back({{"path", m.path}, {"params", m.params}});
  json cycle = nullptr;
  if (t.module_cycle) {
    const ModuleCycleSpec& c = *t.module_cycle;
    cycle = {{"path", c.path}, {"name", c.name}, {"count", c.count},
             {"params", c.params}, {"settle_ms", c.settle_ms}};
  }
  json agent = nullptr;
  if (t.agent) agent = {{"path", t.agent->path}, {"args", t.agent->args}};
  json sched_ext = nullptr;
  if (t.sched_ext) {
    sched_ext = {{"ops", t.sched_ext->ops}, {"enable_timeout_s", t.sched_ext->enable_timeout_s}};
  }
  json scratch = nullptr;
  if (t.scratch) {
    scratch = {{"device", t.scratch->device},
               {"fs", t.scratch->fs},
               {"mount", t.scratch->mount},
               {"null_blk", nullptr}};
    if (const auto& n = t.scratch->null_blk) {
      scratch["null_blk"] = {{"name", n->name},
                             {"profile", n->profile},
                             {"completion_nsec", n->completion_nsec},
                             {"mbps", n->mbps},
                             {"queue_depth", n->queue_depth},
                             {"max_sectors", n->max_sectors},
                             {"size_mb", n->size_mb}};
    }
  }
  json j = {{"version", t.version},   {"trial", t.trial},     {"scenario", t.scenario},
            {"modules", t.modules},   {"insmod", insmod},     {"module_cycle", cycle},
            {"sysctl", t.sysctl},     {"knobs", t.knobs},     {"agent", agent},
            {"sched_ext", sched_ext},
            {"scratch", scratch},     {"setup", t.setup},     {"command", t.command},
            {"warmup", t.warmup},     {"reps", t.reps},       {"timeout_s", t.timeout_s},
            {"drop_caches", t.drop_caches}, {"env", t.env},
            {"max_output_bytes", t.max_output_bytes}};
  if (t.faults) {
    j["faults"] = {{"kill_agent_after_s", t.faults->kill_agent_after_s},
                   {"garbage", t.faults->garbage},
                   {"responsive_timeout_s", t.faults->responsive_timeout_s}};
  }
  return j.dump(2) + "\n";
}

std::optional<Task> ParseTask(const std::string& json_text, std::string* error) {
  json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "task.json: not a JSON object";
    return std::nullopt;
  }
  try {
    Task t;
    t.version = Get<int>(j, "version", 0);
    if (t.version != kProtocolVersion) {
      Fail("version", std::to_string(kProtocolVersion));
    }
    t.trial = Get<int>(j, "trial", 0);
    t.scenario = GetString(j, "scenario", "");
    t.modules = StringList(j, "modules");
    t.insmod = InsmodList(j);
    t.module_cycle = ModuleCycle(j);
    t.sysctl = StringMap(j, "sysctl");
    t.knobs = StringMap(j, "knobs");
    if (j.contains("agent") && !j["agent"].is_null()) {
      const json& a = j["agent"];
      if (!a.is_object()) Fail("agent", "an object or null");
      t.agent = AgentProgram{GetString(a, "path", ""), StringList(a, "args")};
      if (t.agent->path.empty()) Fail("agent.path", "a path");
    }
    if (j.contains("sched_ext") && !j["sched_ext"].is_null()) {
      const json& s = j["sched_ext"];
      if (!s.is_object()) Fail("sched_ext", "an object or null");
      if (!t.agent) Fail("sched_ext", "null when there is no agent program (the scheduler)");
      SchedExtWait wait;
      wait.ops = GetString(s, "ops", "", "sched_ext.");
      if (wait.ops.empty()) Fail("sched_ext.ops", "the scheduler's ops name");
      wait.enable_timeout_s = Get<double>(s, "enable_timeout_s", wait.enable_timeout_s, "sched_ext.");
      if (wait.enable_timeout_s <= 0) Fail("sched_ext.enable_timeout_s", "a positive number of seconds");
      t.sched_ext = wait;
    }
    if (j.contains("scratch") && !j["scratch"].is_null()) {
      const json& s = j["scratch"];
      if (!s.is_object()) Fail("scratch", "an object or null");
      t.scratch = ScratchSpec{GetString(s, "device", "/dev/vda"), GetString(s, "fs", ""),
                              GetString(s, "mount", kScratchMount), std::nullopt};
      if (s.contains("null_blk") && !s["null_blk"].is_null()) {
        const json& n = s["null_blk"];
        if (!n.is_object()) Fail("scratch.null_blk", "an object or null");
        NullBlkSpec spec;
        const char* in = "scratch.null_blk.";
        spec.name = GetString(n, "name", "", in);
        spec.profile = GetString(n, "profile", "", in);
        spec.completion_nsec = Get<std::uint64_t>(n, "completion_nsec", 0, in);
        spec.mbps = Get<std::uint32_t>(n, "mbps", 0, in);
        spec.queue_depth = Get<std::uint32_t>(n, "queue_depth", 0, in);
        spec.max_sectors = Get<std::uint32_t>(n, "max_sectors", 0, in);
        spec.size_mb = Get<std::uint32_t>(n, "size_mb", 0, in);
        if (spec.name.empty() || spec.name.find('/') != std::string::npos) {
          Fail("scratch.null_blk.name", "a device name without '/'");
        }
        if (spec.size_mb == 0) Fail("scratch.null_blk.size_mb", "a positive size in MiB");
        t.scratch->null_blk = spec;
      }
    }
    t.setup = StringList(j, "setup");
    t.command = GetString(j, "command", "");
    if (t.command.empty() && !t.module_cycle) {
      Fail("command", "a non-empty command (it may be empty only with a module_cycle)");
    }
    t.warmup = Get<int>(j, "warmup", 0);
    t.reps = Get<int>(j, "reps", 1);
    if (t.command.empty()) {
      t.warmup = t.reps = 0;  // nothing to repeat; the cycle is the trial
    } else if (t.warmup < 0 || t.reps < 1) {
      Fail("reps", "warmup >= 0 and reps >= 1");
    }
    t.timeout_s = Get<double>(j, "timeout_s", 300);
    if (t.timeout_s <= 0) Fail("timeout_s", "a positive number of seconds");
    t.drop_caches = Get<bool>(j, "drop_caches", false);
    t.env = StringMap(j, "env");
    t.max_output_bytes = Get<std::size_t>(j, "max_output_bytes", t.max_output_bytes);
    t.faults = Faults(j);
    return t;
  } catch (const TaskError& e) {
    *error = e.message;
    return std::nullopt;
  }
}

}  // namespace kgate::guest
