#include "guest/agent/counters.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "guest/protocol.h"

namespace kgate::agent {
namespace {

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string f;
  while (in >> f) out.push_back(f);
  return out;
}

// strtod that rejects trailing junk; nullopt on anything but a number.
std::optional<double> Number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

template <typename Fn>
void ForEachLine(const std::string& text, Fn fn) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) fn(line);
}

std::string ReadProc(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

void ParseVmstat(const std::string& text, Counters* out) {
  ForEachLine(text, [&](const std::string& line) {
    auto f = Fields(line);
    if (f.size() != 2) return;
    if (auto v = Number(f[1])) (*out)["vmstat." + f[0]] = *v;
  });
}

void ParseProcStat(const std::string& text, Counters* out) {
  static const std::array<const char*, 8> kCpuFields = {
      "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};
  ForEachLine(text, [&](const std::string& line) {
    auto f = Fields(line);
    if (f.size() < 2) return;
    if (f[0] == "cpu") {
      for (size_t i = 0; i < kCpuFields.size() && i + 1 < f.size(); ++i) {
        if (auto v = Number(f[i + 1])) (*out)[std::string("stat.cpu.") + kCpuFields[i]] = *v;
      }
    } else if (f[0] == "ctxt" || f[0] == "intr" || f[0] == "processes") {
      // intr's first number is the total; the rest are per-IRQ counts.
      if (auto v = Number(f[1])) (*out)["stat." + f[0]] = *v;
    }
  });
}

void ParsePressure(const std::string& resource, const std::string& text, Counters* out) {
  ForEachLine(text, [&](const std::string& line) {
    auto f = Fields(line);
    if (f.empty() || (f[0] != "some" && f[0] != "full")) return;
    for (size_t i = 1; i < f.size(); ++i) {
      if (f[i].rfind("total=", 0) != 0) continue;
      if (auto v = Number(f[i].substr(6))) {
        (*out)["psi." + resource + "." + f[0] + "_us"] = *v;
      }
    }
  });
}

void ParseSchedstat(const std::string& text, Counters* out) {
  // cpu<N> lines: 9 numbers, of which the 7th is time spent running (ns),
  // the 8th time spent waiting on a runqueue (ns), the 9th timeslices run
  // (Documentation/scheduler/sched-stats.rst, versions 15-17).
  double run = 0, delay = 0, slices = 0;
  bool any = false;
  ForEachLine(text, [&](const std::string& line) {
    auto f = Fields(line);
    if (f.size() < 10 || f[0].rfind("cpu", 0) != 0 || f[0].size() == 3) return;
    auto r = Number(f[7]), d = Number(f[8]), s = Number(f[9]);
    if (!r || !d || !s) return;
    run += *r;
    delay += *d;
    slices += *s;
    any = true;
  });
  if (!any) return;
  (*out)["schedstat.run_ns"] = run;
  (*out)["schedstat.run_delay_ns"] = delay;
  (*out)["schedstat.timeslices"] = slices;
}

void ParseMeminfo(const std::string& text, Counters* out) {
  ForEachLine(text, [&](const std::string& line) {
    auto colon = line.find(':');
    if (colon == std::string::npos) return;
    auto f = Fields(line.substr(colon + 1));
    if (f.empty()) return;
    auto v = Number(f[0]);
    if (!v) return;
    double bytes = (f.size() >= 2 && f[1] == "kB") ? *v * 1024 : *v;
    std::string key = line.substr(0, colon);
    (*out)["meminfo." + key] = bytes;
    if (key == "Slab") (*out)["slab.bytes"] = bytes;
  });
}

void ParseDiskstats(const std::string& text, Counters* out) {
  ForEachLine(text, [&](const std::string& line) {
    // major minor name reads merged sectors read_ms ...
    auto f = Fields(line);
    if (f.size() < 7) return;
    bool model = f[2] == guest::kModelDisk;
    if (f[2].rfind("vd", 0) != 0 && !model) return;
    auto reads = Number(f[3]), merged = Number(f[4]), sectors = Number(f[5]), ms = Number(f[6]);
    if (!reads || !merged || !sectors || !ms) return;
    auto put = [&](const std::string& name) {
      std::string key = "disk." + name + ".";
      (*out)[key + "reads"] = *reads;
      (*out)[key + "read_merges"] = *merged;
      (*out)[key + "read_kib"] = *sectors / 2;
      (*out)[key + "read_ms"] = *ms;
    };
    put(f[2]);
    // The scratch disk also as disk.scratch.*, whichever device it is: vda
    // (the trial's only virtio disk) or the modelled disk.
    if (model || f[2] == "vda") put("scratch");
  });
}

std::optional<double> ParsePidStatCpuTicks(const std::string& text) {
  auto paren = text.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  // After ")": state(3) ppid(4) ... utime(14) stime(15) cutime(16)
  // cstime(17); index 0 is state. A shell agent does its work in children
  // (awk, sleep), which count once reaped.
  auto f = Fields(text.substr(paren + 1));
  if (f.size() < 15) return std::nullopt;
  double total = 0;
  for (std::size_t i = 11; i <= 14; ++i) {
    auto v = Number(f[i]);
    if (!v) return std::nullopt;
    total += *v;
  }
  return total;
}

Counters Delta(const Counters& before, const Counters& after) {
  Counters out;
  for (const auto& [key, value] : after) {
    auto it = before.find(key);
    if (it != before.end()) out[key] = value - it->second;
  }
  return out;
}

double BusyShare(const Counters& before, const Counters& after) {
  double total = 0, idle = 0;
  for (const auto& [key, value] : Delta(before, after)) {
    if (key.rfind("stat.cpu.", 0) != 0) continue;
    total += value;
    if (key == "stat.cpu.idle" || key == "stat.cpu.iowait") idle += value;
  }
  return total > 0 ? std::clamp((total - idle) / total, 0.0, 1.0) : 0;
}

Counters SnapshotProcStat() {
  Counters c;
  ParseProcStat(ReadProc("/proc/stat"), &c);
  return c;
}

Counters SnapshotCounters(int agent_pid) {
  Counters c;
  ParseVmstat(ReadProc("/proc/vmstat"), &c);
  ParseProcStat(ReadProc("/proc/stat"), &c);
  for (const char* r : {"cpu", "memory", "io"}) {
    ParsePressure(r, ReadProc(std::string("/proc/pressure/") + r), &c);
  }
  ParseSchedstat(ReadProc("/proc/schedstat"), &c);
  ParseMeminfo(ReadProc("/proc/meminfo"), &c);
  ParseDiskstats(ReadProc("/proc/diskstats"), &c);
  if (agent_pid > 0) {
    auto ticks = ParsePidStatCpuTicks(ReadProc("/proc/" + std::to_string(agent_pid) + "/stat"));
    if (ticks) c["agent.cpu_s"] = *ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return c;
}

}  // namespace kgate::agent
