// Everything a run needs before its first trial, gathered in two steps:
//
//   LoadRunInputs   the proposal, its plan and scenario specs, read through a
//                   recording ConfigFiles so the run can store what it read;
//                   which host programs each scenario ships, and which
//                   scenarios cannot run because the host lacks them
//   MaterialiseRun  each arm's kernel (fetched, or built from source), its
//                   analysis (modules and patches), one guest image per kernel
//
// Both fail only when the run cannot be carried out at all: BadInput for the
// proposal or a reference in it, Infrastructure for the host.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/programs.h"
#include "base/status.h"
#include "checks/arm_analysis.h"
#include "config/config_files.h"
#include "config/load_options.h"
#include "config/model.h"
#include "image/guest_image.h"
#include "kbuild/kernel_builder.h"
#include "kernels/kernel.h"
#include "plan/plan.h"
#include "store/records.h"
#include "vm/vm_backend.h"

namespace kgate {

struct RunInputs {
  Proposal proposal;
  Policy policy;  // the proposal's
  Plan plan;
  std::vector<ArmSpec> arms;  // the planned arms, in the proposal's order
  std::map<std::string, ScenarioSpec> scenarios;
  std::vector<NeededBinary> needs;
  std::map<std::string, std::string> extra_files;  // guest path -> host path
  // Scenarios whose host binaries are missing: their trials are recorded as
  // failed with this message, and the rest of the run goes on.
  std::map<std::string, std::string> unavailable;
  // Every configuration file read, for Store::SaveRunFiles, and where
  // scenarios, suites and policies were found.
  std::map<std::string, std::string> config_files;
  LoadOptions load;

  // Filled by MaterialiseRun.
  std::map<std::string, Kernel> kernel_of_arm;
  std::map<std::string, GuestImage> image_of_kernel;   // by kernel version
  std::map<std::string, ArmAnalysis> analysis_of_arm;  // arms with modules: or patches
  // Arms whose kernel is built from source; one that did not compile has a
  // Kernel without images in kernel_of_arm, and nothing boots.
  std::map<std::string, KernelBuildOutcome> build_of_arm;
  Tier tier = Tier::kTcg;

  const ArmSpec& Arm(const std::string& name) const;
  // The first arm whose kernel did not compile, or nullptr.
  const std::string* UnbuiltArm() const;
};

// The guest path of an agent program or data file shipped with an arm.
std::string AgentGuestPath(const std::string& host_path);

// Loads the proposal and plans it. proposal_text is the proposal when given
// (a resumed run's stored text, proposal_path naming it), else the file at
// proposal_path is read; everything else is read through load.Files().
Result<RunInputs> LoadRunInputs(const std::string& proposal_path, const std::string& proposal_text,
                                const LoadOptions& load, const PlanOptions& plan,
                                ProgramFinder& programs);

// Puts each build of build_of_arm in place of the arm's in in->arms (its
// series too); `kgate bisect` builds each step's commit this way. BadInput
// for an arm the run does not have or one not built from source.
Status ReplaceBuilds(const std::map<std::string, KernelBuildSpec>& build_of_arm, RunInputs* in);

// What MaterialiseRun uses; all borrowed.
struct Materials {
  KernelSource* kernels = nullptr;
  KernelBuilder* builder = nullptr;
  ImageBuilder* images = nullptr;
  ArmAnalyzer* analyzer = nullptr;
  ProgramFinder* programs = nullptr;
  std::function<void(const std::string&)> notice;  // may be empty
};

Status MaterialiseRun(const Materials& materials, RunInputs* in);

// The store's row for a kernel an arm named by ref.
KernelRecord KernelRecordOf(const std::string& ref, const Kernel& kernel);

}  // namespace kgate
