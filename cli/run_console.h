// The console of a run, shared by `kgate run` and `kgate bisect`: one line
// per trial (redrawn in place on a terminal), a line per look and per
// notice; and where trial logs go by default.
#pragma once

#include <cstdint>
#include <string>

#include "engine/run_observer.h"

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

}  // namespace kgate
