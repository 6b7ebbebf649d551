#!/usr/bin/env bash
# kgate's main job on its embedded defaults: the bundled knob-example proposal
# (read_ahead_kb 16 vs the default, with a tuned sweep) validated, planned and
# run for real — Debian's 6.12 cloud kernel fetched into ~/.cache/kgate,
# booted under QEMU TCG, every sample stored in ./kgate.db.
# Usage: scripts/demo.sh [BUILD_DIR]   (./run demo calls it after building)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
KGATE="$BUILD_DIR/harness/kgate"
PROPOSAL=proposals/knob-example/proposal.yaml
# One round keeps the demo to a few minutes on 2 cores; drop --runs for the
# proposal's own runs.min.
ROUNDS=${KGATE_DEMO_RUNS:-1}

echo "== kgate doctor"
"$KGATE" doctor || echo "(doctor: some checks failed; see above)"
echo
echo "== kgate validate $PROPOSAL"
"$KGATE" validate "$PROPOSAL"
echo
echo "== kgate plan $PROPOSAL --runs $ROUNDS"
"$KGATE" plan "$PROPOSAL" --runs "$ROUNDS"
echo
echo "== kgate run $PROPOSAL --runs $ROUNDS"
"$KGATE" run "$PROPOSAL" --runs "$ROUNDS"
echo
echo "Every trial, sample and console log is in ./kgate.db (sqlite3 kgate.db .tables)."
