#!/usr/bin/env bash
# Runs each libFuzzer binary for N seconds from its seed corpus (tests/fuzz/corpus/<name>/).
set -euo pipefail
secs=$1; shift
for f in "$@"; do
  name=$(basename "$f")
  seeds=tests/fuzz/corpus/${name#fuzz_}
  work=build/fuzz-corpus/${name#fuzz_}; mkdir -p "$work"
  dirs=("$work"); [ -d "$seeds" ] && dirs+=("$seeds")
  # a filled Excel template (the import's seeds) is 9 KB zipped, 29 KB as PARTS text
  maxlen=8192; [ "$name" = fuzz_excel_import ] && maxlen=65536
  echo "fuzz $name for ${secs}s"
  "$f" -max_total_time="$secs" -max_len="$maxlen" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix=build/fuzz/"$name"- "${dirs[@]}" >build/fuzz/"$name".log 2>&1 \
    || { tail -60 build/fuzz/"$name".log; echo "FUZZ FAILURE in $name"; exit 1; }
  grep -E '^(#[0-9]+.*DONE|Done)' build/fuzz/"$name".log | tail -1 || true
done
