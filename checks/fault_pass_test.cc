// The fault pass judged from canned fault boots (events as kgate-agent
// writes them), and what its stored check does to the safety score and the
// gate.
#include "checks/fault_pass.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "judge/judge.h"
#include "judge/testing/judge_fixtures.h"

namespace kgate {
namespace {

using nlohmann::json;
using namespace judge_testing;

// A fault event as the guest sends it; tests change what they need.
json CleanEvent() {
  return json::parse(R"({"event":"fault","taint_boot":0,"taint_before":0,"taint_after":0,
    "agent":{"pid":97,"kill_after_s":1.5,"alive_at_kill":true,"killed":true,"status":"signal 9"},
    "workload_after_kill":{"started":true,"exit":0,"seconds":3.1,"timed_out":false,"output":"ok",
                           "truncated":false},
    "garbage":[{"knob":"/proc/sys/vm/swappiness","value":"-1","accepted":false,"errno":22,
                "error":"write: Invalid argument","before":"60","after":"60"},
               {"knob":"/proc/sys/vm/swappiness","value":"0x10","accepted":true,
                "before":"60","after":"16"},
               {"knob":"/proc/sys/vm/swappiness","value":"","accepted":true,
                "before":"16","after":"16"},
               {"knob":"/proc/sys/vm/swappiness","value":"1 2","accepted":false,"written":2,
                "errno":0,"error":"write: took 2 of 3 bytes","before":"16","after":"1"}],
    "workload_after_garbage":{"started":true,"exit":0,"seconds":3.0,"timed_out":false,
                              "output":"ok","truncated":false},
    "responsive":{"ok":true,"seconds":0.02,"timeout_s":5,"loadavg":"0.5 0.2 0.1 1/40 99",
                  "error":""}})");
}

TrialResult Boot(const json& event, TrialStatus status = TrialStatus::kOk,
                 const std::string& message = "") {
  TrialResult r;
  r.trial.status = status;
  r.trial.message = message;
  r.fault_event = event.is_null() ? "" : event.dump();
  return r;
}

std::vector<std::string> Rules(const FaultOutcome& o) {
  std::vector<std::string> out;
  for (const auto& f : o.findings) out.push_back(f.rule);
  return out;
}

TEST_CASE("fault knobs: the agent's own, else the arm's knobs and sysctls", "[checks][faults]") {
  ArmSpec arm;
  arm.knobs = {{"/sys/block/vda/queue/read_ahead_kb", "16"}};
  arm.sysctl = {{"vm.dirty_ratio", "5"}, {"kernel.sched_autogroup_enabled", "0"}};
  CHECK(FaultKnobs(arm) == std::vector<std::string>{"/sys/block/vda/queue/read_ahead_kb",
                                                    "/proc/sys/kernel/sched_autogroup_enabled",
                                                    "/proc/sys/vm/dirty_ratio"});
  CHECK_FALSE(ArmTakesFaults(arm));
  arm.agent.source = "/x/tuner.sh";
  arm.agent.knobs = {"/proc/sys/vm/swappiness"};
  CHECK(FaultKnobs(arm) == std::vector<std::string>{"/proc/sys/vm/swappiness"});
  CHECK(ArmTakesFaults(arm));
  guest::FaultSpec faults = FaultSpecFor(arm, 1.25);
  CHECK(faults.kill_agent_after_s == 1.25);
  CHECK(faults.garbage.size() == 1);
  CHECK(faults.garbage.at("/proc/sys/vm/swappiness") == GarbageValues());
  CHECK(faults.responsive_timeout_s == 5);
}

TEST_CASE("fault kill time: half the median repetition, else a fixed 2 s", "[checks][faults]") {
  CHECK(KillAfterSeconds({}) == kFallbackKillSeconds);
  CHECK(KillAfterSeconds({4.0, 2.0, 100.0}) == 2.0);
  CHECK(KillAfterSeconds({1.0, 3.0}) == 1.0);
  CHECK(KillAfterSeconds({0.0, -1.0}) == kFallbackKillSeconds);
  CHECK(KillAfterSeconds({0.05}) == 0.1);  // a floor the guest's timer can honour
}

TEST_CASE("fault scenario: the first target, else the first scenario", "[checks][faults]") {
  Proposal p;
  CHECK(FaultScenario(p, {"a", "b"}) == "a");
  p.targets = {"b"};
  CHECK(FaultScenario(p, {"a", "b"}) == "b");
  CHECK(FaultScenario(p, {}) == "");
}

TEST_CASE("fault injection: the proposal overrides the policy either way", "[checks][faults]") {
  Proposal p;
  Policy on, off;
  on.fault_injection = true;
  CHECK(FaultInjectionWanted(p, on));
  CHECK_FALSE(FaultInjectionWanted(p, off));
  p.fault_injection = false;
  CHECK_FALSE(FaultInjectionWanted(p, on));
  p.fault_injection = true;
  CHECK(FaultInjectionWanted(p, off));
}

TEST_CASE("a clean fault boot passes, noting what the kernel accepted", "[checks][faults]") {
  FaultOutcome o = EvaluateFaultBoot("candidate", "microbench", 1.5, Boot(CleanEvent()));
  INFO(o.check.summary);
  CHECK(o.check.kind == "fault-injection");
  CHECK(o.check.status == CheckStatus::kPassed);
  // The empty write is taken by every knob and says nothing: no note.
  CHECK(Rules(o) == std::vector<std::string>{"fault-garbage-accepted", "fault-garbage-accepted"});
  CHECK(o.findings[0].level == "note");
  CHECK(o.findings[0].message == "/proc/sys/vm/swappiness accepted '0x10' (read back '16', was '60')");
  CHECK(o.findings[1].message ==
        "/proc/sys/vm/swappiness accepted '1 2' in part (2 of 3 bytes) (read back '1', was '16')");
  CHECK(o.check.summary ==
        "passed: agent killed at 1.5 s mid-workload; 2 of 4 garbage writes accepted; "
        "responsive in 0.02 s; taint G -> G");
  json detail = json::parse(o.check.detail_json);
  CHECK(detail["killed_mid_workload"] == true);
  CHECK(detail["event"]["garbage"].size() == 4);
  CHECK(detail["garbage_accepted"] == 2);
  CHECK(detail["taint"]["after"]["letters"] == "G");
}

TEST_CASE("sched_ext: the kill switch is judged from the state and the tasks left",
          "[checks][faults][sched_ext]") {
  json ev = CleanEvent();
  ev["sched_ext"] = {{"state_after_kill", "disabled"}, {"seconds_to_disabled", 0.04},
                     {"ext_tasks", 0}, {"tasks", 41},
                     {"kernel_said", "sched_ext: BPF scheduler \"simple\" disabled (unregistered from user space)"}};
  FaultOutcome ok = EvaluateFaultBoot("candidate", "hackbench-pipe", 1.5, Boot(ev));
  CHECK(ok.check.status == CheckStatus::kPassed);
  CHECK_THAT(ok.check.summary,
             Catch::Contains("sched_ext disabled 0.04 s after the kill, all 41 tasks back on the fair class"));
  CHECK(json::parse(ok.check.detail_json)["sched_ext"]["tasks"] == 41);

  ev["sched_ext"]["ext_tasks"] = 3;
  FaultOutcome left = EvaluateFaultBoot("candidate", "hackbench-pipe", 1.5, Boot(ev));
  CHECK(left.check.status == CheckStatus::kFailed);
  CHECK(left.check.summary == "failed: sched_ext reads disabled, yet 3 of 41 tasks still show ext.enabled 1");

  ev["sched_ext"]["state_after_kill"] = "enabled";
  ev["sched_ext"]["seconds_to_disabled"] = -1;
  FaultOutcome stuck = EvaluateFaultBoot("candidate", "hackbench-pipe", 1.5, Boot(ev));
  CHECK(stuck.check.status == CheckStatus::kFailed);
  auto rules = Rules(stuck);
  CHECK(std::count(rules.begin(), rules.end(), "fault-sched-ext-not-disabled") == 1);
}

TEST_CASE("a workload that fails after the kill fails the check", "[checks][faults]") {
  json ev = CleanEvent();
  ev["workload_after_kill"]["exit"] = 1;
  ev["workload_after_garbage"]["timed_out"] = true;
  FaultOutcome o = EvaluateFaultBoot("candidate", "microbench", 1.5, Boot(ev));
  CHECK(o.check.status == CheckStatus::kFailed);
  CHECK(o.check.summary == "failed: the workload after the agent was killed exited 1");
  auto rules = Rules(o);
  CHECK(std::count(rules.begin(), rules.end(), "fault-workload-failed") == 2);
}

TEST_CASE("a console splat during the fault boot fails the check", "[checks][faults]") {
  TrialResult boot = Boot(CleanEvent());
  FindingRecord warn;
  warn.rule = "console-warning";
  warn.level = "error";
  warn.line = 212;
  warn.file = "/t/console.log";
  warn.message = "WARNING: CPU: 0 PID: 97 at mm/readahead.c:10";
  boot.findings.push_back(warn);
  FaultOutcome o = EvaluateFaultBoot("candidate", "microbench", 1.5, boot);
  CHECK(o.check.status == CheckStatus::kFailed);
  REQUIRE(Rules(o).front() == "fault-splat");
  CHECK(o.findings.front().file == "/t/console.log");
  CHECK(o.findings.front().line == 212);
}

TEST_CASE("taint W gained during the pass is a warning naming the flag", "[checks][faults]") {
  json ev = CleanEvent();
  ev["taint_before"] = 4096;      // O, from the arm's own module: not new
  ev["taint_after"] = 4096 + 512;  // + W
  FaultOutcome o = EvaluateFaultBoot("candidate", "microbench", 1.5, Boot(ev));
  CHECK(o.check.status == CheckStatus::kPassed);
  REQUIRE(Rules(o).back() == "fault-new-taint");
  CHECK(o.findings.back().level == "warning");
  CHECK(o.findings.back().message.starts_with("taint gained during the fault pass: W ("));
  CHECK(o.check.summary.ends_with("taint O -> WO"));
  CHECK(json::parse(o.check.detail_json)["taint"]["new"]["letters"] == "W");
}

TEST_CASE("a crashed, hung or silent fault guest is a failed check", "[checks][faults]") {
  FaultOutcome crashed = EvaluateFaultBoot("candidate", "s", 2, Boot(nullptr, TrialStatus::kCrashed, "panic"));
  CHECK(crashed.check.status == CheckStatus::kFailed);
  CHECK(Rules(crashed) == std::vector<std::string>{"fault-splat"});
  FaultOutcome hung = EvaluateFaultBoot("candidate", "s", 2, Boot(CleanEvent(), TrialStatus::kHung, "watchdog"));
  CHECK(hung.check.status == CheckStatus::kFailed);
  CHECK(Rules(hung).back() == "fault-unresponsive");
  FaultOutcome silent = EvaluateFaultBoot("candidate", "s", 2, Boot(nullptr, TrialStatus::kFailed, "no done"));
  CHECK(silent.check.status == CheckStatus::kFailed);
  CHECK(Rules(silent) == std::vector<std::string>{"fault-workload-failed"});
  FaultOutcome junk = EvaluateFaultBoot("candidate", "s", 2, Boot(json::parse(R"({"event":"fault","agent":7})")));
  CHECK(junk.check.status == CheckStatus::kFailed);  // no workload result is no completed workload
  json unresponsive = CleanEvent();
  unresponsive["responsive"]["ok"] = false;
  CHECK(Rules(EvaluateFaultBoot("candidate", "s", 2, Boot(unresponsive))).back() ==
        "fault-unresponsive");
}

// The stored outcome as the judge sees it.
void Keep(RunBuilder* b, const FaultOutcome& o) {
  b->in().checks.push_back(o.check);
  for (const FindingRecord& f : o.findings) b->in().findings.push_back(f);
}

RunBuilder CleanRun() {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.in().policy.fault_injection = true;
  b.in().proposal.candidate.agent.source = "tuner.sh";
  return b;
}

TEST_CASE("safety: a failed fault check scores 0 and fails the gate", "[checks][faults][safety]") {
  for (const char* broken : {"workload", "splat"}) {
    RunBuilder b = CleanRun();
    TrialResult boot = Boot(CleanEvent());
    if (std::string(broken) == "workload") {
      json ev = CleanEvent();
      ev["workload_after_garbage"]["exit"] = 139;
      boot = Boot(ev);
    } else {
      boot.findings.push_back({0, std::nullopt, "candidate", "console-oops", "error", "/c", 3, "Oops", ""});
    }
    Keep(&b, EvaluateFaultBoot("candidate", "hackbench-pipe", 1.5, boot));
    Judgement j = Judge(b.in());
    INFO(broken << "\n" << j.scores["safety"].dump(2));
    CHECK(j.scores["safety"]["score"] == 0);
    CHECK(j.scores["safety"]["fault_injection"]["arms"]["candidate"]["status"] == "failed");
    CHECK(HasReason(j, "safety", Outcome::kFail));
  }
}

TEST_CASE("safety: new taint alone caps the score at 50, the gate still passes safety",
          "[checks][faults][safety]") {
  RunBuilder b = CleanRun();
  json ev = CleanEvent();
  ev["taint_after"] = 512;
  ev["garbage"] = json::array();
  Keep(&b, EvaluateFaultBoot("candidate", "hackbench-pipe", 1.5, Boot(ev)));
  Judgement j = Judge(b.in());
  INFO(j.scores["safety"].dump(2));
  CHECK(j.scores["safety"]["score"] == 50);
  CHECK(j.scores["safety"]["fault_injection"]["candidate_findings"]["fault-new-taint"] == 1);
  CHECK_FALSE(HasReason(j, "safety", Outcome::kFail));
}

TEST_CASE("safety says when fault injection was asked for but nothing took it",
          "[checks][faults][safety]") {
  RunBuilder b = CleanRun();
  b.in().proposal.candidate.agent.source.clear();
  Judgement j = Judge(b.in());
  CHECK(j.scores["safety"]["score"] == 100);
  CHECK(j.scores["safety"]["fault_injection"]["note"] ==
        "asked for, but no arm has an agent or modules: nothing to inject faults into");
  b.in().policy.fault_injection = false;
  CHECK(Judge(b.in()).scores["safety"]["fault_injection"]["note"] == "not asked for");
}

}  // namespace
}  // namespace kgate
