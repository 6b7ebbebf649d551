// Golden tests on /proc text captured on the development machine (vmstat,
// stat, meminfo, pressure) and written in the kernel's format (schedstat v17,
// a /proc/PID/stat whose comm holds spaces and parentheses).
#include "guest/agent/counters.h"
#include "base/testing/source_path.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

namespace kgate::agent {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(testing::SourcePath({"guest/agent/testdata", name}));
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("vmstat: every field, by name", "[agent][counters]") {
  Counters c;
  ParseVmstat(Fixture("vmstat.txt"), &c);
  CHECK(c.at("vmstat.pgfault") == 5680182);
  CHECK(c.at("vmstat.pgmajfault") == 1380);
  CHECK(c.at("vmstat.nr_free_pages") == 1039025);
  CHECK(c.size() > 100);
}

TEST_CASE("/proc/stat: totals and the summed cpu line", "[agent][counters]") {
  Counters c;
  ParseProcStat(Fixture("stat.txt"), &c);
  CHECK(c.at("stat.ctxt") == 447680);
  CHECK(c.at("stat.processes") == 8476);
  CHECK(c.at("stat.intr") == 293367);
  CHECK(c.at("stat.cpu.user") == 25538);
  CHECK(c.at("stat.cpu.system") == 9606);
  CHECK(c.at("stat.cpu.iowait") == 548);
  CHECK(c.count("stat.cpu0") == 0);
}

TEST_CASE("busy share: all but idle and iowait, over the ticks that passed",
          "[agent][counters]") {
  Counters before = {{"stat.cpu.user", 100}, {"stat.cpu.system", 50}, {"stat.cpu.idle", 1000},
                     {"stat.cpu.iowait", 10}, {"stat.ctxt", 5}};
  Counters after = before;
  CHECK(BusyShare(before, after) == 0);  // no tick passed
  after["stat.cpu.system"] += 10;  // a kthread at half the CPU
  after["stat.cpu.idle"] += 8;
  after["stat.cpu.iowait"] += 2;
  after["stat.ctxt"] += 1000;  // not a CPU tick
  CHECK(BusyShare(before, after) == Approx(0.5));
  Counters real;
  ParseProcStat(Fixture("stat.txt"), &real);
  CHECK(BusyShare(Counters{}, real) == 0);  // nothing in common
}

TEST_CASE("pressure: some and full totals in microseconds", "[agent][counters]") {
  Counters c;
  ParsePressure("cpu", Fixture("pressure_cpu.txt"), &c);
  ParsePressure("io", Fixture("pressure_io.txt"), &c);
  CHECK(c.at("psi.cpu.some_us") == 19175869);
  CHECK(c.at("psi.cpu.full_us") == 0);
  CHECK(c.at("psi.io.some_us") == 4643720);
  CHECK(c.at("psi.io.full_us") == 4259061);
}

TEST_CASE("schedstat: run time, run delay and timeslices summed over CPUs", "[agent][counters]") {
  Counters c;
  ParseSchedstat(Fixture("schedstat.txt"), &c);
  CHECK(c.at("schedstat.run_ns") == 1843902385.0 + 1201004112.0);
  CHECK(c.at("schedstat.run_delay_ns") == 204017663.0 + 99120004.0);
  CHECK(c.at("schedstat.timeslices") == 5871 + 4402);
  Counters none;
  ParseSchedstat("version 17\ntimestamp 1\n", &none);
  CHECK(none.empty());
}

TEST_CASE("meminfo: bytes, and slab.bytes from Slab", "[agent][counters]") {
  Counters c;
  ParseMeminfo(Fixture("meminfo.txt"), &c);
  CHECK(c.at("meminfo.MemTotal") == 24683620.0 * 1024);
  CHECK(c.at("meminfo.Slab") == 117144.0 * 1024);
  CHECK(c.at("slab.bytes") == 117144.0 * 1024);
  CHECK(c.at("meminfo.HugePages_Total") == 0);  // a count, not kB
}

TEST_CASE("pid stat: utime + stime + reaped children, counted from the last parenthesis",
          "[agent][counters]") {
  auto ticks = ParsePidStatCpuTicks(Fixture("pid_stat.txt"));
  REQUIRE(ticks);
  CHECK(*ticks == 57 + 23);
  // A shell agent's awk and sleep count once reaped (cutime, cstime).
  auto with_children = ParsePidStatCpuTicks("9 (sh) S 1 9 9 0 -1 0 0 0 0 0 4 2 30 11 20 0 1 0");
  REQUIRE(with_children);
  CHECK(*with_children == 4 + 2 + 30 + 11);
  CHECK_FALSE(ParsePidStatCpuTicks("212 (x) S 1 2"));
  CHECK_FALSE(ParsePidStatCpuTicks("garbage"));
}

TEST_CASE(
    "diskstats: reads, merges, KiB and ms of the virtio and modelled disks, the scratch one twice",
    "[agent][counters]") {
  Counters c;
  ParseDiskstats(
      "   7       0 loop0 9 0 18 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
      " 254       0 vda 1200 300 65536 410 5 0 40 2 0 500 412 0 0 0 0 0 0\n"
      " 254       1 vda1 broken\n",
      &c);
  CHECK(c.at("disk.vda.reads") == 1200);
  CHECK(c.at("disk.vda.read_merges") == 300);
  CHECK(c.at("disk.vda.read_kib") == 32768);  // 512-byte sectors
  CHECK(c.at("disk.vda.read_ms") == 410);
  CHECK(c.count("disk.loop0.reads") == 0);
  CHECK(c.count("disk.vda1.reads") == 0);
  CHECK(c.at("disk.scratch.reads") == 1200);  // vda is the scratch disk

  Counters model;
  ParseDiskstats(
      " 251       0 kgate-disk 451 0 230912 90 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
      " 252       0 nullb0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
      &model);
  CHECK(model.at("disk.kgate-disk.reads") == 451);
  CHECK(model.at("disk.scratch.read_kib") == 115456);
  CHECK(model.count("disk.nullb0.reads") == 0);
}

TEST_CASE("deltas keep only keys present on both sides", "[agent][counters]") {
  Counters before = {{"vmstat.pgfault", 100}, {"agent.cpu_s", 1.5}, {"psi.io.some_us", 7}};
  Counters after = {{"vmstat.pgfault", 160}, {"agent.cpu_s", 1.75}, {"stat.ctxt", 9}};
  Counters d = Delta(before, after);
  CHECK(d == Counters{{"vmstat.pgfault", 60}, {"agent.cpu_s", 0.25}});
}

TEST_CASE("unknown and malformed lines are ignored", "[agent][counters]") {
  Counters c;
  ParseVmstat("pgfault 12\nweird line here\npgmajfault x\n\n", &c);
  ParseProcStat("ctxt\nintr abc\n", &c);
  CHECK(c == Counters{{"vmstat.pgfault", 12}});
}

}  // namespace
}  // namespace kgate::agent
