#include "checks/module_cycle.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/rules.h"
#include "base/file_util.h"
#include "base/taint.h"
#include "image/cpio_writer.h"
#include "image/guest_image.h"
#include "image/module_set.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

constexpr char kBeginMarker[] = "kgate-agent: module_cycle begin ";
constexpr char kGuestModulesDir[] = "/kgate/modules";
// O (out-of-tree module) and E (unsigned module): what loading any module
// kgate builds sets, so not news.
constexpr std::uint64_t kExpectedTaint = (1ull << 12) | (1ull << 13);
constexpr std::size_t kMaxKoBytes = 256 << 20;

std::string GuestPath(const std::string& ko_path) {
  return std::string(kGuestModulesDir) + "/" + fs::path(ko_path).filename().string();
}

// Appends an archive holding the module at its guest path to the initrd.
Status AppendModule(const std::string& initrd, const std::string& ko_path) {
  Result<std::string> ko = ReadTextFile(ko_path, kMaxKoBytes, false);
  if (!ko.ok()) return ko.status();
  std::ostringstream archive;
  CpioWriter cpio(archive);
  cpio.AddDirectory("/kgate");
  cpio.AddDirectory(kGuestModulesDir);
  cpio.AddFile(GuestPath(ko_path), *ko, 0644);
  cpio.Finish();
  KG_RETURN_IF_ERROR(cpio.status());
  std::ofstream out(initrd, std::ios::binary | std::ios::app);
  std::string bytes = archive.str();
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush())
    return Status::Infrastructure(fmt::format("{}: appending {} failed", initrd, ko_path));
  return Status::Ok();
}

// The 1-based console line of the agent's begin marker; 0 when absent (the
// guest never reached the cycle, or its console was lost).
int BeginMarkerLine(const std::string& console) {
  std::istringstream in(console);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find(kBeginMarker) != std::string::npos) return n;
  }
  return 0;
}

std::string Why(std::string_view rule) { return std::string(FindRule(rule)->why); }

FindingRecord Finding(const ModuleCycleResult& r, std::string_view rule, const std::string& what,
                      const std::string& excerpt) {
  FindingRecord f;
  f.rule = std::string(rule);
  f.level = std::string(FindRule(rule)->level);
  f.file = r.ko_path;
  f.message = fmt::format("{} on {}: {}: {}", r.module, r.kernel_ref, what, Why(rule));
  f.excerpt = excerpt;
  return f;
}

FindingRecord LeakFinding(const ModuleCycleResult& r, std::string_view rule,
                          const std::string& what, double delta_kb, double threshold_kb,
                          const std::string& excerpt) {
  return Finding(
      r, rule,
      fmt::format("{} grew by {:.0f} kB over {} load/unload cycles ({:.1f} kB per cycle; "
                  "threshold {:.0f} kB)",
                  what, delta_kb, r.cycle.count, delta_kb / r.cycle.count, threshold_kb),
      excerpt);
}

const GuestCycleError* FirstError(const ModuleCycleResult& r,
                                  std::initializer_list<const char*> ops) {
  for (const GuestCycleError& e : r.cycle.errors) {
    for (const char* op : ops) {
      if (e.op == op) return &e;
    }
  }
  return nullptr;
}

std::string Which(const GuestCycleError& e) {
  return e.iteration < 0 ? "the warm-up" : fmt::format("cycle {}", e.iteration + 1);
}

void AddFindings(ModuleCycleResult& r, int marker_line) {
  if (!r.cycled) {
    // Reached the cycle but never reported it: the module took the guest
    // down (a crash is also a splat below) or hung it.
    if (marker_line > 0) {
      r.findings.push_back(Finding(
          r, "module-load-failed",
          fmt::format("the guest ended {} inside the load/unload cycle: {}", r.status, r.message),
          ""));
    }
  } else {
    if (const GuestCycleError* e = FirstError(r, {"warmup-load", "load"})) {
      r.findings.push_back(Finding(r, "module-load-failed",
                                   fmt::format("{} of {} loads succeeded; {} failed",
                                               r.cycle.loaded, r.cycle.count, Which(*e)),
                                   e->error));
    }
    const GuestCycleError* u = FirstError(r, {"warmup-unload", "unload"});
    if (u != nullptr || r.cycle.still_loaded) {
      std::string what = u != nullptr ? fmt::format("{} of {} unloads succeeded; {} failed",
                                                    r.cycle.unloaded, r.cycle.loaded, Which(*u))
                                      : "still loaded after the cycle";
      r.findings.push_back(Finding(r, "module-unload-failed", what, u != nullptr ? u->error : ""));
    }
    if (r.Clean() && r.SUnreclaimDeltaKb() > r.thresholds.slab_leak_kb) {
      r.findings.push_back(LeakFinding(
          r, "module-slab-leak", "SUnreclaim", r.SUnreclaimDeltaKb(), r.thresholds.slab_leak_kb,
          fmt::format("SUnreclaim {:.0f} kB -> {:.0f} kB", r.cycle.before.sunreclaim_kb,
                      r.cycle.after.sunreclaim_kb)));
    }
    if (r.Clean() && r.MemoryDeltaKb() > r.thresholds.memory_leak_kb) {
      r.findings.push_back(
          LeakFinding(r, "module-memory-leak", "vmalloc, per-CPU and module memory",
                      r.MemoryDeltaKb(), r.thresholds.memory_leak_kb,
                      fmt::format("VmallocUsed {:.0f} -> {:.0f} kB, Percpu {:.0f} -> {:.0f} kB, "
                                  "modules {:.0f} -> {:.0f} bytes",
                                  r.cycle.before.vmalloc_used_kb, r.cycle.after.vmalloc_used_kb,
                                  r.cycle.before.percpu_kb, r.cycle.after.percpu_kb,
                                  r.cycle.before.modules_bytes, r.cycle.after.modules_bytes)));
    }
  }
  for (const FindingRecord& c : r.console_findings) {
    r.findings.push_back(
        Finding(r, "module-splat",
                fmt::format("{} at console line {}: {}", c.rule, c.line, c.message), c.excerpt));
  }
  std::uint64_t fresh =
      r.cycled ? NewTaintBits(r.cycle.taint_start | kExpectedTaint, r.cycle.after.taint) : 0;
  if (fresh != 0) {
    r.findings.push_back(
        Finding(r, "module-splat",
                fmt::format("the kernel became tainted {} during the cycle", DescribeTaint(fresh)),
                "taint " + TaintLetters(r.cycle.after.taint)));
  }
}

nlohmann::ordered_json SnapshotJson(const GuestMemorySnapshot& s) {
  return {{"slab_kb", s.slab_kb},
          {"sunreclaim_kb", s.sunreclaim_kb},
          {"sreclaimable_kb", s.sreclaimable_kb},
          {"vmalloc_used_kb", s.vmalloc_used_kb},
          {"percpu_kb", s.percpu_kb},
          {"modules_bytes", s.modules_bytes}};
}

nlohmann::ordered_json TaintJson(std::uint64_t mask) {
  nlohmann::ordered_json flags = nlohmann::ordered_json::array();
  for (const TaintFlag& f : DecodeTaint(mask))
    flags.push_back(std::string(1, f.letter) + ": " + f.name);
  return {{"mask", mask}, {"letters", TaintLetters(mask)}, {"flags", flags}};
}

}  // namespace

double ModuleCycleResult::MemoryDeltaKb() const {
  const GuestMemorySnapshot &b = cycle.before, &a = cycle.after;
  return (a.vmalloc_used_kb - b.vmalloc_used_kb) + (a.percpu_kb - b.percpu_kb) +
         (a.modules_bytes - b.modules_bytes) / 1024;
}

bool ModuleCycleResult::Clean() const {
  return cycled && cycle.errors.empty() && cycle.loaded == cycle.count &&
         cycle.unloaded == cycle.count && !cycle.still_loaded;
}

ModuleCycleResult EvaluateModuleCycle(const ModuleCycleRequest& request, const TrialResult& trial,
                                      const std::string& console_text) {
  ModuleCycleResult r;
  r.kernel_ref = request.kernel_ref;
  r.kernel_version = trial.trial.guest_kernel;
  r.ko_path = request.ko_path;
  r.module = request.module_name.empty() ? ModuleName(request.ko_path) : request.module_name;
  r.status = TrialStatusName(trial.trial.status);
  r.message = trial.trial.message;
  r.cycle.count = request.count;
  r.thresholds = request.thresholds;
  r.wall_seconds = trial.trial.wall_seconds;
  r.console_path = trial.console_path;
  if (trial.module_cycle) {
    r.cycled = true;
    r.cycle = *trial.module_cycle;
  }
  int marker = BeginMarkerLine(console_text);
  for (const FindingRecord& f : trial.findings) {
    if (marker > 0 && f.line > marker) r.console_findings.push_back(f);
  }
  AddFindings(r, marker);
  return r;
}

Result<ModuleCycleResult> RunModuleCycle(VmBackend& backend, const ModuleCycleRequest& request) {
  std::error_code ec;
  if (!fs::is_regular_file(request.ko_path, ec)) {
    return Status::BadInput(fmt::format("{}: no such module file", request.ko_path));
  }
  TrialRequest t;
  t.arm.name = "module-cycle";
  t.kernel_image = request.kernel_image;
  t.scenario.name = "module-cycle";
  t.scenario.warmup = 0;
  t.scenario.reps = 0;
  t.shape = request.shape;
  t.tier = request.tier;
  t.base_image = request.base_image;
  t.trial_dir = request.trial_dir;
  t.module_cycle = guest::ModuleCycleSpec{
      GuestPath(request.ko_path),
      request.module_name.empty() ? ModuleName(request.ko_path) : request.module_name,
      request.count, request.params, request.settle_ms};
  const std::string ko = request.ko_path;
  TrialRunner runner(
      backend, [ko](const std::string& base, const std::string& task, const std::string& out) {
        KG_RETURN_IF_ERROR(WriteTrialInitrd(base, task, out));
        return AppendModule(out, ko);
      });
  Result<TrialResult> trial = runner.Run(t);
  if (!trial.ok()) return trial.status();
  Result<std::string> console = ReadFileTail(trial->console_path, 64 << 20);
  ModuleCycleResult r = EvaluateModuleCycle(request, *trial, console.ok() ? *console : "");
  // The initrd is the base image plus a module: megabytes per kernel that
  // nothing reads again. The logs stay for the reader.
  fs::remove(request.trial_dir + "/initrd.img", ec);
  return r;
}

nlohmann::ordered_json ModuleCycleJson(const ModuleCycleResult& r) {
  using Json = nlohmann::ordered_json;
  Json errors = Json::array();
  for (const GuestCycleError& e : r.cycle.errors) {
    errors.push_back({{"op", e.op}, {"iteration", e.iteration}, {"error", e.error}});
  }
  Json console = Json::array();
  for (const FindingRecord& f : r.console_findings) {
    console.push_back({{"rule", f.rule}, {"line", f.line}, {"message", f.message}});
  }
  Json findings = Json::array();
  for (const FindingRecord& f : r.findings) {
    findings.push_back({{"rule", f.rule},
                        {"level", f.level},
                        {"file", f.file},
                        {"message", f.message},
                        {"excerpt", f.excerpt}});
  }
  const GuestMemorySnapshot &b = r.cycle.before, &a = r.cycle.after;
  return {{"ran", true},
          {"kernel", r.kernel_ref},
          {"version", r.kernel_version},
          {"module", r.module},
          {"ko", r.ko_path},
          {"status", r.status},
          {"message", r.message},
          {"cycled", r.cycled},
          {"count", r.cycle.count},
          {"loaded", r.cycle.loaded},
          {"unloaded", r.cycle.unloaded},
          {"errors", errors},
          {"still_loaded", r.cycle.still_loaded},
          {"before", SnapshotJson(b)},
          {"after", SnapshotJson(a)},
          {"delta",
           {{"slab_kb", r.SlabDeltaKb()},
            {"sunreclaim_kb", r.SUnreclaimDeltaKb()},
            {"sreclaimable_kb", a.sreclaimable_kb - b.sreclaimable_kb},
            {"vmalloc_used_kb", a.vmalloc_used_kb - b.vmalloc_used_kb},
            {"percpu_kb", a.percpu_kb - b.percpu_kb},
            {"modules_kb", (a.modules_bytes - b.modules_bytes) / 1024},
            {"memory_kb", r.MemoryDeltaKb()}}},
          {"taint",
           {{"start", TaintJson(r.cycle.taint_start)},
            {"before", TaintJson(b.taint)},
            {"after", TaintJson(a.taint)},
            {"new_in_cycle", TaintLetters(NewTaintBits(b.taint, a.taint))}}},
          {"thresholds",
           {{"slab_leak_kb", r.thresholds.slab_leak_kb},
            {"memory_leak_kb", r.thresholds.memory_leak_kb}}},
          {"console_findings", console},
          {"findings", findings},
          {"cycle_seconds", r.cycle.seconds},
          {"wall_seconds", r.wall_seconds},
          {"console", r.console_path}};
}

std::string ModuleCycleSummary(const ModuleCycleResult& r) {
  if (!r.cycled) {
    return fmt::format("no cycle: the guest ended {}{}", r.status,
                       r.message.empty() ? "" : ": " + r.message);
  }
  return fmt::format(
      "{}/{} loads, {}/{} unloads, SUnreclaim {:+.0f} kB, memory {:+.0f} kB, {}, taint {}",
      r.cycle.loaded, r.cycle.count, r.cycle.unloaded, r.cycle.count, r.SUnreclaimDeltaKb(),
      r.MemoryDeltaKb(),
      r.console_findings.empty() ? "no splat"
                                 : fmt::format("{} splat(s)", r.console_findings.size()),
      TaintLetters(r.cycle.after.taint));
}

CheckRecord ModuleCycleCheck(const ModuleCycleResult& r, const std::string& arm) {
  CheckRecord c;
  c.arm = arm;
  c.kind = "module-cycle";
  c.status = !r.findings.empty() ? CheckStatus::kFailed
             : r.cycled          ? CheckStatus::kPassed
                                 : CheckStatus::kNotRun;
  c.summary = ModuleCycleSummary(r);
  c.detail_json = ModuleCycleJson(r).dump();
  return c;
}

}  // namespace kgate
