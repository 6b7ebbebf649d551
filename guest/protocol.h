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
//   /kgate/task.json           the task, in the last (per-trial) archive
//
// Task (/kgate/task.json), one JSON object:
//   {"version": 1, "trial": <seq>, "scenario": "<name>",
//    "modules": ["virtio_blk", ...],           modprobe'd in order
//    "sysctl": {"vm.swappiness": "10"},        written to /proc/sys/...
//    "knobs": {"/sys/block/vda/queue/read_ahead_kb": "16"},
//    "agent": {"path": "/kgate/agent/x", "args": [...]} or null,
//    "scratch": {"device": "/dev/vda", "fs": "ext4", "mount": "/mnt/scratch"} or null,
//    "setup": ["cmd", ...], "command": "hackbench -p -g 4 -l 200",
//    "warmup": 1, "reps": 3, "timeout_s": 300, "drop_caches": false,
//    "env": {"K": "V"}, "max_output_bytes": 262144}
// Knobs and sysctls are written after the scratch disk is set up (block
// knobs need the device) and before the agent and the workload start.
//
// Events: JSON lines, one object per line, on the channel port (virtio-serial
// port named kChannelName, else /dev/ttyS1) and never on the console:
//   {"event":"ready","kernel":"<uname -r>","clocksource":"tsc","uptime_s":1.93}
//   {"event":"step","step":"knob","target":"<path>","ok":false,"error":"..."}
//   {"event":"rep","rep":0,"warmup":false,"exit":0,"seconds":1.25,
//    "output":"<stdout+stderr, bounded>","truncated":false,
//    "counters":{"vmstat.pgfault":123,...}}
//   {"event":"error","message":"..."}        the trial cannot go on
//   {"event":"done"}                         then the agent powers off
// A failed knob, sysctl, module or setup step is an error event: the trial
// fails (the arm is not what it claims to be) and the agent powers off.
#pragma once

namespace kgate::guest {

inline constexpr int kProtocolVersion = 1;
inline constexpr char kTaskPath[] = "/kgate/task.json";
inline constexpr char kChannelName[] = "org.kgate.channel";  // virtserialport name
inline constexpr char kScratchMount[] = "/mnt/scratch";

}  // namespace kgate::guest
