// Between the judge and the store: a stored run becomes a JudgeInput, and a
// Judgement becomes the run's stored comparisons, verdict and claims.
//
// A run is judged with the configuration it was measured with. `kgate run`
// stores every configuration file it read (proposal, scenarios, suites,
// policy) beside the run (Store::SaveRunFiles); LoadJudgeInput reads those,
// not the tree, so re-judging a run gives the verdict it had even after a
// workload.yaml or a policy changed. Only an explicitly named policy
// (`kgate gate RUN --policy X`) is read from the tree (`current`). Runs
// stored before kgate 0.2 have no files and are judged with the tree's.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/config_files.h"
#include "config/load_options.h"
#include "judge/judge.h"
#include "store/store.h"

namespace kgate {

// The configuration a stored run was measured with: its files and the load
// options that find scenarios, suites and policies among them. For a run
// without stored files, the tree's (current). Owns its files.
class RunConfiguration {
 public:
  // NotFound for an unknown run.
  static Result<RunConfiguration> Load(Store& store, std::int64_t run_id,
                                       const LoadOptions& current);
  const LoadOptions& options() const { return options_; }
  bool stored() const { return files_ != nullptr; }  // false: the tree's files

 private:
  std::shared_ptr<SnapshotConfigFiles> files_;
  LoadOptions options_;
};

// policy: "" for the run's own policy (from its stored files), else a name
// under current.policies_dir or a path. NotFound for an unknown run;
// BadInput when its stored proposal or the policy does not load.
Result<JudgeInput> LoadJudgeInput(Store& store, std::int64_t run_id, const std::string& policy,
                                  const LoadOptions& current = LoadOptions::Default());

// How many looks adaptive sampling takes for this proposal under policy.
int LooksOf(const Proposal& proposal, const Policy& policy);

// Judges a stored run (only rounds < *rounds when set) under policy ("" =
// the run's own) at the alpha of one of its looks, and stores the judgement.
// Errors as LoadJudgeInput, or the store's.
Result<Judgement> JudgeStoredRun(Store& store, std::int64_t run_id, const std::string& policy,
                                 std::optional<int> rounds,
                                 const LoadOptions& current = LoadOptions::Default());

ComparisonRecord ToRecord(std::int64_t run_id, const Comparison& c);
VerdictRecord ToVerdictRecord(std::int64_t run_id, const Judgement& j);
ClaimRecord ToRecord(std::int64_t run_id, const ClaimResult& c);

// Replaces the run's judgement in the store (one transaction).
Status SaveJudgement(Store& store, std::int64_t run_id, const Judgement& j);

}  // namespace kgate
