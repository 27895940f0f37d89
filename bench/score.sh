#!/usr/bin/env bash
# Scoring speed vs SQLite GROUP BY (issue 4): 10,000 units × the criteria of hue-cap-so-2023.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/bench/score_bench
fw=frameworks/hue-cap-so-2023.json
[ -f "$fw" ] || { echo "($fw absent: synthetic 69-criterion set with the same rule mix)"; fw=""; }
build/bench/score_bench "$fw" 10000
