// One store shared: by a second connection, by a read-only reader beside a
// live writer, by two processes creating it at once; and words in it that
// kgate does not know.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "base/testing/temp_dir.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "store/testing/store_fixtures.h"

namespace kgate {
namespace {

namespace fs = std::filesystem;

using testing::NamedRun;
using testing::RawOpen;
using testing::TempDir;

}  // namespace

TEST_CASE("A store written by one connection is read by another (WAL file)", "[store]") {
  TempDir dir("kgate-store-test");
  std::string path = dir.File("kgate.db");
  auto writer = Store::Open(path);
  REQUIRE(writer.ok());
  auto run = (*writer)->CreateRun(NamedRun("shared"));
  REQUIRE(run.ok());
  auto reader = Store::Open(path, Store::Mode::kReadOnly);
  REQUIRE(reader.ok());
  CHECK((*reader)->LoadRun(*run)->proposal == "shared");
  CHECK_FALSE((*reader)->CreateRun(NamedRun("x")).ok());
  CHECK(fs::exists(path + "-wal"));
}

TEST_CASE("kReadOnlyNoTrace reads a closed WAL store leaving no side files", "[store]") {
  TempDir dir("kgate-store-test");
  std::string path = dir.File("odd%name?#.db");  // characters a SQLite URI must escape
  std::int64_t id = 0;
  {
    auto writer = Store::Open(path);
    REQUIRE(writer.ok());
    id = *(*writer)->CreateRun(NamedRun("closed"));
  }
  REQUIRE_FALSE(fs::exists(path + "-wal"));
  REQUIRE_FALSE(fs::exists(path + "-shm"));
  {
    auto reader = Store::Open(path, Store::Mode::kReadOnlyNoTrace);
    REQUIRE(reader.ok());
    CHECK((*reader)->LoadRun(id)->proposal == "closed");
    CHECK_FALSE((*reader)->CreateRun(NamedRun("x")).ok());
  }
  CHECK_FALSE(fs::exists(path + "-wal"));
  CHECK_FALSE(fs::exists(path + "-shm"));
  // kReadOnly, by contrast, leaves them: the reason kReadOnlyNoTrace exists.
  { REQUIRE(Store::Open(path, Store::Mode::kReadOnly).ok()); }
  CHECK(fs::exists(path + "-shm"));
}

TEST_CASE("kReadOnlyNoTrace sees a live writer's uncheckpointed rows", "[store]") {
  TempDir dir("kgate-store-test");
  std::string path = dir.File("kgate.db");
  auto writer = Store::Open(path);
  REQUIRE(writer.ok());
  auto run = (*writer)->CreateRun(NamedRun("live"));
  REQUIRE(run.ok());
  auto reader = Store::Open(path, Store::Mode::kReadOnlyNoTrace);
  REQUIRE(reader.ok());
  CHECK((*reader)->LoadRun(*run)->proposal == "live");
  CHECK(Store::Open(dir.File("absent.db"), Store::Mode::kReadOnlyNoTrace).status().code() ==
        Status::Code::kBadInput);
  CHECK_FALSE(fs::exists(dir.File("absent.db")));
}

TEST_CASE("Two processes create and write the same new file at once", "[store]") {
  TempDir dir("kgate-store-test");
  std::string path = dir.File("shared.db");
  // Both race through Open (schema migration) and then write trials;
  // BEGIN IMMEDIATE + busy_timeout serialise them without errors.
  pid_t child = fork();
  REQUIRE(child >= 0);
  bool in_child = child == 0;
  int failures = 0;
  auto store = Store::Open(path);
  if (!store.ok()) {
    ++failures;
  } else {
    RunRecord run = NamedRun(in_child ? "child" : "parent");
    auto run_id = (*store)->CreateRun(run);
    for (int seq = 0; run_id.ok() && seq < 50; ++seq) {
      TrialRecord trial;
      trial.run_id = *run_id;
      trial.seq = seq;
      trial.arm = "baseline";
      trial.scenario = "s";
      trial.shape = "1cpu";
      std::vector<SampleRecord> samples(200, SampleRecord{"elapsed", 1.0, "s", "time", "lower", 0});
      if (!(*store)->RecordTrial(trial, samples, {}).ok()) ++failures;
    }
    if (!run_id.ok()) ++failures;
  }
  if (in_child) _exit(failures == 0 ? 0 : 1);
  int wstatus = 0;
  REQUIRE(waitpid(child, &wstatus, 0) == child);
  CHECK(failures == 0);
  REQUIRE(WIFEXITED(wstatus));
  CHECK(WEXITSTATUS(wstatus) == 0);
  REQUIRE(store.ok());
  auto runs = (*store)->ListRuns();
  REQUIRE(runs->size() == 2);
  for (const RunRecord& run : *runs) {
    CHECK((*store)->LoadTrials(run.id)->size() == 50);
    CHECK((*store)->LoadSamples(run.id)->size() == 50 * 200);
  }
}

// A word the schema's CHECK constraints would refuse, written past them (a
// hand-edited file), or one a column without a constraint holds: loading
// it names the run and the column rather than guessing what it meant.
TEST_CASE("A stored word kgate does not know is a BadInput naming run and column", "[store]") {
  TempDir dir;
  std::string path = dir.File("odd.db");
  REQUIRE(Store::Open(path).ok());
  {
    auto db = RawOpen(path);
    REQUIRE(db->Exec(R"sql(
      PRAGMA ignore_check_constraints = ON;
      INSERT INTO runs (id, proposal, tier, status) VALUES (4, 'odd', 'icount', 'done');
      INSERT INTO checks (run_id, arm, kind, status) VALUES (4, 'candidate', 'analysis', 'maybe');
      INSERT INTO comparisons (run_id, scenario, metric, shape, arm, reference, n_arm,
          n_reference, effect, ci_low, ci_high, p_value, q_value, classification, decides)
        VALUES (4, 's', 'm', 'x', 'candidate', 'baseline', 2, 2, 1, 1, 1, 1, 1, 'better', 1);
    )sql")
                .ok());
  }
  auto store = Store::Open(path);
  REQUIRE(store.ok());
  auto checks = (*store)->LoadChecks(4);
  REQUIRE_FALSE(checks.ok());
  CHECK(checks.status().code() == Status::Code::kBadInput);
  CHECK(checks.status().message() == "run 4 has unknown checks.status 'maybe'");
  auto comparisons = (*store)->LoadComparisons(4);
  REQUIRE_FALSE(comparisons.ok());
  CHECK(comparisons.status().code() == Status::Code::kBadInput);
  CHECK(comparisons.status().message() ==
        "run 4 has unknown comparisons.classification 'better'");
}

}  // namespace kgate
