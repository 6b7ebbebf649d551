// The fault pass: its task field, its event, and RunFaults itself on the
// host against a spawned shell loop (the "agent") and files standing in for
// knobs.
#include "guest/agent/faults.h"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "guest/task.h"

namespace kgate::agent {
namespace {

using nlohmann::json;

TEST_CASE("taint masks parse as the kernel prints them", "[agent][faults]") {
  CHECK(ParseTaint("0\n") == 0);
  CHECK(ParseTaint("12288") == 12288);  // O + E
  CHECK(ParseTaint("") == 0);
  CHECK(ParseTaint("abc") == 0);
}

TEST_CASE("the fault event carries every outcome, output cut to its tail", "[agent][faults]") {
  FaultReport r;
  r.taint_before = 0;
  r.taint_after = 512;
  r.agent = {42, 1.5, true, true, "signal 9"};
  r.workload_after_kill.started = true;
  r.workload_after_kill.exit_code = 0;
  r.workload_after_kill.output = std::string(3000, 'a') + "END";
  r.garbage.push_back({"/k", "-1", false, -1, 22, "write: Invalid argument", "128", "128"});
  r.garbage.push_back({"/k", "9999999", true, 7, 0, "", "128", "9999999"});
  r.responsive = {true, 0.01, 5, "0.10 0.05 0.01 1/40 77", ""};
  json j = json::parse(FaultEvent(r, 100));
  CHECK(j["event"] == "fault");
  CHECK(j["taint_after"] == 512);
  CHECK(j["agent"]["killed"] == true);
  CHECK(j["agent"]["status"] == "signal 9");
  CHECK(j["workload_after_kill"]["output"].get<std::string>().size() == 100);
  CHECK(j["workload_after_kill"]["output"].get<std::string>().ends_with("END"));
  CHECK(j["workload_after_kill"]["truncated"] == true);
  CHECK(j["garbage"][0]["errno"] == 22);
  CHECK(j["garbage"][1]["accepted"] == true);
  CHECK(j["garbage"][1]["written"] == 7);
  CHECK(j["garbage"][0]["written"] == -1);
  CHECK_FALSE(j["garbage"][1].contains("errno"));
  CHECK(j["responsive"]["ok"] == true);
}

std::string TempKnob(const std::string& name, const std::string& value) {
  std::string path = "/tmp/kgate-faults-test-" + std::to_string(getpid()) + "-" + name;
  std::ofstream(path) << value;
  return path;
}

TEST_CASE("RunFaults kills a running agent mid-workload and records each write",
          "[agent][faults]") {
  std::string knob = TempKnob("knob", "128");
  std::string err;
  pid_t agent = Spawn({"/bin/sh", "-c", "while :; do sleep 0.05; done"}, &err);
  REQUIRE(agent > 0);
  FaultSpec spec;
  spec.kill_agent_after_s = 0.3;
  spec.garbage[knob] = {"-1", "abc"};
  spec.garbage["/nonexistent/kgate-knob"] = {"1"};
  ExecOptions o;
  o.timeout_s = 10;
  FaultReport r = RunFaults(spec, "sleep 0.8; echo workload-ran", o, agent, 0);
  CHECK(r.agent.alive_at_kill);
  CHECK(r.agent.killed);
  CHECK(r.agent.status == "signal 9");
  CHECK(r.workload_after_kill.exit_code == 0);
  CHECK(r.workload_after_kill.seconds > r.agent.after_s);
  CHECK(r.workload_after_kill.output == "workload-ran\n");
  REQUIRE(r.garbage.size() == 3);
  // A plain file takes any bytes; the missing knob is rejected at open.
  CHECK(r.garbage[0].knob == "/nonexistent/kgate-knob");
  CHECK_FALSE(r.garbage[0].accepted);
  CHECK(r.garbage[0].error_number == ENOENT);
  CHECK(r.garbage[1].accepted);
  CHECK(r.garbage[1].written == 2);
  CHECK(r.garbage[1].before == "128");
  // A file, unlike a knob, is overwritten in place: "128" becomes "-18".
  CHECK(r.garbage[1].after == "-18");
  CHECK(r.garbage[2].before == "-18");
  CHECK(r.garbage[2].after == "abc");
  CHECK(r.workload_after_garbage.exit_code == 0);
  CHECK(r.responsive.ok);
  CHECK_FALSE(r.responsive.loadavg.empty());
  std::remove(knob.c_str());
}

TEST_CASE("RunFaults says when the agent was already gone", "[agent][faults]") {
  std::string err;
  pid_t agent = Spawn({"/bin/sh", "-c", "exit 3"}, &err);
  REQUIRE(agent > 0);
  FaultSpec spec;
  spec.kill_agent_after_s = 0.2;
  ExecOptions o;
  FaultReport r = RunFaults(spec, "sleep 0.4", o, agent, 0);
  CHECK_FALSE(r.agent.alive_at_kill);
  CHECK_FALSE(r.agent.killed);
  CHECK(r.agent.status == "exit 3");
  FaultReport none = RunFaults(spec, "true", o, -1, 0);
  CHECK(none.agent.status == "not started");
}

}  // namespace
}  // namespace kgate::agent
