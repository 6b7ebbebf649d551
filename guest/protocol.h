// The contract between the host harness and kgate-agent, PID 1 in the guest.
//
// Guest image (an initramfs made of concatenated newc cpio archives, which the
// kernel unpacks in order, later files winning):
//   /init                      kgate-agent, static
//   /bin/busybox, /bin/<applet> busybox-static and its applet links
//   <host path of each needed binary and its shared-library closure>
//   /lib/modules/<uname -r>/   the modules a trial may load, decompressed,
//                              with modules.dep from depmod -b
//   /kgate/agent/<file>        the arm's agent program, if any
//   /kgate/modules/<file>.ko   out-of-tree modules built for this kernel
//                              (an arm's modules, or the module a
//                              module_cycle loads)
//   /kgate/task.json           the task, in the last (per-trial) archive
//
// Task (/kgate/task.json), one JSON object:
//   {"version": 1, "trial": <seq>, "scenario": "<name>",
//    "modules": ["virtio_blk", ...],           modprobe'd in order
//    "insmod": [{"path": "/kgate/modules/x.ko", "params": "a=1 b=2"}] or null,
//                                              loaded in order with finit_module
//                                              after "modules"; params may be ""
//    "module_cycle": {"path": "/kgate/modules/x.ko", "name": "x", "count": 20,
//                     "params": "", "settle_ms": 1000} or null,
//    "sysctl": {"vm.swappiness": "10"},        written to /proc/sys/...
//    "knobs": {"/sys/block/vda/queue/read_ahead_kb": "16"},
//    "agent": {"path": "/kgate/agent/x", "args": [...]} or null,
//    "sched_ext": {"ops": "simple", "enable_timeout_s": 30} or null: the
//                                              agent program is a sched_ext
//                                              scheduler (below)
//    "scratch": {"device": "/dev/vda", "fs": "ext4", "mount": "/mnt/scratch",
//                "null_blk": null or {"name": "kgate-disk", "profile": "sata-ssd",
//                  "completion_nsec": 150000, "mbps": 530, "queue_depth": 32,
//                  "max_sectors": 1024, "size_mb": 1024}} or null: with
//                null_blk, the agent first makes that device through configfs
//                (memory_backed=1, irqmode=2: a timer completes each request)
//                and "device" is /dev/<name>
//    "setup": ["cmd", ...], "command": "hackbench -p -g 4 -l 200",
//    "warmup": 1, "reps": 3, "timeout_s": 300, "drop_caches": false,
//    "env": {"K": "V"}, "max_output_bytes": 262144,
//    "faults": {...} or null (absent: null)}
// Knobs and sysctls are written after the scratch disk is set up (block
// knobs need the device) and before the agent and the workload start.
// "command" may be "" only with a module_cycle; warmup and reps are then 0.
//
// module_cycle (guest/agent/module_cycle.h), after all of the above and
// before the agent program and the setup commands: the console loglevel is
// raised to 7, "kgate-agent: module_cycle begin <name>" is logged to
// /dev/kmsg, the module is loaded and unloaded once (warm-up), caches are
// dropped, memory is snapshotted ("before"), then `count` times
// finit_module + delete_module(name, O_NONBLOCK); then a sleep of settle_ms
// (RCU-deferred frees), caches dropped, the "after" snapshot, and
// "kgate-agent: module_cycle end <name>" is logged. Failed loads or unloads
// are reported in the event, not as an error: the trial goes on to done.
//
// sched_ext: after the agent program starts, the agent polls
// /sys/kernel/sched_ext/state until it reads "enabled" with root/ops equal to
// "ops" (a "sched_ext" step: ok with how long it took, or the error with the
// state, and the program's exit status when it already ended). After every
// repetition it reads the state and enable_seq again: a scheduler the kernel
// disabled mid-trial (its watchdog, an error, the program's exit) ends the
// trial with an error event, since the samples would be the fair class's.
// In the fault pass, after the kill: how long until the state read
// "disabled", and how many tasks /proc/<pid>/sched still shows with
// ext.enabled 1 (the fault event's "sched_ext").
//
// The fault pass (docs/safety.md): with "faults" present the agent runs the
// fault pass below instead of the warm-up and measured repetitions.
//   "faults": {"kill_agent_after_s": 2.5,        after the workload starts
//              "garbage": {"<knob path>": ["-1", "18446744073709551616",
//                                          "abc", "", ...]},
//              "responsive_timeout_s": 5}
// In order: taint is read (taint_before); the agent program, started as in
// every trial, is SIGKILLed with its whole session kill_agent_after_s into a
// first run of the command; then each garbage value is written to its knob
// with one write() (knobs in path order, values in list order), the knob
// read back before and after; nothing is restored; the command runs once
// more; a shell is started to read /proc/loadavg against
// responsive_timeout_s; taint is read again (taint_after). taint_boot is
// read at the agent's start, before modules, knobs and the agent.
//
// Events: JSON lines, one object per line, on the channel port (virtio-serial
// port named kChannelName, else /dev/ttyS1) and never on the console:
//   {"event":"ready","kernel":"<uname -r>","clocksource":"tsc","uptime_s":1.93}
//   {"event":"step","step":"knob","target":"<path>","ok":false,"error":"..."}
//                step is module, insmod, scratch, sysctl, knob, settle,
//                agent, sched_ext or setup; settle (ok, target the wait) only when the
//                agent waited for an idle guest before the workload
//   {"event":"rep","rep":0,"warmup":false,"exit":0,"seconds":1.25,
//    "output":"<stdout+stderr, bounded>","truncated":false,
//    "counters":{"vmstat.pgfault":123,...}}
//   {"event":"module_cycle","path":"/kgate/modules/x.ko","name":"x",
//    "count":20,"loaded":20,"unloaded":20,
//    "errors":[{"op":"load","iteration":3,"error":"finit_module ...: File exists"}],
//    "taint_start":0,"before":{S},"after":{S},"still_loaded":false,
//    "seconds":1.9,"settle_ms":1000}
//      where S = {"slab_kb","sunreclaim_kb","sreclaimable_kb",
//      "vmalloc_used_kb","percpu_kb" (/proc/meminfo, kB), "modules_bytes"
//      (sum of /proc/modules sizes), "taint" (/proc/sys/kernel/tainted)}.
//      loaded/unloaded count successful measured operations; errors hold the
//      first failure per op (warmup-load, warmup-unload, load, unload,
//      drop-caches; iteration -1 for the warm-up); taint_start is read before
//      the warm-up load; still_loaded says /proc/modules lists the module at
//      the end. A failed warm-up load skips the measured loop.
//   {"event":"fault", "taint_boot":0, "taint_before":0, "taint_after":512,
//    "agent":{"pid":97,"kill_after_s":2.5,"alive_at_kill":true,"killed":true,
//             "status":"signal 9"},        status: "signal N" | "exit N" |
//                                          "running" | "not started"
//    "workload_after_kill":{"started":true,"exit":0,"seconds":4.9,
//                           "timed_out":false,"output":"<last 2 KiB>",
//                           "truncated":false},
//    "garbage":[{"knob":"/proc/sys/vm/swappiness","value":"-1",
//                "accepted":false,"written":-1,"errno":22,
//                "error":"write: Invalid argument","before":"60","after":"60"},
//               ...]    written: what write() returned (-1 on error; a short
//                       write means the kernel parsed a prefix, errno 0);
//                       errno/error only when not accepted
//    "workload_after_garbage":{...as workload_after_kill},
//    "responsive":{"ok":true,"seconds":0.02,"timeout_s":5,
//                  "loadavg":"0.52 0.20 0.07 1/45 120","error":""},
//    "sched_ext":{"state_after_kill":"disabled","seconds_to_disabled":0.03,
//                 "ext_tasks":0,"tasks":41,"kernel_said":"sched_ext: BPF
//                 scheduler \"simple\" disabled (unregistered from user space)"}}
//                                          sched_ext only with a sched_ext task;
//                                          ext_tasks -1 when /proc/<pid>/sched
//                                          has no ext.enabled line
//                                          one, after the fault pass, then done
//   {"event":"error","message":"..."}        the trial cannot go on
//   {"event":"done"}                         then the agent powers off
// A failed module, insmod, scratch, sysctl, knob, agent or setup step is
// followed by an error event: the trial fails (the arm is not what it claims
// to be) and the agent powers off.
#pragma once

#include <cstdint>

namespace kgate::guest {

// S of the module_cycle event: what the agent writes and the host reads.
struct MemorySnapshot {
  double slab_kb = 0;          // /proc/meminfo, kB
  double sunreclaim_kb = 0;
  double sreclaimable_kb = 0;
  double vmalloc_used_kb = 0;
  double percpu_kb = 0;
  double modules_bytes = 0;    // sum of the size column of /proc/modules
  std::uint64_t taint = 0;     // /proc/sys/kernel/tainted
};

inline constexpr int kProtocolVersion = 1;
inline constexpr char kTaskPath[] = "/kgate/task.json";
inline constexpr char kChannelName[] = "org.kgate.channel";  // virtserialport name
inline constexpr char kScratchMount[] = "/mnt/scratch";
// The modelled scratch disk's name (config/storage_model.h): /dev/kgate-disk,
// /sys/block/kgate-disk/queue/read_ahead_kb, disk.kgate-disk.* counters.
inline constexpr char kModelDisk[] = "kgate-disk";

}  // namespace kgate::guest
