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
#include "store/records.h"
#include "store/store.h"

namespace kgate {

struct ReportData {
  RunRecord run;
  std::string title;  // the proposal's title (from run.proposal_yaml), empty when none
  std::vector<ArmRecord> arms;
  std::vector<TrialRecord> trials;  // with console logs; reporters choose what to show
  std::vector<ComparisonRecord> comparisons;
  std::optional<VerdictRecord> verdict;  // absent when the run has not been judged
  std::vector<ClaimRecord> claims;
  std::vector<FindingRecord> findings;
  int schema_version = 0;
};

// Loads run_id's rows. NotFound for an unknown run; a run that has not been
// judged loads with no verdict (and usually no comparisons or claims).
Result<ReportData> LoadReportData(Store& store, std::int64_t run_id);

// The proposal's "title:" from its YAML text; empty when absent or unreadable.
std::string ProposalTitle(const std::string& proposal_yaml);

}  // namespace kgate
