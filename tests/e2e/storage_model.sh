#!/bin/bash
# End-to-end: the modelled disk (docs/storage.md). Runs
# tests/e2e/proposals/readahead-model.yaml: read_ahead_kb 32 against the
# default on a modelled cloud volume, buffered reads, five rounds at icount.
#   - every trial's scratch step names the null_blk device and its profile,
#     and the file system was made by mkfs.ext4
#   - sequential 4 KiB reads are significantly slower with the small window
#     (a readahead effect that exists), and random 4 KiB preads come out
#     equivalent (one that does not: 6.12 does not read ahead for them)
#   - the arms of a round, booted with the same seed, report random-read
#     IOPS that agree within 0.1 % repetition by repetition
set -u
. "$(dirname "$0")/run_lib.sh"

run_kgate run.txt "$HERE/proposals/readahead-model.yaml"
case "$RC" in 0|1|3) ;; *) fail "readahead-model exited $RC, want a verdict" ;; esac
not_ok=$(q "SELECT arm || ' ' || scenario || ': ' || status || ' ' || message FROM trials WHERE status != 'ok'")
[ -z "$not_ok" ] || fail "trials not ok: $not_ok"
steps=$(grep -h '"step":"scratch"' "$WORK"/trials/run-*/trial-*/events.jsonl)
[ "$(grep -c '/dev/kgate-disk (null_blk, cloud-volume) [^"]*mkfs.ext4' <<<"$steps")" = 20 ] \
  || fail "not every trial made the modelled disk with mkfs.ext4: $steps"

class() { q "SELECT classification FROM comparisons WHERE scenario = '$1' AND metric = '$2'"; }
[ "$(class fio-seqread bw_mib_s)" = regressed ] \
  || fail "sequential reads with a 32 KiB window: $(class fio-seqread bw_mib_s), want regressed"
[ "$(class fio-randread iops)" = equivalent ] \
  || fail "random preads with a 32 KiB window: $(class fio-randread iops), want equivalent"
echo "storage_model: $(q "SELECT scenario || ' ' || metric || ' x' || printf('%.3f', effect) || ' [' ||
  printf('%.3f', ci_low) || ', ' || printf('%.3f', ci_high) || '] ' || classification FROM comparisons
  WHERE metric IN ('bw_mib_s', 'iops')")"

# Same seed, same device model: the two arms' random reads match, repetition
# by repetition (random preads do not depend on the knob).
spread=$(q "SELECT max(abs(b.value - c.value) / b.value) FROM samples b
  JOIN trials tb ON b.trial_id = tb.id JOIN metrics m ON b.metric_id = m.id
  JOIN trials tc ON tc.round = tb.round AND tc.scenario = tb.scenario AND tc.arm = 'candidate'
  JOIN samples c ON c.trial_id = tc.id AND c.metric_id = b.metric_id AND c.repetition = b.repetition
  WHERE tb.arm = 'baseline' AND tb.scenario = 'fio-randread' AND m.name = 'iops'")
echo "storage_model: largest baseline/candidate difference in one repetition of random-read IOPS: $spread"
awk -v s="$spread" 'BEGIN { exit !(s != "" && s < 0.001) }' \
  || fail "the arms' random-read IOPS differ by $spread in one repetition, want < 0.1 %"
finish storage_model
