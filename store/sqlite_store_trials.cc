// SqliteStore's trial path: trials, their samples and findings. This is the
// hot path of the store (a run writes and the judge reads millions of
// samples), so metric strings are interned (schema.cc, table metrics) and the
// strings of a trial are read once per trial, not once per sample.
#include <sys/mman.h>

#include <cstdint>
#include <string_view>

#include "store/sqlite_store.h"

namespace kgate {
namespace {

constexpr std::string_view kTrialColumns =
    "id, run_id, seq, round, arm, scenario, shape, tier, status, message, started_at, "
    "boot_seconds, wall_seconds, guest_kernel, clocksource, console_log, seed";

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
    return Status::BadInput("trial " + std::to_string(t.id) + " has unknown status '" + status +
                            "'");
  }
  t.status = *parsed;
  t.message = s.Text(9);
  t.started_at = s.Text(10);
  t.boot_seconds = s.Double(11);
  t.wall_seconds = s.Double(12);
  t.guest_kernel = s.Text(13);
  t.clocksource = s.Text(14);
  t.console_log = s.Text(15);
  t.seed = s.Int64(16);
  return t;
}

// A run's samples are large (a SampleRow is ~256 bytes: 1M samples need
// 256 MB), and faulting that in 4 KiB pages cost more than the query itself
// on the development VM (1.3 s of 1.6 s CPU for 1M samples). Asking for
// transparent huge pages before the first touch cuts the faults 512-fold
// where THP is in "madvise" mode; elsewhere it is a harmless no-op.
void AdviseHugePages(void* data, std::size_t bytes) {
  constexpr std::uintptr_t kPage = 4096;
  auto begin = (reinterpret_cast<std::uintptr_t>(data) + kPage - 1) & ~(kPage - 1);
  auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kPage - 1);
  if (end > begin + (2u << 20)) {
    madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
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

    KG_PREPARE(s, *db_,
               "INSERT INTO trials (run_id, seq, round, arm, scenario, shape, tier, "
               "status, message, started_at, boot_seconds, wall_seconds, guest_kernel, "
               "clocksource, console_log, sample_count, seed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
               "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
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
    s.Bind(16, static_cast<std::int64_t>(samples.size()));
    s.Bind(17, trial.seed);
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
  KG_PREPARE(s, *db_,
             "INSERT INTO samples (trial_id, ordinal, metric_id, value, repetition) "
             "VALUES (?1, ?2, ?3, ?4, ?5)");
  std::int64_t ordinal = 0;
  for (const SampleRecord& sample : samples) {
    KG_ASSIGN_OR_RETURN(auto metric_id, MetricId(sample));
    s.Bind(1, trial_id);
    s.Bind(2, ordinal++);
    s.Bind(3, metric_id);
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

  KG_PREPARE(find, *db_,
             "SELECT id FROM metrics WHERE name = ?1 AND unit = ?2 AND kind = ?3 "
             "AND better = ?4");
  KG_PREPARE(insert, *db_,
             "INSERT INTO metrics (name, unit, kind, better) VALUES (?1, ?2, ?3, ?4)");
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
  KG_PREPARE(s, *db_,
             "INSERT INTO findings (run_id, trial_id, arm, rule, level, file, line, "
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
  KG_PREPARE(s, *db_,
             "SELECT run_id, trial_id, arm, rule, level, file, line, message, excerpt "
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

Status SqliteStore::SaveCheck(const CheckRecord& c) {
  KG_PREPARE(s, *db_,
             "INSERT OR REPLACE INTO checks (run_id, arm, kind, status, summary, detail_json) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  std::string status = CheckStatusName(c.status);  // bound without a copy: outlives Run()
  s.Bind(1, c.run_id);
  s.Bind(2, c.arm);
  s.Bind(3, c.kind);
  s.Bind(4, status);
  s.Bind(5, c.summary);
  s.Bind(6, c.detail_json);
  return s.Run().Prefixed("saving the " + c.kind + " check of arm '" + c.arm + "'");
}

Result<std::vector<CheckRecord>> SqliteStore::LoadChecks(std::int64_t run_id) {
  KG_PREPARE(s, *db_,
             "SELECT run_id, arm, kind, status, summary, detail_json FROM checks "
             "WHERE run_id = ?1 ORDER BY arm, kind");
  s.Bind(1, run_id);
  std::vector<CheckRecord> out;
  while (s.Step()) {
    auto status = ParseColumn(ParseCheckStatus, s.Text(3), run_id, "checks.status");
    if (!status.ok()) {
      s.Reset();
      return status.status();
    }
    out.push_back({s.Int64(0), s.Text(1), s.Text(2), *status, s.Text(4), s.Text(5)});
  }
  KG_RETURN_IF_ERROR(s.Reset());
  return out;
}

Result<std::vector<TrialRecord>> SqliteStore::LoadTrials(std::int64_t run_id) {
  KG_PREPARE(
      s, *db_,
      "SELECT " + std::string(kTrialColumns) + " FROM trials WHERE run_id = ?1 ORDER BY seq");
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
  while (s.Step()) {
    auto id = static_cast<std::size_t>(s.Int64(0));
    if (id >= metric_names_.size()) metric_names_.resize(id + 1);
    metric_names_[id] = {s.Text(1), s.Text(2), s.Text(3), s.Text(4), true};
  }
  return s.Reset();
}

Result<const SqliteStore::Metric*> SqliteStore::MetricName(std::int64_t id) {
  auto index = static_cast<std::size_t>(id);
  if (index >= metric_names_.size() || !metric_names_[index].known) {
    KG_RETURN_IF_ERROR(LoadMetricNames());
    if (index >= metric_names_.size() || !metric_names_[index].known) {
      return Status::Internal("a sample refers to metric " + std::to_string(id) +
                              ", which is not in table metrics");
    }
  }
  return &metric_names_[index];
}

Result<std::vector<SampleRow>> SqliteStore::LoadSamples(std::int64_t run_id) {
  // Trials first (few), then each trial's samples as one range of the
  // samples primary key: per sample SQLite decodes three columns only.
  std::vector<SampleRow> heads;  // the columns every sample of a trial shares
  std::size_t total = 0;
  {
    KG_PREPARE(t, *db_,
               "SELECT id, seq, arm, scenario, shape, sample_count FROM trials "
               "WHERE run_id = ?1 ORDER BY seq");
    t.Bind(1, run_id);
    while (t.Step()) {
      heads.push_back(SampleRow{t.Int64(0), t.Int(1), t.Text(2), t.Text(3), t.Text(4), {}});
      total += static_cast<std::size_t>(t.Int64(5));  // a hint: the vector grows if short
    }
    KG_RETURN_IF_ERROR(t.Reset());
  }
  std::vector<SampleRow> out;
  out.reserve(total);
  AdviseHugePages(out.data(), out.capacity() * sizeof(SampleRow));
  KG_PREPARE(s, *db_,
             "SELECT metric_id, value, repetition FROM samples WHERE trial_id = ?1 "
             "ORDER BY ordinal");
  for (const SampleRow& head : heads) {
    s.Bind(1, head.trial_id);
    while (s.Step()) {
      auto metric = MetricName(s.Int64(0));
      if (!metric.ok()) {
        s.Reset();
        return metric.status();
      }
      SampleRow& row = out.emplace_back(head);
      row.sample.metric = (*metric)->name;
      row.sample.value = s.Double(1);
      row.sample.unit = (*metric)->unit;
      row.sample.kind = (*metric)->kind;
      row.sample.better = (*metric)->better;
      row.sample.repetition = s.Int(2);
    }
    KG_RETURN_IF_ERROR(s.Reset());
  }
  return out;
}

}  // namespace kgate
