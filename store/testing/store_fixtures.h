// Records for store tests: an in-memory store and filled-in rows.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "store/sqlite.h"
#include "store/store.h"

namespace kgate::testing {

inline std::unique_ptr<Store> OpenMemory() {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  return std::move(*store);
}

inline RunRecord SampleRun(const std::string& proposal) {
  RunRecord r;
  r.proposal = proposal;
  r.proposal_file = "proposals/" + proposal + ".yaml";
  r.proposal_yaml = "name: " + proposal + "\n";
  r.started_at = "2026-11-27T05:00:00Z";
  r.host = "builder-1";
  r.kgate_version = "0.1.0";
  r.git_sha = "abc123";
  r.qemu_version = "7.2.0";
  r.host_kernel = "6.1.0-18-amd64";
  r.command_line = "kgate run " + r.proposal_file;
  r.tier = "tcg";
  r.status = "running";
  r.shard = "1/4";
  return r;
}

inline TrialRecord SampleTrial(std::int64_t run_id, int seq) {
  TrialRecord t;
  t.run_id = run_id;
  t.seq = seq;
  t.round = 1;
  t.arm = seq % 2 ? "candidate" : "baseline";
  t.scenario = "hackbench";
  t.shape = "2cpu-1g";
  t.tier = "tcg";
  t.status = TrialStatus::kCrashed;
  t.message = "kernel BUG at mm/filemap.c:123";
  t.started_at = "2026-11-27T05:01:00Z";
  t.boot_seconds = 4.25;
  t.wall_seconds = 31.5;
  t.guest_kernel = "6.12.57+deb12-cloud-amd64";
  t.clocksource = "tsc";
  t.seed = 1234567;
  t.console_log = "[    0.000000] Linux version 6.12\n";
  return t;
}

inline std::vector<SampleRecord> Samples(int n, double base) {
  std::vector<SampleRecord> out;
  for (int i = 0; i < n; ++i) {
    bool time = i % 2 == 0;
    out.push_back({time ? "elapsed" : "ctx_switches", base + i, time ? "s" : "count",
                   time ? "time" : "count", "lower", i / 2});
  }
  return out;
}

// A run with nothing but its proposal's name.
inline RunRecord NamedRun(const std::string& proposal) {
  RunRecord run;
  run.proposal = proposal;
  return run;
}

// The file opened with SQLite alone, as another program (or an older kgate)
// would, to write what kgate itself never writes.
inline std::unique_ptr<Db> RawOpen(const std::string& path) {
  auto db = Db::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  REQUIRE(db.ok());
  return std::move(*db);
}

}  // namespace kgate::testing
