// The console of a run, shared by `kgate run` and `kgate bisect`: one line
// per trial (redrawn in place on a terminal), a line per look and per
// notice; and where trial logs go by default.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "engine/host_environment.h"
#include "engine/run_engine.h"
#include "engine/run_observer.h"
#include "store/store.h"

namespace kgate {

class ConsoleObserver : public RunObserver {
 public:
  explicit ConsoleObserver(bool tty) : tty_(tty) {}
  void OnRunStarted(std::int64_t run_id, const std::string& tier, int planned) override;
  void OnTrial(const RunProgress& p) override;
  void OnLook(int rounds, const Judgement& j) override;
  void OnNotice(const std::string& line) override;
  // The run last started; 0 before any.
  std::int64_t run_id() const { return run_id_; }

 private:
  bool tty_;
  std::int64_t run_id_ = 0;
};

// Trial directories are named run-<id>/trial-<seq>, and run ids restart at
// 1 in every store: two runs of different stores at once would share (and
// overwrite) each other's trial directories. Each store gets its own folder
// under <cache>/trials, named by a hash of its absolute path.
std::string DefaultWorkDir(const std::string& db_path);

// What `kgate run` and `kgate bisect` run proposals with: the store at
// db_path, the console, and the host's collaborators (QEMU, the caches);
// SIGINT and SIGTERM then stop a run cleanly.
struct ConsoleRun {
  std::unique_ptr<Store> store;
  std::unique_ptr<ConsoleObserver> observer;
  std::unique_ptr<HostRunEnvironment> host;
  RunEnvironment env;
};
Result<ConsoleRun> OpenConsoleRun(const std::string& db_path);

}  // namespace kgate
