#include "engine/run_engine.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/interrupt.h"
#include "base/strings.h"
#include "config/proposal_loader.h"
#include "checks/fault_pass.h"
#include "checks/module_cycle.h"
#include "engine/boot_deadline.h"
#include "engine/build_check.h"
#include "engine/run_inputs.h"
#include "judge/adaptive.h"
#include "judge/stored_run.h"
#include "trial/trial_runner.h"
#include "vm/probe_guest.h"
#include "vm/tier_probe.h"

namespace kgate {
namespace {

nlohmann::json ArmToJson(const ArmSpec& arm) {
  return {{"name", arm.name},       {"kernel", arm.kernel}, {"cmdline", arm.cmdline},
          {"knobs", arm.knobs},     {"sysctl", arm.sysctl}, {"modules", arm.modules},
          {"agent",
           {{"source", arm.agent.source}, {"args", arm.agent.args}, {"files", arm.agent.files}}},
          {"sched_ext", {{"scheduler", arm.sched_ext.scheduler}, {"args", arm.sched_ext.args}}},
          {"patch", arm.patch},     {"tuned", arm.tuned}};
}

// The image a guest of the kernel boots: the uncompressed vmlinux through
// PVH when cached and wanted, else the bzImage.
std::string BootImage(const Kernel& kernel, const RunOptions& options) {
  bool pvh = options.prefer_pvh && !kernel.vmlinux_path.empty();
  return pvh ? kernel.vmlinux_path : kernel.bzimage_path;
}

// One check per arm: several modules' cycles in one record, the worst
// status winning, so the (run, arm, kind) key holds.
CheckRecord CombineCycleChecks(const std::vector<CheckRecord>& checks) {
  if (checks.size() == 1) return checks.front();
  CheckRecord out = checks.front();
  nlohmann::ordered_json details = nlohmann::ordered_json::array();
  std::vector<std::string> summaries;
  for (const CheckRecord& c : checks) {
    if (c.status == CheckStatus::kFailed ||
        (c.status == CheckStatus::kNotRun && out.status == CheckStatus::kPassed)) {
      out.status = c.status;
    }
    summaries.push_back(c.summary);
    details.push_back(nlohmann::ordered_json::parse(c.detail_json, nullptr, false));
  }
  out.summary = Join(summaries, "; ");
  out.detail_json = nlohmann::ordered_json{{"modules", details}}.dump();
  return out;
}

}  // namespace

struct RunEngine::State {
  // A resumed run's stored configuration; in.load reads through it.
  std::optional<RunConfiguration> stored;
  std::string stored_tier;  // a resumed run's tier
  RunInputs in;
  RunSummary summary;
  std::set<int> stored_seqs;
  std::string run_dir;  // <work_dir>/run-<id>
  RunProgress progress;
  double started = 0;   // clock seconds at the first trial of this invocation
  int trials_timed = 0;
  std::unique_ptr<BootDeadlines> deadlines;
};

RunEngine::RunEngine(RunEnvironment env) : env_(std::move(env)) {
  KG_CHECK(env_.store && env_.backend && env_.kernels && env_.builder && env_.images && env_.analyzer &&
           env_.programs && env_.clock && env_.observer)
      << "RunEngine needs every collaborator";
}

void RunEngine::Notice(const std::string& line) { env_.observer->OnNotice(line); }

// The inputs, loaded from the tree for a new run and from the run's stored
// configuration for a resumed one.
Status RunEngine::Prepare(const std::string& proposal_path, const RunOptions& options,
                          State* state) {
  if (options.work_dir.empty()) return Status::Internal("RunOptions::work_dir is empty");
  std::string path = proposal_path;
  std::string text;
  LoadOptions load = env_.load;
  std::optional<RunConfiguration>& stored = state->stored;
  if (options.resume_run_id) {
    KG_ASSIGN_OR_RETURN(auto given, LoadProposal(proposal_path, env_.load));
    auto run = env_.store->LoadRun(*options.resume_run_id);
    if (!run.ok()) return run.status();
    if (run->proposal != given.name) {
      return Status::BadInput(
          fmt::format("run {} is of proposal '{}', not '{}'", run->id, run->proposal, given.name));
    }
    KG_ASSIGN_OR_RETURN(auto config, RunConfiguration::Load(*env_.store, run->id, env_.load));
    stored = std::move(config);
    state->stored_tier = run->tier;
    if (stored->stored()) {
      load = stored->options();
      load.check_files = true;
      path = run->proposal_file;
      text = run->proposal_yaml;
    }
  }
  auto in = LoadRunInputs(path, text, load, options.plan, *env_.programs);
  if (!in.ok()) return in.status();
  state->in = std::move(*in);
  if (!options.build_of_arm.empty() && options.resume_run_id) {
    return Status::BadInput("a run with replaced builds cannot be resumed");
  }
  KG_RETURN_IF_ERROR(ReplaceBuilds(options.build_of_arm, &state->in));
  Materials m{env_.kernels, env_.builder, env_.images, env_.analyzer, env_.programs,
              [this](const std::string& line) { Notice(line); }};
  return MaterialiseRun(m, &state->in);
}

Status RunEngine::ResolveTier(const RunOptions& options, State* state) {
  RunInputs& in = state->in;
  // A resumed run keeps the tier it was measured at: trials of two tiers
  // cannot be compared.
  if (!state->stored_tier.empty()) {
    if (!options.tier.empty() && options.tier != "auto" && options.tier != state->stored_tier) {
      return Status::BadInput(fmt::format("run {} was measured at tier {}; it cannot resume at {}",
                                          *options.resume_run_id, state->stored_tier,
                                          options.tier));
    }
    KG_ASSIGN_OR_RETURN(auto t, ParseTier(state->stored_tier));
    in.tier = t;
    return Status::Ok();
  }
  std::string name = options.tier.empty() ? in.proposal.tier : options.tier;
  if (name == "hw") {
    return Status::BadInput("tier hw needs the ssh backend, which this kgate does not have yet");
  }
  if (name != "auto") {
    KG_ASSIGN_OR_RETURN(auto t, ParseTier(name));
    in.tier = t;
    return Status::Ok();
  }
  if (const std::string* arm = in.UnbuiltArm()) {
    in.tier = Tier::kIcount;
    Notice(fmt::format("tier auto: icount, unprobed: arm '{}' has no kernel, nothing boots", *arm));
    return Status::Ok();
  }
  // auto trusts KVM only after a real guest booted under it.
  const Kernel& k = in.kernel_of_arm.begin()->second;
  KG_ASSIGN_OR_RETURN(
      auto probe,
      MakeProbeRequest(k.vmlinux_path.empty() ? k.bzimage_path : k.vmlinux_path,
                       in.image_of_kernel.at(k.version).path, options.work_dir + "/probe"));
  std::string why;
  in.tier = ResolveAutoTier(*env_.backend, probe, &why);
  Notice("tier auto: " + why);
  return Status::Ok();
}

Status RunEngine::BeginRun(const RunOptions& options, State* state) {
  const RunInputs& in = state->in;
  RunSummary& summary = state->summary;
  summary.tier = TierName(in.tier);
  for (const ArmSpec& arm : in.arms) {
    KG_RETURN_IF_ERROR(
        env_.store->SaveKernel(KernelRecordOf(arm.kernel, in.kernel_of_arm.at(arm.name))));
  }
  if (options.resume_run_id) {
    summary.run_id = *options.resume_run_id;
    KG_ASSIGN_OR_RETURN(auto trials, env_.store->LoadTrials(summary.run_id));
    for (const auto& t : trials) state->stored_seqs.insert(t.seq);
  } else {
    RunRecord run;
    run.proposal = in.proposal.name;
    run.proposal_file = in.proposal.file;
    auto text = in.config_files.find(
        std::filesystem::absolute(in.proposal.file).lexically_normal().string());
    run.proposal_yaml = text != in.config_files.end() ? text->second : "";
    run.started_at = env_.clock->NowIso8601();
    run.host = env_.provenance.host;
    run.kgate_version = env_.provenance.kgate_version;
    run.git_sha = env_.provenance.git_sha;
    run.qemu_version = env_.provenance.qemu_version;
    run.host_kernel = env_.provenance.host_kernel;
    run.command_line = options.command_line;
    run.tier = summary.tier;
    run.status = "running";
    run.scenarios_dir = in.load.scenarios_dir;
    run.suites_dir = in.load.suites_dir;
    run.policies_dir = in.load.policies_dir;
    KG_ASSIGN_OR_RETURN(auto id, env_.store->CreateRun(run));
    summary.run_id = id;
    KG_RETURN_IF_ERROR(env_.store->SaveRunFiles(summary.run_id, in.config_files));
    for (const ArmSpec& arm : in.arms) {
      const Kernel& k = in.kernel_of_arm.at(arm.name);
      KG_RETURN_IF_ERROR(env_.store->SaveArm(
          {summary.run_id, arm.name, arm.kernel, k.version, ArmToJson(arm).dump()}));
    }
  }
  state->run_dir = fmt::format("{}/run-{}", options.work_dir, summary.run_id);
  KG_RETURN_IF_ERROR(SaveBuilds(*state));
  return SaveAnalyses(*state);
}

// Each built arm's kernel is a check: passed with its key, or failed with
// the first compiler error. A resumed run keeps the one it stored.
Status RunEngine::SaveBuilds(const State& state) {
  std::int64_t run_id = state.summary.run_id;
  KG_ASSIGN_OR_RETURN(auto stored, env_.store->LoadChecks(run_id));
  for (const auto& [arm, built] : state.in.build_of_arm) {
    if (HasCheck(stored, arm, "build")) continue;
    if (auto finding = BuildFinding(arm, built, run_id)) {
      KG_RETURN_IF_ERROR(env_.store->SaveFindings({*finding}));
    }
    CheckRecord check = BuildCheck(arm, built, run_id);
    KG_RETURN_IF_ERROR(env_.store->SaveCheck(check));
    Notice(fmt::format("arm '{}': build {}: {}", arm, CheckStatusName(check.status), check.summary));
  }
  return Status::Ok();
}

// A resumed run keeps the analyses it stored the first time: the findings
// would otherwise be stored twice.
Status RunEngine::SaveAnalyses(const State& state) {
  std::int64_t run_id = state.summary.run_id;
  KG_ASSIGN_OR_RETURN(auto stored, env_.store->LoadChecks(run_id));
  for (const auto& [arm, analysis] : state.in.analysis_of_arm) {
    if (HasCheck(stored, arm, "analysis")) continue;
    std::vector<FindingRecord> findings = analysis.findings;
    for (FindingRecord& f : findings) f.run_id = run_id;
    KG_RETURN_IF_ERROR(env_.store->SaveFindings(findings));
    CheckRecord check = AnalysisCheck(analysis, run_id, env_.provenance.kgate_version);
    KG_RETURN_IF_ERROR(env_.store->SaveCheck(check));
    Notice(fmt::format("arm '{}': {}", arm, check.summary));
  }
  return Status::Ok();
}

// Each module arm's modules are loaded and unloaded in a guest of the arm's
// kernel before any trial (checks/module_cycle.h): a module that leaks,
// will not unload or splats is a safety finding whatever the numbers say.
// TCG stands in for icount here: the cycle judges memory and the console,
// not time. A resumed run keeps the check it stored.
Status RunEngine::CycleModules(const RunOptions& options, const State& state) {
  const RunInputs& in = state.in;
  std::int64_t run_id = state.summary.run_id;
  KG_ASSIGN_OR_RETURN(auto stored, env_.store->LoadChecks(run_id));
  int arm_index = 0;
  for (const auto& [arm, analysis] : in.analysis_of_arm) {
    ++arm_index;
    if (analysis.modules.empty() || HasCheck(stored, arm, "module-cycle")) continue;
    const Kernel& kernel = in.kernel_of_arm.at(arm);
    std::vector<CheckRecord> checks;
    std::vector<FindingRecord> findings;
    for (std::size_t i = 0; i < analysis.modules.size(); ++i) {
      ModuleCycleRequest r;
      r.kernel_ref = kernel.ref;
      r.kernel_image = BootImage(kernel, options);
      r.base_image = in.image_of_kernel.at(kernel.version).path;
      r.ko_path = analysis.modules[i].host_path;
      r.tier = in.tier == Tier::kIcount ? Tier::kTcg : in.tier;
      r.trial_dir = fmt::format("{}/module-cycle-{}-{}", state.run_dir, arm_index, i);
      auto result = RunModuleCycle(*env_.backend, r);
      if (!result.ok()) return result.status().Prefixed("arm '" + arm + "': module cycle");
      CheckRecord check = ModuleCycleCheck(*result, arm);
      check.run_id = run_id;
      checks.push_back(std::move(check));
      for (FindingRecord f : result->findings) {
        f.run_id = run_id;
        f.arm = arm;
        findings.push_back(std::move(f));
      }
    }
    CheckRecord check = CombineCycleChecks(checks);
    KG_RETURN_IF_ERROR(env_.store->SaveFindings(findings));
    KG_RETURN_IF_ERROR(env_.store->SaveCheck(check));
    Notice(fmt::format("arm '{}': module cycle {}: {}", arm, CheckStatusName(check.status),
                       check.summary));
  }
  return Status::Ok();
}

namespace {

TrialRequest MakeRequest(const PlannedTrial& planned, const RunOptions& options,
                         const RunInputs& in, const std::string& run_dir) {
  const ArmSpec& arm = in.Arm(planned.arm);
  const Kernel& kernel = in.kernel_of_arm.at(arm.name);
  TrialRequest request;
  request.seq = planned.seq;
  request.round = planned.round;
  request.arm = arm;
  request.kernel_image = BootImage(kernel, options);
  request.scenario = in.scenarios.at(planned.scenario);
  request.shape = planned.shape;
  request.tier = in.tier;
  request.icount_shift =
      request.scenario.icount_shift >= 0 ? request.scenario.icount_shift : options.icount_shift;
  request.guest_seed = GuestSeed(in.plan.seed, planned.round);
  request.machine = options.machine;
  request.base_image = in.image_of_kernel.at(kernel.version).path;
  if (arm.agent.present()) request.agent_guest_path = AgentGuestPath(arm.agent.source);
  if (auto it = in.proposal.params.find(planned.scenario); it != in.proposal.params.end()) {
    request.param_overrides = it->second;
  }
  if (auto it = in.analysis_of_arm.find(arm.name); it != in.analysis_of_arm.end()) {
    for (const ArmModule& m : it->second.modules) request.insmod.push_back({m.guest_path, ""});
  }
  request.trial_dir = fmt::format("{}/trial-{:04d}", run_dir, planned.seq);
  return request;
}

// The failed trial recorded, without booting, for a scenario whose host
// binaries are missing.
TrialResult UnavailableTrial(const TrialRequest& request, const std::string& why) {
  TrialResult result;
  result.trial = StartTrialRecord(request);
  result.trial.status = TrialStatus::kFailed;
  result.trial.message = why;
  return result;
}

}  // namespace

Status RunEngine::ExecuteTrial(const PlannedTrial& planned, const RunOptions& options,
                               State* state) {
  RunInputs& in = state->in;
  RunSummary& summary = state->summary;
  RunProgress& progress = state->progress;
  progress.trial = &planned;
  if (state->stored_seqs.count(planned.seq)) {
    ++summary.trials_skipped;
    ++progress.done;
    return Status::Ok();
  }
  if (StopRequested()) return Status::Interrupted("stopped before trial " + std::to_string(planned.seq));
  TrialRequest request = MakeRequest(planned, options, in, state->run_dir);
  const Kernel& kernel = in.kernel_of_arm.at(planned.arm);
  request.boot_deadline_s = state->deadlines->For(kernel.version, in.tier);
  progress.status = "running";
  progress.message.clear();
  progress.elapsed_s = env_.clock->MonotonicSeconds() - state->started;
  env_.observer->OnTrial(progress);

  auto unavailable = in.unavailable.find(planned.scenario);
  Result<TrialResult> result = unavailable != in.unavailable.end()
                                   ? Result<TrialResult>(UnavailableTrial(request, unavailable->second))
                                   : TrialRunner(*env_.backend).Run(request);
  if (!result.ok()) return result.status();
  TrialRecord& trial = result->trial;
  trial.run_id = summary.run_id;
  trial.tier = summary.tier;
  for (auto& f : result->findings) f.run_id = summary.run_id;
  if (trial.status == TrialStatus::kOk) state->deadlines->Record(kernel.version, in.tier, trial.boot_seconds);
  std::string status = TrialStatusName(trial.status);
  progress.message = trial.message;
  KG_RETURN_IF_ERROR(env_.store->RecordTrial(trial, result->samples, result->findings).status());
  // The trial's logs stay for inspection; its initrd (a copy of the base
  // image, ~100 MB) and scratch disk are rebuilt on demand and would fill
  // the disk over a long run.
  std::error_code ignored;
  std::filesystem::remove(request.trial_dir + "/initrd.img", ignored);
  std::filesystem::remove(request.trial_dir + "/scratch.raw", ignored);

  ++progress.done;
  ++summary.trials_run;
  ++summary.by_status[status];
  ++state->trials_timed;
  progress.status = status;
  progress.elapsed_s = env_.clock->MonotonicSeconds() - state->started;
  progress.eta_s = progress.elapsed_s / state->trials_timed * (progress.total - progress.done);
  env_.observer->OnTrial(progress);
  return Status::Ok();
}

Status RunEngine::ExecuteRounds(const RunOptions& options, int first_round, int end_round,
                                State* state) {
  const Plan& plan = state->in.plan;
  std::size_t per_round = plan.trials.size() / std::max(1, plan.rounds);
  std::vector<PlannedTrial> trials;
  for (int round = first_round; round < end_round; ++round) {
    if (round < plan.rounds) {
      for (const PlannedTrial& t : plan.trials) {
        if (t.round == round) trials.push_back(t);
      }
    } else {
      auto more = PlanRound(plan, round, static_cast<int>(round * per_round));
      trials.insert(trials.end(), more.begin(), more.end());
    }
  }
  if (first_round >= plan.rounds) state->progress.total += static_cast<int>(trials.size());
  for (const PlannedTrial& planned : trials) {
    KG_RETURN_IF_ERROR(ExecuteTrial(planned, options, state));
  }
  state->summary.rounds = end_round;
  return Status::Ok();
}

// The planned rounds, then adaptive looks: add rounds up to the next look
// until the judgement is final or the looks run out.
Status RunEngine::Sample(const RunOptions& options, State* state) {
  const RunInputs& in = state->in;
  state->progress.total = static_cast<int>(in.plan.trials.size());
  KG_RETURN_IF_ERROR(ExecuteRounds(options, 0, in.plan.rounds, state));
  if (!options.adaptive) return Status::Ok();
  for (int look : LookRounds(in.proposal.runs.min, in.proposal.runs.max, in.policy.looks)) {
    if (look <= state->summary.rounds) continue;
    KG_ASSIGN_OR_RETURN(auto judged, JudgeStoredRun(*env_.store, state->summary.run_id, "",
                                                    state->summary.rounds, env_.load));
    env_.observer->OnLook(state->summary.rounds, judged);
    if (judged.Final()) break;
    KG_RETURN_IF_ERROR(ExecuteRounds(options, state->summary.rounds, look, state));
  }
  return Status::Ok();
}

Status RunEngine::FaultPass(const RunOptions& options, const State& state) {
  const RunInputs& in = state.in;
  if (!FaultInjectionWanted(in.proposal, in.policy)) return Status::Ok();
  // A scenario whose host binaries are missing cannot run in any guest.
  std::vector<std::string> runnable;
  for (const std::string& s : in.plan.scenarios) {
    if (!in.unavailable.count(s)) runnable.push_back(s);
  }
  std::string scenario = FaultScenario(in.proposal, runnable);
  if (scenario.empty()) return Status::Ok();
  FaultPassContext ctx;
  ctx.store = env_.store;
  ctx.backend = env_.backend;
  ctx.run_id = state.summary.run_id;
  ctx.run_dir = state.run_dir;
  ctx.make_request = [&](const ArmSpec& arm, const std::string& name) {
    PlannedTrial planned;
    planned.arm = arm.name;
    planned.scenario = name;
    planned.shape = in.plan.shapes.front();
    TrialRequest request = MakeRequest(planned, options, in, state.run_dir);
    request.boot_deadline_s =
        state.deadlines->For(in.kernel_of_arm.at(arm.name).version, in.tier);
    return request;
  };
  ctx.print = [this](const std::string& line) { Notice(line); };
  // A module's parameters are knobs too: the engine knows them from the
  // built .ko, so they join the arm's fault knobs here.
  std::vector<ArmSpec> arms = in.arms;
  for (ArmSpec& arm : arms) {
    auto it = in.analysis_of_arm.find(arm.name);
    if (it == in.analysis_of_arm.end() || it->second.modules.empty()) continue;
    std::vector<std::string> knobs = FaultKnobs(arm);
    for (const ArmModule& m : it->second.modules) {
      knobs.insert(knobs.end(), m.parameter_paths.begin(), m.parameter_paths.end());
    }
    arm.agent.knobs = knobs;
  }
  return RunFaultPass(ctx, arms, scenario);
}

Result<RunSummary> RunEngine::Run(const std::string& proposal_path, const RunOptions& options) {
  if (int reaped = env_.backend->ReapLeftovers(); reaped > 0) {
    Notice(fmt::format("killed {} guest(s) left running by a kgate that died", reaped));
  }
  State state;
  state.deadlines = std::make_unique<BootDeadlines>(*env_.store);
  KG_RETURN_IF_ERROR(Prepare(proposal_path, options, &state));
  KG_RETURN_IF_ERROR(ResolveTier(options, &state));
  KG_RETURN_IF_ERROR(BeginRun(options, &state));
  // From here on the run exists: whatever stops it, it is marked so.
  auto finish = [&](const Status& status) -> Result<RunSummary> {
    std::string mark =
        status.code() == Status::Code::kInterrupted ? "interrupted" : "infra-error";
    (void)env_.store->FinishRun(state.summary.run_id, mark);
    return status.Prefixed(fmt::format("run {}", state.summary.run_id));
  };
  state.started = env_.clock->MonotonicSeconds();
  env_.observer->OnRunStarted(state.summary.run_id, state.summary.tier,
                              static_cast<int>(state.in.plan.trials.size()));
  Status status;
  if (const std::string* arm = state.in.UnbuiltArm()) {
    Notice(fmt::format("no trial runs: arm '{}''s kernel did not build", *arm));
  } else {
    status = CycleModules(options, state);
    if (status.ok()) status = Sample(options, &state);
    if (status.ok()) status = FaultPass(options, state);
  }
  if (!status.ok()) return finish(status);
  auto judged = JudgeStoredRun(*env_.store, state.summary.run_id, "", state.summary.rounds,
                               env_.load);
  if (!judged.ok()) return finish(judged.status());
  state.summary.verdict = judged->verdict;
  KG_RETURN_IF_ERROR(env_.store->FinishRun(state.summary.run_id, "done"));
  return state.summary;
}

}  // namespace kgate
