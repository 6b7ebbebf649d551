#include "trial/trial_runner.h"

#include <ctime>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/time_util.h"
#include "config/command_template.h"
#include "guest/protocol.h"
#include "trial/console_monitor.h"
#include "trial/event_reader.h"
#include "image/guest_image.h"
#include "scenarios/parsers/parser.h"

namespace kgate {
namespace {

using nlohmann::json;

std::string Excerpt(const std::string& s, std::size_t max = 200) {
  std::string out = s.size() > max ? s.substr(s.size() - max) : s;
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

struct Verdict {
  TrialStatus status = TrialStatus::kOk;
  std::string message;
};

// The status rules of trial_runner.h, except the per-repetition checks.
Verdict ClassifyBoot(const BootOutcome& outcome, const GuestEvents& events,
                     const std::vector<FindingRecord>& findings) {
  if (outcome.reason == ExitReason::kQemuFailed) {
    return {TrialStatus::kInfraError, "QEMU failed: " + outcome.detail};
  }
  for (const auto& f : findings) {
    if (IsCrash(f)) return {TrialStatus::kCrashed, f.rule + " at console line " + std::to_string(f.line) + ": " + f.message};
  }
  if (outcome.reason == ExitReason::kPanicked) return {TrialStatus::kCrashed, outcome.detail};
  if (!events.done) {
    for (const auto& f : findings) {
      if (f.level == "error") {
        return {TrialStatus::kCrashed, f.rule + " at console line " + std::to_string(f.line) +
                                           " and no done event: " + f.message};
      }
    }
  }
  if (outcome.reason == ExitReason::kTimedOut) return {TrialStatus::kHung, outcome.detail};
  if (!events.errors.empty()) return {TrialStatus::kFailed, "guest: " + events.errors.front()};
  if (outcome.reason == ExitReason::kLogLimit) return {TrialStatus::kFailed, outcome.detail};
  if (!events.ready) return {TrialStatus::kFailed, "the guest stopped before the agent was ready"};
  if (!events.done) return {TrialStatus::kFailed, "the guest stopped without a done event"};
  return {};
}

// Per-repetition checks and parsing; fills samples when all is well.
Verdict ParseReps(const ScenarioSpec& scenario, const GuestEvents& events,
                  std::vector<SampleRecord>* samples) {
  int measured = 0;
  for (const auto& rep : events.reps) {
    std::string which = std::string(rep.output.warmup ? "warm-up " : "") + "repetition " +
                        std::to_string(rep.output.repetition);
    if (rep.timed_out) {
      return {TrialStatus::kFailed, which + " timed out after " + std::to_string(scenario.timeout_seconds) + " s"};
    }
    if (rep.output.exit_code != 0) {
      return {TrialStatus::kFailed, which + " exited " + std::to_string(rep.output.exit_code) +
                                        ": " + Excerpt(rep.output.output)};
    }
    if (rep.output.warmup) continue;
    RepetitionOutput out = rep.output;
    out.repetition = measured++;
    auto parsed = ParseRepetition(scenario, out);
    if (!parsed.ok()) {
      return {TrialStatus::kFailed, which + ": parse error: " + parsed.status().message()};
    }
    samples->insert(samples->end(), parsed->begin(), parsed->end());
  }
  if (measured != scenario.reps) {
    return {TrialStatus::kFailed, "expected " + std::to_string(scenario.reps) +
                                      " measured repetitions, got " + std::to_string(measured)};
  }
  return {};
}

}  // namespace

std::string BuildTaskJson(const TrialRequest& r) {
  const ScenarioSpec& s = r.scenario;
  std::vector<std::string> modules = r.modules;
  if (s.scratch_disk && std::find(modules.begin(), modules.end(), "virtio_blk") == modules.end()) {
    modules.insert(modules.begin(), "virtio_blk");
  }
  json agent = nullptr;
  if (r.arm.agent.present()) {
    std::string path = r.agent_guest_path;
    if (path.empty()) path = "/kgate/agent/" + std::filesystem::path(r.arm.agent.source).stem().string();
    agent = {{"path", path}, {"args", r.arm.agent.args}};
  }
  json scratch = nullptr;
  if (s.scratch_disk) {
    scratch = {{"device", "/dev/vda"}, {"fs", s.scratch_fs}, {"mount", guest::kScratchMount}};
  }
  // Setup lines name the same {params} as the command (a data file's size).
  std::vector<std::string> setup;
  for (const std::string& line : s.setup) setup.push_back(ExpandTemplate(line, s.params, r.param_overrides));
  json insmod = json::array();
  for (const GuestInsmod& m : r.insmod) insmod.push_back({{"path", m.guest_path}, {"params", m.params}});
  json cycle = nullptr;
  if (r.module_cycle) {
    const GuestModuleCycleRequest& c = *r.module_cycle;
    cycle = {{"path", c.guest_path}, {"name", c.name}, {"count", c.count},
             {"params", c.params}, {"settle_ms", c.settle_ms}};
  }
  json task = {{"version", guest::kProtocolVersion},
               {"trial", r.seq},
               {"scenario", s.name},
               {"modules", modules},
               {"insmod", insmod},
               {"module_cycle", cycle},
               {"sysctl", r.arm.sysctl},
               {"knobs", r.arm.knobs},
               {"agent", agent},
               {"scratch", scratch},
               {"setup", setup},
               {"command", s.ExpandCommand(r.param_overrides)},
               {"warmup", s.warmup},
               {"reps", s.reps},
               {"timeout_s", s.timeout_seconds},
               {"drop_caches", s.drop_caches},
               {"env", json::object()},
               {"max_output_bytes", r.max_output_bytes}};
  if (!r.faults_json.empty()) task["faults"] = json::parse(r.faults_json);
  return task.dump(2) + "\n";
}

TrialRunner::TrialRunner(VmBackend& backend, InitrdWriter writer)
    : backend_(backend), writer_(writer ? std::move(writer) : InitrdWriter(WriteTrialInitrd)) {}

TrialRecord StartTrialRecord(const TrialRequest& r) {
  TrialRecord t;
  t.seq = r.seq;
  t.round = r.round;
  t.arm = r.arm.name;
  t.scenario = r.scenario.name;
  t.shape = r.shape.Name();
  t.tier = TierName(r.tier);
  t.started_at = NowIso8601();
  return t;
}

Result<TrialResult> TrialRunner::Run(const TrialRequest& r) {
  TrialResult result;
  result.trial = StartTrialRecord(r);
  TrialRecord& t = result.trial;

  KG_RETURN_IF_ERROR(MakeDirs(r.trial_dir));
  std::string task = BuildTaskJson(r);
  KG_RETURN_IF_ERROR(WriteFileAtomic(r.trial_dir + "/task.json", task));
  std::string initrd = r.trial_dir + "/initrd.img";
  KG_RETURN_IF_ERROR(writer_(r.base_image, task, initrd));

  BootRequest boot;
  boot.kernel_image = r.kernel_image;
  boot.initrd = initrd;
  boot.cmdline = r.arm.cmdline;
  boot.shape = r.shape;
  boot.tier = r.tier;
  boot.icount_shift = r.icount_shift;
  boot.machine = r.machine;
  boot.scratch_disk = r.scenario.scratch_disk;
  boot.trial_dir = r.trial_dir;
  boot.timeout_seconds = r.boot_allowance_s +
                         static_cast<double>(r.scenario.warmup + r.scenario.reps + r.scenario.setup.size()) *
                             r.scenario.timeout_seconds;
  if (r.module_cycle) {
    boot.timeout_seconds += (r.module_cycle->count + 1) * kModuleCycleSecondsPerLoad +
                            r.module_cycle->settle_ms / 1000.0;
  }
  auto outcome = backend_.Boot(boot);
  if (!outcome.ok()) return outcome.status();
  result.vm_command = outcome->command_line;
  // Saved beside the logs so a trial can be replayed by hand.
  (void)WriteFileAtomic(r.trial_dir + "/qemu.cmdline", outcome->command_line + "\n");
  t.wall_seconds = outcome->wall_seconds;
  t.boot_seconds = outcome->ready_seconds > 0 ? outcome->ready_seconds : 0;

  auto console = ReadFileTail(outcome->console_path, r.console_tail_bytes);
  t.console_log = console.ok() ? *console : "";
  // The scan reads the whole (bounded) console, not just the stored tail: a
  // splat early in a long log must still be found.
  auto full = ReadFileTail(outcome->console_path, 64 << 20);
  result.findings = ScanConsole(full.ok() ? *full : "", {.file = outcome->console_path});
  for (auto& f : result.findings) f.arm = r.arm.name;

  GuestEvents events = ReadEvents(outcome->events_path);
  result.module_cycle = events.module_cycle;
  result.console_path = outcome->console_path;
  result.notes = events.malformed;
  if (events.cut) result.notes.push_back(outcome->events_path + ": cut at the read bound");
  t.guest_kernel = events.kernel;
  t.clocksource = events.clocksource;

  Verdict v = ClassifyBoot(*outcome, events, result.findings);
  result.fault_event = events.fault;
  // A fault boot runs no repetitions: there is nothing to parse.
  if (v.status == TrialStatus::kOk && r.faults_json.empty()) {
    v = ParseReps(r.scenario, events, &result.samples);
  }
  if (v.status != TrialStatus::kOk) result.samples.clear();
  t.status = v.status;
  t.message = v.message;
  return result;
}

}  // namespace kgate
