// SqliteStore: the Store interface over one SQLite connection. Store::Open
// (store_open.cc) checks the file and builds one; nothing else should.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sqlite.h"
#include "store/store.h"

namespace kgate {

// The enum a stored word names (parse is records.h's Parse function for
// it), or BadInput naming the run and the column when the word is none the
// enum knows: a file edited by hand, or written by a newer kgate.
template <typename Enum>
Result<Enum> ParseColumn(std::optional<Enum> (*parse)(const std::string&), const std::string& word,
                         std::int64_t run_id, const char* column) {
  if (std::optional<Enum> parsed = parse(word)) return *parsed;
  return Status::BadInput("run " + std::to_string(run_id) + " has unknown " + column + " '" +
                          word + "'");
}

class SqliteStore : public Store {
 public:
  SqliteStore(std::unique_ptr<Db> db, int schema_version)
      : db_(std::move(db)), schema_version_(schema_version) {}

  int SchemaVersion() const override { return schema_version_; }

  Result<std::int64_t> CreateRun(const RunRecord& run) override;
  Status FinishRun(std::int64_t run_id, const std::string& status) override;
  Result<RunRecord> LoadRun(std::int64_t run_id) override;
  Result<std::vector<RunRecord>> ListRuns() override;

  Status SaveRunFiles(std::int64_t run_id,
                      const std::map<std::string, std::string>& files) override;
  Result<std::map<std::string, std::string>> LoadRunFiles(std::int64_t run_id) override;
  Result<std::vector<double>> RecentBootSeconds(const std::string& guest_kernel,
                                                const std::string& tier, int limit) override;

  Status SaveKernel(const KernelRecord& kernel) override;
  Result<std::vector<KernelRecord>> LoadKernels() override;
  Status SaveArm(const ArmRecord& arm) override;
  Result<std::vector<ArmRecord>> LoadArms(std::int64_t run_id) override;

  Result<std::int64_t> RecordTrial(const TrialRecord& trial,
                                   const std::vector<SampleRecord>& samples,
                                   const std::vector<FindingRecord>& findings) override;
  Result<std::vector<TrialRecord>> LoadTrials(std::int64_t run_id) override;
  Result<std::vector<SampleRow>> LoadSamples(std::int64_t run_id) override;

  Status SaveFindings(const std::vector<FindingRecord>& findings) override;
  Result<std::vector<FindingRecord>> LoadFindings(std::int64_t run_id) override;
  Status SaveCheck(const CheckRecord& check) override;
  Result<std::vector<CheckRecord>> LoadChecks(std::int64_t run_id) override;

  Status SaveJudgement(std::int64_t run_id, const std::vector<ComparisonRecord>& comparisons,
                       const VerdictRecord& verdict,
                       const std::vector<ClaimRecord>& claims) override;
  Result<std::vector<ComparisonRecord>> LoadComparisons(std::int64_t run_id) override;
  Result<VerdictRecord> LoadVerdict(std::int64_t run_id) override;
  Result<std::vector<ClaimRecord>> LoadClaims(std::int64_t run_id) override;

 private:
  struct Metric {
    std::string name, unit, kind, better;
    bool known = false;
  };

  Status InsertSamples(std::int64_t trial_id, const std::vector<SampleRecord>& samples);
  Status InsertFinding(const FindingRecord& finding);
  Result<std::int64_t> MetricId(const SampleRecord& sample);
  Status LoadMetricNames();
  Result<const Metric*> MetricName(std::int64_t id);

  std::unique_ptr<Db> db_;
  int schema_version_;
  // name\0unit\0kind\0better -> metrics.id, for ids committed or written in
  // the open transaction; cleared when a transaction rolls back.
  std::unordered_map<std::string, std::int64_t> metric_ids_;
  std::string metric_key_;  // reused buffer for lookups in metric_ids_
  // Indexed by metrics.id (small and dense), filled lazily by LoadSamples.
  std::vector<Metric> metric_names_;
};

}  // namespace kgate
