#!/usr/bin/env bash
# The shipped index sets (frameworks/*.json) against the numbers of the seed documents:
# every file validates (schema, sums, keys, worked examples); `framework show --json` reports the
# totals of seed 002 (69 criteria, 500 points, nine pillar maxima); the province demo's
# assignment reproduces seed 000's table. Run from the repo root after the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
DTI=${DTI:-build/dti}
[ -x "$DTI" ] || { echo "FAIL: $DTI not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

n=0
for f in frameworks/*.json; do
  if ! out=$("$DTI" framework validate "$f" 2>&1); then
    fail "framework validate $f exited non-zero:"$'\n'"$out"
  fi
  n=$((n + 1))
done
[ "$n" -ge 3 ] || fail "expected at least 3 index sets under frameworks/, found $n"

# Assertions on `show --json` of one file: node reads the JSON on stdin, $1 is the expectation.
check_show() { # file expected-json
  "$DTI" framework show "$1" --json >"$tmp/show.json" || fail "framework show $1 --json exited non-zero"
  node - "$1" "$2" "$tmp/show.json" <<'JS'
const fs = require('fs');
const [file, expJson, showPath] = process.argv.slice(2);
const exp = JSON.parse(expJson);
let s;
try { s = JSON.parse(fs.readFileSync(showPath, 'utf8')); } catch (e) { console.error(`FAIL: ${file}: show --json is not JSON: ${e.message}`); process.exit(1); }
const num = (x) => Number(String(x).replace(',', '.'));
const errs = [];
if (num(s.max_points) !== exp.max_points) errs.push(`max_points ${s.max_points}, expected ${exp.max_points}`);
if (num(s.criteria_count) !== exp.criteria_count) errs.push(`criteria_count ${s.criteria_count}, expected ${exp.criteria_count}`);
if (!Array.isArray(s.pillars)) errs.push('pillars missing');
else {
  const got = s.pillars.map((p) => `${p.code}:${num(p.max_points)}/${num(p.criteria_count)}`).join(' ');
  const want = exp.pillars.map((p) => `${p[0]}:${p[1]}/${p[2]}`).join(' ');
  if (got !== want) errs.push(`pillars (code:max/criteria) ${got}, expected ${want}`);
  for (const p of s.pillars) if (typeof p.title !== 'string' || !p.title) errs.push(`pillar ${p.code} without title`);
}
if (errs.length) { console.error(`FAIL: ${file}:\n  ` + errs.join('\n  ')); process.exit(1); }
JS
}

# Seed 002 (Phụ lục 1, cấp sở 2023): 69 criteria, 500 points; pillar maxima as printed in the
# seed; criteria per pillar counted from its rows (13+5+8+5+7+25+1+4+1 = 69).
check_show frameworks/hue-cap-so-2023.json '{"max_points":500,"criteria_count":69,"pillars":[
  ["I",60,13],["II",45,5],["III",60,8],["IV",30,5],["V",40,7],["VI",195,25],["VII",10,1],["VIII",40,4],["IX",20,1]]}'

# Seed 001 appendix (cấp huyện 2024, cut short at VIII.4): 46 of the 53 criteria transcribed.
check_show frameworks/hue-cap-huyen-2024.json '{"max_points":595,"criteria_count":46,"pillars":[
  ["I",170,10],["II",30,3],["III",80,6],["IV",120,8],["V",40,4],["VI",75,7],["VII",50,5],["VIII",30,3]]}'

# Seed 000 (tab "Cấp quốc gia"): 42 demo tasks, 380 points, placed in the national pillars.
check_show frameworks/national-province-demo.json '{"max_points":380,"criteria_count":42,"pillars":[
  ["I",30,3],["II",41,5],["III",25,2],["IV",25,5],["V",20,1],["VI",109,15],["VII",105,9],["VIII",25,2]]}'

# File-level facts the CLI does not report: statuses, the draft note, the demo assignment.
node - <<'JS' || exit 1
const fs = require('fs');
const load = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const crit = (fw) => fw.pillars.flatMap((p) => p.groups.flatMap((g) => g.criteria));
const errs = [];

const so = load('frameworks/hue-cap-so-2023.json');
if (so.status !== 'official') errs.push('hue-cap-so-2023: status must be official');
const keys = ['name', 'address', 'website', 'subunits_count', 'civil_servants_count', 'public_employees_count',
  'servers_count', 'workstations_count', 'information_systems_count', 'admin_procedures_count'];
if (JSON.stringify((so.info_fields || []).map((f) => f.key)) !== JSON.stringify(keys))
  errs.push('hue-cap-so-2023: info_fields must be the 10 rows of "Thông tin chung" in order');
const byKey = Object.fromEntries(crit(so).map((c) => [c.key, c]));
// Spot checks of rules stated in the seed text.
const r = (k) => (byKey[k] || {}).rule || {};
if (r('i-1-1').type !== 'by_signer' || r('i-1-1').fractions?.deputy !== 0.5) errs.push('I.1.1 must be by_signer, deputy 50%');
if (r('i-2-1').type !== 'per_item' || r('i-2-1').points_per_item !== 0.5 || r('i-2-1').max_items !== 4) errs.push('I.2.1 must be 0,5 per meeting, max 4');
if (r('v-5-1').type !== 'penalty_per_incident' || r('v-5-1').penalty !== 1 || r('v-5-1').zero_at !== 5) errs.push('V.5.1 must be −1 per incident, 0 at 5');
if (r('viii-2-1').max_items !== 5 || byKey['viii-2-1']?.max_points !== 10 || !byKey['viii-2-1']?.source_issue)
  errs.push('VIII.2.1 keeps the official max 10 with the 5-consultation cap flagged as a source issue');
if (!byKey['iii-2a-1'] || !byKey['iii-2b-1'] || byKey['iii-2a-1'].code !== byKey['iii-2b-1'].code)
  errs.push('pillar III: two groups numbered 2 must keep display code 2.1 with distinct keys');
if (!byKey['i-2-1']?.na_allowed || !byKey['ii-5-1']?.na_allowed) errs.push('I.2.1 and II.5.1 must allow "không đánh giá"');
for (const c of crit(so)) if (c.rule.type === 'manual' && !c.source_issue) errs.push(`${c.key}: manual rule without source_issue`);

const hu = load('frameworks/hue-cap-huyen-2024.json');
if (hu.status !== 'draft' || !/VIII\.4/.test(hu.draft_note || '') || !/IX/.test(hu.draft_note || ''))
  errs.push('hue-cap-huyen-2024: must be a draft whose draft_note names the missing VIII.4 and pillar IX');

const pr = load('frameworks/national-province-demo.json');
if (pr.status !== 'draft' || pr.level !== 'province') errs.push('national-province-demo: must be a province-level draft');
const table = { CTK: [4, 50], NHNN: [1, 20], STC: [13, 85], CTHUE: [2, 20], CAT: [1, 20], SKHDT: [5, 60],
  DHH: [3, 15], SLDTBXH: [2, 10], SGDDT: [1, 5], VPUBND: [10, 95] };
const got = {};
for (const c of crit(pr)) {
  if (c.demo !== true) errs.push(`${c.key}: province demo criterion must be marked demo`);
  const u = c.responsible_unit;
  if (!table[u]) { errs.push(`${c.key}: responsible_unit ${u} is not in seed 000's table`); continue; }
  got[u] = got[u] || [0, 0];
  got[u][0] += 1;
  got[u][1] += c.max_points;
}
for (const [u, [tasks, pts]] of Object.entries(table)) {
  const g = got[u] || [0, 0];
  if (g[0] !== tasks || Math.round(g[1] * 100) !== pts * 100)
    errs.push(`${u}: ${g[0]} tasks / ${g[1]} points, seed 000 says ${tasks} / ${pts}`);
}
if (errs.length) { console.error('FAIL:\n  ' + errs.join('\n  ')); process.exit(1); }
JS

# Scoring the shipped 500-point set with the seeds' own figures: deputy-signed I.1.1 -> 5 of 10;
# 921/968 accounts on VI.12.1 -> 9,51; 3 incidents on V.5.1 -> 5 - 3 x 1 = 2; I.2.1 marked
# "không đánh giá" -> removed from the maximum (498).
cat >"$tmp/inputs.json" <<'JSON'
{"unit_kind": "department", "criteria": {
  "i-1-1": {"inputs": {"signer": "deputy"}},
  "vi-12-1": {"inputs": {"registered": 921, "staff_total": 968}},
  "v-5-1": {"inputs": {"incidents": 3}},
  "i-2-1": {"not_applicable": "Lãnh đạo đơn vị không là thành viên BCĐ CĐS của tỉnh"}}}
JSON
"$DTI" score frameworks/hue-cap-so-2023.json "$tmp/inputs.json" --json >"$tmp/score.json" ||
  fail "dti score hue-cap-so-2023 exited non-zero"
node - "$tmp/score.json" <<'JS' || exit 1
const s = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const num = (x) => Number(String(x).replace(',', '.'));
const errs = [];
if (num(s.total) !== 16.51) errs.push(`total ${s.total}, expected 16,51 (5 + 9,51 + 2)`);
if (num(s.max_points) !== 500) errs.push(`max_points ${s.max_points}, expected 500`);
if (num(s.applicable_max) !== 498) errs.push(`applicable_max ${s.applicable_max}, expected 498 (I.2.1 not applicable)`);
if (errs.length) { console.error('FAIL: score:\n  ' + errs.join('\n  ')); process.exit(1); }
JS

# The check has teeth: a set whose pillar maximum no longer matches its criteria, or whose
# worked example is wrong, must be refused by validate.
node -e '
const fs = require("fs");
const f = JSON.parse(fs.readFileSync("frameworks/hue-cap-so-2023.json", "utf8"));
f.pillars[5].max_points = 194;
fs.writeFileSync(process.argv[1] + "/bad-sum.json", JSON.stringify(f));
const g = JSON.parse(fs.readFileSync("frameworks/hue-cap-so-2023.json", "utf8"));
g.pillars[0].groups[0].criteria[0].examples[1].points = 10;
fs.writeFileSync(process.argv[1] + "/bad-example.json", JSON.stringify(g));
' "$tmp"
for bad in bad-sum bad-example; do
  if "$DTI" framework validate "$tmp/$bad.json" >"$tmp/$bad.out" 2>&1; then
    fail "framework validate accepted $bad.json"
  fi
  grep -q 'pillars\[' "$tmp/$bad.out" || fail "$bad.json: the error does not name its place in the file: $(cat "$tmp/$bad.out")"
done

echo "frameworks_seed_check: $n index sets validated; seed totals match"
