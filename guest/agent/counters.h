// Kernel counters kgate-agent snapshots around each repetition, and their
// deltas. Pure functions over /proc text so they are tested on the host with
// captured files (testdata/).
//
// Counter keys (the names a scenario's metrics may use, see scenarios/parsers/parser.h):
//   vmstat.<field>            every /proc/vmstat field (pgfault, pgmajfault,
//                             workingset_refault_file, pgscan_kswapd, ...)
//   stat.ctxt, stat.intr, stat.processes        /proc/stat totals
//   stat.cpu.<user|nice|system|idle|iowait|irq|softirq|steal>   USER_HZ ticks,
//                             summed over CPUs (the "cpu " line)
//   psi.<cpu|memory|io>.<some|full>_us          /proc/pressure total= (us)
//   schedstat.run_ns, schedstat.run_delay_ns, schedstat.timeslices
//                             /proc/schedstat cpu lines, summed over CPUs
//   meminfo.<Field>           /proc/meminfo, in bytes (kB * 1024); a delta of
//                             a level (growth), e.g. meminfo.Slab
//   slab.bytes                meminfo Slab, in bytes (the slab growth)
//   disk.<vdX>.<reads|read_merges|read_kib|read_ms>   /proc/diskstats of the
//                             virtio disks: read requests completed, reads
//                             merged into another, KiB read, ms spent reading
//   agent.cpu_s               CPU time (user + system) of the arm's agent
//                             program and its reaped children, from
//                             /proc/PID/stat, in seconds
// A delta is after - before; keys present only on one side are dropped (a
// file that vanished is not a zero).
#pragma once

#include <map>
#include <optional>
#include <string>

namespace kgate::agent {

using Counters = std::map<std::string, double>;

// Each parser adds its keys to *out and ignores lines it does not know, so a
// newer kernel's extra fields never break a trial.
void ParseVmstat(const std::string& text, Counters* out);
void ParseProcStat(const std::string& text, Counters* out);
// resource is "cpu", "memory" or "io".
void ParsePressure(const std::string& resource, const std::string& text, Counters* out);
void ParseSchedstat(const std::string& text, Counters* out);
void ParseMeminfo(const std::string& text, Counters* out);
void ParseDiskstats(const std::string& text, Counters* out);

// utime + stime + cutime + cstime of a /proc/PID/stat line, in clock ticks.
// The comm field may hold spaces and parentheses, so fields are counted from
// the last ')'.
// nullopt when the line is malformed.
std::optional<double> ParsePidStatCpuTicks(const std::string& text);

// after - before for every key present in both.
Counters Delta(const Counters& before, const Counters& after);

// The share of CPU time that was busy (not idle, not iowait) between two
// ParseProcStat snapshots, in [0, 1]; 0 when no tick passed.
double BusyShare(const Counters& before, const Counters& after);

// /proc/stat alone (ParseProcStat). Guest-side.
Counters SnapshotProcStat();

// Reads all the /proc files above (missing ones skipped). agent_pid <= 0
// means no agent program. Guest-side; uses the real /proc.
Counters SnapshotCounters(int agent_pid);

}  // namespace kgate::agent
