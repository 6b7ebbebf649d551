// kill -9 during a batch insert: a child process records large trials into a
// real file and is killed at varying points inside a trial's transaction. The
// parent reopens the file and checks that SQLite's integrity check passes and
// that every visible trial has all of its samples (no half-written trial).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "store/sqlite.h"
#include "store/store.h"

namespace kgate {
namespace {

namespace fs = std::filesystem;

// Large enough that a trial's transaction spills pages into the WAL before
// COMMIT (the page cache is ~2 MB), so a kill leaves uncommitted frames.
constexpr int kSamplesPerTrial = 150000;

std::vector<SampleRecord> TrialSamples() {
  std::vector<SampleRecord> samples;
  samples.reserve(kSamplesPerTrial);
  for (int i = 0; i < kSamplesPerTrial; ++i) {
    samples.push_back({i % 3 ? "latency" : "ops", i * 0.5, i % 3 ? "us" : "ops/s",
                       i % 3 ? "latency" : "rate", i % 3 ? "lower" : "higher", i / 3});
  }
  return samples;
}

// The child: records trials forever, writing one byte to `ready_fd` after each
// commit. Never returns into the test framework.
[[noreturn]] void RecordForever(const std::string& path, std::int64_t run_id, int first_seq,
                                int ready_fd) {
  auto store = Store::Open(path);
  if (!store.ok()) _exit(2);
  std::vector<SampleRecord> samples = TrialSamples();
  for (int seq = first_seq;; ++seq) {
    TrialRecord trial;
    trial.run_id = run_id;
    trial.seq = seq;
    trial.arm = "candidate";
    trial.scenario = "fio";
    trial.shape = "1cpu";
    if (!(*store)->RecordTrial(trial, samples, {}).ok()) _exit(3);
    char byte = 1;
    if (write(ready_fd, &byte, 1) != 1) _exit(4);
  }
}

}  // namespace

TEST_CASE("A writer killed with SIGKILL never leaves a partial trial", "[store][slow]") {
  fs::path dir = fs::temp_directory_path() / ("kgate-crash-test-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string path = (dir / "kgate.db").string();
  std::int64_t run_id = 0;
  {
    auto store = Store::Open(path);
    REQUIRE(store.ok());
    RunRecord run;
    run.proposal = "crash";
    run_id = *(*store)->CreateRun(run);
  }

  int committed = 0;  // trials the children reported as committed
  // Kill at different points of a trial's transaction, as fractions of the
  // time the child took for its previous trial (the machine may be loaded).
  for (double fraction : {0.1, 0.35, 0.6, 0.85}) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      close(fds[0]);
      RecordForever(path, run_id, committed, fds[1]);
    }
    close(fds[1]);
    char byte;
    auto previous = std::chrono::steady_clock::now();
    std::chrono::steady_clock::duration trial_time{};
    for (int got = 0; got < 2; ++got) {
      REQUIRE(read(fds[0], &byte, 1) == 1);  // EOF: the child died on its own
      ++committed;
      auto now = std::chrono::steady_clock::now();
      trial_time = now - previous;
      previous = now;
    }
    std::this_thread::sleep_for(trial_time * fraction);
    REQUIRE(kill(child, SIGKILL) == 0);
    int wstatus = 0;
    REQUIRE(waitpid(child, &wstatus, 0) == child);
    REQUIRE(WIFSIGNALED(wstatus));
    CHECK(WTERMSIG(wstatus) == SIGKILL);
    while (read(fds[0], &byte, 1) == 1) ++committed;
    close(fds[0]);

    auto db = Db::Open(path, SQLITE_OPEN_READWRITE);
    REQUIRE(db.ok());
    auto check = (*db)->Cached("PRAGMA integrity_check");
    REQUIRE(check.ok());
    REQUIRE((*check)->Step());
    CHECK((*check)->Text(0) == "ok");
    REQUIRE((*check)->Reset().ok());
    // Samples per visible trial, counted by SQL rather than loaded: the run
    // grows to millions of samples.
    auto counts = (*db)->Cached(
        "SELECT t.seq, count(s.trial_id) FROM trials t LEFT JOIN samples s ON s.trial_id = t.id "
        "WHERE t.run_id = ?1 GROUP BY t.id ORDER BY t.seq");
    REQUIRE(counts.ok());
    (*counts)->Bind(1, run_id);
    int visible = 0;
    while ((*counts)->Step()) {
      INFO("trial seq " << (*counts)->Int(0));
      CHECK((*counts)->Int(0) == visible);
      CHECK((*counts)->Int64(1) == kSamplesPerTrial);
      ++visible;
    }
    REQUIRE((*counts)->Reset().ok());
    // Every reported commit is visible; the trial in flight is not, unless it
    // committed in the instant before the kill and could not report it.
    CHECK(visible >= committed);
    CHECK(visible <= committed + 1);
    committed = visible;
  }
  auto store = Store::Open(path);  // and the file is still a usable store
  REQUIRE(store.ok());
  CHECK(static_cast<int>((*store)->LoadTrials(run_id)->size()) == committed);
  fs::remove_all(dir);
}

}  // namespace kgate
