#include "checks/fault_pass.h"

#include <algorithm>
#include <cctype>
#include <type_traits>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/strings.h"
#include "base/taint.h"
#include "trial/console_monitor.h"
#include "trial/event_reader.h"

namespace kgate {
namespace {

using nlohmann::json;

json TaintJson(std::uint64_t mask) {
  json flags = json::array();
  for (const TaintFlag& f : DecodeTaint(mask)) {
    flags.push_back({{"bit", f.bit}, {"letter", std::string(1, f.letter)}, {"name", f.name}});
  }
  return {{"mask", mask}, {"letters", TaintLetters(mask)}, {"flags", flags}};
}

std::uint64_t Mask(const json& event, const char* key) {
  auto it = event.find(key);
  return it != event.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

// The guest is untrusted: every field is read with a type check and a default.
template <typename T>
T Field(const json& j, const char* key, T fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if constexpr (std::is_same_v<T, bool>) {
    return it->is_boolean() ? it->get<bool>() : fallback;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return it->is_string() ? it->get<std::string>() : fallback;
  } else {
    return it->is_number() ? it->get<T>() : fallback;
  }
}

// "" when the workload completed; else why not.
std::string WorkloadProblem(const json& w) {
  if (!w.is_object()) return "no result reported";
  if (!Field(w, "started", false)) return "did not start: " + Field<std::string>(w, "error", "");
  if (Field(w, "timed_out", false)) return "timed out";
  int exit = Field(w, "exit", -1);
  if (exit != 0) return fmt::format("exited {}", exit);
  return "";
}

class Evaluation {
 public:
  Evaluation(const std::string& arm, FaultOutcome* out) : arm_(arm), out_(out) {}

  void Add(const char* rule, const char* level, const std::string& message,
           const std::string& file = "", int line = 0, const std::string& excerpt = "") {
    FindingRecord f;
    f.arm = arm_;
    f.rule = rule;
    f.level = level;
    f.file = file;
    f.line = line;
    f.message = message;
    f.excerpt = excerpt;
    out_->findings.push_back(std::move(f));
    if (std::string(level) == "error" && first_error_.empty()) first_error_ = message;
  }

  const std::string& first_error() const { return first_error_; }

 private:
  std::string arm_;
  FaultOutcome* out_;
  std::string first_error_;
};

// sched_ext's kill switch: the scheduler's program was killed, so the kernel
// must have disabled the BPF scheduler and moved every task back to the
// fair class.
void JudgeSchedExt(const json& scx, Evaluation* eval, json* detail, std::vector<std::string>* parts) {
  std::string state = Field<std::string>(scx, "state_after_kill", "");
  double seconds = Field(scx, "seconds_to_disabled", -1.0);
  int ext_tasks = Field(scx, "ext_tasks", -1);
  int tasks = Field(scx, "tasks", 0);
  std::string said = Field<std::string>(scx, "kernel_said", "");
  (*detail)["sched_ext"] = scx;
  if (state != "disabled" || seconds < 0) {
    eval->Add("fault-sched-ext-not-disabled", "error",
              fmt::format("the BPF scheduler's program was killed and sched_ext still reads '{}' "
                          "after 5 s: tasks may be left on a scheduler nothing runs{}",
                          state, said.empty() ? "" : " (kernel: " + said + ")"));
    return;
  }
  if (ext_tasks > 0) {
    eval->Add("fault-sched-ext-tasks-left", "error",
              fmt::format("sched_ext reads disabled, yet {} of {} tasks still show ext.enabled 1",
                          ext_tasks, tasks));
    return;
  }
  parts->push_back(ext_tasks == 0
                       ? fmt::format("sched_ext disabled {:.2f} s after the kill, all {} tasks back "
                                     "on the fair class",
                                     seconds, tasks)
                       : fmt::format("sched_ext disabled {:.2f} s after the kill", seconds));
}

// The findings a well-formed fault event gives; fills the detail's summary
// fields and returns the parts of the console line.
std::vector<std::string> JudgeEvent(const json& ev, double kill_after_s, Evaluation* eval,
                                    json* detail) {
  std::vector<std::string> parts;
  const json agent = ev.value("agent", json::object());
  bool killed = Field(agent, "killed", false);
  double first_seconds = Field(ev.value("workload_after_kill", json::object()), "seconds", 0.0);
  bool mid = killed && first_seconds > kill_after_s;
  (*detail)["killed_mid_workload"] = mid;
  std::string status = Field<std::string>(agent, "status", "?");
  // A module arm without an agent program has nothing to kill.
  parts.push_back(mid                      ? fmt::format("agent killed at {:.1f} s mid-workload",
                                                         kill_after_s)
                  : status == "not started" ? std::string("no agent program to kill")
                                            : fmt::format("agent not killed mid-workload ({})",
                                                          status));
  for (const char* key : {"workload_after_kill", "workload_after_garbage"}) {
    std::string problem = WorkloadProblem(ev.value(key, json()));
    if (problem.empty()) continue;
    eval->Add("fault-workload-failed", "error",
              fmt::format("the workload {} {}", key == std::string("workload_after_kill")
                                                    ? "after the agent was killed"
                                                    : "after the garbage writes",
                          problem));
  }
  int accepted = 0, total = 0;
  if (ev.contains("garbage") && ev["garbage"].is_array()) {
    for (const json& g : ev["garbage"]) {
      ++total;
      std::string value = Field<std::string>(g, "value", "");
      // A short write: the kernel parsed a prefix ("1" of "1 2") and kept it.
      long written = Field(g, "written", -1L);
      bool whole = Field(g, "accepted", false);
      bool part = !whole && written > 0 && static_cast<std::size_t>(written) < value.size();
      if ((!whole && !part) || value.empty()) continue;
      ++accepted;
      eval->Add("fault-garbage-accepted", "note",
                fmt::format("{} accepted '{}'{} (read back '{}', was '{}')",
                            Field<std::string>(g, "knob", "?"), value,
                            part ? fmt::format(" in part ({} of {} bytes)", written, value.size()) : "",
                            Field<std::string>(g, "after", ""), Field<std::string>(g, "before", "")));
    }
  }
  (*detail)["garbage_accepted"] = accepted;
  (*detail)["garbage_written"] = total;
  parts.push_back(fmt::format("{} of {} garbage writes accepted", accepted, total));
  const json responsive = ev.value("responsive", json::object());
  if (!Field(responsive, "ok", false)) {
    eval->Add("fault-unresponsive", "error",
              "the system did not answer after the faults: " +
                  Field<std::string>(responsive, "error", "no result reported"));
  } else {
    parts.push_back(fmt::format("responsive in {:.2f} s", Field(responsive, "seconds", 0.0)));
  }
  if (ev.contains("sched_ext") && ev["sched_ext"].is_object()) JudgeSchedExt(ev["sched_ext"], eval, detail, &parts);
  std::uint64_t before = Mask(ev, "taint_before"), after = Mask(ev, "taint_after");
  std::uint64_t gained = NewTaintBits(before, after);
  (*detail)["taint"] = {{"boot", TaintJson(Mask(ev, "taint_boot"))},
                        {"before", TaintJson(before)},
                        {"after", TaintJson(after)},
                        {"new", TaintJson(gained)}};
  if (gained) {
    eval->Add("fault-new-taint", "warning",
              fmt::format("taint gained during the fault pass: {} (before {}, after {})",
                          DescribeTaint(gained), TaintLetters(before), TaintLetters(after)));
  }
  parts.push_back(fmt::format("taint {} -> {}", TaintLetters(before), TaintLetters(after)));
  return parts;
}

// A file-name-safe form of an arm's name ("tuned:/sys/x=1" has slashes).
std::string DirName(const std::string& arm) {
  std::string out = arm;
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  }
  return out;
}

// The measured repetition times of the arm's ok trials on the scenario in
// this run, from the events each trial left in its directory.
Result<std::vector<double>> RepSeconds(const FaultPassContext& ctx, const std::string& arm,
                                       const std::string& scenario) {
  KG_ASSIGN_OR_RETURN(auto trials, ctx.store->LoadTrials(ctx.run_id));
  std::vector<double> out;
  for (const TrialRecord& t : trials) {
    if (t.arm != arm || t.scenario != scenario || t.status != TrialStatus::kOk) continue;
    GuestEvents events = ReadEvents(
        fmt::format("{}/trial-{:04d}/events.jsonl", ctx.run_dir, t.seq));
    for (const GuestRep& rep : events.reps) {
      if (!rep.output.warmup) out.push_back(rep.output.seconds);
    }
  }
  return out;
}

Status RunOneArm(const FaultPassContext& ctx, const ArmSpec& arm, const std::string& scenario) {
  auto reps = RepSeconds(ctx, arm.name, scenario);
  if (!reps.ok()) return reps.status();
  double kill_after_s = KillAfterSeconds(*reps);
  TrialRequest request = ctx.make_request(arm, scenario);
  request.trial_dir = fmt::format("{}/fault-{}", ctx.run_dir, DirName(arm.name));
  request.faults = FaultSpecFor(arm, kill_after_s);
  // The watchdog allows two runs of the workload, as for two repetitions.
  request.scenario.warmup = 0;
  request.scenario.reps = 2;
  if (ctx.print) {
    std::string what =
        arm.agent.present()
            ? fmt::format("agent killed at {:.1f} s{}", kill_after_s,
                          reps->empty() ? " (no measured repetition: fixed)" : "")
            : fmt::format("garbage to {} knob(s), no agent to kill", FaultKnobs(arm).size());
    ctx.print(fmt::format("fault-injection {:<26} {:<22} running: {}", arm.name, scenario, what));
  }
  TrialRunner runner(*ctx.backend);
  auto boot = runner.Run(request);
  if (!boot.ok()) return boot.status().Prefixed("fault pass of arm '" + arm.name + "'");
  FaultOutcome outcome = EvaluateFaultBoot(arm.name, scenario, kill_after_s, *boot);
  outcome.check.run_id = ctx.run_id;
  for (FindingRecord& f : outcome.findings) f.run_id = ctx.run_id;
  // Findings first: a resumed run skips an arm once its check is stored.
  KG_RETURN_IF_ERROR(ctx.store->SaveFindings(outcome.findings));
  KG_RETURN_IF_ERROR(ctx.store->SaveCheck(outcome.check));
  if (ctx.print) ctx.print(outcome.line);
  std::error_code ignored;  // as for trials: the logs stay, the big files go
  std::filesystem::remove(request.trial_dir + "/initrd.img", ignored);
  std::filesystem::remove(request.trial_dir + "/scratch.raw", ignored);
  return Status::Ok();
}

}  // namespace

Status RunFaultPass(const FaultPassContext& ctx, const std::vector<ArmSpec>& arms,
                    const std::string& scenario) {
  KG_ASSIGN_OR_RETURN(auto stored, ctx.store->LoadChecks(ctx.run_id));
  for (const ArmSpec& arm : arms) {
    if (!ArmTakesFaults(arm)) continue;
    if (!HasCheck(stored, arm.name, kFaultCheckKind)) {
      KG_RETURN_IF_ERROR(RunOneArm(ctx, arm, scenario));
    }
  }
  return Status::Ok();
}

bool ArmTakesFaults(const ArmSpec& arm) { return arm.agent.present() || !arm.modules.empty(); }

std::vector<std::string> FaultKnobs(const ArmSpec& arm) {
  if (!arm.agent.knobs.empty()) return arm.agent.knobs;
  std::vector<std::string> out;
  for (const auto& [path, value] : arm.knobs) out.push_back(path);
  for (const auto& [name, value] : arm.sysctl) {
    std::string path = "/proc/sys/" + name;
    std::replace(path.begin() + 10, path.end(), '.', '/');
    out.push_back(path);
  }
  return out;
}

const std::vector<std::string>& GarbageValues() {
  static const std::vector<std::string> kValues = {
      "-1", "0x10", "2147483648", "18446744073709551616", "abc", "", "1 2"};
  return kValues;
}

double KillAfterSeconds(std::vector<double> rep_seconds) {
  rep_seconds.erase(std::remove_if(rep_seconds.begin(), rep_seconds.end(),
                                   [](double s) { return !(s > 0); }),
                    rep_seconds.end());
  if (rep_seconds.empty()) return kFallbackKillSeconds;
  std::sort(rep_seconds.begin(), rep_seconds.end());
  std::size_t n = rep_seconds.size();
  double median = n % 2 ? rep_seconds[n / 2] : (rep_seconds[n / 2 - 1] + rep_seconds[n / 2]) / 2;
  return std::max(0.1, median / 2);
}

std::string FaultScenario(const Proposal& proposal, const std::vector<std::string>& plan_scenarios) {
  for (const std::string& s : plan_scenarios) {
    if (proposal.IsTarget(s)) return s;
  }
  return plan_scenarios.empty() ? "" : plan_scenarios.front();
}

guest::FaultSpec FaultSpecFor(const ArmSpec& arm, double kill_after_s,
                              double responsive_timeout_s) {
  guest::FaultSpec spec;
  spec.kill_agent_after_s = kill_after_s;
  spec.responsive_timeout_s = responsive_timeout_s;
  for (const std::string& knob : FaultKnobs(arm)) spec.garbage[knob] = GarbageValues();
  return spec;
}

FaultOutcome EvaluateFaultBoot(const std::string& arm, const std::string& scenario,
                               double kill_after_s, const TrialResult& boot) {
  FaultOutcome out;
  Evaluation eval(arm, &out);
  TrialStatus status = boot.trial.status;
  json detail = {{"scenario", scenario},
                 {"kill_after_s", kill_after_s},
                 {"guest", {{"status", TrialStatusName(status)}, {"message", boot.trial.message}}}};
  json console = json::array();
  for (const FindingRecord& f : boot.findings) {
    console.push_back({{"rule", f.rule}, {"level", f.level}, {"line", f.line}, {"message", f.message}});
    if (f.level != "error") continue;  // console-taint: judged from the masks
    eval.Add("fault-splat", "error",
             fmt::format("{} at console line {} during the fault pass: {}", f.rule, f.line, f.message),
             f.file, f.line, f.excerpt);
  }
  detail["console_findings"] = console;
  json ev = json::parse(boot.fault_event, nullptr, /*allow_exceptions=*/false);
  bool have_event = ev.is_object() && ev.value("event", "") == "fault";
  detail["event"] = have_event ? ev : json(nullptr);
  std::vector<std::string> parts;
  if (have_event) parts = JudgeEvent(ev, kill_after_s, &eval, &detail);
  // A guest that died is a failed check whatever it reported before.
  if (status == TrialStatus::kCrashed && eval.first_error().empty()) {
    eval.Add("fault-splat", "error", "the fault guest crashed: " + boot.trial.message);
  } else if (status == TrialStatus::kHung) {
    eval.Add("fault-unresponsive", "error", "the fault guest hung: " + boot.trial.message);
  } else if (!have_event || status == TrialStatus::kFailed || status == TrialStatus::kInfraError) {
    eval.Add("fault-workload-failed", "error",
             fmt::format("the fault guest ended {} without completing the fault pass{}",
                         TrialStatusName(status),
                         boot.trial.message.empty() ? "" : ": " + boot.trial.message));
  }
  bool failed = !eval.first_error().empty();
  out.check.arm = arm;
  out.check.kind = kFaultCheckKind;
  out.check.status = failed ? CheckStatus::kFailed : CheckStatus::kPassed;
  out.check.summary = failed ? "failed: " + eval.first_error() : "passed: " + Join(parts, "; ");
  out.check.detail_json = detail.dump();
  out.line = fmt::format("fault-injection {:<26} {:<22} {:<6} {}", arm, scenario,
                         CheckStatusName(out.check.status),
                         failed ? eval.first_error() + (parts.empty() ? "" : "; " + Join(parts, "; "))
                                : Join(parts, "; "));
  return out;
}

}  // namespace kgate
