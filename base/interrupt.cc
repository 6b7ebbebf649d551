#include "base/interrupt.h"

#include <signal.h>

#include <csignal>

namespace kgate {
namespace {

volatile std::sig_atomic_t stop_signal = 0;

void OnStop(int sig) {
  stop_signal = sig;
  // The next one ends the process the default way.
  std::signal(sig, SIG_DFL);
}

}  // namespace

void InstallStopHandlers() {
  struct sigaction action = {};
  action.sa_handler = OnStop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool StopRequested() { return stop_signal != 0; }
int StopSignal() { return stop_signal; }
void RequestStop(int sig) { stop_signal = sig; }
void ClearStopRequest() { stop_signal = 0; }

}  // namespace kgate
