#include "trial/trial_runner.h"

#include <algorithm>
#include <ctime>
#include <filesystem>

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

std::string Excerpt(const std::string& s, std::size_t max = 200) {
  std::string out = s.size() > max ? s.substr(s.size() - max) : s;
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

// A trial's status and why, as the rules below decide it.
struct TrialOutcome {
  TrialStatus status = TrialStatus::kOk;
  std::string message;
};

// The status rules of trial_runner.h, except the per-repetition checks.
TrialOutcome ClassifyBoot(const BootOutcome& outcome, const GuestEvents& events,
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
TrialOutcome ParseReps(const ScenarioSpec& scenario, const GuestEvents& events,
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

guest::Task TaskOf(const TrialRequest& r) {
  const ScenarioSpec& s = r.scenario;
  guest::Task task;
  task.trial = r.seq;
  task.scenario = s.name;
  task.modules = r.modules;
  if (s.VirtioScratch() &&
      std::find(task.modules.begin(), task.modules.end(), "virtio_blk") == task.modules.end()) {
    task.modules.insert(task.modules.begin(), "virtio_blk");
  }
  task.insmod = r.insmod;
  task.module_cycle = r.module_cycle;
  task.sysctl = r.arm.sysctl;
  task.knobs = r.arm.knobs;
  if (r.arm.agent.present()) {
    std::string path = r.agent_guest_path;
    if (path.empty()) {
      path = "/kgate/agent/" + std::filesystem::path(r.arm.agent.source).stem().string();
    }
    task.agent = guest::AgentProgram{path, r.arm.agent.args};
    if (r.arm.sched_ext.present()) task.sched_ext = guest::SchedExtWait{r.arm.sched_ext.OpsName()};
  }
  if (s.VirtioScratch()) {
    task.scratch = guest::ScratchSpec{"/dev/vda", s.scratch_fs, guest::kScratchMount, std::nullopt};
  }
  if (s.ModelledScratch()) {
    const StorageModel& m = *s.scratch_model;
    guest::NullBlkSpec model{guest::kModelDisk,    m.profile, m.latency_ns, m.mbps, m.queue_depth,
                             m.max_request_kb * 2, m.size_mb};
    task.scratch = guest::ScratchSpec{std::string("/dev/") + guest::kModelDisk, s.scratch_fs,
                                      guest::kScratchMount, model};
  }
  // Setup lines name the same {params} as the command (a data file's size).
  for (const std::string& line : s.setup) {
    task.setup.push_back(ExpandTemplate(line, s.params, r.param_overrides));
  }
  task.command = s.ExpandCommand(r.param_overrides);
  task.warmup = s.warmup;
  task.reps = s.reps;
  task.timeout_s = s.timeout_seconds;
  task.drop_caches = s.drop_caches;
  task.max_output_bytes = r.max_output_bytes;
  task.faults = r.faults;
  return task;
}

std::string BuildTaskJson(const TrialRequest& r) { return guest::TaskToJson(TaskOf(r)); }

TrialDeadlines DeadlinesOf(const TrialRequest& r) {
  constexpr double kSettleSeconds = 30, kSlackSeconds = 60;
  const ScenarioSpec& s = r.scenario;
  bool runs_commands = s.warmup + s.reps + static_cast<int>(s.setup.size()) > 0;
  double phase = (runs_commands ? s.timeout_seconds : 0) + kSettleSeconds;
  double cycle = 0;
  if (r.module_cycle) {
    cycle = (r.module_cycle->count + 1) * kModuleCycleSecondsPerLoad +
            r.module_cycle->settle_ms / 1000.0;
  }
  if (r.faults) phase = 2 * s.timeout_seconds + kSettleSeconds;
  TrialDeadlines d;
  d.ready_s = r.boot_deadline_s;
  d.quiet_s = 2 * std::max(phase, cycle) + kSlackSeconds;
  double steps = static_cast<double>(s.warmup + s.reps + s.setup.size() + 1);
  d.total_s = r.boot_deadline_s + 2 * (steps * s.timeout_seconds + kSettleSeconds + cycle) +
              kSlackSeconds;
  return d;
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
  if (r.tier == Tier::kIcount) t.seed = r.guest_seed;
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
  boot.guest_seed = r.guest_seed;
  boot.machine = r.machine;
  boot.scratch_disk = r.scenario.VirtioScratch();  // a modelled disk is made in the guest
  boot.trial_dir = r.trial_dir;
  TrialDeadlines deadlines = DeadlinesOf(r);
  boot.timeout_seconds = deadlines.total_s;
  boot.ready_timeout_seconds = deadlines.ready_s;
  boot.quiet_timeout_seconds = deadlines.quiet_s;
  KG_ASSIGN_OR_RETURN(auto outcome, backend_.Boot(boot));
  result.vm_command = outcome.command_line;
  // Saved beside the logs so a trial can be replayed by hand.
  (void)WriteFileAtomic(r.trial_dir + "/qemu.cmdline", outcome.command_line + "\n");
  t.wall_seconds = outcome.wall_seconds;
  t.boot_seconds = outcome.ready_seconds > 0 ? outcome.ready_seconds : 0;

  auto console = ReadFileTail(outcome.console_path, r.console_tail_bytes);
  t.console_log = console.ok() ? *console : "";
  // The scan reads the whole (bounded) console, not just the stored tail: a
  // splat early in a long log must still be found.
  auto full = ReadFileTail(outcome.console_path, 64 << 20);
  result.findings = ScanConsole(full.ok() ? *full : "", {.file = outcome.console_path});
  for (auto& f : result.findings) f.arm = r.arm.name;

  GuestEvents events = ReadEvents(outcome.events_path);
  result.module_cycle = events.module_cycle;
  result.console_path = outcome.console_path;
  result.notes = events.malformed;
  if (events.cut) result.notes.push_back(outcome.events_path + ": cut at the read bound");
  t.guest_kernel = events.kernel;
  t.clocksource = events.clocksource;

  TrialOutcome v = ClassifyBoot(outcome, events, result.findings);
  result.fault_event = events.fault;
  // A fault boot runs no repetitions: there is nothing to parse.
  if (v.status == TrialStatus::kOk && !r.faults) {
    v = ParseReps(r.scenario, events, &result.samples);
  }
  if (v.status != TrialStatus::kOk) result.samples.clear();
  t.status = v.status;
  t.message = v.message;
  return result;
}

}  // namespace kgate
