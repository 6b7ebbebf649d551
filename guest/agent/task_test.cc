#include "guest/agent/task.h"

#include <catch2/catch.hpp>

namespace kgate::agent {
namespace {

TEST_CASE("a full task parses", "[agent][task]") {
  std::string err;
  auto t = ParseTask(R"({"version": 1, "trial": 4, "scenario": "fio-randread",
    "modules": ["virtio_blk"], "sysctl": {"vm.swappiness": "10"},
    "knobs": {"/sys/block/vda/queue/read_ahead_kb": 16},
    "agent": {"path": "/kgate/agent/x", "args": ["-v"]},
    "scratch": {"device": "/dev/vda", "fs": "ext4", "mount": "/mnt/scratch"},
    "setup": ["true"], "command": "fio job.fio", "warmup": 1, "reps": 3,
    "timeout_s": 300, "drop_caches": true, "env": {"K": "V"}, "max_output_bytes": 1000})", &err);
  REQUIRE(t);
  CHECK(t->trial == 4);
  CHECK(t->modules == std::vector<std::string>{"virtio_blk"});
  CHECK(t->knobs.at("/sys/block/vda/queue/read_ahead_kb") == "16");
  REQUIRE(t->agent);
  CHECK(t->agent->args == std::vector<std::string>{"-v"});
  REQUIRE(t->scratch);
  CHECK(t->scratch->fs == "ext4");
  CHECK(t->reps == 3);
  CHECK(t->drop_caches);
  CHECK(t->env.at("K") == "V");
  CHECK(t->max_output_bytes == 1000);
}

TEST_CASE("nulls and omissions take defaults", "[agent][task]") {
  std::string err;
  auto t = ParseTask(R"({"version":1,"command":"true","agent":null,"scratch":null})", &err);
  REQUIRE(t);
  CHECK_FALSE(t->agent);
  CHECK_FALSE(t->scratch);
  CHECK(t->reps == 1);
  CHECK(t->timeout_s == 300);
}

TEST_CASE("bad tasks name the key", "[agent][task]") {
  std::string err;
  CHECK_FALSE(ParseTask("{", &err));
  CHECK(err == "task.json: not a JSON object");
  CHECK_FALSE(ParseTask(R"({"version":2,"command":"x"})", &err));
  CHECK(err == "task.json: key 'version': expected 1");
  CHECK_FALSE(ParseTask(R"({"version":1})", &err));
  CHECK(err == "task.json: key 'command': expected a non-empty command");
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","modules":"virtio_blk"})", &err));
  CHECK(err == "task.json: key 'modules': expected a list of strings");
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","reps":"3"})", &err));
  CHECK(err == "task.json: key 'reps': expected a value of the right type");
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","knobs":{"/a":[1]}})", &err));
  CHECK(err == "task.json: key 'knobs./a': expected a string");
}

}  // namespace
}  // namespace kgate::agent
