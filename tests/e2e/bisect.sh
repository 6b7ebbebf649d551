#!/bin/bash
# End-to-end: kgate bisect finds a planted commit. The history is made on
# top of Debian's linux-source-6.12 (the commit kgate's source cache holds),
# four commits with fixed authors and dates, so their ids are the same on
# every machine and kgate's kernel cache serves them from the second run on:
#   1  Documentation only
#   2  a comment in kernel/sys.c (compiles to the same code)
#   3  proposals/patch-getpid-cost's patch: getpid(2) spins 256 iterations
#   4  Documentation only
# Bisecting base..4 on microbench/getpid_ns must name commit 3, in two
# steps (2 is good, 3 is bad), each a stored run with its builds; and the
# good ref built in the history's slot is byte-identical to the same
# commit built from the Debian source in its own slot. The same four
# changes as a patch series (git format-patch) bisected with --series must
# name the third patch.
# Usage: bisect.sh path/to/kgate
set -u
. "$(dirname "$0")/run_lib.sh"
CACHE=${KGATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kgate}

# The Debian source in kgate's cache (kernel_build.sh, which runs first,
# prepares it; a machine without it prepares it here).
source_repo() { ls -d "$CACHE"/kbuild/sources/linux-source-6.12_*.git 2>/dev/null | head -1; }
if [ -z "$(source_repo)" ]; then
  "$KGATE" kernel build debian:6.12 >"$WORK/prepare.txt" 2>&1 || { cat "$WORK/prepare.txt"; fail "could not prepare debian:6.12"; }
fi
origin=$(source_repo)
[ -n "$origin" ] || { fail "no linux-source-6.12 repository in $CACHE/kbuild/sources"; finish bisect; }

hist=$CACHE/test-histories/getpid.git
export GIT_AUTHOR_NAME="kgate tests" GIT_AUTHOR_EMAIL=tests@kgate.invalid
export GIT_COMMITTER_NAME="kgate tests" GIT_COMMITTER_EMAIL=tests@kgate.invalid
export GIT_AUTHOR_DATE="2026-12-07T00:00:00Z" GIT_COMMITTER_DATE="2026-12-07T00:00:00Z"
git_h() { git --git-dir "$hist" "$@"; }
[ -f "$hist/HEAD" ] || git clone -q --bare --shared "$origin" "$hist" || fail "cannot clone $origin"
base=$(git --git-dir "$origin" rev-parse HEAD)
# commit MESSAGE: commits the index (GIT_INDEX_FILE) on top of main.
commit() {
  local c
  c=$(git_h commit-tree "$(git_h write-tree)" -p "$(git_h rev-parse main)" -m "$1") || return 1
  git_h update-ref refs/heads/main "$c"
}
export GIT_INDEX_FILE=$WORK/index
git_h update-ref refs/heads/main "$base"
git_h read-tree main
doc() {  # a line appended to the bisect note in Documentation/
  local blob
  blob=$( { git_h show main:Documentation/admin-guide/README.rst; echo "$1"; } | git_h hash-object -w --stdin)
  git_h update-index --cacheinfo "100644,$blob,Documentation/admin-guide/README.rst"
}
doc ".. kgate bisect test: a documentation commit." && commit "Documentation: a note for kgate's bisect test"
blob=$(git_h show main:kernel/sys.c | sed '1a /* kgate bisect test: a comment, the same code. */' | git_h hash-object -w --stdin)
git_h update-index --cacheinfo "100644,$blob,kernel/sys.c" && commit "sys: a comment (no change in code)"
git_h apply --cached "$SRC/proposals/patch-getpid-cost/getpid-cost.patch" \
  && commit "getpid: spin 256 empty iterations (the planted cost)"
doc ".. kgate bisect test: a second documentation commit." && commit "Documentation: a second note"
unset GIT_INDEX_FILE
mapfile -t commits < <(git_h rev-list --reverse "$base..main")
[ "${#commits[@]}" -eq 4 ] || fail "the history has ${#commits[@]} commits, want 4"
planted=${commits[2]}

# How both proposals below are judged: microbench, one shape, at icount.
judged_on='scenarios: [microbench]
shapes: [{vcpus: 1, memory: 512M}]
tier: icount
runs: {min: 6, max: 12}
policy: mainline'
cat >"$WORK/bisect.yaml" <<EOF
kgate: 1
proposal: e2e-bisect
title: A planted getpid cost in a small history
baseline:
  kernel: {build: {same-as: candidate}}
candidate:
  kernel:
    build:
      source: git:$hist@main
      config: {base: guest}
$judged_on
EOF

start=$(date +%s)
"$KGATE" --db "$WORK/run.db" bisect "$WORK/bisect.yaml" --good "$base" --bad main \
  --metric microbench/getpid_ns --runs 6 --work-dir "$WORK/trials" >"$WORK/bisect.txt" 2>&1
rc=$?
cat "$WORK/bisect.txt"
echo "bisect: $(( $(date +%s) - start )) s"
[ "$rc" -eq 0 ] || fail "kgate bisect exited $rc, want 0"
grep -q "^first bad commit: $planted getpid: spin 256 empty iterations" "$WORK/bisect.txt" \
  || fail "the first bad commit is not the planted one ($planted)"
grep -q "^  run [0-9]*: FAIL: microbench/getpid_ns regressed x" "$WORK/bisect.txt" \
  || fail "the answer does not come with its verdict and comparison"
[ "$(grep -c '^step [0-9]*: [0-9a-f]* is ' "$WORK/bisect.txt")" -eq 2 ] || fail "not two steps"
grep -q "^step 1: ${commits[1]:0:12} is good" "$WORK/bisect.txt" || fail "step 1 is not commit 2, good"
grep -q "^step 2: ${planted:0:12} is bad" "$WORK/bisect.txt" || fail "step 2 is not commit 3, bad"
# Every step is a stored run, its kernels built at the step's commit.
[ "$(q 'SELECT count(*) FROM runs')" = 2 ] || fail "the steps are not two stored runs"
[ "$(q "SELECT json_extract(detail_json, '\$.head_commit') FROM checks
        WHERE kind = 'build' AND arm = 'candidate' AND run_id = 2")" = "$planted" ] \
  || fail "run 2's candidate was not built at the planted commit"
[ "$(q "SELECT json_extract(detail_json, '\$.head_commit') FROM checks
        WHERE kind = 'build' AND arm = 'baseline' AND run_id = 2")" = "$base" ] \
  || fail "run 2's baseline was not built at the good ref"

# The good ref was built in the history's own slot; the same commit and
# config built from the Debian source in its slot (kernel_build.sh's
# baseline) must give the same bytes. Both go through ccache, which serves
# the second slot's objects from the first: this proves the link and the
# image are path-free, not that the compiler output is (a build with
# CCACHE_DISABLE=1 would; it is a cold build, too long for CI).
image_of() { "$KGATE" kernel build "$1" 2>&1 | awk '$1 == "bzImage" { print $2 }'; }
from_git=$(image_of "git:$hist@$base")
from_debian=$(image_of debian:6.12)
[ -f "$from_git" ] && [ -f "$from_debian" ] || fail "no bzImage for the good ref from one of the slots"
[ "$from_git" != "$from_debian" ] || fail "the two builds are one cache entry"
cmp -s "$from_git" "$from_debian" || fail "the same commit built in two slots differs: $from_git $from_debian"

# The same four changes as a patch series on the Debian source: `kgate
# bisect --series` must name the third patch, in two steps (the first two
# patches good, the first three bad), the baseline the source with none.
rm -rf "$WORK/series" && mkdir -p "$WORK/series/patches"
git_h format-patch -q -o "$WORK/series/patches" "$base..main" || fail "format-patch failed"
cat >"$WORK/series/proposal.yaml" <<EOF
kgate: 1
proposal: e2e-bisect-series
title: A planted getpid cost in a patch series
baseline:
  kernel: {build: {same-as: candidate, patches: []}}
candidate:
  kernel:
    build:
      source: debian:6.12
      config: {base: guest}
      patches: [patches/]
$judged_on
EOF
start=$(date +%s)
"$KGATE" --db "$WORK/series.db" bisect "$WORK/series/proposal.yaml" --series \
  --metric microbench/getpid_ns --runs 6 --work-dir "$WORK/series-trials" >"$WORK/series.txt" 2>&1
rc=$?
cat "$WORK/series.txt"
echo "bisect --series: $(( $(date +%s) - start )) s"
[ "$rc" -eq 0 ] || fail "kgate bisect --series exited $rc, want 0"
grep -q '^first bad patch: .*0003-getpid-spin-256-empty-iterations.*(patch 3 of 4, "getpid: spin 256 empty iterations' \
  "$WORK/series.txt" || fail "the first bad patch is not the planted one (patch 3 of 4)"
grep -q "^step 1: patch 2 is good" "$WORK/series.txt" || fail "step 1 is not patches 1-2, good"
grep -q "^step 2: patch 3 is bad" "$WORK/series.txt" || fail "step 2 is not patches 1-3, bad"
[ "$(sqlite3 "$WORK/series.db" "SELECT json_array_length(json_extract(detail_json, '\$.patch_ids')) FROM checks
      WHERE kind = 'build' AND arm = 'candidate' ORDER BY run_id")" = $'2\n3' ] \
  || fail "the steps' candidates were not built with the first 2, then 3 patches"
"$KGATE" --db "$WORK/series.db" bisect "$WORK/series/proposal.yaml" --series --good "$base" >"$WORK/both.txt" 2>&1
[ $? -eq 2 ] && grep -q "either --good REF and --bad REF" "$WORK/both.txt" \
  || fail "--series with --good is not refused with exit 2"
finish bisect
