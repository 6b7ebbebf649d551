#include "dashboard/server.h"

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>

namespace kgate::dashboard {
namespace {

HttpRequest ToRequest(const httplib::Request& req) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  r.target = req.target;
  r.params = req.params;
  return r;
}

void Reply(const HttpReply& reply, httplib::Response& res) {
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  res.set_content(reply.body, reply.content_type);
}

std::string UrlHost(const std::string& address) {
  return address.find(':') != std::string::npos ? "[" + address + "]" : address;
}

}  // namespace

bool IsLoopback(const std::string& address) {
  return address.rfind("127.", 0) == 0 || address == "::1" || address == "localhost";
}

Status Serve(const Router& router, const ServeOptions& options) {
  // Blocked before httplib starts its threads, so they all inherit the mask
  // and only the waiter below receives the signals.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  httplib::Server server;
  // httplib's default also sets SO_REUSEPORT, which lets a second process
  // (of the same user) bind the same port and take half the connections;
  // a port in use must be an error instead.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server.set_payload_max_length(64 * 1024);
  server.set_read_timeout(5, 0);
  server.set_pre_routing_handler([&router](const httplib::Request& req, httplib::Response& res) {
    Reply(router.Handle(ToRequest(req)), res);
    return httplib::Server::HandlerResponse::Handled;
  });
  // httplib answers malformed requests itself (400) before routing.

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.address);
    if (port < 0) port = -1;
  } else if (!server.bind_to_port(options.address, port)) {
    port = -1;
  }
  if (port < 0) {
    pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
    return Status::Infrastructure(
        fmt::format("cannot listen on {}:{}", options.address, options.port));
  }
  std::cout << fmt::format("kgate: serving http://{}:{}/", UrlHost(options.address), port)
            << std::endl;

  std::atomic<bool> done{false};
  std::atomic<bool> signalled{false};
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    signalled = true;
    if (!done) server.stop();
  });
  server.listen_after_bind();
  done = true;
  // listen returned without a signal (a socket error): wake the waiter.
  if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
  return Status::Ok();
}

}  // namespace kgate::dashboard
