#!/usr/bin/env bash
# Rankings with rank ranges for a province of N units (default 10,000) on SQLite: `dti demo
# --units N --rounds 2` (last year's round finalised: the previous round is ranked too), then
# rankings_level(…, RANKINGS_WITH_RANGE) + JSON for every level of this year's round, in one
# process like the server (bench/rankings_bench.c): the first run and the warm median, wall and
# CPU time. Target: under 1 s. Reference measured in the same run: the same per-unit totals
# computed by one SQL GROUP BY in the sqlite3 shell (no ranks, no ranges, no previous round).
# Usage: bench/rankings.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}; RUNS=${2:-6}
make -j2 build/dti build/bench/rankings_bench >/dev/null
D=$(mktemp -d build/bench-rankings.XXXXXX); trap 'rm -rf "$D"' EXIT
build/dti init --db "sqlite:$D/r.db" --admin-password-file "$D/pw" >/dev/null 2>&1
build/dti demo --db "sqlite:$D/r.db" --units "$N" --rounds 2 | head -1
ROUND=$(sqlite3 "$D/r.db" "SELECT MAX(id) FROM rounds")
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
build/bench/rankings_bench "sqlite:$D/r.db" "$ROUND" "$RUNS"
# the reference: one GROUP BY over the round's tasks, every level, run RUNS times
best=""
for _ in $(seq "$RUNS"); do
  t=$( { sqlite3 "$D/r.db" <<SQL
.timer on
SELECT COUNT(*) FROM (SELECT t.subject_unit_id, SUM(CASE WHEN t.state = 'approved' THEN COALESCE(t.approved_points, 0) ELSE 0 END), SUM(CASE WHEN t.self_status = 'not_applicable' THEN 0 ELSE t.max_points END) FROM tasks t WHERE t.round_id = $ROUND GROUP BY t.subject_unit_id);
SQL
  } | sed -n 's/^Run Time: real \([0-9.]*\) user \([0-9.]*\) sys \([0-9.]*\)/\1 \2 \3/p')
  echo "$t"
done | sort -n | awk -v runs="$RUNS" '{w[NR]=$1; c[NR]=$2+$3} END {m=int((NR+1)/2); printf "reference (sqlite3, one GROUP BY of the same totals): median %.0f ms (cpu %.0f ms) over %d runs\n", w[m]*1000, c[m]*1000, runs}'
