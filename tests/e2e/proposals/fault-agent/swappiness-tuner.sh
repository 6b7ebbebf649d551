#!/bin/sh
# A stand-in for a tuning agent (run by kgate-agent in the guest, where
# /bin/sh is busybox): it rewrites vm.swappiness every 0.2 s, as an ML tuner
# rewrites its knob. The fault pass SIGKILLs it mid-workload, then writes
# garbage to the same knob on its behalf.
i=0
while :; do
  echo $((40 + i % 20)) > /proc/sys/vm/swappiness
  i=$((i + 1))
  sleep 0.2
done
