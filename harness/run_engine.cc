#include "harness/run_engine.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/paths.h"
#include "base/strings.h"
#include "config/load_options.h"
#include "config/proposal_loader.h"
#include "config/scenario_loader.h"
#include "harness/guest_image.h"
#include "harness/probe_guest.h"
#include "harness/tier_probe.h"
#include "harness/trial_runner.h"
#include "kernels/kernel_cache.h"

namespace kgate {
namespace {

using Clock = std::chrono::steady_clock;

std::string NowIso8601() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

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
  if (!arm.modules.empty()) {
    return Status::BadInput(fmt::format(
        "{}: arm '{}': modules: building out-of-tree modules is not supported by this kgate yet",
        arm.location.ToString(), arm.name));
  }
  if (!arm.patch.empty()) {
    return Status::BadInput(fmt::format(
        "{}: arm '{}': patch: building patched kernels is not supported by this kgate yet",
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
          {"agent", {{"source", arm.agent.source}, {"args", arm.agent.args}}},
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

std::string AgentGuestPath(const ArmSpec& arm) {
  return "/kgate/agent/" + std::filesystem::path(arm.agent.source).filename().string();
}

}  // namespace

std::string KgateGuestProgram(const std::string& name) {
  if (const char* dir = std::getenv("KGATE_GUEST_BIN"); dir && *dir) {
    std::string p = std::string(dir) + "/" + name;
    return access(p.c_str(), X_OK) == 0 ? p : "";
  }
  for (const char* p : {KGATE_AGENT_BINARY, KGATE_MICROBENCH_BINARY}) {
    if (std::filesystem::path(p).filename() == name && access(p, X_OK) == 0) return p;
  }
  return "";
}

RunEngine::RunEngine(Store& store, VmBackend& backend, ProcessRunner& runner, std::string cache_dir)
    : store_(store), backend_(backend), runner_(runner), cache_dir_(std::move(cache_dir)) {}

Result<RunSummary> RunEngine::Run(const std::string& proposal_path, const RunOptions& options) {
  LoadOptions load = LoadOptions::Default();
  auto proposal = LoadProposal(proposal_path, load);
  if (!proposal.ok()) return proposal.status();
  auto plan = MakePlan(*proposal, options.plan);
  if (!plan.ok()) return plan.status();

  std::vector<ArmSpec> arms;
  for (const ArmSpec& arm : proposal->Arms()) {
    if (std::find(plan->arms.begin(), plan->arms.end(), arm.name) == plan->arms.end()) continue;
    KG_RETURN_IF_ERROR(CheckArmSupported(arm));
    arms.push_back(arm);
  }

  std::map<std::string, ScenarioSpec> scenarios;
  bool block_knobs = TouchesBlockDevice(arms);
  std::vector<NeededBinary> needs;
  std::map<std::string, std::string> extra_files;
  for (const std::string& name : plan->scenarios) {
    auto s = FindScenario(name, load.scenarios_dir);
    if (!s.ok()) return s.status();
    // A knob on the guest's disk needs the disk in every trial, so the arms
    // differ by the knob alone and not by the presence of a device.
    if (block_knobs) s->scratch_disk = true;
    for (const std::string& need : s->needs) {
      std::string own = KgateGuestProgram(need);
      if (!own.empty()) {
        extra_files["/usr/bin/" + need] = own;
        needs.push_back({own, "scenario " + name});
      } else {
        needs.push_back({need, "scenario " + name});
      }
    }
    scenarios.emplace(name, std::move(*s));
  }
  for (const ArmSpec& arm : arms) {
    if (arm.agent.present()) extra_files[AgentGuestPath(arm)] = arm.agent.source;
  }

  if (FindInPath("qemu-system-x86_64").empty()) {
    return Status::Infrastructure(
        "qemu-system-x86_64 not found in PATH (apt-get install qemu-system-x86, or "
        "scripts/install-deps.sh)");
  }
  std::string agent = KgateGuestProgram("kgate-agent");
  if (agent.empty()) {
    return Status::Infrastructure("kgate-agent is not built (build the kgate-agent target)");
  }

  // Kernels, then one guest image per kernel version.
  KernelCache kernel_cache(cache_dir_, runner_);
  GuestImageBuilder images(cache_dir_, runner_);
  std::map<std::string, Kernel> kernel_of_arm;
  std::map<std::string, GuestImage> image_of_kernel;
  for (const ArmSpec& arm : arms) {
    auto kernel = kernel_cache.Fetch(arm.kernel, &store_);
    if (!kernel.ok()) return kernel.status().Prefixed("arm '" + arm.name + "'");
    if (!image_of_kernel.count(kernel->version)) {
      GuestImageSpec spec;
      spec.init = agent;
      spec.needs = needs;
      spec.extra_files = extra_files;
      spec.modules_dir = kernel->modules_dir;
      spec.kernel_version = kernel->version;
      if (!kernel->modules_dir.empty()) spec.modules = {"virtio_blk"};
      auto image = images.Build(spec);
      if (!image.ok()) return image.status();
      image_of_kernel.emplace(kernel->version, std::move(*image));
    }
    kernel_of_arm.emplace(arm.name, std::move(*kernel));
  }

  std::string work_dir = options.work_dir.empty() ? cache_dir_ + "/trials" : options.work_dir;
  KG_RETURN_IF_ERROR(MakeDirs(work_dir));

  // Tier: auto boots a real guest under KVM before trusting it.
  std::string tier_name = options.tier.empty() ? proposal->tier : options.tier;
  Tier tier = Tier::kTcg;
  if (tier_name == "auto") {
    const Kernel& k = kernel_of_arm.begin()->second;
    auto probe = MakeProbeRequest(k.vmlinux_path.empty() ? k.bzimage_path : k.vmlinux_path,
                                  image_of_kernel.at(k.version).path, work_dir + "/probe");
    if (!probe.ok()) return probe.status();
    std::string why;
    tier = ResolveAutoTier(backend_, *probe, &why);
    std::cerr << "kgate: tier auto: " << why << "\n";
  } else if (tier_name == "hw") {
    return Status::BadInput("tier hw needs the ssh backend, which this kgate does not have yet");
  } else {
    auto t = ParseTier(tier_name);
    if (!t.ok()) return t.status();
    tier = *t;
  }

  // The run record: new, or the one being resumed.
  RunSummary summary;
  summary.tier = TierName(tier);
  std::set<int> stored_seqs;
  if (options.resume_run_id) {
    auto run = store_.LoadRun(*options.resume_run_id);
    if (!run.ok()) return run.status();
    if (run->proposal != proposal->name) {
      return Status::BadInput(fmt::format("run {} is of proposal '{}', not '{}'", run->id,
                                          run->proposal, proposal->name));
    }
    auto trials = store_.LoadTrials(run->id);
    if (!trials.ok()) return trials.status();
    for (const auto& t : *trials) stored_seqs.insert(t.seq);
    summary.run_id = run->id;
  } else {
    RunRecord run;
    run.proposal = proposal->name;
    run.proposal_file = proposal->file;
    auto text = ReadTextFile(proposal->file);
    run.proposal_yaml = text.ok() ? *text : "";
    run.started_at = NowIso8601();
    run.host = Hostname();
    run.kgate_version = KGATE_VERSION;
    run.git_sha = FirstLineOf(runner_, {"git", "-C", SourceDir(), "rev-parse", "HEAD"});
    run.qemu_version = FirstLineOf(runner_, {"qemu-system-x86_64", "--version"});
    run.host_kernel = HostKernel();
    run.command_line = options.command_line;
    run.tier = summary.tier;
    run.status = "running";
    auto id = store_.CreateRun(run);
    if (!id.ok()) return id.status();
    summary.run_id = *id;
    for (const ArmSpec& arm : arms) {
      const Kernel& k = kernel_of_arm.at(arm.name);
      ArmRecord record{summary.run_id, arm.name, arm.kernel, k.version, ArmToJson(arm).dump()};
      KG_RETURN_IF_ERROR(store_.SaveArm(record));
    }
  }

  TrialRunner trial_runner(backend_);
  std::map<std::string, ArmSpec> arm_by_name;
  for (const ArmSpec& arm : arms) arm_by_name.emplace(arm.name, arm);
  auto start = Clock::now();
  int total = static_cast<int>(plan->trials.size());
  int done = 0;
  int ran = 0;
  for (const PlannedTrial& planned : plan->trials) {
    RunProgress progress;
    progress.total = total;
    progress.trial = &planned;
    if (stored_seqs.count(planned.seq)) {
      ++summary.trials_skipped;
      ++done;
      continue;
    }
    const ArmSpec& arm = arm_by_name.at(planned.arm);
    const Kernel& kernel = kernel_of_arm.at(arm.name);
    TrialRequest request;
    request.seq = planned.seq;
    request.round = planned.round;
    request.arm = arm;
    bool pvh = options.prefer_pvh && !kernel.vmlinux_path.empty();
    request.kernel_image = pvh ? kernel.vmlinux_path : kernel.bzimage_path;
    request.scenario = scenarios.at(planned.scenario);
    request.shape = planned.shape;
    request.tier = tier;
    request.icount_shift = options.icount_shift;
    request.machine = options.machine;
    request.base_image = image_of_kernel.at(kernel.version).path;
    if (arm.agent.present()) request.agent_guest_path = AgentGuestPath(arm);
    request.trial_dir = fmt::format("{}/run-{}/trial-{:04d}", work_dir, summary.run_id, planned.seq);

    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    progress.done = done;
    progress.status = "running";
    progress.elapsed_s = elapsed();
    progress.eta_s = ran > 0 ? elapsed() / ran * (total - done) : -1;
    if (progress_) progress_(progress);

    auto result = trial_runner.Run(request);
    if (!result.ok()) return result.status();
    TrialRecord trial = result->trial;
    trial.run_id = summary.run_id;
    trial.tier = summary.tier;
    std::vector<FindingRecord> findings = result->findings;
    for (auto& f : findings) f.run_id = summary.run_id;
    auto id = store_.RecordTrial(trial, result->samples, findings);
    if (!id.ok()) return id.status();
    // The trial's logs stay for inspection; its initrd (a copy of the base
    // image, ~100 MB) and scratch disk are rebuilt on demand and would fill
    // the disk over a long run.
    std::error_code ignored;
    std::filesystem::remove(request.trial_dir + "/initrd.img", ignored);
    std::filesystem::remove(request.trial_dir + "/scratch.raw", ignored);
    ++done;
    ++ran;
    ++summary.trials_run;
    ++summary.by_status[TrialStatusName(trial.status)];
    progress.done = done;
    progress.status = TrialStatusName(trial.status);
    progress.message = trial.message;
    progress.elapsed_s = elapsed();
    progress.eta_s = elapsed() / ran * (total - done);
    if (progress_) progress_(progress);
  }
  KG_RETURN_IF_ERROR(store_.FinishRun(summary.run_id, "done"));
  return summary;
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
