#!/usr/bin/env bash
# Fits readahead-ml-agent's model from a kgate store holding a training run
# (training.yaml): prints model.txt on stdout, a summary on stderr.
# Usage: train.sh DB [RUN_ID] [DEFAULT_KB]
#   RUN_ID      the training run (default: the newest run of
#               readahead-ml-agent-training in DB)
#   DEFAULT_KB  read_ahead_kb of the arms without a sweep value (default 128,
#               what Debian's 6.12 kernels give a virtio disk)
#
# 1. Each scenario's best static read_ahead_kb: the arm with the highest
#    median throughput (ops_per_sec or iops) over its repetitions.
# 2. A scenario whose best value is above the default is "sequential" (1),
#    else "random" (0); each class keeps the best value of its scenarios.
# 3. Every stored repetition of every arm is a row: x = disk.scratch.read_kib /
#    disk.scratch.reads (KiB per read request, what the agent computes each
#    second), y = its scenario's class. Logistic regression by gradient
#    descent on standardised x, then written back in x's units, scaled by
#    1000 and rounded, as the agent's integer arithmetic needs.
set -euo pipefail
db=${1:?usage: train.sh DB [RUN_ID] [DEFAULT_KB]}
[ -r "$db" ] || { echo "train.sh: $db: no such store" >&2; exit 2; }
run=${2:-$(sqlite3 "$db" "select max(id) from runs where proposal = 'readahead-ml-agent-training'")}
[ -n "$run" ] || { echo "train.sh: $db: no readahead-ml-agent-training run; give RUN_ID" >&2; exit 2; }
default_kb=${3:-128}

sqlite3 -separator ' ' "$db" "
  select t.scenario, t.arm, t.id, s.repetition, m.name, s.value
  from samples s join trials t on t.id = s.trial_id join metrics m on m.id = s.metric_id
  where t.run_id = $run and t.status = 'ok'
    and m.name in ('disk.scratch.reads', 'disk.scratch.read_kib', 'ops_per_sec', 'iops')
  order by t.id, s.repetition" |
awk -v run="$run" -v db="$db" -v default_kb="$default_kb" '
function median(list,   n, a, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function arm_kb(arm,   v) {
  if (arm ~ /^tuned:read_ahead_kb=/) { v = arm; sub(/^tuned:read_ahead_kb=/, "", v); return v + 0 }
  return default_kb + 0
}
{
  scenario = $1; kb = arm_kb($2); row = $3 " " $4; value = $6 + 0
  if ($5 == "disk.scratch.reads") reads[row] = value
  else if ($5 == "disk.scratch.read_kib") kib[row] = value
  else { perf[scenario SUBSEP kb] = perf[scenario SUBSEP kb] " " value; seen[scenario] = 1 }
  scenario_of[row] = scenario
}
END {
  for (key in perf) {
    split(key, k, SUBSEP)
    m = median(perf[key])
    if (!(k[1] in best_m) || m > best_m[k[1]]) { best_m[k[1]] = m; best_kb[k[1]] = k[2] }
  }
  for (s in seen) {
    label[s] = best_kb[s] > default_kb ? 1 : 0
    classes[label[s]]++
    if (!(label[s] in ra) || (label[s] && best_kb[s] > ra[1]) || (!label[s] && best_kb[s] < ra[0])) ra[label[s]] = best_kb[s]
    printf "train.sh: %s: best read_ahead_kb %d (median %.4g), class %s\n", s, best_kb[s], best_m[s], label[s] ? "sequential" : "random" > "/dev/stderr"
  }
  if (!classes[0] || !classes[1]) {
    print "train.sh: run " run " of " db " has one class only (every scenario is best at " (classes[1] ? "more" : "no more") " than " default_kb " KiB): nothing to learn" > "/dev/stderr"
    exit 3
  }
  n = 0; sum = 0; sum2 = 0
  for (row in reads) {
    if (!(row in kib) || reads[row] <= 0) continue
    n++; x[n] = kib[row] / reads[row]; y[n] = label[scenario_of[row]]; sum += x[n]; sum2 += x[n] * x[n]
  }
  if (n < 4) { print "train.sh: only " n " repetitions with disk counters in run " run " of " db > "/dev/stderr"; exit 3 }
  mean = sum / n; sd = sqrt(sum2 / n - mean * mean); if (sd <= 0) sd = 1
  a = 0; c = 0
  for (epoch = 0; epoch < 5000; epoch++) {
    ga = 0; gc = 0
    for (i = 1; i <= n; i++) { u = (x[i] - mean) / sd; p = 1 / (1 + exp(-(a + c * u))); ga += p - y[i]; gc += (p - y[i]) * u }
    # L2 on the slope keeps separable data from driving it to infinity.
    a -= 0.5 * ga / n; c -= 0.5 * (gc / n + 0.01 * c)
  }
  w = c / sd; b = a - c * mean / sd
  correct = 0
  for (i = 1; i <= n; i++) correct += ((b + w * x[i] > 0) == y[i])
  printf "train.sh: %d repetitions, training accuracy %.1f %%, boundary at %.1f KiB per request\n", n, 100 * correct / n, (w != 0 ? -b / w : 0) > "/dev/stderr"
  print "# readahead-ml-agent model, written by train.sh from run " run " of " db
  print "# logistic regression: z = b + w * (KiB per read request), both x1000;"
  print "# z > 0: sequential. Training accuracy " sprintf("%.1f", 100 * correct / n) " % over " n " repetitions."
  printf "weights %d %d\n", (b >= 0 ? int(b * 1000 + 0.5) : -int(-b * 1000 + 0.5)), (w >= 0 ? int(w * 1000 + 0.5) : -int(-w * 1000 + 0.5))
  printf "readahead_kb %d %d\n", ra[0], ra[1]
  print "min_reads 8"
}'
