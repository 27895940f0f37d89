#!/usr/bin/env bash
# Times N single-row committed inserts (one transaction each) in WAL mode with
# synchronous=FULL vs NORMAL, alternating runs, on the disk holding build/ (not tmpfs).
# Usage: bench/sqlite_sync.sh [N=1000] [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}; RUNS=${2:-5}
D=$(mktemp -d build/bench-sync.XXXXXX); trap 'rm -rf "$D"' EXIT
{ for i in $(seq "$N"); do echo "INSERT INTO t(v) VALUES ('row $i');"; done; } >"$D/ins.sql"
for r in $(seq "$RUNS"); do
  for mode in FULL NORMAL; do
    rm -f "$D"/s.db*
    sqlite3 "$D/s.db" "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);" >/dev/null
    s=$(date +%s%N)
    { echo "PRAGMA synchronous=$mode;"; cat "$D/ins.sql"; } | sqlite3 "$D/s.db" >/dev/null
    e=$(date +%s%N)
    echo "$mode run $r: $(( (e - s) / 1000000 )) ms for $N commits"
  done
done
