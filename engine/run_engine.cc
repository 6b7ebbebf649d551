#include "engine/run_engine.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/build_info.h"
#include "base/file_util.h"
#include "base/paths.h"
#include "base/strings.h"
#include "base/time_util.h"
#include "config/load_options.h"
#include "config/policy_loader.h"
#include "config/proposal_loader.h"
#include "config/scenario_loader.h"
#include "checks/arm_analysis.h"
#include "checks/fault_pass.h"
#include "image/guest_image.h"
#include "checks/module_cycle.h"
#include "vm/probe_guest.h"
#include "vm/tier_probe.h"
#include "trial/trial_runner.h"
#include "kernels/kernel_cache.h"

namespace kgate {
namespace {

using Clock = std::chrono::steady_clock;

std::string FirstLineOf(ProcessRunner& runner, const std::vector<std::string>& argv) {
  auto r = runner.Run(argv, ProcessOptions::WithTimeout(std::chrono::seconds(10)));
  if (!r.ok() || !r->success()) return "";
  return Trim(r->out.substr(0, r->out.find('\n')));
}

std::string Hostname() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

std::string HostKernel() {
  struct utsname u;
  return uname(&u) == 0 ? u.release : "";
}

// The parts of an arm this build cannot materialise yet are refused up
// front, naming the arm, rather than silently measured without them.
Status CheckArmSupported(const ArmSpec& arm) {
  if (!arm.modules.empty() && !StartsWith(arm.kernel, "debian:")) {
    return Status::BadInput(fmt::format(
        "{}: arm '{}': modules: are built against Debian headers, and kernel '{}' has none "
        "kgate can fetch; use a debian: kernel",
        arm.location.ToString(), arm.name, arm.kernel));
  }
  // The loader lets patch: only beside a build: kernel, which needs
  // `kgate kernel build`; until it exists the patch can only be analysed.
  if (!arm.patch.empty()) {
    return Status::BadInput(fmt::format(
        "{}: arm '{}': patch: building patched kernels (kernel: build:) is not supported by "
        "this kgate yet; `kgate analyze` analyses the patch alone",
        arm.location.ToString(), arm.name));
  }
  if (arm.agent.present() && EndsWith(arm.agent.source, ".cc")) {
    return Status::BadInput(fmt::format(
        "{}: arm '{}': agent: compiling agent sources is not supported by this kgate yet; "
        "give a prebuilt static binary",
        arm.location.ToString(), arm.name));
  }
  return Status::Ok();
}

nlohmann::json ArmToJson(const ArmSpec& arm) {
  return {{"name", arm.name},       {"kernel", arm.kernel}, {"cmdline", arm.cmdline},
          {"knobs", arm.knobs},     {"sysctl", arm.sysctl}, {"modules", arm.modules},
          {"agent",
           {{"source", arm.agent.source}, {"args", arm.agent.args}, {"files", arm.agent.files}}},
          {"patch", arm.patch},     {"tuned", arm.tuned}};
}

bool TouchesBlockDevice(const std::vector<ArmSpec>& arms) {
  for (const auto& arm : arms) {
    for (const auto& [path, value] : arm.knobs) {
      if (StartsWith(path, "/sys/block/")) return true;
    }
  }
  return false;
}

std::string AgentGuestPath(const std::string& host_path) {
  return "/kgate/agent/" + std::filesystem::path(host_path).filename().string();
}

}  // namespace

// Everything a run needs before its first trial, gathered step by step.
struct RunEngine::Inputs {
  Proposal proposal;
  Plan plan;
  std::vector<ArmSpec> arms;
  std::map<std::string, ScenarioSpec> scenarios;
  std::vector<NeededBinary> needs;
  std::map<std::string, std::string> extra_files;  // guest path -> host path
  // Scenarios whose host binaries are missing: their trials are recorded as
  // failed with this message, and the rest of the run goes on.
  std::map<std::string, std::string> unavailable;
  std::map<std::string, Kernel> kernel_of_arm;
  std::map<std::string, GuestImage> image_of_kernel;  // by kernel version
  std::map<std::string, ArmAnalysis> analysis_of_arm;  // arms with modules: or patch:
  std::string work_dir;
  Tier tier = Tier::kTcg;
};

RunEngine::RunEngine(Store& store, VmBackend& backend, ProcessRunner& runner, std::string cache_dir)
    : store_(store), backend_(backend), runner_(runner), cache_dir_(std::move(cache_dir)) {}

Status RunEngine::LoadInputs(const std::string& proposal_path, const RunOptions& options,
                             Inputs* in) {
  LoadOptions load = LoadOptions::Default();
  auto proposal = LoadProposal(proposal_path, load);
  if (!proposal.ok()) return proposal.status();
  in->proposal = std::move(*proposal);
  auto plan = MakePlan(in->proposal, options.plan);
  if (!plan.ok()) return plan.status();
  in->plan = std::move(*plan);

  for (const ArmSpec& arm : in->proposal.Arms()) {
    const auto& planned = in->plan.arms;
    if (std::find(planned.begin(), planned.end(), arm.name) == planned.end()) continue;
    KG_RETURN_IF_ERROR(CheckArmSupported(arm));
    in->arms.push_back(arm);
    if (!arm.agent.present()) continue;
    in->extra_files[AgentGuestPath(arm.agent.source)] = arm.agent.source;
    for (const std::string& f : arm.agent.files) in->extra_files[AgentGuestPath(f)] = f;
  }
  bool block_knobs = TouchesBlockDevice(in->arms);
  for (const std::string& name : in->plan.scenarios) {
    auto s = FindScenario(name, load.scenarios_dir);
    if (!s.ok()) return s.status();
    // A knob on the guest's disk needs the disk in every trial, so the arms
    // differ by the knob alone and not by the presence of a device.
    if (block_knobs) s->scratch_disk = true;
    // The agent formats the scratch disk with mkfs.<fs> when the image has
    // it, else busybox's mke2fs, which writes ext2; ship the host's mkfs so
    // an `fs: ext4` scenario really runs on ext4 (its journal included).
    std::string mkfs = "mkfs." + s->scratch_fs;
    if (s->scratch_disk && !s->scratch_fs.empty() && !FindInPath(mkfs).empty()) {
      in->needs.push_back({mkfs, "scenario " + name + " (scratch_disk fs)"});
    }
    std::vector<std::string> missing;
    for (const std::string& need : s->needs) {
      if (GuestProgramPath(need).empty() && FindInPath(need).empty()) missing.push_back(need);
    }
    if (!missing.empty()) {
      in->unavailable[name] = fmt::format(
          "scenario {} needs {} on the host to ship into the guest, and it is not in PATH",
          name, Join(missing, ", "));
    }
    for (const std::string& need : missing.empty() ? s->needs : std::vector<std::string>{}) {
      // kgate's own guest programs are not in PATH: ship the built copy and
      // put it where the scenario's command finds it.
      std::string own = GuestProgramPath(need);
      if (!own.empty()) in->extra_files["/usr/bin/" + need] = own;
      in->needs.push_back({own.empty() ? need : own, "scenario " + name});
    }
    in->scenarios.emplace(name, std::move(*s));
  }
  in->work_dir = options.work_dir.empty() ? cache_dir_ + "/trials" : options.work_dir;
  return MakeDirs(in->work_dir);
}

Status RunEngine::Materialise(Inputs* in) {
  if (FindInPath("qemu-system-x86_64").empty()) {
    return Status::Infrastructure(
        "qemu-system-x86_64 not found in PATH (apt-get install qemu-system-x86, or "
        "scripts/install-deps.sh)");
  }
  std::string agent = GuestProgramPath("kgate-agent");
  if (agent.empty()) {
    return Status::Infrastructure("kgate-agent is not built (build the kgate-agent target)");
  }
  KernelCache kernel_cache(cache_dir_, runner_);
  for (std::size_t i = 0; i < in->arms.size(); ++i) {
    const ArmSpec& arm = in->arms[i];
    auto kernel = kernel_cache.Fetch(arm.kernel, &store_);
    if (!kernel.ok()) return kernel.status().Prefixed("arm '" + arm.name + "'");
    if (NeedsAnalysis(arm)) {
      std::cerr << "kgate: analysing arm '" << arm.name << "' (" << arm.modules.size()
                << " module dir(s), " << arm.patch.size() << " patch(es))\n";
      AnalyzeOptions options;
      options.cache_dir = cache_dir_;
      options.runner = &runner_;
      auto analysis = AnalyzeArm(arm, static_cast<int>(i), kernel->version, options);
      if (!analysis.ok()) return analysis.status();
      in->analysis_of_arm.emplace(arm.name, std::move(*analysis));
    }
    in->kernel_of_arm.emplace(arm.name, std::move(*kernel));
  }
  GuestImageBuilder images(cache_dir_, runner_);
  for (const ArmSpec& arm : in->arms) {
    const Kernel& kernel = in->kernel_of_arm.at(arm.name);
    if (in->image_of_kernel.count(kernel.version)) continue;
    GuestImageSpec spec;
    spec.init = agent;
    spec.needs = in->needs;
    spec.extra_files = in->extra_files;
    // Every arm booting this kernel shares the image; each loads only its
    // own modules, which sit in a directory of their own.
    for (const auto& [name, analysis] : in->analysis_of_arm) {
      if (in->kernel_of_arm.at(name).version != kernel.version) continue;
      for (const ArmModule& m : analysis.modules) spec.extra_files[m.guest_path] = m.host_path;
    }
    spec.modules_dir = kernel.modules_dir;
    spec.kernel_version = kernel.version;
    // Debian 6.1 builds virtio_pci and virtio_console as modules: without
    // them the guest has no event channel (6.12 has them built in, which
    // ResolveModules takes as nothing to ship).
    if (!kernel.modules_dir.empty()) spec.modules = {"virtio_blk", "virtio_pci", "virtio_console"};
    auto image = images.Build(spec);
    if (!image.ok()) return image.status();
    in->image_of_kernel.emplace(kernel.version, std::move(*image));
  }
  return Status::Ok();
}

Status RunEngine::ResolveTier(const RunOptions& options, Inputs* in) {
  std::string name = options.tier.empty() ? in->proposal.tier : options.tier;
  if (name == "hw") {
    return Status::BadInput("tier hw needs the ssh backend, which this kgate does not have yet");
  }
  if (name != "auto") {
    auto t = ParseTier(name);
    if (!t.ok()) return t.status();
    in->tier = *t;
    return Status::Ok();
  }
  // auto trusts KVM only after a real guest booted under it.
  const Kernel& k = in->kernel_of_arm.begin()->second;
  auto probe = MakeProbeRequest(k.vmlinux_path.empty() ? k.bzimage_path : k.vmlinux_path,
                                in->image_of_kernel.at(k.version).path, in->work_dir + "/probe");
  if (!probe.ok()) return probe.status();
  std::string why;
  in->tier = ResolveAutoTier(backend_, *probe, &why);
  std::cerr << "kgate: tier auto: " << why << "\n";
  return Status::Ok();
}

Status RunEngine::BeginRun(const RunOptions& options, const Inputs& in, RunSummary* summary,
                           std::set<int>* stored_seqs) {
  summary->tier = TierName(in.tier);
  if (options.resume_run_id) {
    auto run = store_.LoadRun(*options.resume_run_id);
    if (!run.ok()) return run.status();
    if (run->proposal != in.proposal.name) {
      return Status::BadInput(fmt::format("run {} is of proposal '{}', not '{}'", run->id,
                                          run->proposal, in.proposal.name));
    }
    auto trials = store_.LoadTrials(run->id);
    if (!trials.ok()) return trials.status();
    for (const auto& t : *trials) stored_seqs->insert(t.seq);
    summary->run_id = run->id;
    return SaveAnalyses(in, run->id);
  }
  RunRecord run;
  run.proposal = in.proposal.name;
  run.proposal_file = in.proposal.file;
  auto text = ReadTextFile(in.proposal.file);
  run.proposal_yaml = text.ok() ? *text : "";
  run.started_at = NowIso8601();
  run.host = Hostname();
  run.kgate_version = build_info::kVersion;
  run.git_sha = build_info::kGitSha;
  run.qemu_version = FirstLineOf(runner_, {"qemu-system-x86_64", "--version"});
  run.host_kernel = HostKernel();
  run.command_line = options.command_line;
  run.tier = summary->tier;
  run.status = "running";
  auto id = store_.CreateRun(run);
  if (!id.ok()) return id.status();
  summary->run_id = *id;
  for (const ArmSpec& arm : in.arms) {
    const Kernel& k = in.kernel_of_arm.at(arm.name);
    KG_RETURN_IF_ERROR(
        store_.SaveArm({*id, arm.name, arm.kernel, k.version, ArmToJson(arm).dump()}));
  }
  return SaveAnalyses(in, *id);
}

// A resumed run keeps the analyses it stored the first time: the findings
// would otherwise be stored twice.
Status RunEngine::SaveAnalyses(const Inputs& in, std::int64_t run_id) {
  auto stored = store_.LoadChecks(run_id);
  if (!stored.ok()) return stored.status();
  for (const auto& [arm, analysis] : in.analysis_of_arm) {
    if (HasCheck(*stored, arm, "analysis")) continue;
    std::vector<FindingRecord> findings = analysis.findings;
    for (FindingRecord& f : findings) f.run_id = run_id;
    KG_RETURN_IF_ERROR(store_.SaveFindings(findings));
    CheckRecord check = AnalysisCheck(analysis, run_id, build_info::kVersion);
    KG_RETURN_IF_ERROR(store_.SaveCheck(check));
    std::cerr << "kgate: arm '" << arm << "': " << check.summary << "\n";
  }
  return Status::Ok();
}

namespace {

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
    if (c.status == "failed" || (c.status == "not-run" && out.status == "passed")) {
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

// Each module arm's modules are loaded and unloaded in a guest of the arm's
// kernel before any trial (checks/module_cycle.h): a module that leaks,
// will not unload or splats is a safety finding whatever the numbers say.
// TCG stands in for icount here: the cycle judges memory and the console,
// not time. A resumed run keeps the check it stored.
Status RunEngine::CycleModules(const Inputs& in, const RunOptions& options, std::int64_t run_id) {
  auto stored = store_.LoadChecks(run_id);
  if (!stored.ok()) return stored.status();
  int arm_index = 0;
  for (const auto& [arm, analysis] : in.analysis_of_arm) {
    ++arm_index;
    if (analysis.modules.empty() || HasCheck(*stored, arm, "module-cycle")) continue;
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
      r.trial_dir =
          fmt::format("{}/run-{}/module-cycle-{}-{}", in.work_dir, run_id, arm_index, i);
      auto result = RunModuleCycle(backend_, r);
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
    KG_RETURN_IF_ERROR(store_.SaveFindings(findings));
    KG_RETURN_IF_ERROR(store_.SaveCheck(check));
    std::cerr << "kgate: arm '" << arm << "': module cycle " << check.status << ": "
              << check.summary << "\n";
  }
  return Status::Ok();
}

TrialRequest RunEngine::MakeRequest(const PlannedTrial& planned, const RunOptions& options,
                                    const Inputs& in, std::int64_t run_id) {
  const ArmSpec& arm = *std::find_if(in.arms.begin(), in.arms.end(),
                                     [&](const ArmSpec& a) { return a.name == planned.arm; });
  const Kernel& kernel = in.kernel_of_arm.at(arm.name);
  TrialRequest request;
  request.seq = planned.seq;
  request.round = planned.round;
  request.arm = arm;
  request.kernel_image = BootImage(kernel, options);
  request.scenario = in.scenarios.at(planned.scenario);
  request.shape = planned.shape;
  request.tier = in.tier;
  request.icount_shift = options.icount_shift;
  request.machine = options.machine;
  request.base_image = in.image_of_kernel.at(kernel.version).path;
  if (arm.agent.present()) request.agent_guest_path = AgentGuestPath(arm.agent.source);
  if (auto it = in.proposal.params.find(planned.scenario); it != in.proposal.params.end()) {
    request.param_overrides = it->second;
  }
  if (auto it = in.analysis_of_arm.find(arm.name); it != in.analysis_of_arm.end()) {
    for (const ArmModule& m : it->second.modules) request.insmod.push_back({m.guest_path, ""});
  }
  request.trial_dir = fmt::format("{}/run-{}/trial-{:04d}", in.work_dir, run_id, planned.seq);
  return request;
}

Status RunEngine::RecordResult(const TrialRequest& request, TrialResult result,
                               const RunSummary& summary) {
  result.trial.run_id = summary.run_id;
  result.trial.tier = summary.tier;
  for (auto& f : result.findings) f.run_id = summary.run_id;
  auto id = store_.RecordTrial(result.trial, result.samples, result.findings);
  if (!id.ok()) return id.status();
  // The trial's logs stay for inspection; its initrd (a copy of the base
  // image, ~100 MB) and scratch disk are rebuilt on demand and would fill
  // the disk over a long run.
  std::error_code ignored;
  std::filesystem::remove(request.trial_dir + "/initrd.img", ignored);
  std::filesystem::remove(request.trial_dir + "/scratch.raw", ignored);
  return Status::Ok();
}

TrialResult RunEngine::UnavailableTrial(const TrialRequest& request, const Inputs& in) {
  TrialResult result;
  result.trial = StartTrialRecord(request);
  TrialRecord& t = result.trial;
  t.status = TrialStatus::kFailed;
  auto it = in.unavailable.find(request.scenario.name);
  t.message = it != in.unavailable.end() ? it->second : "";
  return result;
}

Status RunEngine::ExecuteTrials(const std::vector<PlannedTrial>& trials, const RunOptions& options,
                                const Inputs& in, const std::set<int>& stored_seqs,
                                RunSummary* summary, RunProgress* progress) {
  TrialRunner trial_runner(backend_);
  auto start = Clock::now() - std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(progress->elapsed_s));
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  for (const PlannedTrial& planned : trials) {
    progress->trial = &planned;
    if (stored_seqs.count(planned.seq)) {
      ++summary->trials_skipped;
      ++progress->done;
      continue;
    }
    TrialRequest request = MakeRequest(planned, options, in, summary->run_id);
    progress->status = "running";
    progress->message.clear();
    progress->elapsed_s = elapsed();
    if (progress_) progress_(*progress);

    Result<TrialResult> result = in.unavailable.count(planned.scenario)
                                     ? Result<TrialResult>(UnavailableTrial(request, in))
                                     : trial_runner.Run(request);
    if (!result.ok()) return result.status();
    std::string status = TrialStatusName(result->trial.status);
    progress->message = result->trial.message;
    KG_RETURN_IF_ERROR(RecordResult(request, std::move(*result), *summary));
    ++progress->done;
    ++summary->trials_run;
    ++summary->by_status[status];
    progress->status = status;
    progress->elapsed_s = elapsed();
    progress->eta_s =
        progress->elapsed_s / summary->trials_run * (progress->total - progress->done);
    if (progress_) progress_(*progress);
  }
  return Status::Ok();
}

Result<RunSummary> RunEngine::Run(const std::string& proposal_path, const RunOptions& options) {
  Inputs in;
  KG_RETURN_IF_ERROR(LoadInputs(proposal_path, options, &in));
  KG_RETURN_IF_ERROR(Materialise(&in));
  KG_RETURN_IF_ERROR(ResolveTier(options, &in));
  RunSummary summary;
  std::set<int> stored_seqs;
  KG_RETURN_IF_ERROR(BeginRun(options, in, &summary, &stored_seqs));
  KG_RETURN_IF_ERROR(CycleModules(in, options, summary.run_id));

  RunProgress progress;
  progress.total = static_cast<int>(in.plan.trials.size());
  KG_RETURN_IF_ERROR(ExecuteTrials(in.plan.trials, options, in, stored_seqs, &summary, &progress));
  summary.rounds = in.plan.rounds;
  // Adaptive sampling: add rounds up to the next look until the judgement
  // is final or the looks run out.
  std::size_t per_round = in.plan.trials.size() / std::max(1, in.plan.rounds);
  for (int look : options.looks) {
    if (look <= summary.rounds) continue;
    if (!options.settled) break;
    auto settled = options.settled(summary.run_id, summary.rounds);
    if (!settled.ok()) return settled.status();
    if (*settled) break;
    std::vector<PlannedTrial> more;
    for (int round = summary.rounds; round < look; ++round) {
      auto trials = PlanRound(in.plan, round, static_cast<int>(round * per_round));
      more.insert(more.end(), trials.begin(), trials.end());
    }
    progress.total += static_cast<int>(more.size());
    KG_RETURN_IF_ERROR(ExecuteTrials(more, options, in, stored_seqs, &summary, &progress));
    summary.rounds = look;
  }
  KG_RETURN_IF_ERROR(FaultPass(options, in, summary));
  KG_RETURN_IF_ERROR(store_.FinishRun(summary.run_id, "done"));
  return summary;
}

Status RunEngine::FaultPass(const RunOptions& options, const Inputs& in,
                            const RunSummary& summary) {
  auto policy = LoadPolicy(in.proposal.policy, in.proposal.dir, LoadOptions::Default().policies_dir);
  if (!policy.ok()) return policy.status();
  if (!FaultInjectionWanted(in.proposal, *policy)) return Status::Ok();
  // A scenario whose host binaries are missing cannot run in any guest.
  std::vector<std::string> runnable;
  for (const std::string& s : in.plan.scenarios) {
    if (!in.unavailable.count(s)) runnable.push_back(s);
  }
  std::string scenario = FaultScenario(in.proposal, runnable);
  if (scenario.empty()) return Status::Ok();
  FaultPassContext ctx;
  ctx.store = &store_;
  ctx.backend = &backend_;
  ctx.run_id = summary.run_id;
  ctx.work_dir = in.work_dir;
  ctx.make_request = [&](const ArmSpec& arm, const std::string& name) {
    PlannedTrial planned;
    planned.arm = arm.name;
    planned.scenario = name;
    planned.shape = in.plan.shapes.front();
    return MakeRequest(planned, options, in, summary.run_id);
  };
  ctx.print = notice_;
  // A module's parameters are knobs too: the run engine knows them from the
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

void PrintArmMedians(const std::vector<SampleRow>& samples, std::ostream& out) {
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::vector<double>> groups;
  std::map<std::string, std::string> unit_of;
  for (const SampleRow& row : samples) {
    groups[{row.scenario, row.shape, row.sample.metric, row.arm}].push_back(row.sample.value);
    unit_of[row.sample.metric] = row.sample.unit;
  }
  out << fmt::format("{:<22} {:<12} {:<28} {:<28} {:>4} {:>14} {}\n", "scenario", "shape", "metric",
                     "arm", "n", "median", "unit");
  for (auto& [key, values] : groups) {
    auto& [scenario, shape, metric, arm] = key;
    std::sort(values.begin(), values.end());
    std::size_t n = values.size();
    double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    out << fmt::format("{:<22} {:<12} {:<28} {:<28} {:>4} {:>14.6g} {}\n", scenario, shape, metric,
                       arm, n, median, unit_of[metric]);
  }
}

}  // namespace kgate
