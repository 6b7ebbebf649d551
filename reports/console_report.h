// The console reporter: a stored judgement as a terminal reads it.
//
// It renders only what the store holds (comparisons, verdict, claims), so
// `kgate run`, `kgate gate` and `kgate report` print the same thing for the
// same run. Layout, top to bottom: the verdict and every rule that failed or
// was inconclusive (with the comparison that decided it), the headline of
// each target ("beats default by X, beats best static setting (...) by Y"),
// the comparison table, claims, and scores with their main components.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/records.h"

namespace kgate {

struct ConsoleReportOptions {
  bool verbose = false;  // every comparison and passing rule, not only the deciding ones
  bool color = false;
};

// checks: the run's checks besides its trials (analysis, module cycle,
// fault pass), one line each before the scores.
void PrintJudgement(const std::vector<ComparisonRecord>& comparisons, const VerdictRecord& verdict,
                    const std::vector<ClaimRecord>& claims,
                    const std::vector<CheckRecord>& checks, const ConsoleReportOptions& options,
                    std::ostream& out);

// The comparison table alone (also what `kgate compare` prints).
void PrintComparisonTable(const std::vector<ComparisonRecord>& comparisons, bool verbose,
                          std::ostream& out);

// Per (scenario, shape, metric, arm): the median of the samples (`kgate run
// -v`).
void PrintArmMedians(const std::vector<SampleRow>& samples, std::ostream& out);

// PASS -> kPass, FAIL -> kFail, anything else -> kInconclusive.
ExitCode VerdictExitCode(Verdict verdict);

}  // namespace kgate
