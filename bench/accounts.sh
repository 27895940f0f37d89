#!/usr/bin/env bash
# Bulk accounts (dti round accounts, the CLI twin of POST /rounds/{id}/accounts) for rounds of
# N units (two accounts each: 2N argon2id hashes at the OWASP cost of password.c), on a fresh
# SQLite database. Prints the wall time of the whole run and of the hashing with the hashes
# spread over every core (the default), next to the reference: one hash at a time
# (--max-hashing 1, what a plain loop over user_create takes).
# Usage: bench/accounts.sh [N...]   (default: 100 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
make -j2 build/dti >/dev/null
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(100 1000)
D=$(mktemp -d build/bench-accounts.XXXXXX); trap 'rm -rf "$D"' EXIT
echo "cores: $(nproc)"
for n in "${SIZES[@]}"; do
  rm -f "$D"/a.db*
  build/dti init --db "sqlite:$D/a.db" --admin-password-file "$D/pw" >/dev/null 2>&1
  now=$(date +%s)
  {
    echo "BEGIN;"
    echo "INSERT INTO units (code, name, kind, created_at) VALUES ('ROOT', 'Tỉnh thử', 'province', $now);"
    for i in $(seq "$n"); do
      echo "INSERT INTO units (code, name, kind, parent_id, created_at) VALUES ('B$i', 'Đơn vị thử $i', 'department', (SELECT id FROM units WHERE code = 'ROOT'), $now);"
    done
    echo "INSERT INTO rounds (id, title, year, created_at) VALUES (1, 'Đợt thử', 2025, $now);"
    echo "INSERT INTO round_units (round_id, unit_id, level) SELECT 1, id, 'department' FROM units WHERE code LIKE 'B%';"
    echo "COMMIT;"
  } | sqlite3 "$D/a.db"
  # the same run twice on copies of the database: hashing on every core (the default),
  # then one hash at a time (the reference: a plain loop over user_create)
  for mode in parallel serial; do
    cp "$D/a.db" "$D/$mode.db"
    extra=(); [ "$mode" = serial ] && extra=(--max-hashing 1)
    s=$(date +%s%N)
    out=$(build/dti round accounts --db "sqlite:$D/$mode.db" --round 1 --format csv -o "$D/$mode.csv" "${extra[@]}")
    e=$(date +%s%N)
    rows=$(($(wc -l <"$D/$mode.csv") - 1))
    hash=$(echo "$out" | sed -n 's/.*(băm mật khẩu \([0-9.]*\) giây).*/\1/p')
    printf 'N=%-5s %-8s %5s accounts in %6s ms (hashing %s s)\n' "$n" "$mode" "$rows" $(( (e - s) / 1000000 )) "$hash"
  done
done
