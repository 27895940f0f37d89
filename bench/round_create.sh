#!/usr/bin/env bash
# bench/round_create.sh [UNITS] — creating a round for UNITS departments (default 10,000) with
# the Hue cấp sở set (69 criteria: 690,000 tasks) on SQLite, the way POST /api/v1/rounds does
# it (round_create: validation, units, every task, one audit entry, one transaction), next to a
# reference measured in the same run: the plain sqlite3 shell inserting the same rows (round,
# round units, tasks) with one INSERT … SELECT into a copy of the same database. Target: < 10 s.
# BENCH_PG=1 also runs both on a throwaway PostgreSQL 15 (scripts/pg-temp.sh, port
# $DTI_TEST_PG_PORT or 55443), the reference there being psql with the same statement.
set -euo pipefail
cd "$(dirname "$0")/.."
UNITS=${1:-10000}
make -s build/dti build/bench/round_create
T=$(mktemp -d /tmp/dti-roundbench.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/a.db"
build/dti init --db "sqlite:$DB" --province-name "Tỉnh thử" --admin-password-file "$T/pw" >/dev/null 2>&1
sqlite3 "$DB" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $UNITS)
  INSERT INTO units (code, name, kind, parent_id, info, created_at)
  SELECT 'B' || i, 'Sở thử ' || i, 'department', (SELECT id FROM units WHERE parent_id IS NULL), '{}', 0 FROM n;
  PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$DB" "$T/ref.db"
# The criteria (key, pillar, position, max) as the reference's VALUES list, from the shipped file.
VALUES=$(python3 - <<'PY'
import json
d = json.load(open('frameworks/hue-cap-so-2023.json'))
rows, i = [], 0
for p in d['pillars']:
    for g in p['groups']:
        for c in g['criteria']:
            rows.append("('%s','%s',%d,%d)" % (c['key'], p['key'], i, round(c['max_points'] * 100)))
            i += 1
print(','.join(rows))
PY
)
ref_start=$(date +%s.%N)
sqlite3 "$T/ref.db" "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; BEGIN IMMEDIATE;
  INSERT INTO rounds (title, year, created_at) VALUES ('ref', 2025, 0);
  INSERT INTO round_units (round_id, unit_id, level) SELECT 1, id, kind FROM units WHERE kind = 'department' AND retired_at IS NULL;
  WITH c(k, p, s, m) AS (VALUES $VALUES)
  INSERT INTO tasks (round_id, subject_unit_id, unit_id, framework_id, framework_version, criterion_key, pillar_key, seq, max_points)
  SELECT 1, ru.unit_id, ru.unit_id, 'hue-cap-so-2023', 3, c.k, c.p, c.s, c.m FROM round_units ru CROSS JOIN c WHERE ru.round_id = 1 ORDER BY ru.unit_id, c.s;
  COMMIT;" >/dev/null
ref_end=$(date +%s.%N)
REF_TASKS=$(sqlite3 "$T/ref.db" "SELECT COUNT(*) FROM tasks")
OUT=$(build/bench/round_create "sqlite:$DB")
echo "units: $UNITS departments x 69 criteria"
printf '%-32s %s\n' "dti round_create (SQLite):" "$OUT"
printf '%-32s tasks=%s seconds=%.2f\n' "reference (sqlite3 shell):" "$REF_TASKS" "$(echo "$ref_end - $ref_start" | bc)"

[ "${BENCH_PG:-0}" = 1 ] || exit 0
# shellcheck source=../scripts/pg-temp.sh
. scripts/pg-temp.sh
pg_temp_start "${DTI_TEST_PG_PORT:-55443}" >/dev/null
trap 'pg_temp_stop; rm -rf "$T"' EXIT
for name in bench_a bench_ref; do
  url=$(pg_temp_createdb "$name")
  build/dti init --db "$url" --province-name "Tỉnh thử" --admin-password-file "$T/pw.$name" >/dev/null 2>&1
  psql -qAt -v ON_ERROR_STOP=1 "$url" -c "INSERT INTO units (code, name, kind, parent_id, info, created_at)
    SELECT 'B' || i, 'Sở thử ' || i, 'department', (SELECT id FROM units WHERE parent_id IS NULL), '{}', 0
    FROM generate_series(1, $UNITS) AS i;" >/dev/null
  psql -qAt "$url" -c "VACUUM ANALYZE units" >/dev/null
  [ "$name" = bench_a ] && PG_A=$url || PG_REF=$url
done
ref_start=$(date +%s.%N)
psql -qAt -v ON_ERROR_STOP=1 "$PG_REF" >/dev/null <<SQL
BEGIN;
INSERT INTO rounds (title, year, created_at) VALUES ('ref', 2025, 0);
INSERT INTO round_units (round_id, unit_id, level) SELECT 1, id, kind FROM units WHERE kind = 'department' AND retired_at IS NULL;
WITH c(k, p, s, m) AS (VALUES $VALUES)
INSERT INTO tasks (round_id, subject_unit_id, unit_id, framework_id, framework_version, criterion_key, pillar_key, seq, max_points)
SELECT 1, ru.unit_id, ru.unit_id, 'hue-cap-so-2023', 3, c.k, c.p, c.s, c.m FROM round_units ru CROSS JOIN c WHERE ru.round_id = 1 ORDER BY ru.unit_id, c.s;
COMMIT;
SQL
ref_end=$(date +%s.%N)
printf '%-32s %s\n' "dti round_create (PostgreSQL):" "$(build/bench/round_create "$PG_A")"
printf '%-32s tasks=%s seconds=%.2f\n' "reference (psql):" "$(psql -qAt "$PG_REF" -c 'SELECT COUNT(*) FROM tasks')" "$(echo "$ref_end - $ref_start" | bc)"
