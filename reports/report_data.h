// Everything a reporter renders about one run, loaded from the store once.
//
// Reporters take a ReportData and never touch the store, so each output
// format is tested on data built in code, and `kgate report` renders a run
// exactly as it was stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/load_options.h"
#include "store/records.h"
#include "store/store.h"

namespace kgate {

struct ReportData {
  RunRecord run;
  std::string title;  // the proposal's title (from run.proposal_yaml), empty when none
  std::vector<ArmRecord> arms;
  std::vector<TrialRecord> trials;  // with console logs; reporters choose what to show
  std::vector<SampleRow> samples;   // every stored sample, by trial seq then as recorded
  std::vector<ComparisonRecord> comparisons;
  std::optional<VerdictRecord> verdict;  // absent when the run has not been judged
  std::vector<ClaimRecord> claims;
  std::vector<FindingRecord> findings;
  std::vector<CheckRecord> checks;  // analysis, module cycles, fault passes
  int schema_version = 0;
  // The equivalence margin (a fraction) of the policy the verdict names, as
  // that policy file reads now: the verdict row does not store its margin.
  // Absent without a verdict or when the policy no longer loads; reports
  // then draw no margin band rather than a guessed one.
  std::optional<double> margin;
};

// Loads run_id's rows. NotFound for an unknown run; a run that has not been
// judged loads with no verdict (and usually no comparisons or claims). The
// margin comes from options.policies_dir; failing to load it is not an error.
Result<ReportData> LoadReportData(Store& store, std::int64_t run_id,
                                  const LoadOptions& options = LoadOptions::Default());

// The BadInput a judgement report returns for a run without a verdict:
// "run N has not been judged; kgate gate N judges it".
Status NotJudged(std::int64_t run_id);

// The proposal's "title:" from its YAML text; empty when absent or unreadable.
std::string ProposalTitle(const std::string& proposal_yaml);

}  // namespace kgate
