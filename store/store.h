// Store: kgate's results in one SQLite file.
//
// File format: application_id 0x6B676174 ('kgat'), journal_mode=WAL,
// busy_timeout 5 s, schema version in PRAGMA user_version, migrated forward
// one transaction per step (store/schema.cc describes every table). A file
// whose user_version is newer than this build knows is refused, untouched.
//
// Writes of one trial (its row, samples and findings) are one transaction, so
// a killed process never leaves a half-written trial. All SQL goes through
// prepared statements.
//
// Thread-compatible: one Store per thread. Several processes may share a file
// (WAL + busy_timeout).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/records.h"

namespace kgate {

class Store {
 public:
  // kReadOnly opens with SQLITE_OPEN_READONLY: the database file is never
  // written, but SQLite creates the -wal and -shm side files of a WAL store
  // when they are missing and leaves them behind. kReadOnlyNoTrace also
  // leaves no side files: when neither exists (no connection has the file
  // open in WAL mode) it opens the file immutable, without locks, so it does
  // not see a writer that starts afterwards and a read that overlaps that
  // writer's checkpoint may fail with a corruption error; open one Store per
  // short read (as the dashboard does) to pick the writer up on the next one.
  // When either side file exists it behaves as kReadOnly.
  enum class Mode { kReadWrite, kReadOnly, kReadOnlyNoTrace };

  // Opens (creating in kReadWrite) and migrates the file. ":memory:" gives a
  // private in-memory store for tests. Errors: BadInput for a file that is not
  // a kgate store, is corrupt or comes from a newer kgate; Infrastructure for
  // one that cannot be opened or written (read-only file, missing directory).
  static Result<std::unique_ptr<Store>> Open(const std::string& path, Mode mode = Mode::kReadWrite);

  virtual ~Store() = default;

  virtual int SchemaVersion() const = 0;

  // CreateRun ignores run.id and returns the new id (status "running" when
  // empty). FinishRun stamps finished_at with the current UTC time. Both
  // FinishRun and LoadRun return NotFound for an unknown run id.
  virtual Result<std::int64_t> CreateRun(const RunRecord& run) = 0;
  virtual Status FinishRun(std::int64_t run_id, const std::string& status) = 0;
  virtual Result<RunRecord> LoadRun(std::int64_t run_id) = 0;
  // Every run, oldest first (by id).
  virtual Result<std::vector<RunRecord>> ListRuns() = 0;

  // The configuration files a run read (path -> text), stored with it so
  // that it is re-judged with them. Saving a path the run already has keeps
  // the first text (a resumed run does not replace what it was started
  // with). LoadRunFiles is empty for runs stored by a kgate before 0.2.
  virtual Status SaveRunFiles(std::int64_t run_id,
                              const std::map<std::string, std::string>& files) = 0;
  virtual Result<std::map<std::string, std::string>> LoadRunFiles(std::int64_t run_id) = 0;

  // The boot times (host seconds to the agent's ready event) of the latest
  // ok trials of a guest kernel at a tier, newest first, at most limit.
  virtual Result<std::vector<double>> RecentBootSeconds(const std::string& guest_kernel,
                                                        const std::string& tier, int limit) = 0;

  // Kernels are shared across runs, keyed by (ref, version, config_hash);
  // saving the same key again updates package and image_path.
  virtual Status SaveKernel(const KernelRecord& kernel) = 0;
  virtual Result<std::vector<KernelRecord>> LoadKernels() = 0;
  virtual Status SaveArm(const ArmRecord& arm) = 0;
  virtual Result<std::vector<ArmRecord>> LoadArms(std::int64_t run_id) = 0;

  // One transaction: the trial row, its samples and its findings. Returns the
  // trial id. Replaces an earlier trial with the same (run_id, seq).
  virtual Result<std::int64_t> RecordTrial(const TrialRecord& trial,
                                           const std::vector<SampleRecord>& samples,
                                           const std::vector<FindingRecord>& findings) = 0;
  // Trials ordered by seq; samples by seq, then in the order recorded.
  virtual Result<std::vector<TrialRecord>> LoadTrials(std::int64_t run_id) = 0;
  virtual Result<std::vector<SampleRow>> LoadSamples(std::int64_t run_id) = 0;

  virtual Status SaveFindings(const std::vector<FindingRecord>& findings) = 0;
  virtual Result<std::vector<FindingRecord>> LoadFindings(std::int64_t run_id) = 0;

  // Replaces the arm's check of the same kind (a resumed run redoes it).
  virtual Status SaveCheck(const CheckRecord& check) = 0;
  // Ordered by arm, then kind.
  virtual Result<std::vector<CheckRecord>> LoadChecks(std::int64_t run_id) = 0;

  // Replace the run's judgement (comparisons, verdict, claims) in one transaction.
  virtual Status SaveJudgement(std::int64_t run_id, const std::vector<ComparisonRecord>& comparisons,
                               const VerdictRecord& verdict,
                               const std::vector<ClaimRecord>& claims) = 0;
  virtual Result<std::vector<ComparisonRecord>> LoadComparisons(std::int64_t run_id) = 0;
  // NotFound when the run has not been judged.
  virtual Result<VerdictRecord> LoadVerdict(std::int64_t run_id) = 0;
  virtual Result<std::vector<ClaimRecord>> LoadClaims(std::int64_t run_id) = 0;
};

}  // namespace kgate
