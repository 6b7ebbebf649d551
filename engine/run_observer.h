// RunObserver: what the engine tells whoever watches a run (the console of
// `kgate run`, a test). The engine never prints; it calls these.
#pragma once

#include <cstdint>
#include <string>

#include "judge/judge.h"
#include "plan/plan.h"

namespace kgate {

struct RunProgress {
  int done = 0;   // trials finished in this invocation (including those already stored)
  int total = 0;
  const PlannedTrial* trial = nullptr;
  std::string status;  // "running" before a trial, its TrialStatus name after
  double elapsed_s = 0;
  double eta_s = -1;   // -1 until one trial has run
  std::string message;
};

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // The run is stored (created, or found for a resume) and trials follow.
  virtual void OnRunStarted(std::int64_t run_id, const std::string& tier, int planned_trials) = 0;
  // Before a trial (status "running") and after it.
  virtual void OnTrial(const RunProgress& progress) = 0;
  // Adaptive sampling judged the rounds so far; more follow unless the
  // judgement is final.
  virtual void OnLook(int rounds, const Judgement& judgement) = 0;
  // One line about a step that is not a trial (an arm's analysis, a module
  // cycle, a fault boot, the tier chosen, leftovers cleaned up).
  virtual void OnNotice(const std::string& line) = 0;
};

}  // namespace kgate
