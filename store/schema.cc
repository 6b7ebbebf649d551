// The kgate store schema, one SQLite file (application_id 0x6B676174 'kgat').
//
// Version 1: what a run measures.
//   runs        one row per `kgate run`: proposal name, file and full YAML text
//               (so a run can be re-judged), start/finish times (ISO 8601
//               UTC), host, kgate/QEMU/host-kernel versions, git sha, command
//               line, tier, status (running | done | interrupted |
//               infra-error) and shard ("i/N" or empty).
//   kernels     every kernel an arm used, keyed by (ref, version,
//               config_hash): the Debian package and the unpacked image path.
//               Shared across runs.
//   arms        an arm of a run, keyed by (run_id, name): its kernel ref and
//               uname -r, and its full specification as JSON.
//   trials      one boot of one arm on one shape running one scenario. Unique
//               (run_id, seq): recording the same seq again replaces the
//               trial with its samples and findings (ON DELETE CASCADE).
//               status is TrialStatusName(): ok | failed | crashed | hung |
//               infra-error; the rest are timings, guest facts and the tail
//               of the console log. sample_count is how many samples were
//               recorded with it, so a load can size its result up front.
//   metrics     interned (name, unit, kind, better) tuples. A run has
//               millions of samples but a few dozen distinct metrics; storing
//               an integer per sample instead of four strings keeps samples
//               small, which is what makes loading a run fast.
//   samples     one measured value: (trial_id, ordinal) is the primary key of
//               a WITHOUT ROWID table, so a trial's samples sit together in
//               the b-tree in recording order and "all samples of a run" is a
//               range scan per trial reached through trials(run_id, seq).
//               metric_id points into metrics; repetition is 0-based.
//   findings    maintainability and safety observations of a run, optionally
//               of one trial (trial_id, deleted with it), with rule id, level
//               (error | warning | note), file:line, message and excerpt.
//
// Version 2: what the judge concludes (replaced as a whole by SaveJudgement).
//   comparisons one arm against a reference for scenario x metric x shape:
//               sample counts, effect (ratio of medians) with its confidence
//               interval, p and Benjamini-Hochberg q values, classification,
//               and whether it decides the verdict at the run's tier.
//   verdicts    at most one per run: policy, PASS | FAIL | INCONCLUSIVE, the
//               reasons and scores as JSON, creation time.
//   claims      a paper claim checked by the run, keyed by (run_id,
//               claim_id): text, expected effect, measured value with its
//               interval, status (reproduced ... not-checkable).
//
// Version 3: what the judge needs to re-render a comparison without
// re-judging (columns added with defaults; version 2 rows keep them).
//   comparisons vs (baseline | tuned, default 'baseline'), role (target |
//               guard, default 'guard'), the metric's kind, better and unit,
//               the medians of arm and reference, the Hodges-Lehmann shift
//               (arm - reference, in unit), ci_level (coverage of
//               [ci_low, ci_high], default 0.95) and a note on why it does
//               not decide or what limited it, is_primary (1 for the
//               scenario's primary metric). effect, ci_low and ci_high may
//               be +/-infinity (an interval that could not be bounded); NaN
//               is refused by SaveJudgement.
//   verdicts    tier the judged samples were measured at, rounds judged
//               (default '' and 0).
//   claims      scenario, metric, shape and reference arm it was measured
//               on, the claimed ratio (candidate / reference) and a note.
//
// Version 4: what kgate checks of an arm besides its trials.
//   checks      one per (run, arm, kind): the static analysis of its patch
//               or modules, the module load/unload cycle, the fault pass;
//               status passed | failed | not-run, a one-line summary and
//               what the check measured as JSON (records.h CheckRecord).
//
// Version 5: the configuration a run was measured with.
//   run_files   every file the run's loaders read (proposal, scenarios,
//               suites, policy), by the path it was read from, with its
//               text: `kgate gate` re-judges with these, not the tree.
//   runs        scenarios_dir, suites_dir, policies_dir: the folders those
//               paths were found in (default '' for older runs, which are
//               judged with the tree's files).
//   trials      indexed by (guest_kernel, tier), for the boot times a boot
//               deadline is derived from.
//
// Every table's run_id references runs(id) ON DELETE CASCADE, so deleting a
// run (for `kgate merge` or pruning) removes all that hangs on it.
#include "store/schema.h"

#include <string>
#include <vector>

namespace kgate {
namespace {

struct Migration {
  int version;
  const char* sql;
};

constexpr const char* kVersion1 = R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  proposal TEXT NOT NULL,
  proposal_file TEXT NOT NULL DEFAULT '',
  proposal_yaml TEXT NOT NULL DEFAULT '',
  started_at TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL DEFAULT '',
  kgate_version TEXT NOT NULL DEFAULT '',
  git_sha TEXT NOT NULL DEFAULT '',
  qemu_version TEXT NOT NULL DEFAULT '',
  host_kernel TEXT NOT NULL DEFAULT '',
  command_line TEXT NOT NULL DEFAULT '',
  tier TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'running',
  shard TEXT NOT NULL DEFAULT ''
);
CREATE TABLE kernels (
  ref TEXT NOT NULL,
  package TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  image_path TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (ref, version, config_hash)
);
CREATE TABLE arms (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kernel_ref TEXT NOT NULL DEFAULT '',
  kernel_version TEXT NOT NULL DEFAULT '',
  spec_json TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, name)
);
CREATE TABLE trials (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  round INTEGER NOT NULL DEFAULT 0,
  arm TEXT NOT NULL,
  scenario TEXT NOT NULL,
  shape TEXT NOT NULL,
  tier TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL
    CHECK (status IN ('ok', 'failed', 'crashed', 'hung', 'infra-error')),
  message TEXT NOT NULL DEFAULT '',
  started_at TEXT NOT NULL DEFAULT '',
  boot_seconds REAL NOT NULL DEFAULT 0,
  wall_seconds REAL NOT NULL DEFAULT 0,
  guest_kernel TEXT NOT NULL DEFAULT '',
  clocksource TEXT NOT NULL DEFAULT '',
  console_log TEXT NOT NULL DEFAULT '',
  sample_count INTEGER NOT NULL DEFAULT 0,
  UNIQUE (run_id, seq)
);
CREATE TABLE metrics (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  kind TEXT NOT NULL,
  better TEXT NOT NULL,
  UNIQUE (name, unit, kind, better)
);
CREATE TABLE samples (
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  metric_id INTEGER NOT NULL REFERENCES metrics(id),
  value REAL NOT NULL,
  repetition INTEGER NOT NULL,
  PRIMARY KEY (trial_id, ordinal)
) WITHOUT ROWID;
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  trial_id INTEGER REFERENCES trials(id) ON DELETE CASCADE,
  arm TEXT NOT NULL DEFAULT '',
  rule TEXT NOT NULL,
  level TEXT NOT NULL,
  file TEXT NOT NULL DEFAULT '',
  line INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL,
  excerpt TEXT NOT NULL DEFAULT ''
);
CREATE INDEX findings_by_run ON findings(run_id);
CREATE INDEX findings_by_trial ON findings(trial_id);
)sql";

constexpr const char* kVersion2 = R"sql(
CREATE TABLE comparisons (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  scenario TEXT NOT NULL,
  metric TEXT NOT NULL,
  shape TEXT NOT NULL,
  arm TEXT NOT NULL,
  reference TEXT NOT NULL,
  n_arm INTEGER NOT NULL,
  n_reference INTEGER NOT NULL,
  effect REAL NOT NULL,
  ci_low REAL NOT NULL,
  ci_high REAL NOT NULL,
  p_value REAL NOT NULL,
  q_value REAL NOT NULL,
  classification TEXT NOT NULL,
  decides INTEGER NOT NULL
);
CREATE INDEX comparisons_by_run ON comparisons(run_id);
CREATE TABLE verdicts (
  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  policy TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('PASS', 'FAIL', 'INCONCLUSIVE')),
  reasons_json TEXT NOT NULL DEFAULT '[]',
  scores_json TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE claims (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  claim_id TEXT NOT NULL,
  text TEXT NOT NULL DEFAULT '',
  expected TEXT NOT NULL DEFAULT '',
  measured REAL NOT NULL,
  ci_low REAL NOT NULL,
  ci_high REAL NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (run_id, claim_id)
);
)sql";

// ALTER TABLE ADD COLUMN with NOT NULL needs a default: it is what every
// existing row gets.
constexpr const char* kVersion3 = R"sql(
ALTER TABLE comparisons ADD COLUMN vs TEXT NOT NULL DEFAULT 'baseline';
ALTER TABLE comparisons ADD COLUMN role TEXT NOT NULL DEFAULT 'guard';
ALTER TABLE comparisons ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE comparisons ADD COLUMN better TEXT NOT NULL DEFAULT '';
ALTER TABLE comparisons ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE comparisons ADD COLUMN median_arm REAL NOT NULL DEFAULT 0;
ALTER TABLE comparisons ADD COLUMN median_reference REAL NOT NULL DEFAULT 0;
ALTER TABLE comparisons ADD COLUMN hl_shift REAL NOT NULL DEFAULT 0;
ALTER TABLE comparisons ADD COLUMN ci_level REAL NOT NULL DEFAULT 0.95;
ALTER TABLE comparisons ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE comparisons ADD COLUMN is_primary INTEGER NOT NULL DEFAULT 0;
ALTER TABLE verdicts ADD COLUMN tier TEXT NOT NULL DEFAULT '';
ALTER TABLE verdicts ADD COLUMN rounds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claims ADD COLUMN scenario TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN metric TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN shape TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN reference TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN claimed REAL NOT NULL DEFAULT 0;
ALTER TABLE claims ADD COLUMN note TEXT NOT NULL DEFAULT '';
)sql";

// Checks of an arm besides its trials (records.h CheckRecord).
constexpr const char* kVersion4 = R"sql(
CREATE TABLE checks (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  arm TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'not-run')),
  summary TEXT NOT NULL DEFAULT '',
  detail_json TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, arm, kind)
);
)sql";

// The configuration a run was measured with: every file its loaders read
// (proposal, scenarios, suites, policy) and the folders they were read from
// (records.h RunRecord). Runs from before this step have none.
constexpr const char* kVersion5 = R"sql(
CREATE TABLE run_files (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (run_id, path)
);
ALTER TABLE runs ADD COLUMN scenarios_dir TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN suites_dir TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN policies_dir TEXT NOT NULL DEFAULT '';
CREATE INDEX trials_by_kernel ON trials(guest_kernel, tier);
)sql";

// The QEMU -seed each icount guest booted with (records.h TrialRecord), so
// a trial can be booted again bit for bit; -1 for trials from before.
constexpr const char* kVersion6 = R"sql(
ALTER TABLE trials ADD COLUMN seed INTEGER NOT NULL DEFAULT -1;
)sql";

// Append only: a released step never changes, a new schema is a new step.
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, kVersion1}, {2, kVersion2}, {3, kVersion3}, {4, kVersion4}, {5, kVersion5},
      {6, kVersion6}};
  return kMigrations;
}

Status ApplyStep(Db& db, const Migration& step) {
  Transaction txn(db);
  KG_RETURN_IF_ERROR(txn.Begin());
  // Re-read under the write lock: another process may have applied it.
  KG_ASSIGN_OR_RETURN(auto current, db.QueryInt("PRAGMA user_version"));
  if (current >= step.version) return Status::Ok();
  KG_RETURN_IF_ERROR(db.Exec(step.sql).Prefixed("schema step " + std::to_string(step.version)));
  KG_RETURN_IF_ERROR(db.Exec("PRAGMA application_id = " + std::to_string(kStoreApplicationId)));
  KG_RETURN_IF_ERROR(db.Exec("PRAGMA user_version = " + std::to_string(step.version)));
  return txn.Commit();
}

}  // namespace

int LatestSchemaVersion() { return Migrations().back().version; }

Status MigrateSchema(Db& db, int target_version) {
  KG_ASSIGN_OR_RETURN(auto current, db.QueryInt("PRAGMA user_version"));
  for (const Migration& step : Migrations()) {
    if (step.version <= current || step.version > target_version) continue;
    KG_RETURN_IF_ERROR(ApplyStep(db, step));
  }
  return Status::Ok();
}

}  // namespace kgate
