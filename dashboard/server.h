// The dashboard's HTTP server: cpp-httplib in front of a Router.
//
// Serve binds address:port (port 0: the kernel picks a free one), prints
// "kgate: serving http://ADDRESS:PORT/" on stdout (flushed, so a script can
// read the URL) and answers requests on httplib's thread pool until SIGINT
// or SIGTERM, then returns Ok. The signals are blocked in every thread and
// taken by one waiting thread that stops the server, so no handler runs in
// signal context. Errors: Infrastructure when the address cannot be bound,
// including a port another process listens on (no SO_REUSEPORT).
//
// Requests are routed whatever their method (Router answers 405 for all
// but GET and HEAD), bodies are limited to 64 KiB and reads time out after
// 5 s. Call once per process: Serve owns the process's SIGINT/SIGTERM.
#pragma once

#include <string>

#include "base/status.h"
#include "dashboard/router.h"

namespace kgate::dashboard {

struct ServeOptions {
  std::string address = "127.0.0.1";
  int port = 8080;
};

Status Serve(const Router& router, const ServeOptions& options);

// Whether address names the loopback interface (127.0.0.0/8, ::1,
// localhost); the command warns before binding anything else.
bool IsLoopback(const std::string& address);

}  // namespace kgate::dashboard
