#include "store/sqlite_store.h"

#include <cmath>
#include <ctime>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "base/time_util.h"

namespace kgate {
namespace {

constexpr std::string_view kRunColumns =
    "id, proposal, proposal_file, proposal_yaml, started_at, finished_at, host, kgate_version, "
    "git_sha, qemu_version, host_kernel, command_line, tier, status, shard, scenarios_dir, "
    "suites_dir, policies_dir";

RunRecord ReadRun(const Statement& s) {
  RunRecord r;
  r.id = s.Int64(0);
  r.proposal = s.Text(1);
  r.proposal_file = s.Text(2);
  r.proposal_yaml = s.Text(3);
  r.started_at = s.Text(4);
  r.finished_at = s.Text(5);
  r.host = s.Text(6);
  r.kgate_version = s.Text(7);
  r.git_sha = s.Text(8);
  r.qemu_version = s.Text(9);
  r.host_kernel = s.Text(10);
  r.command_line = s.Text(11);
  r.tier = s.Text(12);
  r.status = s.Text(13);
  r.shard = s.Text(14);
  r.scenarios_dir = s.Text(15);
  r.suites_dir = s.Text(16);
  r.policies_dir = s.Text(17);
  return r;
}

// NaN binds as NULL, which the NOT NULL REAL columns reject with a bare
// constraint error; say which value of which row instead. Infinities are
// fine (an interval that could not be bounded) and stored as they are.
Status CheckNoNan(const std::string& what,
                  std::initializer_list<std::pair<const char*, double>> values) {
  for (const auto& [name, value] : values) {
    if (std::isnan(value)) {
      return Status::Internal("saving " + what + ": " + name +
                              " is NaN, expected a number or +/-infinity");
    }
  }
  return Status::Ok();
}

std::string ComparisonName(const ComparisonRecord& r) {
  return "comparison " + r.scenario + "/" + r.metric + "/" + r.shape + " " + r.arm + " vs " +
         r.reference;
}

}  // namespace

Result<std::int64_t> SqliteStore::CreateRun(const RunRecord& run) {
  KG_PREPARE(s, *db_,
             "INSERT INTO runs (proposal, proposal_file, proposal_yaml, started_at, "
             "finished_at, host, kgate_version, git_sha, qemu_version, host_kernel, "
             "command_line, tier, status, shard, scenarios_dir, suites_dir, policies_dir) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
  s.Bind(1, run.proposal);
  s.Bind(2, run.proposal_file);
  s.Bind(3, run.proposal_yaml);
  s.Bind(4, run.started_at);
  s.Bind(5, run.finished_at);
  s.Bind(6, run.host);
  s.Bind(7, run.kgate_version);
  s.Bind(8, run.git_sha);
  s.Bind(9, run.qemu_version);
  s.Bind(10, run.host_kernel);
  s.Bind(11, run.command_line);
  s.Bind(12, run.tier);
  s.Bind(13, run.status.empty() ? std::string("running") : run.status);
  s.Bind(14, run.shard);
  s.Bind(15, run.scenarios_dir);
  s.Bind(16, run.suites_dir);
  s.Bind(17, run.policies_dir);
  KG_RETURN_IF_ERROR(s.Run().Prefixed("creating run"));
  return db_->LastInsertRowid();
}

Status SqliteStore::FinishRun(std::int64_t run_id, const std::string& status) {
  KG_PREPARE(s, *db_, "UPDATE runs SET status = ?1, finished_at = ?2 WHERE id = ?3");
  std::string now = NowIso8601();
  s.Bind(1, status);
  s.Bind(2, now);
  s.Bind(3, run_id);
  KG_RETURN_IF_ERROR(s.Run());
  if (sqlite3_changes(db_->raw()) == 0) {
    return Status::NotFound("run " + std::to_string(run_id) + " does not exist");
  }
  return Status::Ok();
}

Result<RunRecord> SqliteStore::LoadRun(std::int64_t run_id) {
  KG_PREPARE(s, *db_, "SELECT " + std::string(kRunColumns) + " FROM runs WHERE id = ?1");
  s.Bind(1, run_id);
  std::optional<RunRecord> run;
  if (s.Step()) run = ReadRun(s);
  KG_RETURN_IF_ERROR(s.Reset());
  if (!run) return Status::NotFound("run " + std::to_string(run_id) + " does not exist");
  return *run;
}

Result<std::vector<RunRecord>> SqliteStore::ListRuns() {
  KG_PREPARE(s, *db_, "SELECT " + std::string(kRunColumns) + " FROM runs ORDER BY id");
  std::vector<RunRecord> runs;
  while (s.Step()) runs.push_back(ReadRun(s));
  KG_RETURN_IF_ERROR(s.Reset());
  return runs;
}

Status SqliteStore::SaveRunFiles(std::int64_t run_id,
                                 const std::map<std::string, std::string>& files) {
  Transaction txn(*db_);
  KG_RETURN_IF_ERROR(txn.Begin());
  KG_PREPARE(s, *db_,
             "INSERT INTO run_files (run_id, path, text) VALUES (?1, ?2, ?3) "
             "ON CONFLICT (run_id, path) DO NOTHING");
  for (const auto& [path, text] : files) {
    s.Bind(1, run_id);
    s.Bind(2, path);
    s.Bind(3, text);
    KG_RETURN_IF_ERROR(s.Run().Prefixed("saving the configuration of run " +
                                        std::to_string(run_id)));
    KG_RETURN_IF_ERROR(s.Reset());
  }
  return txn.Commit();
}

Result<std::map<std::string, std::string>> SqliteStore::LoadRunFiles(std::int64_t run_id) {
  KG_PREPARE(s, *db_, "SELECT path, text FROM run_files WHERE run_id = ?1 ORDER BY path");
  s.Bind(1, run_id);
  std::map<std::string, std::string> files;
  while (s.Step()) files.emplace(s.Text(0), s.Text(1));
  KG_RETURN_IF_ERROR(s.Reset());
  return files;
}

Result<std::vector<double>> SqliteStore::RecentBootSeconds(const std::string& guest_kernel,
                                                           const std::string& tier, int limit) {
  KG_PREPARE(s, *db_,
             "SELECT boot_seconds FROM trials WHERE guest_kernel = ?1 AND tier = ?2 "
             "AND status = 'ok' AND boot_seconds > 0 ORDER BY id DESC LIMIT ?3");
  s.Bind(1, guest_kernel);
  s.Bind(2, tier);
  s.Bind(3, static_cast<std::int64_t>(limit));
  std::vector<double> seconds;
  while (s.Step()) seconds.push_back(s.Double(0));
  KG_RETURN_IF_ERROR(s.Reset());
  return seconds;
}

Status SqliteStore::SaveKernel(const KernelRecord& k) {
  KG_PREPARE(s, *db_,
             "INSERT INTO kernels (ref, package, version, config_hash, image_path) "
             "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (ref, version, config_hash) "
             "DO UPDATE SET package = excluded.package, image_path = excluded.image_path");
  s.Bind(1, k.ref);
  s.Bind(2, k.package);
  s.Bind(3, k.version);
  s.Bind(4, k.config_hash);
  s.Bind(5, k.image_path);
  return s.Run().Prefixed("saving kernel " + k.ref);
}

Result<std::vector<KernelRecord>> SqliteStore::LoadKernels() {
  KG_PREPARE(s, *db_,
             "SELECT ref, package, version, config_hash, image_path FROM kernels "
             "ORDER BY ref, version, config_hash");
  std::vector<KernelRecord> kernels;
  while (s.Step()) {
    kernels.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4)});
  }
  KG_RETURN_IF_ERROR(s.Reset());
  return kernels;
}

Status SqliteStore::SaveArm(const ArmRecord& arm) {
  KG_PREPARE(s, *db_,
             "INSERT INTO arms (run_id, name, kernel_ref, kernel_version, spec_json) "
             "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (run_id, name) DO UPDATE SET "
             "kernel_ref = excluded.kernel_ref, kernel_version = excluded.kernel_version, "
             "spec_json = excluded.spec_json");
  s.Bind(1, arm.run_id);
  s.Bind(2, arm.name);
  s.Bind(3, arm.kernel_ref);
  s.Bind(4, arm.kernel_version);
  s.Bind(5, arm.spec_json);
  return s.Run().Prefixed("saving arm " + arm.name + " of run " + std::to_string(arm.run_id));
}

Result<std::vector<ArmRecord>> SqliteStore::LoadArms(std::int64_t run_id) {
  KG_PREPARE(s, *db_,
             "SELECT run_id, name, kernel_ref, kernel_version, spec_json FROM arms "
             "WHERE run_id = ?1 ORDER BY rowid");
  s.Bind(1, run_id);
  std::vector<ArmRecord> arms;
  while (s.Step()) arms.push_back({s.Int64(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4)});
  KG_RETURN_IF_ERROR(s.Reset());
  return arms;
}

Status SqliteStore::SaveJudgement(std::int64_t run_id,
                                  const std::vector<ComparisonRecord>& comparisons,
                                  const VerdictRecord& verdict,
                                  const std::vector<ClaimRecord>& claims) {
  // Checked before anything is deleted, so a refused judgement keeps the old.
  for (const ComparisonRecord& r : comparisons) {
    KG_RETURN_IF_ERROR(CheckNoNan(ComparisonName(r), {{"effect", r.effect},
                                                      {"ci_low", r.ci_low},
                                                      {"ci_high", r.ci_high},
                                                      {"p_value", r.p_value},
                                                      {"q_value", r.q_value},
                                                      {"median_arm", r.median_arm},
                                                      {"median_reference", r.median_reference},
                                                      {"hl_shift", r.hl_shift},
                                                      {"ci_level", r.ci_level}}));
  }
  for (const ClaimRecord& r : claims) {
    KG_RETURN_IF_ERROR(CheckNoNan("claim " + r.claim_id, {{"measured", r.measured},
                                                          {"ci_low", r.ci_low},
                                                          {"ci_high", r.ci_high},
                                                          {"claimed", r.claimed}}));
  }
  Transaction txn(*db_);
  KG_RETURN_IF_ERROR(txn.Begin());
  for (const char* table : {"comparisons", "verdicts", "claims"}) {
    KG_PREPARE(del, *db_, std::string("DELETE FROM ") + table + " WHERE run_id = ?1");
    del.Bind(1, run_id);
    KG_RETURN_IF_ERROR(del.Run());
  }
  KG_PREPARE(c, *db_,
             "INSERT INTO comparisons (run_id, scenario, metric, shape, arm, reference, "
             "n_arm, n_reference, effect, ci_low, ci_high, p_value, q_value, "
             "classification, decides, vs, role, kind, better, unit, median_arm, "
             "median_reference, hl_shift, ci_level, note, is_primary) VALUES (?1, ?2, ?3, ?4, "
             "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
             "?22, ?23, ?24, ?25, ?26)");
  for (const ComparisonRecord& r : comparisons) {
    std::string classification = ClassificationName(r.classification);  // bound without a copy
    c.Bind(1, run_id);
    c.Bind(2, r.scenario);
    c.Bind(3, r.metric);
    c.Bind(4, r.shape);
    c.Bind(5, r.arm);
    c.Bind(6, r.reference);
    c.Bind(7, r.n_arm);
    c.Bind(8, r.n_reference);
    c.Bind(9, r.effect);
    c.Bind(10, r.ci_low);
    c.Bind(11, r.ci_high);
    c.Bind(12, r.p_value);
    c.Bind(13, r.q_value);
    c.Bind(14, classification);
    c.Bind(15, r.decides ? 1 : 0);
    c.Bind(16, r.vs);
    c.Bind(17, r.role);
    c.Bind(18, r.kind);
    c.Bind(19, r.better);
    c.Bind(20, r.unit);
    c.Bind(21, r.median_arm);
    c.Bind(22, r.median_reference);
    c.Bind(23, r.hl_shift);
    c.Bind(24, r.ci_level);
    c.Bind(25, r.note);
    c.Bind(26, r.primary ? 1 : 0);
    KG_RETURN_IF_ERROR(c.Run().Prefixed("saving " + ComparisonName(r)));
  }
  KG_PREPARE(v, *db_,
             "INSERT INTO verdicts (run_id, policy, verdict, reasons_json, scores_json, "
             "created_at, tier, rounds) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  std::string created_at = verdict.created_at.empty() ? NowIso8601() : verdict.created_at;
  std::string verdict_word = VerdictName(verdict.verdict);
  v.Bind(1, run_id);
  v.Bind(2, verdict.policy);
  v.Bind(3, verdict_word);
  v.Bind(4, verdict.reasons_json);
  v.Bind(5, verdict.scores_json);
  v.Bind(6, created_at);
  v.Bind(7, verdict.tier);
  v.Bind(8, verdict.rounds);
  KG_RETURN_IF_ERROR(v.Run().Prefixed("saving verdict '" + verdict_word + "'"));
  KG_PREPARE(cl, *db_,
             "INSERT INTO claims (run_id, claim_id, text, expected, measured, ci_low, "
             "ci_high, status, scenario, metric, shape, reference, claimed, note) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
  for (const ClaimRecord& r : claims) {
    std::string status = ClaimStatusName(r.status);
    cl.Bind(1, run_id);
    cl.Bind(2, r.claim_id);
    cl.Bind(3, r.text);
    cl.Bind(4, r.expected);
    cl.Bind(5, r.measured);
    cl.Bind(6, r.ci_low);
    cl.Bind(7, r.ci_high);
    cl.Bind(8, status);
    cl.Bind(9, r.scenario);
    cl.Bind(10, r.metric);
    cl.Bind(11, r.shape);
    cl.Bind(12, r.reference);
    cl.Bind(13, r.claimed);
    cl.Bind(14, r.note);
    KG_RETURN_IF_ERROR(cl.Run().Prefixed("saving claim " + r.claim_id));
  }
  return txn.Commit();
}

Result<std::vector<ComparisonRecord>> SqliteStore::LoadComparisons(std::int64_t run_id) {
  KG_PREPARE(s, *db_,
             "SELECT run_id, scenario, metric, shape, arm, reference, n_arm, n_reference, "
             "effect, ci_low, ci_high, p_value, q_value, classification, decides, vs, role, "
             "kind, better, unit, median_arm, median_reference, hl_shift, ci_level, note, "
             "is_primary FROM comparisons WHERE run_id = ?1 ORDER BY id");
  s.Bind(1, run_id);
  std::vector<ComparisonRecord> out;
  while (s.Step()) {
    auto classification =
        ParseColumn(ParseClassification, s.Text(13), run_id, "comparisons.classification");
    if (!classification.ok()) {
      s.Reset();
      return classification.status();
    }
    ComparisonRecord r;
    r.run_id = s.Int64(0);
    r.scenario = s.Text(1);
    r.metric = s.Text(2);
    r.shape = s.Text(3);
    r.arm = s.Text(4);
    r.reference = s.Text(5);
    r.n_arm = s.Int(6);
    r.n_reference = s.Int(7);
    r.effect = s.Double(8);
    r.ci_low = s.Double(9);
    r.ci_high = s.Double(10);
    r.p_value = s.Double(11);
    r.q_value = s.Double(12);
    r.classification = *classification;
    r.decides = s.Int(14) != 0;
    r.vs = s.Text(15);
    r.role = s.Text(16);
    r.kind = s.Text(17);
    r.better = s.Text(18);
    r.unit = s.Text(19);
    r.median_arm = s.Double(20);
    r.median_reference = s.Double(21);
    r.hl_shift = s.Double(22);
    r.ci_level = s.Double(23);
    r.note = s.Text(24);
    r.primary = s.Int(25) != 0;
    out.push_back(std::move(r));
  }
  KG_RETURN_IF_ERROR(s.Reset());
  return out;
}

Result<VerdictRecord> SqliteStore::LoadVerdict(std::int64_t run_id) {
  KG_PREPARE(s, *db_,
             "SELECT run_id, policy, verdict, reasons_json, scores_json, created_at, tier, "
             "rounds FROM verdicts WHERE run_id = ?1");
  s.Bind(1, run_id);
  std::optional<VerdictRecord> verdict;
  if (s.Step()) {
    auto word = ParseColumn(ParseVerdict, s.Text(2), run_id, "verdicts.verdict");
    if (!word.ok()) {
      s.Reset();
      return word.status();
    }
    VerdictRecord& r = verdict.emplace();
    r.run_id = s.Int64(0);
    r.policy = s.Text(1);
    r.verdict = *word;
    r.reasons_json = s.Text(3);
    r.scores_json = s.Text(4);
    r.created_at = s.Text(5);
    r.tier = s.Text(6);
    r.rounds = s.Int(7);
  }
  KG_RETURN_IF_ERROR(s.Reset());
  if (!verdict) return Status::NotFound("run " + std::to_string(run_id) + " has no verdict");
  return *verdict;
}

Result<std::vector<ClaimRecord>> SqliteStore::LoadClaims(std::int64_t run_id) {
  KG_PREPARE(s, *db_,
             "SELECT run_id, claim_id, text, expected, measured, ci_low, ci_high, status, "
             "scenario, metric, shape, reference, claimed, note "
             "FROM claims WHERE run_id = ?1 ORDER BY rowid");
  s.Bind(1, run_id);
  std::vector<ClaimRecord> out;
  while (s.Step()) {
    auto status = ParseColumn(ParseClaimStatus, s.Text(7), run_id, "claims.status");
    if (!status.ok()) {
      s.Reset();
      return status.status();
    }
    ClaimRecord r;
    r.run_id = s.Int64(0);
    r.claim_id = s.Text(1);
    r.text = s.Text(2);
    r.expected = s.Text(3);
    r.measured = s.Double(4);
    r.ci_low = s.Double(5);
    r.ci_high = s.Double(6);
    r.status = *status;
    r.scenario = s.Text(8);
    r.metric = s.Text(9);
    r.shape = s.Text(10);
    r.reference = s.Text(11);
    r.claimed = s.Double(12);
    r.note = s.Text(13);
    out.push_back(std::move(r));
  }
  KG_RETURN_IF_ERROR(s.Reset());
  return out;
}

}  // namespace kgate
