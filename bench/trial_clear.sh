#!/usr/bin/env bash
# Trial clean-up cost and the progress replay after it (docs/perf.md "Trial clean-up and the
# progress replay"), on `dti demo --units N` (default 10,000) where every unit of the province
# takes part (the demo's tasks copied to the units it leaves out: 10,000 × 69 = 690,000 tasks)
# and every task of the round is marked trial (worst case): the clear as built (one round-level audit entry) beside
# the alternative (one audit entry per cleared task), both rolled back; then the clear for real
# and a department's progress report for a period after it (the replay reads the round's
# clears) beside the same report without a period (no replay). bench/trial_clear_bench.c.
# Usage: bench/trial_clear.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}; RUNS=${2:-21}
make -j2 build/dti build/bench/trial_clear_bench >/dev/null
D=$(mktemp -d build/bench-trial.XXXXXX); trap 'rm -rf "$D"' EXIT
build/dti init --db "sqlite:$D/t.db" --admin-password-file "$D/pw" >/dev/null 2>&1
build/dti demo --db "sqlite:$D/t.db" --units "$N" --no-accounts | head -1
ROUND=$(sqlite3 "$D/t.db" "SELECT MAX(id) FROM rounds")
UNIT=$(sqlite3 "$D/t.db" "SELECT ru.unit_id FROM round_units ru WHERE ru.round_id = $ROUND AND ru.level = 'department' ORDER BY ru.unit_id LIMIT 1")
sqlite3 "$D/t.db" "INSERT INTO round_units (round_id, unit_id, level) SELECT $ROUND, id, kind FROM units WHERE id NOT IN (SELECT unit_id FROM round_units WHERE round_id = $ROUND);
INSERT INTO tasks (round_id, subject_unit_id, unit_id, framework_id, framework_version, criterion_key, pillar_key, seq, max_points, inputs)
  SELECT t.round_id, u.id, u.id, t.framework_id, t.framework_version, t.criterion_key, t.pillar_key, t.seq, t.max_points, t.inputs
  FROM units u JOIN tasks t ON t.round_id = $ROUND AND t.subject_unit_id = $UNIT
  WHERE u.id NOT IN (SELECT DISTINCT subject_unit_id FROM tasks WHERE round_id = $ROUND);
UPDATE tasks SET trial = 1 WHERE round_id = $ROUND;"
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
build/bench/trial_clear_bench "sqlite:$D/t.db" "$ROUND" "$UNIT" "$RUNS"
