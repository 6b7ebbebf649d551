#include "base/process.h"

#include <catch2/catch.hpp>

namespace kgate {

TEST_CASE("PosixProcessRunner captures output and exit status", "[base]") {
  PosixProcessRunner runner;
  auto r = runner.Run({"sh", "-c", "echo out; echo err >&2; exit 3"});
  REQUIRE(r.ok());
  CHECK(r->out == "out\n");
  CHECK(r->err == "err\n");
  CHECK(r->exit_code == 3);
  CHECK_FALSE(r->success());
  CHECK(r->Describe() == "exit 3");
}

TEST_CASE("PosixProcessRunner kills a program past its timeout", "[base]") {
  PosixProcessRunner runner;
  ProcessOptions options;
  options.timeout = std::chrono::milliseconds(200);
  auto r = runner.Run({"sleep", "10"}, options);
  REQUIRE(r.ok());
  CHECK(r->timed_out);
  CHECK(r->seconds < 5);
}

TEST_CASE("PosixProcessRunner reports a missing program as infrastructure", "[base]") {
  PosixProcessRunner runner;
  auto r = runner.Run({"kgate-no-such-program"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kInfrastructure);
}

TEST_CASE("ShellQuote makes arguments pasteable", "[base]") {
  CHECK(ShellQuote("plain-arg") == "plain-arg");
  CHECK(ShellQuote("two words") == "'two words'");
  CHECK(ShellQuote("it's") == "'it'\\''s'");
}

}  // namespace kgate
