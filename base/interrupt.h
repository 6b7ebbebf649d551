// Stopping cleanly on SIGINT and SIGTERM.
//
// InstallStopHandlers replaces the default action of both signals with one
// that only records the request; long-running loops (a guest's watch loop,
// the run engine between trials) poll StopRequested() and wind down: the
// guest is killed, the run is marked interrupted, and kgate exits with
// 128 + the signal after printing how to resume. A second signal while
// stopping gets the default action (the process dies at once).
//
// Async-signal-safe: the handler only writes a sig_atomic_t.
#pragma once

namespace kgate {

void InstallStopHandlers();
bool StopRequested();
// The signal that asked to stop; 0 when none did.
int StopSignal();
// For tests: as if sig had arrived, or forget that one did.
void RequestStop(int sig);
void ClearStopRequest();

}  // namespace kgate
