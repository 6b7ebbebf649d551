#!/bin/bash
# End-to-end: `kgate report` renders a real stored run (boot-overhead under
# TCG, 4 rounds) as console, JSON, Markdown and HTML, to stdout or -o FILE, and
# refuses an unknown format or run with exit 2.
# Usage: report_formats.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"

run_kgate run.txt "$SRC/benchmarks/proposals/boot-overhead.yaml" --runs 4
case "$RC" in 0|1|3) ;; *) fail "kgate run exited $RC, want a verdict (0, 1 or 3)" ;; esac
verdict=$(q 'SELECT verdict FROM verdicts')

"$KGATE" --db "$WORK/run.db" report 1 >"$WORK/console.txt" 2>&1 \
  || fail "report (console) exited $?: $(cat "$WORK/console.txt")"
grep -q "^verdict: $verdict under policy mainline" "$WORK/console.txt" || fail "no console verdict"

"$KGATE" --db "$WORK/run.db" report 1 --format json -o "$WORK/report.json" 2>"$WORK/err.txt" \
  || fail "report --format json exited $?: $(cat "$WORK/err.txt")"
python3 - "$WORK/report.json" "$verdict" <<'PY' || fail "bad JSON report"
import json, sys
j = json.load(open(sys.argv[1]))
assert list(j)[:3] == ["kgate", "schema_version", "context"], list(j)[:3]
assert j["context"]["tier"] == "tcg" and j["context"]["qemu_version"], j["context"]
assert j["verdict"]["verdict"] == sys.argv[2], j["verdict"]
assert len(j["trials"]) == 8 and "console_log" not in j["trials"][0]
PY

"$KGATE" --db "$WORK/run.db" report 1 --format markdown >"$WORK/report.md" 2>&1 \
  || fail "report --format markdown exited $?"
grep -q "^## kgate: $verdict — " "$WORK/report.md" || fail "no markdown heading: $(head -2 "$WORK/report.md")"
grep -q "^kgate gate 1$" "$WORK/report.md" || fail "no reproduce command"

"$KGATE" --db "$WORK/run.db" report 1 --format html -o "$WORK/report.html" 2>"$WORK/err.txt" \
  || fail "report --format html exited $?: $(cat "$WORK/err.txt")"
head -1 "$WORK/report.html" | grep -qx '<!doctype html>' || fail "html report has no doctype"
grep -q "<div class=\"verdict\">$verdict</div>" "$WORK/report.html" || fail "no html verdict banner"
grep -q '<tr class="forest-row ' "$WORK/report.html" || fail "no html forest plot row"

"$KGATE" --db "$WORK/run.db" report 1 --format nosuch >"$WORK/bad.txt" 2>&1
[ "$?" = 2 ] || fail "unknown format: want exit 2"
grep -q "console, json, markdown" "$WORK/bad.txt" || fail "formats not listed: $(cat "$WORK/bad.txt")"
"$KGATE" --db "$WORK/run.db" report 99 >"$WORK/bad.txt" 2>&1
[ "$?" = 2 ] || fail "unknown run: want exit 2"

finish report_formats
