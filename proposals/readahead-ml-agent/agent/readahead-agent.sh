#!/bin/sh
# readahead-ml-agent: every second, classify the block device's recent reads
# and set its read_ahead_kb (KML, arXiv:2111.11554, rebuilt as a userspace
# agent). Runs under busybox sh in a kgate guest; no process is spawned per
# interval, so its CPU cost is the shell's arithmetic and a few file reads.
#
# Usage: readahead-agent.sh MODEL [DEVICE]     (DEVICE defaults to vda)
# READAHEAD_AGENT_SYSFS replaces /sys (tests/e2e/readahead_agent.sh).
#
# MODEL is written by train.sh: a logistic regression over one feature of
# the last interval's /sys/block/DEV/stat deltas, the KiB per read request
# (read sectors / 2 / reads completed), the feature kgate stores for every
# repetition as disk.scratch.read_kib / disk.scratch.reads. z = b + w * x with
# integer weights scaled by 1000; z > 0 means "sequential" (p > 0.5: the
# sign is all the decision needs, so no exp()). Each class carries the
# read_ahead_kb that the training run found best for it.
set -u
model=${1:?usage: readahead-agent.sh MODEL [DEVICE]}
dev=${2:-vda}
sysfs=${READAHEAD_AGENT_SYSFS:-/sys}
stat=$sysfs/block/$dev/stat
knob=$sysfs/block/$dev/queue/read_ahead_kb

b= w= ra_random= ra_seq= min_reads=
while read -r key v1 v2; do
  case "$key" in
    weights) b=$v1 w=$v2 ;;
    readahead_kb) ra_random=$v1 ra_seq=$v2 ;;
    min_reads) min_reads=$v1 ;;
  esac
done < "$model"
if [ -z "$b" ] || [ -z "$w" ] || [ -z "$ra_seq" ] || [ -z "$min_reads" ]; then
  echo "readahead-agent: $model: expected lines 'weights B W', 'readahead_kb RANDOM SEQ'" \
       "and 'min_reads N'" >&2
  exit 2
fi

# Sleep without a fork per interval: read with a timeout on a FIFO nobody
# writes. Falls back to sleep(1) if no FIFO can be made.
fifo=/tmp/readahead-agent.$$
pause() { sleep 1; }
if mkfifo "$fifo" 2>/dev/null && exec 3<>"$fifo"; then
  rm -f "$fifo"
  pause() { read -r -t 1 _ <&3; }
fi

# /sys/block/DEV/stat: reads merges sectors ticks writes ...
read -r r0 _ s0 _ < "$stat" || exit 1
read -r current < "$knob" || exit 1
while :; do
  pause
  read -r r1 _ s1 _ < "$stat" || exit 1
  dr=$((r1 - r0)) ds=$((s1 - s0))
  r0=$r1 s0=$s1
  [ "$dr" -ge "$min_reads" ] || continue   # too little to classify: keep the setting
  z=$((b + w * (ds / 2 / dr)))
  if [ "$z" -gt 0 ]; then want=$ra_seq; else want=$ra_random; fi
  if [ "$want" != "$current" ]; then
    echo "$want" > "$knob" && current=$want
  fi
done
