// SqliteStore's trial path: trials, their samples and findings. This is the
// hot path of the store (a run writes and the judge reads millions of
// samples), so metric strings are interned (schema.cc, table metrics) and the
// strings of a trial are read once per trial, not once per sample.
#include <string_view>

#include "store/sqlite_store.h"

namespace kgate {
namespace {

constexpr std::string_view kTrialColumns =
    "id, run_id, seq, round, arm, scenario, shape, tier, status, message, started_at, "
    "boot_seconds, wall_seconds, guest_kernel, clocksource, console_log";

Result<TrialRecord> ReadTrial(const Statement& s) {
  TrialRecord t;
  t.id = s.Int64(0);
  t.run_id = s.Int64(1);
  t.seq = s.Int(2);
  t.round = s.Int(3);
  t.arm = s.Text(4);
  t.scenario = s.Text(5);
  t.shape = s.Text(6);
  t.tier = s.Text(7);
  std::string status = s.Text(8);
  auto parsed = ParseTrialStatus(status);
  if (!parsed) {
    return Status::BadInput("trial " + std::to_string(t.id) + " has unknown status '" + status + "'");
  }
  t.status = *parsed;
  t.message = s.Text(9);
  t.started_at = s.Text(10);
  t.boot_seconds = s.Double(11);
  t.wall_seconds = s.Double(12);
  t.guest_kernel = s.Text(13);
  t.clocksource = s.Text(14);
  t.console_log = s.Text(15);
  return t;
}

}  // namespace

Result<std::int64_t> SqliteStore::RecordTrial(const TrialRecord& trial,
                                              const std::vector<SampleRecord>& samples,
                                              const std::vector<FindingRecord>& findings) {
  std::int64_t trial_id = 0;
  Transaction txn(*db_);
  Status status = [&]() -> Status {
    KG_RETURN_IF_ERROR(txn.Begin());
    // ON DELETE CASCADE takes a replaced trial's samples and findings along.
    KG_PREPARE(del, *db_, "DELETE FROM trials WHERE run_id = ?1 AND seq = ?2");
    del.Bind(1, trial.run_id);
    del.Bind(2, trial.seq);
    KG_RETURN_IF_ERROR(del.Run());

    KG_PREPARE(s, *db_, "INSERT INTO trials (run_id, seq, round, arm, scenario, shape, tier, "
                        "status, message, started_at, boot_seconds, wall_seconds, guest_kernel, "
                        "clocksource, console_log) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                        "?10, ?11, ?12, ?13, ?14, ?15)");
    std::string status_name = TrialStatusName(trial.status);
    s.Bind(1, trial.run_id);
    s.Bind(2, trial.seq);
    s.Bind(3, trial.round);
    s.Bind(4, trial.arm);
    s.Bind(5, trial.scenario);
    s.Bind(6, trial.shape);
    s.Bind(7, trial.tier);
    s.Bind(8, status_name);
    s.Bind(9, trial.message);
    s.Bind(10, trial.started_at);
    s.Bind(11, trial.boot_seconds);
    s.Bind(12, trial.wall_seconds);
    s.Bind(13, trial.guest_kernel);
    s.Bind(14, trial.clocksource);
    s.Bind(15, trial.console_log);
    KG_RETURN_IF_ERROR(s.Run());
    trial_id = db_->LastInsertRowid();
    KG_RETURN_IF_ERROR(InsertSamples(trial_id, samples));
    for (const FindingRecord& f : findings) {
      FindingRecord owned = f;
      owned.run_id = trial.run_id;
      owned.trial_id = trial_id;
      KG_RETURN_IF_ERROR(InsertFinding(owned));
    }
    return txn.Commit();
  }();
  if (!status.ok()) {
    metric_ids_.clear();  // ids minted in the rolled-back transaction are gone
    return status.Prefixed("recording trial " + std::to_string(trial.seq) + " of run " +
                           std::to_string(trial.run_id));
  }
  return trial_id;
}

Status SqliteStore::InsertSamples(std::int64_t trial_id, const std::vector<SampleRecord>& samples) {
  KG_PREPARE(s, *db_, "INSERT INTO samples (trial_id, ordinal, metric_id, value, repetition) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)");
  std::int64_t ordinal = 0;
  for (const SampleRecord& sample : samples) {
    auto metric_id = MetricId(sample);
    if (!metric_id.ok()) return metric_id.status();
    s.Bind(1, trial_id);
    s.Bind(2, ordinal++);
    s.Bind(3, *metric_id);
    s.Bind(4, sample.value);
    s.Bind(5, sample.repetition);
    KG_RETURN_IF_ERROR(s.Run().Prefixed("sample " + sample.metric));
  }
  return Status::Ok();
}

Result<std::int64_t> SqliteStore::MetricId(const SampleRecord& sample) {
  // The key is rebuilt in a reused buffer: no allocation per sample.
  metric_key_.clear();
  for (const std::string* part : {&sample.metric, &sample.unit, &sample.kind, &sample.better}) {
    metric_key_.append(*part).push_back('\0');
  }
  if (auto it = metric_ids_.find(metric_key_); it != metric_ids_.end()) return it->second;

  KG_PREPARE(find, *db_, "SELECT id FROM metrics WHERE name = ?1 AND unit = ?2 AND kind = ?3 "
                         "AND better = ?4");
  KG_PREPARE(insert, *db_, "INSERT INTO metrics (name, unit, kind, better) VALUES (?1, ?2, ?3, ?4)");
  std::int64_t id = 0;
  for (Statement* s : {&find, &insert}) {
    s->Bind(1, sample.metric);
    s->Bind(2, sample.unit);
    s->Bind(3, sample.kind);
    s->Bind(4, sample.better);
  }
  if (find.Step()) id = find.Int64(0);
  KG_RETURN_IF_ERROR(find.Reset());
  if (id == 0) {
    KG_RETURN_IF_ERROR(insert.Run().Prefixed("interning metric " + sample.metric));
    id = db_->LastInsertRowid();
  } else {
    insert.Reset();
  }
  metric_ids_.emplace(metric_key_, id);
  return id;
}

Status SqliteStore::InsertFinding(const FindingRecord& f) {
  KG_PREPARE(s, *db_, "INSERT INTO findings (run_id, trial_id, arm, rule, level, file, line, "
                      "message, excerpt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  s.Bind(1, f.run_id);
  if (f.trial_id) {
    s.Bind(2, *f.trial_id);
  } else {
    s.BindNull(2);
  }
  s.Bind(3, f.arm);
  s.Bind(4, f.rule);
  s.Bind(5, f.level);
  s.Bind(6, f.file);
  s.Bind(7, f.line);
  s.Bind(8, f.message);
  s.Bind(9, f.excerpt);
  return s.Run().Prefixed("saving finding " + f.rule);
}

Status SqliteStore::SaveFindings(const std::vector<FindingRecord>& findings) {
  Transaction txn(*db_);
  KG_RETURN_IF_ERROR(txn.Begin());
  for (const FindingRecord& f : findings) KG_RETURN_IF_ERROR(InsertFinding(f));
  return txn.Commit();
}

Result<std::vector<FindingRecord>> SqliteStore::LoadFindings(std::int64_t run_id) {
  KG_PREPARE(s, *db_, "SELECT run_id, trial_id, arm, rule, level, file, line, message, excerpt "
                      "FROM findings WHERE run_id = ?1 ORDER BY id");
  s.Bind(1, run_id);
  std::vector<FindingRecord> out;
  while (s.Step()) {
    FindingRecord f;
    f.run_id = s.Int64(0);
    if (!s.IsNull(1)) f.trial_id = s.Int64(1);
    f.arm = s.Text(2);
    f.rule = s.Text(3);
    f.level = s.Text(4);
    f.file = s.Text(5);
    f.line = s.Int(6);
    f.message = s.Text(7);
    f.excerpt = s.Text(8);
    out.push_back(std::move(f));
  }
  KG_RETURN_IF_ERROR(s.Reset());
  return out;
}

Result<std::vector<TrialRecord>> SqliteStore::LoadTrials(std::int64_t run_id) {
  KG_PREPARE(s, *db_, "SELECT " + std::string(kTrialColumns) +
                          " FROM trials WHERE run_id = ?1 ORDER BY seq");
  s.Bind(1, run_id);
  std::vector<TrialRecord> out;
  while (s.Step()) {
    auto trial = ReadTrial(s);
    if (!trial.ok()) {
      s.Reset();
      return trial.status();
    }
    out.push_back(std::move(*trial));
  }
  KG_RETURN_IF_ERROR(s.Reset());
  return out;
}

Status SqliteStore::LoadMetricNames() {
  KG_PREPARE(s, *db_, "SELECT id, name, unit, kind, better FROM metrics");
  while (s.Step()) metric_names_[s.Int64(0)] = {s.Text(1), s.Text(2), s.Text(3), s.Text(4)};
  return s.Reset();
}

Result<std::vector<SampleRow>> SqliteStore::LoadSamples(std::int64_t run_id) {
  KG_PREPARE(count, *db_, "SELECT count(*) FROM trials t JOIN samples s ON s.trial_id = t.id "
                          "WHERE t.run_id = ?1");
  count.Bind(1, run_id);
  std::int64_t n = count.Step() ? count.Int64(0) : 0;
  KG_RETURN_IF_ERROR(count.Reset());

  KG_PREPARE(s, *db_, "SELECT t.id, t.seq, t.arm, t.scenario, t.shape, s.metric_id, s.value, "
                      "s.repetition FROM trials t JOIN samples s ON s.trial_id = t.id "
                      "WHERE t.run_id = ?1 ORDER BY t.seq, s.ordinal");
  s.Bind(1, run_id);
  std::vector<SampleRow> out;
  out.reserve(static_cast<std::size_t>(n));
  SampleRow trial_part;  // the columns every sample of one trial shares
  trial_part.trial_id = -1;
  while (s.Step()) {
    if (s.Int64(0) != trial_part.trial_id) {
      trial_part = SampleRow{s.Int64(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4), {}};
    }
    std::int64_t metric_id = s.Int64(5);
    auto metric = metric_names_.find(metric_id);
    if (metric == metric_names_.end()) {
      KG_RETURN_IF_ERROR(LoadMetricNames());
      metric = metric_names_.find(metric_id);
      if (metric == metric_names_.end()) {
        s.Reset();
        return Status::Internal("sample refers to missing metric " + std::to_string(metric_id));
      }
    }
    SampleRow& row = out.emplace_back(trial_part);
    row.sample.metric = metric->second.name;
    row.sample.value = s.Double(6);
    row.sample.unit = metric->second.unit;
    row.sample.kind = metric->second.kind;
    row.sample.better = metric->second.better;
    row.sample.repetition = s.Int(7);
  }
  KG_RETURN_IF_ERROR(s.Reset());
  return out;
}

}  // namespace kgate
