#include "guest/task.h"

#include <catch2/catch.hpp>

namespace kgate::guest {
namespace {

TEST_CASE("a full task parses", "[guest][task]") {
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

TEST_CASE("nulls and omissions take defaults", "[guest][task]") {
  std::string err;
  auto t = ParseTask(R"({"version":1,"command":"true","agent":null,"scratch":null})", &err);
  REQUIRE(t);
  CHECK_FALSE(t->agent);
  CHECK_FALSE(t->scratch);
  CHECK(t->reps == 1);
  CHECK(t->timeout_s == 300);
}

TEST_CASE("bad tasks name the key", "[guest][task]") {
  std::string err;
  CHECK_FALSE(ParseTask("{", &err));
  CHECK(err == "task.json: not a JSON object");
  CHECK_FALSE(ParseTask(R"({"version":2,"command":"x"})", &err));
  CHECK(err == "task.json: key 'version': expected 1");
  CHECK_FALSE(ParseTask(R"({"version":1})", &err));
  CHECK(err == "task.json: key 'command': expected a non-empty command (it may be empty only with a module_cycle)");
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","modules":"virtio_blk"})", &err));
  CHECK(err == "task.json: key 'modules': expected a list of strings");
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","reps":"3"})", &err));
  CHECK(err == "task.json: key 'reps': expected a value of the right type");
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","knobs":{"/a":[1]}})", &err));
  CHECK(err == "task.json: key 'knobs./a': expected a string");
}

TEST_CASE("insmod entries load in the order given, with their params", "[guest][task]") {
  std::string err;
  auto t = ParseTask(R"({"version":1,"command":"true","modules":["virtio_blk"],
    "insmod":[{"path":"/kgate/modules/ra_hint.ko","params":"enable=1 window=16"},
              {"path":"/kgate/modules/other.ko"}]})", &err);
  REQUIRE(t);
  REQUIRE(t->insmod.size() == 2);
  CHECK(t->insmod[0].path == "/kgate/modules/ra_hint.ko");
  CHECK(t->insmod[0].params == "enable=1 window=16");
  CHECK(t->insmod[1].path == "/kgate/modules/other.ko");
  CHECK(t->insmod[1].params == "");
  CHECK_FALSE(t->module_cycle);
  auto none = ParseTask(R"({"version":1,"command":"true","insmod":null})", &err);
  REQUIRE(none);
  CHECK(none->insmod.empty());
}

TEST_CASE("bad insmod entries name the entry and the key", "[guest][task]") {
  std::string err;
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","insmod":"/a.ko"})", &err));
  CHECK(err == R"(task.json: key 'insmod': expected a list of {"path", "params"} objects)");
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","insmod":["/a.ko"]})", &err));
  CHECK(err == R"(task.json: key 'insmod[0]': expected an object with "path" and "params")");
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","insmod":[{"path":"/a.ko"},{"path":"b.ko"}]})", &err));
  CHECK(err == "task.json: key 'insmod[1].path': expected an absolute path to a .ko");
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","insmod":[{"path":"/a.ko","params":1}]})", &err));
  CHECK(err == "task.json: key 'insmod[0].params': expected a string");
}

TEST_CASE("a module cycle may stand alone, without a command", "[guest][task]") {
  std::string err;
  auto t = ParseTask(R"({"version":1,"command":"","warmup":1,"reps":3,
    "module_cycle":{"path":"/kgate/modules/leaky.ko","name":"leaky","count":5,"params":"x=1"}})",
                     &err);
  REQUIRE(t);
  REQUIRE(t->module_cycle);
  CHECK(t->module_cycle->path == "/kgate/modules/leaky.ko");
  CHECK(t->module_cycle->name == "leaky");
  CHECK(t->module_cycle->count == 5);
  CHECK(t->module_cycle->params == "x=1");
  CHECK(t->module_cycle->settle_ms == 1000);
  CHECK(t->warmup == 0);  // no command: nothing to repeat
  CHECK(t->reps == 0);
  auto defaults = ParseTask(R"({"version":1,"module_cycle":{"path":"/m.ko","name":"m"}})", &err);
  REQUIRE(defaults);
  CHECK(defaults->module_cycle->count == 20);
  auto with_command = ParseTask(R"({"version":1,"command":"true","reps":2,
    "module_cycle":{"path":"/m.ko","name":"m","settle_ms":0}})", &err);
  REQUIRE(with_command);
  CHECK(with_command->reps == 2);
  CHECK(with_command->module_cycle->settle_ms == 0);
}

TEST_CASE("bad module cycles name the key", "[guest][task]") {
  std::string err;
  CHECK_FALSE(ParseTask(R"({"version":1,"module_cycle":[]})", &err));
  CHECK(err == "task.json: key 'module_cycle': expected an object or null");
  CHECK_FALSE(ParseTask(R"({"version":1,"module_cycle":{"name":"m"}})", &err));
  CHECK(err == "task.json: key 'module_cycle.path': expected an absolute path to a .ko");
  CHECK_FALSE(ParseTask(R"({"version":1,"module_cycle":{"path":"/m.ko"}})", &err));
  CHECK(err == "task.json: key 'module_cycle.name': expected a module name");
  CHECK_FALSE(ParseTask(R"({"version":1,"module_cycle":{"path":"/m.ko","name":"m","count":0}})", &err));
  CHECK(err == "task.json: key 'module_cycle.count': expected a count >= 1");
  CHECK_FALSE(ParseTask(R"({"version":1,"module_cycle":{"path":"/m.ko","name":"m","count":"20"}})", &err));
  CHECK(err == "task.json: key 'module_cycle.count': expected a value of the right type");
  CHECK_FALSE(ParseTask(R"({"version":1,"module_cycle":null})", &err));
  CHECK(err == "task.json: key 'command': expected a non-empty command (it may be empty only with a module_cycle)");
}

TEST_CASE("faults: a full field parses, with the knobs in a stable order", "[guest][task]") {
  std::string err;
  auto t = ParseTask(R"({"version":1,"command":"true","faults":{"kill_agent_after_s":1.5,
    "garbage":{"/proc/sys/vm/swappiness":["-1","abc",""],"/a":["x"]},"responsive_timeout_s":3}})",
                     &err);
  REQUIRE(t);
  REQUIRE(t->faults);
  CHECK(t->faults->kill_agent_after_s == 1.5);
  CHECK(t->faults->responsive_timeout_s == 3);
  CHECK(t->faults->garbage.at("/proc/sys/vm/swappiness") ==
        std::vector<std::string>{"-1", "abc", ""});
  CHECK(t->faults->garbage.begin()->first == "/a");
}

TEST_CASE("faults: null or absent is no fault pass; defaults fill the rest", "[guest][task]") {
  std::string err;
  auto none = ParseTask(R"({"version":1,"command":"true","faults":null})", &err);
  REQUIRE(none);
  CHECK_FALSE(none->faults);
  auto bare = ParseTask(R"({"version":1,"command":"true","faults":{}})", &err);
  REQUIRE(bare);
  REQUIRE(bare->faults);
  CHECK(bare->faults->kill_agent_after_s == 2);
  CHECK(bare->faults->responsive_timeout_s == 5);
  CHECK(bare->faults->garbage.empty());
}

TEST_CASE("faults: malformed fields name the key", "[guest][task]") {
  std::string err;
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","faults":[1]})", &err));
  CHECK(err == "task.json: key 'faults': expected an object or null");
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","faults":{"kill_agent_after_s":0}})", &err));
  CHECK(err == "task.json: key 'faults.kill_agent_after_s': expected a positive number of seconds");
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","faults":{"garbage":{"/a":[1]}}})", &err));
  CHECK(err == "task.json: key 'faults.garbage./a': expected a list of strings");
  CHECK_FALSE(ParseTask(R"({"version":1,"command":"x","faults":{"garbage":"/a"}})", &err));
  CHECK(err == "task.json: key 'faults.garbage': expected an object of knob -> list of strings");
}

}  // namespace
}  // namespace kgate::guest
