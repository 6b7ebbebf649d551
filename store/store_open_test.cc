// Store::Open on real files: upgrades from every older schema version, and
// the refusals of files that are not usable kgate stores, each leaving the
// file byte-for-byte as it was.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "base/testing/temp_dir.h"
#include "store/schema.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "store/testing/store_fixtures.h"

namespace kgate {
namespace {

namespace fs = std::filesystem;

using testing::NamedRun;
using testing::RawOpen;
using testing::TempDir;

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::int64_t QueryInt(const std::string& path, const std::string& sql) {
  auto db = RawOpen(path);
  auto v = db->QueryInt(sql);
  REQUIRE(v.ok());
  return *v;
}

// Opens path, expects a refusal with `code` whose one-line message starts
// with the path and contains `expected`, and checks the bytes are unchanged.
void ExpectRefused(const std::string& path, Store::Mode mode, Status::Code code,
                   const std::string& expected) {
  bool existed = fs::exists(path);
  std::string before = existed ? ReadBytes(path) : "";
  auto store = Store::Open(path, mode);
  REQUIRE_FALSE(store.ok());
  const std::string& msg = store.status().message();
  INFO(msg);
  CHECK(store.status().code() == code);
  CHECK(msg.rfind(path, 0) == 0);
  CHECK(msg.find('\n') == std::string::npos);
  CHECK(msg.find(expected) != std::string::npos);
  CHECK(fs::exists(path) == existed);
  if (existed && fs::is_regular_file(path)) CHECK(ReadBytes(path) == before);
}

VerdictRecord PassVerdict() {
  VerdictRecord v;
  v.policy = "default";
  v.verdict = Verdict::kPass;
  return v;
}

// A file as kgate schema 1 left it, with one run, trial and two samples.
void MakeVersion1File(const std::string& path) {
  auto db = RawOpen(path);
  REQUIRE(db->Exec("PRAGMA foreign_keys = ON").ok());
  REQUIRE(MigrateSchema(*db, 1).ok());
  REQUIRE(db->Exec(R"sql(
    INSERT INTO runs (id, proposal, tier, status) VALUES (7, 'old-proposal', 'tcg', 'done');
    INSERT INTO trials (id, run_id, seq, arm, scenario, shape, status)
      VALUES (70, 7, 0, 'baseline', 'hackbench', '1cpu', 'ok');
    INSERT INTO metrics (id, name, unit, kind, better) VALUES (1, 'elapsed', 's', 'time', 'lower');
    INSERT INTO samples (trial_id, ordinal, metric_id, value, repetition)
      VALUES (70, 0, 1, 1.5, 0), (70, 1, 1, 1.75, 1);
  )sql")
              .ok());
}

// A file as kgate schema 2 left it: a run with one comparison, its verdict
// and one claim, written with the version 2 columns only.
void MakeVersion2File(const std::string& path) {
  auto db = RawOpen(path);
  REQUIRE(db->Exec("PRAGMA foreign_keys = ON").ok());
  REQUIRE(MigrateSchema(*db, 2).ok());
  REQUIRE(db->Exec(R"sql(
    INSERT INTO runs (id, proposal, tier, status) VALUES (9, 'v2-proposal', 'kvm', 'done');
    INSERT INTO comparisons (run_id, scenario, metric, shape, arm, reference, n_arm,
        n_reference, effect, ci_low, ci_high, p_value, q_value, classification, decides)
      VALUES (9, 'hackbench', 'elapsed', '1cpu', 'candidate', 'baseline', 8, 9, 0.9, 0.85,
        0.95, 0.01, 0.02, 'improved', 1);
    INSERT INTO verdicts (run_id, policy, verdict, reasons_json, scores_json, created_at)
      VALUES (9, 'default', 'PASS', '["faster"]', '{}', '2026-01-02T03:04:05Z');
    INSERT INTO claims (run_id, claim_id, text, expected, measured, ci_low, ci_high, status)
      VALUES (9, 'fig2', '10% faster', '<=0.9x', 0.9, 0.85, 0.95, 'reproduced');
  )sql")
              .ok());
}

}  // namespace

TEST_CASE("Open upgrades an empty (version 0) file to the latest schema", "[store]") {
  TempDir dir("kgate-store-test");
  std::string path = dir.File("kgate.db");
  WriteBytes(path, "");
  {
    auto store = Store::Open(path);
    REQUIRE(store.ok());
    CHECK((*store)->SchemaVersion() == LatestSchemaVersion());
    REQUIRE((*store)->CreateRun(NamedRun("p")).ok());
  }
  CHECK(QueryInt(path, "PRAGMA user_version") == LatestSchemaVersion());
  CHECK(QueryInt(path, "PRAGMA application_id") == kStoreApplicationId);
  CHECK(QueryInt(path, "SELECT count(*) FROM runs") == 1);
}

TEST_CASE("Open upgrades a version 1 file, keeping its data", "[store]") {
  TempDir dir("kgate-store-test");
  std::string path = dir.File("v1.db");
  MakeVersion1File(path);
  REQUIRE(QueryInt(path, "PRAGMA user_version") == 1);
  REQUIRE(QueryInt(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'verdicts'") == 0);

  auto store = Store::Open(path);
  REQUIRE(store.ok());
  auto run = (*store)->LoadRun(7);
  REQUIRE(run.ok());
  CHECK(run->proposal == "old-proposal");
  auto samples = (*store)->LoadSamples(7);
  REQUIRE(samples.ok());
  REQUIRE(samples->size() == 2);
  CHECK((*samples)[1].sample.value == 1.75);
  CHECK((*samples)[1].sample.metric == "elapsed");
  CHECK((*samples)[1].trial_id == 70);
  // The version 2 tables exist and work on the old run.
  REQUIRE((*store)->SaveJudgement(7, {}, PassVerdict(), {}).ok());
  CHECK((*store)->LoadVerdict(7)->verdict == Verdict::kPass);
  store = Status::Internal("closed");  // release the file
  CHECK(QueryInt(path, "PRAGMA user_version") == LatestSchemaVersion());
}

TEST_CASE("Open upgrades a version 2 file: old judgements load with the v3 defaults",
          "[store]") {
  TempDir dir("kgate-store-test");
  std::string path = dir.File("v2.db");
  MakeVersion2File(path);
  REQUIRE(QueryInt(path, "PRAGMA user_version") == 2);
  REQUIRE(QueryInt(path, "SELECT count(*) FROM pragma_table_info('comparisons') "
                         "WHERE name = 'ci_level'") == 0);

  auto store = Store::Open(path);
  REQUIRE(store.ok());
  CHECK((*store)->SchemaVersion() == LatestSchemaVersion());

  auto comparisons = (*store)->LoadComparisons(9);
  REQUIRE(comparisons.ok());
  REQUIRE(comparisons->size() == 1);
  const ComparisonRecord& old = (*comparisons)[0];
  CHECK(old.scenario == "hackbench");
  CHECK(old.n_reference == 9);
  CHECK(old.effect == 0.9);
  CHECK(old.classification == Classification::kImproved);
  CHECK(old.decides);
  CHECK(old.vs == "baseline");
  CHECK(old.role == "guard");
  CHECK(old.kind.empty());
  CHECK(old.better.empty());
  CHECK(old.unit.empty());
  CHECK(old.median_arm == 0);
  CHECK(old.median_reference == 0);
  CHECK(old.hl_shift == 0);
  CHECK(old.ci_level == 0.95);
  CHECK(old.note.empty());
  auto verdict = (*store)->LoadVerdict(9);
  REQUIRE(verdict.ok());
  CHECK(verdict->verdict == Verdict::kPass);
  CHECK(verdict->reasons_json == "[\"faster\"]");
  CHECK(verdict->created_at == "2026-01-02T03:04:05Z");
  CHECK(verdict->tier.empty());
  CHECK(verdict->rounds == 0);
  auto claims = (*store)->LoadClaims(9);
  REQUIRE(claims.ok());
  REQUIRE(claims->size() == 1);
  CHECK((*claims)[0].claim_id == "fig2");
  CHECK((*claims)[0].measured == 0.9);
  CHECK((*claims)[0].scenario.empty());
  CHECK((*claims)[0].metric.empty());
  CHECK((*claims)[0].shape.empty());
  CHECK((*claims)[0].reference.empty());
  CHECK((*claims)[0].claimed == 0);
  CHECK((*claims)[0].note.empty());

  // A new judgement of the old run stores the v3 fields.
  ComparisonRecord c = old;
  c.vs = "tuned";
  c.role = "target";
  c.kind = "time";
  c.better = "lower";
  c.unit = "s";
  c.median_arm = 1.8;
  c.median_reference = 2.0;
  c.hl_shift = -0.2;
  c.ci_level = 0.99;
  c.note = "re-judged";
  VerdictRecord v = *verdict;
  v.tier = "kvm";
  v.rounds = 2;
  ClaimRecord claim = (*claims)[0];
  claim.scenario = "hackbench";
  claim.reference = "baseline";
  claim.claimed = 0.9;
  REQUIRE((*store)->SaveJudgement(9, {c}, v, {claim}).ok());
  store = Status::Internal("closed");  // release the file
  CHECK(QueryInt(path, "PRAGMA user_version") == LatestSchemaVersion());

  auto reader = Store::Open(path, Store::Mode::kReadOnly);
  REQUIRE(reader.ok());
  auto again = (*reader)->LoadComparisons(9);
  REQUIRE(again->size() == 1);
  CHECK((*again)[0].vs == "tuned");
  CHECK((*again)[0].role == "target");
  CHECK((*again)[0].unit == "s");
  CHECK((*again)[0].hl_shift == -0.2);
  CHECK((*again)[0].ci_level == 0.99);
  CHECK((*again)[0].note == "re-judged");
  CHECK((*reader)->LoadVerdict(9)->tier == "kvm");
  CHECK((*reader)->LoadVerdict(9)->rounds == 2);
  CHECK((*reader)->LoadClaims(9)->at(0).claimed == 0.9);
  CHECK((*reader)->LoadClaims(9)->at(0).reference == "baseline");
}

TEST_CASE("Open upgrades a file of every older version, and the newest tables work on it",
          "[store]") {
  for (int version = 1; version < LatestSchemaVersion(); ++version) {
    INFO("from version " << version);
    TempDir dir("kgate-store-test");
    std::string path = dir.File("old.db");
    {
      auto db = RawOpen(path);
      REQUIRE(db->Exec("PRAGMA foreign_keys = ON").ok());
      REQUIRE(MigrateSchema(*db, version).ok());
      REQUIRE(db->Exec("INSERT INTO runs (id, proposal, tier, status) "
                       "VALUES (3, 'older', 'icount', 'done')")
                  .ok());
    }
    REQUIRE(QueryInt(path, "PRAGMA user_version") == version);
    auto store = Store::Open(path);
    REQUIRE(store.ok());
    CHECK((*store)->SchemaVersion() == LatestSchemaVersion());
    auto run = (*store)->LoadRun(3);
    REQUIRE(run.ok());
    CHECK(run->proposal == "older");
    CHECK(run->scenarios_dir.empty());
    // A run from before version 5 has no stored configuration...
    auto none = (*store)->LoadRunFiles(3);
    REQUIRE(none.ok());
    CHECK(none->empty());
    // ...and takes one, as every newer table takes rows for it.
    REQUIRE((*store)->SaveRunFiles(3, {{"/s/x/workload.yaml", "kgate: 1\n"}}).ok());
    CHECK((*store)->LoadRunFiles(3)->at("/s/x/workload.yaml") == "kgate: 1\n");
    CheckRecord check;
    check.run_id = 3;
    check.arm = "candidate";
    check.kind = "analysis";
    check.status = CheckStatus::kPassed;
    REQUIRE((*store)->SaveCheck(check).ok());
    REQUIRE((*store)->SaveJudgement(3, {}, PassVerdict(), {}).ok());
    CHECK((*store)->LoadVerdict(3)->verdict == Verdict::kPass);
  }
}

TEST_CASE("A run's configuration files are stored once: a resume keeps the first text",
          "[store]") {
  TempDir dir("kgate-store-test");
  auto store = Store::Open(dir.File("kgate.db"));
  REQUIRE(store.ok());
  RunRecord run = NamedRun("p");
  run.scenarios_dir = "/home/kgate/scenarios";
  run.suites_dir = "/home/kgate/suites";
  run.policies_dir = "/home/kgate/policies";
  auto id = (*store)->CreateRun(run);
  REQUIRE(id.ok());
  REQUIRE((*store)->SaveRunFiles(*id, {{"/a.yaml", "first"}, {"/b.yaml", "b"}}).ok());
  REQUIRE((*store)->SaveRunFiles(*id, {{"/a.yaml", "second"}, {"/c.yaml", "c"}}).ok());
  auto files = (*store)->LoadRunFiles(*id);
  REQUIRE(files.ok());
  CHECK(*files == std::map<std::string, std::string>{
                      {"/a.yaml", "first"}, {"/b.yaml", "b"}, {"/c.yaml", "c"}});
  auto loaded = (*store)->LoadRun(*id);
  REQUIRE(loaded.ok());
  CHECK(loaded->scenarios_dir == "/home/kgate/scenarios");
  CHECK(loaded->suites_dir == "/home/kgate/suites");
  CHECK(loaded->policies_dir == "/home/kgate/policies");
}

TEST_CASE("Open refuses files that are not usable kgate stores, writing nothing", "[store]") {
  TempDir dir("kgate-store-test");
  using Code = Status::Code;
  const auto rw = Store::Mode::kReadWrite;
  const auto ro = Store::Mode::kReadOnly;

  SECTION("random bytes") {
    std::string path = dir.File("random.db");
    std::mt19937 rng(42);
    std::string bytes(8192, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    WriteBytes(path, bytes);
    ExpectRefused(path, rw, Code::kBadInput, "file is not a database");
  }
  SECTION("a text file") {
    std::string path = dir.File("notes.db");
    WriteBytes(path, "these are not the samples you are looking for\n");
    ExpectRefused(path, rw, Code::kBadInput, "is not a kgate database");
  }
  SECTION("a kgate store with a damaged header") {
    std::string path = dir.File("damaged.db");
    REQUIRE(Store::Open(path).ok());
    std::string bytes = ReadBytes(path);
    REQUIRE(bytes.size() > 100);
    bytes[16] = '\x01';  // page size 0x01xx: not a power of two
    bytes[17] = '\x23';
    WriteBytes(path, bytes);
    ExpectRefused(path, rw, Code::kBadInput, "is not a kgate database");
  }
  SECTION("a SQLite file of another application") {
    std::string path = dir.File("other.db");
    REQUIRE(RawOpen(path)->Exec("PRAGMA application_id = 305419896; CREATE TABLE t (x);").ok());
    ExpectRefused(path, rw, Code::kBadInput, "another application (application_id 0x12345678)");
  }
  SECTION("a SQLite file without any application_id") {
    std::string path = dir.File("plain.db");
    REQUIRE(RawOpen(path)->Exec("CREATE TABLE contacts (name TEXT);").ok());
    ExpectRefused(path, rw, Code::kBadInput, "expected a kgate store (0x6B676174)");
  }
  SECTION("a store from a newer kgate") {
    std::string path = dir.File("future.db");
    REQUIRE(Store::Open(path).ok());
    // One above this build's: the smallest version it must refuse.
    int latest = LatestSchemaVersion();
    REQUIRE(RawOpen(path)->Exec("PRAGMA user_version = " + std::to_string(latest + 1)).ok());
    std::string why = "made by a newer kgate (schema " + std::to_string(latest + 1) +
                      ", this kgate knows " + std::to_string(latest) + ")";
    ExpectRefused(path, rw, Code::kBadInput, why);
    ExpectRefused(path, ro, Code::kBadInput, why);
  }
  SECTION("a read-only file opened for writing") {
    std::string path = dir.File("readonly.db");
    REQUIRE(Store::Open(path).ok());
    REQUIRE(chmod(path.c_str(), 0444) == 0);
    ExpectRefused(path, rw, Code::kInfrastructure, "file is read-only");
    auto reader = Store::Open(path, ro);  // reading it is fine
    REQUIRE(reader.ok());
    CHECK((*reader)->ListRuns()->empty());
  }
  SECTION("a directory") { ExpectRefused(dir.path(), rw, Code::kBadInput, "is a directory"); }
  SECTION("a missing parent directory") {
    std::string path = dir.File("no/such/dir/kgate.db");
    ExpectRefused(path, rw, Code::kInfrastructure, "does not exist");
    CHECK_FALSE(fs::exists(dir.File("no")));
  }
  SECTION("read-only mode on a missing file") {
    ExpectRefused(dir.File("missing.db"), ro, Code::kBadInput, "no such file");
  }
  SECTION("read-only mode on a file that needs an upgrade") {
    std::string path = dir.File("v1.db");
    MakeVersion1File(path);
    ExpectRefused(path, ro, Code::kBadInput,
                  "has schema 1, expected " + std::to_string(LatestSchemaVersion()));
  }
  SECTION("read-only mode on a version 2 file") {
    std::string path = dir.File("v2.db");
    MakeVersion2File(path);
    ExpectRefused(path, ro, Code::kBadInput,
                  "has schema 2, expected " + std::to_string(LatestSchemaVersion()));
  }
}

}  // namespace kgate
