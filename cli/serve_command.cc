// kgate serve: the dashboard over the store, read-only.
//
// `kgate serve [--db PATH] [--port N] [--bind ADDR]` checks that the store
// opens read-only (exit 2 for a missing or foreign file: nothing is
// created), prints "kgate: serving http://ADDR:PORT/" and serves until
// SIGINT/SIGTERM, then exits 0. Exit 4 when the address cannot be bound.
// Binds 127.0.0.1 unless --bind says otherwise; a non-loopback address is
// served with a warning, since the dashboard has no authentication.
#include <iostream>

#include "config/load_options.h"
#include "dashboard/server.h"
#include "cli/command.h"

namespace kgate {
namespace {

struct ServeArgs {
  int port = 8080;
  std::string bind = "127.0.0.1";
};

int RunServe(const ServeArgs& args, const CommandContext& context) {
  std::string db = ResolveDbPath(context);
  {
    // Fail now, with the store's own message, rather than on every request.
    auto store = Store::Open(db, Store::Mode::kReadOnlyNoTrace);
    if (!store.ok()) return ReportError(store.status());
  }
  if (args.port < 0 || args.port > 65535) {
    return ReportError(Status::BadInput("--port: expected 0 to 65535"));
  }
  if (!dashboard::IsLoopback(args.bind)) {
    std::cerr << "kgate: warning: serving on " << args.bind
              << ", not loopback: anyone who can reach it reads every run in " << db << "\n";
  }
  dashboard::Router router({db, LoadOptions::Default()});
  Status served = dashboard::Serve(router, {args.bind, args.port});
  if (!served.ok()) return ReportError(served);
  std::cerr << "kgate: stopped\n";
  return 0;
}

}  // namespace

void RegisterServeCommand(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* sub = app.add_subcommand("serve", "serve the dashboard over the store (read-only)");
  sub->add_option("--port", args->port, "TCP port; 0 picks a free one")->capture_default_str();
  sub->add_option("--bind", args->bind, "address to listen on (non-loopback: no authentication!)")
      ->capture_default_str();
  sub->callback([args, &context] { context.exit_code = RunServe(*args, context); });
}

}  // namespace kgate
