#!/usr/bin/env bash
# bench/compare.sh BEFORE_DTI BENCH [ROUNDS] — before/after side by side in one run: BENCH
# (bench/report_save.sh, bench/upload.sh: the scripts that read DTI_BIN) alternately with the
# binary BEFORE_DTI (e.g. a build of an earlier commit, copied aside) and with build/dti, ROUNDS
# (2) times each, so both see the same machine. Prints each run's figures labelled, with the
# load average before it (figures only count on a quiet machine: 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=${1:?usage: bench/compare.sh BEFORE_DTI BENCH [ROUNDS]}
BENCH=${2:?usage: bench/compare.sh BEFORE_DTI BENCH [ROUNDS]}
ROUNDS=${3:-2}
[ -x "$BEFORE" ] || { echo "bench/compare.sh: $BEFORE is not an executable"; exit 1; }
for i in $(seq "$ROUNDS"); do
  for side in before after; do
    bin=build/dti; [ "$side" = before ] && bin=$BEFORE
    echo "== $side ($bin), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    DTI_BIN=$bin "$BENCH" | grep -v '^note:'
  done
done
