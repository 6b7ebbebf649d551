#include "guest/agent/module_cycle.h"

#include <cstdlib>
#include <sstream>

#include "guest/agent/counters.h"

namespace kgate::agent {
namespace {

double Kb(const Counters& c, const std::string& field) {
  auto it = c.find("meminfo." + field);
  return it == c.end() ? 0 : it->second / 1024;
}

void Record(CycleReport* r, const std::string& op, int iteration, const std::string& error) {
  for (const CycleError& e : r->errors) {
    if (e.op == op) return;
  }
  r->errors.push_back({op, iteration, error});
}

}  // namespace

double ParseModulesBytes(const std::string& proc_modules) {
  std::istringstream in(proc_modules);
  std::string name, size, rest;
  double sum = 0;
  while (in >> name >> size) {
    sum += std::strtod(size.c_str(), nullptr);
    std::getline(in, rest);
  }
  return sum;
}

bool ModuleListed(const std::string& proc_modules, const std::string& name) {
  std::istringstream in(proc_modules);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, name.size() + 1, name + " ") == 0) return true;
  }
  return false;
}

MemorySnapshot ParseMemorySnapshot(const std::string& meminfo, const std::string& modules,
                                   const std::string& tainted) {
  Counters c;
  ParseMeminfo(meminfo, &c);
  MemorySnapshot s;
  s.slab_kb = Kb(c, "Slab");
  s.sunreclaim_kb = Kb(c, "SUnreclaim");
  s.sreclaimable_kb = Kb(c, "SReclaimable");
  s.vmalloc_used_kb = Kb(c, "VmallocUsed");
  s.percpu_kb = Kb(c, "Percpu");
  s.modules_bytes = ParseModulesBytes(modules);
  s.taint = std::strtoull(tainted.c_str(), nullptr, 10);
  return s;
}

CycleReport RunModuleCycle(const ModuleCycleSpec& spec, const ModuleOps& ops) {
  CycleReport r;
  r.count = spec.count;
  ops.mark("module_cycle begin " + spec.name);
  r.taint_start = ops.snapshot().taint;
  bool warm = true;
  if (auto load_err = ops.load(spec.path, spec.params); !load_err.empty()) {
    Record(&r, "warmup-load", -1, load_err);
    warm = false;
  } else if (auto unload_err = ops.unload(spec.name); !unload_err.empty()) {
    Record(&r, "warmup-unload", -1, unload_err);
  }
  if (auto err = ops.drop_caches(); !err.empty()) Record(&r, "drop-caches", -1, err);
  r.before = ops.snapshot();
  double start = ops.now_s();
  for (int i = 0; warm && i < spec.count; ++i) {
    if (auto err = ops.load(spec.path, spec.params); !err.empty()) {
      Record(&r, "load", i, err);
      continue;
    }
    ++r.loaded;
    if (auto err = ops.unload(spec.name); !err.empty()) {
      Record(&r, "unload", i, err);
    } else {
      ++r.unloaded;
    }
  }
  r.seconds = ops.now_s() - start;
  if (spec.settle_ms > 0) ops.sleep_ms(spec.settle_ms);
  if (auto err = ops.drop_caches(); !err.empty()) Record(&r, "drop-caches", spec.count, err);
  r.after = ops.snapshot();
  r.still_loaded = ops.loaded(spec.name);
  ops.mark("module_cycle end " + spec.name);
  return r;
}

}  // namespace kgate::agent
