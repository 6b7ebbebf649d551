#!/bin/bash
# proposals/readahead-ml-agent without a guest: train.sh fits a model from a
# small store shaped like a training run's, and the agent, under busybox sh
# as in a kgate guest, reads a fake /sys/block/vda/stat and sets the fake
# read_ahead_kb the model says. A bad model file is refused.
# Usage: readahead_agent.sh path/to/kgate   (kgate is not used)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$(cd "$HERE/../../proposals/readahead-ml-agent" && pwd)
WORK=$(mktemp -d)
AGENT_PID=
trap '[ -n "$AGENT_PID" ] && kill $AGENT_PID 2>/dev/null; rm -rf "$WORK"' EXIT
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# --- train.sh: two random-read scenarios best at 16 KiB, one sequential best
# at 2048 KiB; KiB per request is small for the first, large for the other.
db=$WORK/train.db
{
  echo "CREATE TABLE runs (id INTEGER PRIMARY KEY, proposal TEXT);"
  echo "CREATE TABLE trials (id INTEGER PRIMARY KEY, run_id INT, arm TEXT, scenario TEXT, status TEXT);"
  echo "CREATE TABLE metrics (id INTEGER PRIMARY KEY, name TEXT);"
  echo "CREATE TABLE samples (trial_id INT, metric_id INT, value REAL, repetition INT);"
  echo "INSERT INTO runs VALUES (1, 'readahead-ml-agent-training');"
  echo "INSERT INTO metrics VALUES (1, 'ops_per_sec'), (2, 'disk.scratch.reads'), (3, 'disk.scratch.read_kib');"
  id=0
  for spec in "rand-a 16:900 baseline:500 tuned:read_ahead_kb=2048:200" \
              "rand-b 16:800 baseline:700 tuned:read_ahead_kb=2048:300" \
              "seq-c 16:100 baseline:400 tuned:read_ahead_kb=2048:950"; do
    set -- $spec
    scenario=$1
    shift
    for arm_perf in "$@"; do
      arm=${arm_perf%:*} perf=${arm_perf##*:}
      [ "$arm" = 16 ] && arm=tuned:read_ahead_kb=16
      id=$((id + 1))
      echo "INSERT INTO trials VALUES ($id, 1, '$arm', '$scenario', 'ok');"
      for rep in 0 1 2; do
        case $scenario in rand*) kib_per=$((6 + rep)) ;; *) kib_per=$((300 + 50 * rep)) ;; esac
        echo "INSERT INTO samples VALUES ($id, 1, $((perf + rep)), $rep), ($id, 2, 100, $rep), ($id, 3, $((100 * kib_per)), $rep);"
      done
    done
  done
} | sqlite3 "$db"
bash "$DIR/train.sh" "$db" > "$WORK/model.txt" 2> "$WORK/train.err" || fail "train.sh exited $?: $(cat "$WORK/train.err")"
cat "$WORK/train.err" "$WORK/model.txt"
grep -q '^readahead_kb 16 2048$' "$WORK/model.txt" || fail "classes' readahead not 16 (random) and 2048 (sequential)"
grep -q 'training accuracy 100.0 %' "$WORK/train.err" || fail "separable data not fitted"
read -r _ b w < <(grep '^weights ' "$WORK/model.txt")
[ "$((b + w * 7))" -lt 0 ] && [ "$((b + w * 300))" -gt 0 ] || fail "weights $b $w do not split 7 from 300 KiB per request"
# One class only: nothing to learn, said so, non-zero.
sqlite3 "$db" "DELETE FROM trials WHERE scenario = 'seq-c'"
bash "$DIR/train.sh" "$db" > /dev/null 2> "$WORK/one.err" && fail "train.sh fitted a one-class run"
grep -q 'one class only' "$WORK/one.err" || fail "no one-class message: $(cat "$WORK/one.err")"
bash "$DIR/train.sh" "$WORK/missing.db" 2> "$WORK/missing.err" && fail "train.sh accepted a missing store"

# --- the agent on a fake sysfs, under busybox sh as in the guest.
sys=$WORK/sys
mkdir -p "$sys/block/vda/queue"
echo 128 > "$sys/block/vda/queue/read_ahead_kb"
stat() { echo "$1 0 $2 0 0 0 0 0 0 0 0" > "$sys/block/vda/stat.new" && mv "$sys/block/vda/stat.new" "$sys/block/vda/stat"; }
knob() { cat "$sys/block/vda/queue/read_ahead_kb"; }
wait_knob() {  # VALUE: up to 5 s for the agent to write it
  for _ in $(seq 50); do [ "$(knob)" = "$1" ] && return 0; sleep 0.1; done
  return 1
}
stat 0 0
READAHEAD_AGENT_SYSFS=$sys busybox sh "$DIR/agent/readahead-agent.sh" "$WORK/model.txt" vda &
AGENT_PID=$!
sleep 0.3
stat 1000 $((1000 * 600))   # 300 KiB per request: sequential
wait_knob 2048 || fail "sequential reads did not set 2048 (knob $(knob))"
stat 3000 $((1000 * 600 + 2000 * 8))   # 4 KiB per request: random
wait_knob 16 || fail "random reads did not set 16 (knob $(knob))"
stat 3002 $((1000 * 600 + 2000 * 8 + 2000))   # 2 reads: too few to judge
sleep 1.5
[ "$(knob)" = 16 ] || fail "two reads changed the setting"
kill "$AGENT_PID" 2>/dev/null
wait "$AGENT_PID" 2>/dev/null
AGENT_PID=

echo "weights 1" > "$WORK/bad.txt"
READAHEAD_AGENT_SYSFS=$sys busybox sh "$DIR/agent/readahead-agent.sh" "$WORK/bad.txt" 2> "$WORK/bad.err"
rc=$?
[ "$rc" -eq 2 ] || fail "a bad model exited $rc, want 2"
grep -q "bad.txt: expected lines" "$WORK/bad.err" || fail "a bad model is not named: $(cat "$WORK/bad.err")"

if [ "$FAILS" -eq 0 ]; then echo "readahead_agent: ok"; else echo "readahead_agent: $FAILS failure(s)"; exit 1; fi
