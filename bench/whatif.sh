#!/usr/bin/env bash
# bench/whatif.sh — the unit page's what-if (POST /rounds/{id}/units/{unit}/what-if: the
# engine's new points for changed inputs, the unit's new total and its rank in the level, never
# saved) on `dti demo --units 10000` where every unit takes part (the demo's tasks copied to the
# units it leaves out, the communes with the district's index set: 10,001 units, 485,342
# tasks), end to end over HTTP, one connection (the latency a user waits), p50 and p99 (wrk). Side by side in the same run:
#   what-if for a department (the department level) and for a commune (the largest level, 8,300
#   units: the worst case of locating the rank), and the references GET /rounds/{id}/rankings for
#   the department level (a full ranking) and POST /tasks/{id}/preview (the engine alone).
# Then the first what-if after a save (a task row written from the sqlite3 shell: the stamp
# moves and the level's totals are summed again), median of 5.
# Target: well under a full ranking (recomputing one unit and locating its rank is O(n)).
# Env: BENCH_PORT, BENCH_DURATION (s, default 5), BENCH_UNITS (10000).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DUR=${BENCH_DURATION:-5}
UNITS=${BENCH_UNITS:-10000}
PORT=${BENCH_PORT:-18220}
command -v wrk >/dev/null || { echo "bench/whatif.sh: wrk missing"; exit 1; }
[ -x build/dti ] || { echo "bench/whatif.sh: build/dti missing (make build)"; exit 1; }

T=$(mktemp -d /tmp/dti-whatif-bench.XXXXXX)
DTI=
cleanup() {
  [ -n "$DTI" ] && kill "$DTI" 2>/dev/null && wait "$DTI" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

DB="sqlite:$T/dti.db"
build/dti init --db "$DB" >/dev/null 2>&1
build/dti demo --units "$UNITS" --no-accounts --db "$DB" | head -1
tpl() { sqlite3 "$T/dti.db" "SELECT MIN(t.subject_unit_id) FROM tasks t JOIN round_units ru ON ru.round_id = 1 AND ru.unit_id = t.subject_unit_id WHERE t.round_id = 1 AND ru.level = '$1'"; }
# every unit takes part: the demo leaves the communes (and "other" units) out, so their levels
# take the district's index set, and each unit without tasks gets a copy of the first task list
# of its level (or of the district level)
sqlite3 "$T/dti.db" "INSERT INTO round_units (round_id, unit_id, level) SELECT 1, id, kind FROM units WHERE id NOT IN (SELECT unit_id FROM round_units WHERE round_id = 1);
INSERT INTO round_frameworks (round_id, level, framework_id, framework_version) SELECT 1, l.level, f.framework_id, f.framework_version FROM round_frameworks f, (SELECT 'commune' AS level UNION ALL SELECT 'other') l WHERE f.round_id = 1 AND f.level = 'district' AND l.level NOT IN (SELECT level FROM round_frameworks WHERE round_id = 1);"
for lvl in province department district commune other; do
  src=$(tpl "$lvl"); [ -n "$src" ] || src=$(tpl district)
  sqlite3 "$T/dti.db" "INSERT INTO tasks (round_id, subject_unit_id, unit_id, framework_id, framework_version, criterion_key, pillar_key, seq, max_points, state, inputs, self_points, self_status, approved_points)
    SELECT 1, ru.unit_id, ru.unit_id, t.framework_id, t.framework_version, t.criterion_key, t.pillar_key, t.seq, t.max_points, t.state, t.inputs, t.self_points, t.self_status, t.approved_points
    FROM round_units ru JOIN tasks t ON t.round_id = 1 AND t.subject_unit_id = $src
    WHERE ru.round_id = 1 AND ru.level = '$lvl' AND ru.unit_id NOT IN (SELECT DISTINCT subject_unit_id FROM tasks WHERE round_id = 1)"
done
n_tasks=$(sqlite3 "$T/dti.db" "SELECT COUNT(*) FROM tasks WHERE round_id = 1")
n_units=$(sqlite3 "$T/dti.db" "SELECT COUNT(*) FROM round_units WHERE round_id = 1")
n_dept=$(sqlite3 "$T/dti.db" "SELECT COUNT(*) FROM round_units WHERE round_id = 1 AND level = 'department'")
n_comm=$(sqlite3 "$T/dti.db" "SELECT COUNT(*) FROM round_units WHERE round_id = 1 AND level = 'commune'")
root=$(sqlite3 "$T/dti.db" "SELECT code FROM units WHERE parent_id IS NULL")
otp=$(build/dti user add --db "$DB" --username bench.thamdinh --role appraiser --unit "$root" \
  --full-name "Thẩm định (bench)" | sed -n 's/^Mật khẩu dùng một lần: //p')
# the appraiser appraises the department level (the preview reference needs an assignment)
sqlite3 "$T/dti.db" "INSERT INTO appraiser_assignments (round_id, level, appraiser_user_id, created_at) SELECT 1, 'department', id, 0 FROM users WHERE username = 'bench.thamdinh'"

build/dti serve --db "$DB" --listen 127.0.0.1:$PORT --threads 2 >"$T/dti.out" 2>"$T/dti.log" & DTI=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" && break; sleep 0.1; done
B=http://127.0.0.1:$PORT/api/v1
cookie=$(bench_first_login "$B" bench.thamdinh "$otp" "$T/jar")
csrf=$(curl -s -H "Cookie: dti_session=$cookie" "$B/me" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')

# a unit of the level (the middle one by id) and its task of a criterion with a yes/no input
unit_of() { sqlite3 "$T/dti.db" "SELECT unit_id FROM round_units WHERE round_id = 1 AND level = '$1' ORDER BY unit_id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM round_units WHERE round_id = 1 AND level = '$1')"; }
# (department: i-5-1 has_section; commune, district's index set: ii-3 operating)
task_of() { sqlite3 "$T/dti.db" "SELECT id FROM tasks WHERE round_id = 1 AND subject_unit_id = $1 AND criterion_key = '$2'"; }
body_of() { echo "{\"changes\":[{\"task_id\":$1,\"inputs\":{\"$2\":true}}]}"; }
dept=$(unit_of department); dtask=$(task_of "$dept" i-5-1); dbody=$(body_of "$dtask" has_section)
comm=$(unit_of commune); ctask=$(task_of "$comm" ii-3); cbody=$(body_of "$ctask" operating)
for pair in "$dept|$dbody" "$comm|$cbody"; do
  IFS='|' read -r u b <<<"$pair"
  code=$(curl -s -o "$T/w.json" -w '%{http_code}' -H "Cookie: dti_session=$cookie" -H "X-CSRF-Token: $csrf" \
    -H 'Content-Type: application/json' -d "$b" "$B/rounds/1/units/$u/what-if")
  [ "$code" = 200 ] || { echo "what-if unit $u: HTTP $code $(cat "$T/w.json")"; exit 1; }
done

lua_post() { # name path body
  cat > "$T/$1.lua" <<LUA
wrk.method = "POST"
wrk.body = '$3'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "dti_session=$cookie"
wrk.headers["X-CSRF-Token"] = "$csrf"
request = function() return wrk.format(nil, "$2") end
LUA
}
lua_get() { # name path
  cat > "$T/$1.lua" <<LUA
wrk.headers["Cookie"] = "dti_session=$cookie"
request = function() return wrk.format("GET", "$2") end
LUA
}
ms_of() { awk -v k="$1" '$1==k{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' "$2"; }
run1() { # name
  wrk -t1 -c1 -d"${DUR}s" --latency -s "$T/$1.lua" "http://127.0.0.1:$PORT" > "$T/$1.wrk"
  local n2=$(awk '/Non-2xx/{print $5}' "$T/$1.wrk")
  printf '  %-34s p50 %8.2f ms   p99 %8.2f ms   %7.0f req/s%s\n' "$1" "$(ms_of 50% "$T/$1.wrk")" \
    "$(ms_of 99% "$T/$1.wrk")" "$(awk '/^Requests\/sec/{print $2}' "$T/$1.wrk")" "${n2:+   NON-2XX: $n2}"
}
lua_post whatif_department "/api/v1/rounds/1/units/$dept/what-if" "$dbody"
lua_post whatif_commune "/api/v1/rounds/1/units/$comm/what-if" "$cbody"
lua_get ref_rankings_department "/api/v1/rounds/1/rankings?level=department"
lua_get ref_rankings_commune "/api/v1/rounds/1/rankings?level=commune"
lua_post ref_preview "/api/v1/tasks/$dtask/preview" '{"inputs":{"has_section":true}}'

echo "bench/whatif.sh: $n_units units, $n_tasks tasks in the round ($n_dept departments, $n_comm communes); wrk -t1 -c1 -d${DUR}s; 2 server threads"
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
run1 whatif_department
run1 whatif_commune
run1 ref_rankings_department
run1 ref_rankings_commune
run1 ref_preview
# the first what-if after a save anywhere (the stamp moves: the level's totals are summed again)
for pair in "department|$dept|$dbody" "commune|$comm|$cbody"; do
  IFS='|' read -r lvl u b <<<"$pair"
  m=$(for i in 1 2 3 4 5; do
    sqlite3 -cmd '.timeout 5000' "$T/dti.db" "UPDATE tasks SET note = 'bench $i', version = version + 1 WHERE id = $dtask"
    curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: dti_session=$cookie" -H "X-CSRF-Token: $csrf" \
      -H 'Content-Type: application/json' -d "$b" "$B/rounds/1/units/$u/what-if"
  done | sort -n | sed -n 3p)
  awk -v m="$m" -v l="$lvl" 'BEGIN{printf "  %-34s median %8.2f ms of 5 (a task written before each)\n", "whatif_" l "_after_a_save", m*1000}'
done
