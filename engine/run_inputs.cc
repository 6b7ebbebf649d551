#include "engine/run_inputs.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "base/strings.h"
#include "config/policy_loader.h"
#include "config/proposal_loader.h"
#include "config/scenario_loader.h"
#include "guest/protocol.h"

namespace kgate {
namespace {

// The parts of an arm this build cannot materialise yet are refused up
// front, naming the arm, rather than silently measured without them.
Status CheckArmSupported(const ArmSpec& arm) {
  if (!arm.modules.empty() && StartsWith(arm.kernel, "path:")) {
    return Status::BadInput(fmt::format(
        "{}: arm '{}': modules: are built against Debian headers or a kernel kgate built, and "
        "kernel '{}' has neither; use a debian: kernel or kernel: {{build: ...}}",
        arm.location.ToString(), arm.name, arm.kernel));
  }
  if (arm.agent.present() && EndsWith(arm.agent.source, ".cc")) {
    return Status::BadInput(fmt::format(
        "{}: arm '{}': agent: compiling agent sources is not supported by this kgate yet; "
        "give a prebuilt static binary",
        arm.location.ToString(), arm.name));
  }
  return Status::Ok();
}

// The knob an arm sets on a block device, or "" when none does.
std::string BlockKnob(const std::vector<ArmSpec>& arms) {
  for (const auto& arm : arms) {
    for (const auto& [path, value] : arm.knobs) {
      if (StartsWith(path, "/sys/block/")) return path;
    }
  }
  return "";
}

// The scratch disk of one scenario, as the proposal has it: `disk:` names
// the disk of every scenario with a scratch disk, and a knob on a block
// device gives every scenario one (so the arms differ by the knob alone,
// not by the presence of a device), of the kind the knob names.
Status PlaceScratchDisk(const Proposal& p, const std::string& block_knob, ScenarioSpec* s) {
  if (!p.disk.empty() && s->scratch_disk) {
    KG_ASSIGN_OR_RETURN(s->scratch_model, ScratchDevice(p.disk));
  }
  if (block_knob.empty()) return Status::Ok();
  bool on_model = StartsWith(block_knob, std::string("/sys/block/") + guest::kModelDisk + "/");
  if (!s->scratch_disk) {
    s->scratch_disk = true;
    if (on_model) {
      if (p.disk.empty() || p.disk == kVirtioDisk) {
        return Status::BadInput(
            fmt::format("{}: an arm sets {}, on the modelled disk, and scenario {} has no scratch "
                        "disk: name the "
                        "disk every scenario gets with `disk: <profile>` ({})",
                        p.file, block_knob, s->name, StorageProfileNames()));
      }
      KG_ASSIGN_OR_RETURN(s->scratch_model, ScratchDevice(p.disk));
    }
  }
  if (on_model != s->scratch_model.has_value()) {
    return Status::BadInput(fmt::format(
        "{}: an arm sets {}, and scenario {}'s scratch disk is {}: the knob would miss it{}",
        p.file, block_knob, s->name,
        s->scratch_model ? std::string("the modelled ") + guest::kModelDisk
                         : std::string("virtio (vda)"),
        on_model ? "" : fmt::format(" (a modelled disk is /sys/block/{}/...)", guest::kModelDisk)));
  }
  return Status::Ok();
}

// What the scenario ships into the guest, or why it cannot run here.
void AddScenarioNeeds(const ScenarioSpec& s, ProgramFinder& programs, RunInputs* in) {
  // The agent formats the scratch disk with mkfs.<fs> when the image has
  // it, else busybox's mke2fs, which writes ext2; ship the host's mkfs so
  // an `fs: ext4` scenario really runs on ext4 (its journal included).
  std::string mkfs = "mkfs." + s.scratch_fs;
  if (s.scratch_disk && !s.scratch_fs.empty()) {
    std::string path = programs.HostProgram(mkfs);
    if (!path.empty()) in->needs.push_back({path, "scenario " + s.name + " (scratch_disk fs)"});
  }
  std::vector<std::string> missing;
  for (const std::string& need : s.needs) {
    if (programs.GuestProgram(need).empty() && programs.HostProgram(need).empty()) {
      missing.push_back(need);
    }
  }
  if (!missing.empty()) {
    in->unavailable[s.name] = fmt::format(
        "scenario {} needs {} on the host to ship into the guest, and it is not in PATH", s.name,
        Join(missing, ", "));
    return;
  }
  for (const std::string& need : s.needs) {
    // kgate's own guest programs are not in PATH: ship the built copy and
    // put it where the scenario's command finds it.
    std::string own = programs.GuestProgram(need);
    if (!own.empty()) in->extra_files["/usr/bin/" + need] = own;
    in->needs.push_back({own.empty() ? programs.HostProgram(need) : own, "scenario " + s.name});
  }
}

}  // namespace

const ArmSpec& RunInputs::Arm(const std::string& name) const {
  auto it = std::find_if(arms.begin(), arms.end(), [&](const ArmSpec& a) { return a.name == name; });
  KG_CHECK(it != arms.end()) << "no planned arm " << name;
  return *it;
}

std::string AgentGuestPath(const std::string& host_path) {
  return "/kgate/agent/" + std::filesystem::path(host_path).filename().string();
}

Result<RunInputs> LoadRunInputs(const std::string& proposal_path, const std::string& proposal_text,
                                const LoadOptions& load, const PlanOptions& plan,
                                ProgramFinder& programs) {
  RunInputs in;
  RecordingConfigFiles recorder(load.Files());
  in.load = load;
  in.load.files = &recorder;
  auto proposal = proposal_text.empty()
                      ? LoadProposal(proposal_path, in.load)
                      : LoadProposalText(proposal_text, proposal_path, in.load);
  if (!proposal.ok()) return proposal.status();
  in.proposal = std::move(*proposal);
  auto policy = LoadPolicy(in.proposal.policy, in.proposal.dir, in.load.policies_dir,
                           in.load.Files());
  if (!policy.ok()) return policy.status();
  in.policy = std::move(*policy);
  KG_ASSIGN_OR_RETURN(auto planned, MakePlan(in.proposal, plan));
  in.plan = std::move(planned);

  for (const ArmSpec& arm : in.proposal.Arms()) {
    const auto& names = in.plan.arms;
    if (std::find(names.begin(), names.end(), arm.name) == names.end()) continue;
    KG_RETURN_IF_ERROR(CheckArmSupported(arm));
    in.arms.push_back(arm);
    if (!arm.agent.present()) continue;
    in.extra_files[AgentGuestPath(arm.agent.source)] = arm.agent.source;
    for (const std::string& f : arm.agent.files) in.extra_files[AgentGuestPath(f)] = f;
  }
  std::string block_knob = BlockKnob(in.arms);
  for (const std::string& name : in.plan.scenarios) {
    auto s = FindScenario(name, in.load.scenarios_dir, in.load.Files());
    if (!s.ok()) return s.status();
    KG_RETURN_IF_ERROR(PlaceScratchDisk(in.proposal, block_knob, &*s));
    AddScenarioNeeds(*s, programs, &in);
    in.scenarios.emplace(name, std::move(*s));
  }
  in.config_files = recorder.files();
  in.load.files = load.files;  // the recorder dies with this call
  return in;
}

Status ReplaceBuilds(const std::map<std::string, KernelBuildSpec>& build_of_arm, RunInputs* in) {
  for (const auto& [name, spec] : build_of_arm) {
    auto arm = std::find_if(in->arms.begin(), in->arms.end(), [&](const ArmSpec& a) { return a.name == name; });
    if (arm == in->arms.end()) return Status::BadInput(fmt::format("the proposal has no arm '{}'", name));
    if (!arm->build.present()) {
      return Status::BadInput(fmt::format("arm '{}' is not built from source (kernel: {})", name, arm->kernel));
    }
    arm->build = spec;
    arm->patch = spec.patches;
  }
  return Status::Ok();
}

namespace {

// The arm's kernel from the cache, or built from source. A build that did
// not compile gives a Kernel with no image: the run records it and boots
// nothing.
Result<Kernel> FetchOrBuild(const Materials& m, const ArmSpec& arm, RunInputs* in) {
  if (!arm.build.present()) return m.kernels->Fetch(arm.kernel);
  KG_ASSIGN_OR_RETURN(KernelBuildOutcome built, m.builder->Build(arm.name, arm.build));
  Kernel kernel;
  if (built.kernel) {
    kernel = *built.kernel;
  } else {
    kernel.package = "kgate-build-failed";
    kernel.version = "not-built-" + arm.name;
  }
  kernel.ref = arm.kernel;
  in->build_of_arm.emplace(arm.name, std::move(built));
  return kernel;
}

// A sched_ext arm runs the scheduler built with its kernel as its agent
// program, shipped in the kernel's image.
Status PlaceSchedExt(const Kernel& kernel, ArmSpec* arm, RunInputs* in) {
  if (!arm->sched_ext.present() || kernel.bzimage_path.empty()) return Status::Ok();
  if (kernel.sched_ext_dir.empty()) {
    return Status::BadInput(fmt::format(
        "{}: arm '{}': sched_ext: {} was built without CONFIG_SCHED_CLASS_EXT, so it has no "
        "schedulers; use config: {{base: guest-sched-ext}} (BTF and sched_ext on the guest config)",
        arm->location.ToString(), arm->name, kernel.package));
  }
  std::string program = kernel.sched_ext_dir + "/" + arm->sched_ext.scheduler;
  if (!std::filesystem::exists(program)) {
    return Status::BadInput(fmt::format("{}: arm '{}': sched_ext: no {} among the schedulers built with {} ({})",
                                        arm->location.ToString(), arm->name, arm->sched_ext.scheduler,
                                        kernel.package, kernel.sched_ext_dir));
  }
  arm->agent.source = program;
  arm->agent.args = arm->sched_ext.args;
  in->extra_files[AgentGuestPath(program)] = program;
  return Status::Ok();
}

}  // namespace

Status MaterialiseRun(const Materials& m, RunInputs* in) {
  std::string agent = m.programs->GuestProgram("kgate-agent");
  if (agent.empty()) {
    return Status::Infrastructure(
        "kgate-agent is not where kgate looks for it (libexec/kgate/ beside the kgate binary, "
        "or $KGATE_GUEST_BIN); build the kgate-agent target");
  }
  for (std::size_t i = 0; i < in->arms.size(); ++i) {
    const ArmSpec& arm = in->arms[i];
    Result<Kernel> kernel = FetchOrBuild(m, arm, in);
    if (!kernel.ok()) return kernel.status().Prefixed("arm '" + arm.name + "'");
    if (NeedsAnalysis(arm)) {
      if (m.notice) {
        m.notice(fmt::format("analysing arm '{}' ({} module dir(s), {} patch(es))", arm.name,
                             arm.modules.size(), arm.patch.size()));
      }
      KG_ASSIGN_OR_RETURN(auto analysis,
                          m.analyzer->Analyze(arm, static_cast<int>(i), *kernel));
      in->analysis_of_arm.emplace(arm.name, std::move(analysis));
    }
    in->kernel_of_arm.emplace(arm.name, std::move(*kernel));
  }
  for (ArmSpec& arm : in->arms) KG_RETURN_IF_ERROR(PlaceSchedExt(in->kernel_of_arm.at(arm.name), &arm, in));
  for (const ArmSpec& arm : in->arms) {
    const Kernel& kernel = in->kernel_of_arm.at(arm.name);
    if (kernel.bzimage_path.empty() || in->image_of_kernel.count(kernel.version)) continue;
    GuestImageSpec spec;
    spec.init = agent;
    spec.needs = in->needs;
    spec.extra_files = in->extra_files;
    // Every arm booting this kernel shares the image; each loads only its
    // own modules, which sit in a directory of their own.
    for (const auto& [name, analysis] : in->analysis_of_arm) {
      if (in->kernel_of_arm.at(name).version != kernel.version) continue;
      for (const ArmModule& mod : analysis.modules) spec.extra_files[mod.guest_path] = mod.host_path;
    }
    spec.modules_dir = kernel.modules_dir;
    spec.kernel_version = kernel.version;
    // Debian 6.1 builds virtio_pci and virtio_console as modules: without
    // them the guest has no event channel (6.12 has them built in, which
    // ResolveModules takes as nothing to ship).
    if (!kernel.modules_dir.empty()) spec.modules = {"virtio_blk", "virtio_pci", "virtio_console"};
    // A modelled disk is null_blk, a module in Debian's kernels.
    if (!kernel.modules_dir.empty() &&
        std::any_of(in->scenarios.begin(), in->scenarios.end(),
                    [](const auto& s) { return s.second.ModelledScratch(); })) {
      spec.modules.push_back("null_blk");
    }
    KG_ASSIGN_OR_RETURN(auto image, m.images->Build(spec));
    in->image_of_kernel.emplace(kernel.version, std::move(image));
  }
  return Status::Ok();
}

const std::string* RunInputs::UnbuiltArm() const {
  for (const auto& [arm, built] : build_of_arm) {
    if (!built.kernel) return &arm;
  }
  return nullptr;
}

KernelRecord KernelRecordOf(const std::string& ref, const Kernel& kernel) {
  return {ref, kernel.package, kernel.version, kernel.config_hash, kernel.bzimage_path};
}

}  // namespace kgate
