#include "cli/run_console.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include <unistd.h>

#include "base/interrupt.h"
#include "base/paths.h"
#include "base/strings.h"
#include "base/time_util.h"
#include "judge/judge.h"
#include "plan/plan.h"

namespace kgate {
namespace {

// One line per trial event; on a terminal the "running" line is redrawn in
// place by the line that reports how the trial ended.
void PrintProgress(const RunProgress& p, bool tty) {
  const PlannedTrial& t = *p.trial;
  std::string line = fmt::format("[{}/{}] {:<10} {:<26} {:<22} {:<10} elapsed {} eta {}",
                                 p.done + (p.status == "running" ? 1 : 0), p.total, p.status, t.arm,
                                 t.scenario, t.shape.Name(), FormatDuration(p.elapsed_s), FormatDuration(p.eta_s));
  if (!p.message.empty()) line += "  " + p.message.substr(0, 160);
  if (tty) {
    std::cout << "\r\033[K" << line << (p.status == "running" ? "" : "\n") << std::flush;
  } else if (p.status != "running") {
    std::cout << line << "\n" << std::flush;
  }
}

}  // namespace

void ConsoleObserver::OnRunStarted(std::int64_t run_id, const std::string& tier, int planned) {
  run_id_ = run_id;
  std::cout << fmt::format("run {}: tier {}, {} trials planned\n", run_id, tier, planned) << std::flush;
}

void ConsoleObserver::OnTrial(const RunProgress& p) { PrintProgress(p, tty_); }

void ConsoleObserver::OnLook(int rounds, const Judgement& j) {
  int futile = static_cast<int>(std::count_if(j.comparisons.begin(), j.comparisons.end(),
                                              [](const Comparison& c) { return c.futile; }));
  std::cout << fmt::format(
      "look after {} rounds: {}{}{}\n", rounds, VerdictName(j.verdict),
      j.Final() ? ", final" : fmt::format(", {} comparisons unresolved: more rounds", j.Open()),
      futile ? fmt::format(" ({} more could not resolve in the rounds left)", futile) : "");
}

void ConsoleObserver::OnNotice(const std::string& line) { std::cout << line << "\n" << std::flush; }

std::string DefaultWorkDir(const std::string& db_path) {
  std::error_code ec;
  std::string absolute = std::filesystem::absolute(db_path, ec).lexically_normal().string();
  return CacheDir() + "/trials/" + Sha256Hex(absolute).substr(0, 12);
}

Result<ConsoleRun> OpenConsoleRun(const std::string& db_path) {
  ConsoleRun run;
  KG_ASSIGN_OR_RETURN(run.store, Store::Open(db_path));
  run.observer = std::make_unique<ConsoleObserver>(isatty(STDOUT_FILENO));
  run.host = std::make_unique<HostRunEnvironment>(*run.store, *run.observer, CacheDir());
  KG_ASSIGN_OR_RETURN(run.env, run.host->Environment());
  InstallStopHandlers();
  return run;
}

}  // namespace kgate
