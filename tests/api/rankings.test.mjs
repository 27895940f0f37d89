// rankings.test.mjs — GET /rounds/{id}/rankings (docs/results-api.md "Rankings"): approved
// points, index on the displayed value, ties sharing a rank (1, 2, 2, 4), bands from the round's
// thresholds (PUT /rounds/{id}/bands, audited, bad input refused), the change against the
// previous finalised round and a unit new this year, rank ranges under the alternative
// readings, who may see a ranking before the round is finalised, and the .xlsx export read back
// with openpyxl. Tasks are put into the approved state directly (tests/api/rounds_fixture.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { API, BASE, loginAdmin, createUnit, newUserClient, uniq, expectError, expectStatus } from './lib.mjs';
import { sql } from './rounds_fixture.mjs';

const DEPT = { level: 'department', framework_id: 'hue-cap-so-2023', version: 3 };

async function newRound(a, year, units) {
  return expectStatus(await a.post('/rounds', {
    title: 'Xếp hạng ' + uniq(''), year, frameworks: [DEPT], units: { levels: [], include: units.map((u) => u.id) },
  }), 201, 'create round');
}

// Every task of the round approved at 0, then `points` (hundredths) on criterion i-1-1 of each
// unit (given as [unit, hundredths]).
function approve(roundId, points) {
  sql(`UPDATE tasks SET state = 'approved', approved_points = 0 WHERE round_id = ${roundId}`);
  for (const [u, h] of points)
    sql(`UPDATE tasks SET approved_points = ${h} WHERE round_id = ${roundId} AND subject_unit_id = ${u.id} AND criterion_key = 'i-1-1'`);
}

const byUnit = (r, u) => r.units.find((x) => x.unit_id === u.id);

test('rankings: ties share a rank judged on the displayed index, bands, previous round, new unit', async () => {
  const a = await loginAdmin();
  const [A, B, C, D] = [await createUnit(a), await createUnit(a), await createUnit(a), await createUnit(a)];
  // last year: A, B, C (D is new this year)
  const prev = await newRound(a, 2097, [A, B, C]);
  approve(prev.id, [[A, 500], [B, 900], [C, 700]]);
  expectStatus(await a.post(`/rounds/${prev.id}/finalise`, {}), 200, 'finalise');
  const cur = await newRound(a, 2098, [A, B, C, D]);
  approve(cur.id, [[A, 1000], [B, 800], [C, 800], [D, 400]]);

  const r = expectStatus(await a.get(`/rounds/${cur.id}/rankings?level=department`), 200);
  assert.equal(r.round_id, cur.id);
  assert.deepEqual(r.framework, { id: 'hue-cap-so-2023', version: 3 });
  assert.deepEqual(r.units.map((u) => u.rank), [1, 2, 2, 4], 'units in rank order');
  assert.deepEqual([A, B, C, D].map((u) => byUnit(r, u).rank), [1, 2, 2, 4], 'ties share a rank, the next skips');
  const ua = byUnit(r, A);
  assert.equal(ua.points, 10);
  assert.ok(ua.max_points > 0);
  assert.equal(ua.index, Math.round((1000 / (ua.max_points * 100)) * 10000) / 10000, 'index = points / max, 4 decimals');
  assert.equal(ua.pillars.find((p) => p.key === 'i').points, 10);
  assert.equal(ua.pillars.reduce((s, p) => s + p.max_points, 0), ua.max_points);
  assert.equal(ua.rank_range, null, 'no range unless asked');
  // previous round: A 5 → 10 points, rank 3 → 1; B 9 → 8, rank 1 → 2; D new
  assert.deepEqual(ua.previous, { round_id: prev.id, points: 5, rank: 3, points_change: 5, rank_change: 2 });
  assert.deepEqual(byUnit(r, B).previous, { round_id: prev.id, points: 9, rank: 1, points_change: -1, rank_change: -1 });
  assert.equal(ua.new_unit, false);
  assert.equal(byUnit(r, D).previous, null);
  assert.equal(byUnit(r, D).new_unit, true, 'a unit new this year says so');
  // the previous round itself has no earlier round of ours: nobody is "new"
  const rp = expectStatus(await a.get(`/rounds/${prev.id}/rankings?level=department`), 200);
  assert.ok(rp.units.every((u) => u.new_unit === false || u.previous === null));

  // default bands, then the round's own thresholds (audited)
  assert.deepEqual(r.bands.map((b) => [b.band, b.min_index]), [['xuat_sac', 0.9], ['tot', 0.8], ['kha', 0.65], ['trung_binh', 0]]);
  assert.ok(r.units.every((u) => u.band === 'trung_binh'), 'a few points out of hundreds');
  const idxA = ua.index, idxB = byUnit(r, B).index;
  const put = expectStatus(await a.put(`/rounds/${cur.id}/bands`, {
    level: 'department',
    bands: [{ band: 'xuat_sac', min_index: idxA }, { band: 'tot', min_index: idxB }, { band: 'kha', min_index: 0.0001 }, { band: 'trung_binh', min_index: 0 }],
  }), 200);
  assert.equal(put.custom, true);
  const r2 = expectStatus(await a.get(`/rounds/${cur.id}/rankings?level=department`), 200);
  assert.deepEqual([A, B, C, D].map((u) => byUnit(r2, u).band), ['xuat_sac', 'tot', 'tot', 'kha'], 'a unit at a threshold is in that band');
  const g = expectStatus(await a.get(`/rounds/${cur.id}/bands?level=department`), 200);
  assert.equal(g.bands[0].min_index, idxA);
  const audit = expectStatus(await a.get(`/audit?entity=round&entity_id=${cur.id}`), 200).entries;
  const e = audit.find((x) => x.action === 'round.bands');
  assert.ok(e, 'the thresholds are audited');
  assert.equal(e.old.bands[0].min_index, 0.9);
  assert.equal(e.new.bands[0].min_index, idxA);
  // another level of the same round keeps the defaults
  expectStatus(await a.get(`/rounds/${cur.id}/bands?level=district`), 200).bands.forEach((b, i) =>
    assert.equal(b.min_index, [0.9, 0.8, 0.65, 0][i]));
});

test('bands: bad input refused with its field, nothing changed; only admins; finalised round', async () => {
  const a = await loginAdmin();
  const U = await createUnit(a);
  const r = await newRound(a, 2096, [U]);
  const url = `/rounds/${r.id}/bands`;
  const good = [{ band: 'xuat_sac', min_index: 0.9 }, { band: 'tot', min_index: 0.8 }, { band: 'kha', min_index: 0.5 }, { band: 'trung_binh', min_index: 0 }];
  const with_ = (i, v) => good.map((b, j) => (j === i ? { ...b, min_index: v } : b));
  await expectError(await a.put(url, { level: 'department', bands: with_(1, 0.95) }), 422, 'invalid_value', 'bands');
  await expectError(await a.put(url, { level: 'department', bands: with_(3, 0.1) }), 422, 'invalid_value', 'bands');
  await expectError(await a.put(url, { level: 'department', bands: with_(0, 1.5) }), 422, 'invalid_value', 'bands[0].min_index');
  await expectError(await a.put(url, { level: 'department', bands: with_(2, 0.12345) }), 422, 'invalid_value', 'bands[2].min_index');
  await expectError(await a.put(url, { level: 'department', bands: good.slice(0, 3) }), 422, 'invalid_value', 'bands');
  await expectError(await a.put(url, { level: 'department', bands: [good[0], good[0], good[2], good[3]] }), 422, 'invalid_value', 'bands');
  await expectError(await a.put(url, { level: 'cap-xa', bands: good }), 400, 'invalid_value', 'level');
  await expectError(await a.put(url, { bands: good }), 400, 'missing_field', 'level');
  await expectError(await a.put(url, { level: 'department', bands: good, x: 1 }), 400, 'unknown_field');
  await expectError(await a.put('/rounds/987654321/bands', { level: 'department', bands: good }), 404, 'not_found');
  const g = expectStatus(await a.get(`${url}?level=department`), 200);
  assert.equal(g.custom, false, 'nothing stored');
  const audit = expectStatus(await a.get(`/audit?entity=round&entity_id=${r.id}`), 200).entries;
  assert.equal(audit.filter((x) => x.action === 'round.bands').length, 0);
  const { client: s } = await newUserClient(a, { role: 'staff', unit_id: U.id });
  await expectError(await s.put(url, { level: 'department', bands: good }), 403);
  expectStatus(await a.post(`/rounds/${r.id}/finalise`, {}), 200);
  await expectError(await a.put(url, { level: 'department', bands: good }), 409, 'round_finalised');
});

test('rankings: query errors; staff and leaders only once the round is finalised; appraisers any time', async () => {
  const a = await loginAdmin();
  const U = await createUnit(a);
  const r = await newRound(a, 2095, [U]);
  await expectError(await a.get(`/rounds/${r.id}/rankings`), 400, 'missing_field', 'level');
  await expectError(await a.get(`/rounds/${r.id}/rankings?level=xa`), 400, 'invalid_value', 'level');
  const none = expectStatus(await a.get(`/rounds/${r.id}/rankings?level=district`), 200);
  assert.deepEqual([none.framework, none.units], [null, []], 'a level without a set: nobody to rank');
  await expectError(await a.get(`/rounds/${r.id}/rankings?level=department&ranges=maybe`), 400, 'invalid_value', 'ranges');
  await expectError(await a.get(`/rounds/${r.id}/rankings?level=department&sort=x`), 400);
  await expectError(await a.get('/rounds/987654321/rankings?level=department'), 404, 'not_found');
  const { client: s } = await newUserClient(a, { role: 'staff', unit_id: U.id });
  const { client: l } = await newUserClient(a, { role: 'leader', unit_id: U.id });
  const { client: ap } = await newUserClient(a, { role: 'appraiser', unit_id: U.id });
  await expectError(await s.get(`/rounds/${r.id}/rankings?level=department`), 403, 'forbidden');
  await expectError(await l.get(`/rounds/${r.id}/rankings?level=department`), 403, 'forbidden');
  await expectError(await s.get(`/rounds/${r.id}/rankings.xlsx`), 403, 'forbidden');
  expectStatus(await ap.get(`/rounds/${r.id}/rankings?level=department`), 200);
  expectStatus(await a.post(`/rounds/${r.id}/finalise`, {}), 200);
  const seen = expectStatus(await s.get(`/rounds/${r.id}/rankings?level=department`), 200);
  assert.equal(seen.units.length, 1);
  expectStatus(await l.get(`/rounds/${r.id}/rankings?level=department`), 200);
});

test('rank ranges: a round whose readings matter', async () => {
  const a = await loginAdmin();
  const [A, B, C] = [await createUnit(a), await createUnit(a), await createUnit(a)];
  const r = await newRound(a, 2099, [A, B, C]);
  // A 10, B 8, C 9 points; C also reported V.3.1 with 3 of 4 infected computers handled: the
  // main reading (all or nothing) gives 0, the round's alternative "proportional" 3,75
  approve(r.id, [[A, 1000], [B, 800], [C, 900]]);
  sql(`UPDATE tasks SET inputs = '{"infected_handled": 3, "infected": 4}' WHERE round_id = ${r.id} AND subject_unit_id = ${C.id} AND criterion_key = 'v-3-1'`);
  const plain = expectStatus(await a.get(`/rounds/${r.id}/rankings?level=department`), 200);
  assert.equal(plain.ranges, undefined);
  const x = expectStatus(await a.get(`/rounds/${r.id}/rankings?level=department&ranges=1`), 200);
  assert.equal(x.ranges.exact, true, 'one criterion moves anything: two combinations, enumerated');
  assert.equal(x.ranges.combinations, 2);
  assert.ok(x.ranges.ambiguous_criteria >= 6);
  const ra = byUnit(x, A), rb = byUnit(x, B), rc = byUnit(x, C);
  assert.deepEqual([ra.rank, rb.rank, rc.rank], [1, 3, 2]);
  // under "proportional" C has 12,75 and passes A: A 1–2, C 1–2, B stays 3rd
  assert.deepEqual([ra.rank_range.best, ra.rank_range.worst], [1, 2]);
  assert.deepEqual([rc.rank_range.best, rc.rank_range.worst], [1, 2]);
  assert.deepEqual([rb.rank_range.best, rb.rank_range.worst], [3, 3]);
  assert.deepEqual(rc.rank_range.criteria, [{ criterion_key: 'v-3-1', code: 'V.3.1', swing: 1 }], 'the criterion that moves it');
  assert.deepEqual(ra.rank_range.criteria.map((c) => c.criterion_key), ['v-3-1'], 'it moves A too (C passes it)');
  assert.deepEqual(rb.rank_range.criteria, []);

  // the round chooses "proportional": C's approved points stay as the appraiser gave them, the
  // range now comes from the main reading, which gives C 3,75 less
  expectStatus(await a.put(`/rounds/${r.id}/readings`, { framework_id: 'hue-cap-so-2023', criterion_key: 'v-3-1', alternative: 'proportional' }), 200);
  sql(`UPDATE tasks SET approved_points = 375 WHERE round_id = ${r.id} AND subject_unit_id = ${C.id} AND criterion_key = 'v-3-1'`);
  const y = expectStatus(await a.get(`/rounds/${r.id}/rankings?level=department&ranges=1`), 200);
  assert.equal(byUnit(y, C).rank, 1);
  assert.equal(byUnit(y, C).points, 12.75);
  assert.deepEqual([byUnit(y, C).rank_range.best, byUnit(y, C).rank_range.worst], [1, 2]);
  assert.deepEqual([byUnit(y, A).rank_range.best, byUnit(y, A).rank_range.worst], [1, 2]);
});

const PY = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

test('rankings.xlsx: one sheet per level, real numbers, frozen header, filter (openpyxl)', async () => {
  const a = await loginAdmin();
  const [A, B] = [await createUnit(a), await createUnit(a)];
  const r = await newRound(a, 2094, [A, B]);
  approve(r.id, [[A, 951], [B, 1200]]);
  const res = await fetch(`${BASE}${API}/rounds/${r.id}/rankings.xlsx`, { headers: { cookie: a.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), new RegExp(`attachment; filename="xep-hang-dot-${r.id}\\.xlsx"`));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rank-')), 'x.xlsx');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const py = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    fmts = [[c.number_format for c in row] for row in ws.iter_rows(min_row=2)]
    out[ws.title] = {"rows": rows, "fmts": fmts, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
                     "bold": ws.cell(1, 1).font.b}
print(json.dumps(out, ensure_ascii=False))`;
  const got = JSON.parse(execFileSync(PY, ['-c', py, file], { encoding: 'utf8' }));
  assert.deepEqual(Object.keys(got), ['Cấp sở']);
  const s = got['Cấp sở'];
  assert.deepEqual(s.rows[0].slice(0, 7), ['Hạng', 'Mã đơn vị', 'Đơn vị', 'Điểm', 'Điểm tối đa', 'Chỉ số', 'Xếp loại']);
  assert.equal(s.freeze, 'A2');
  assert.equal(s.bold, true);
  assert.match(s.filter, /^A1:[A-Z]+3$/);
  assert.equal(s.rows.length, 3);
  const [first, second] = [s.rows[1], s.rows[2]];
  assert.equal(first[2], B.name);
  assert.equal(first[0], 1);
  assert.equal(first[3], 12, 'a real number, not text');
  assert.equal(second[3], 9.51);
  assert.equal(typeof second[5], 'number');
  assert.equal(s.fmts[0][3], '0.00');
  assert.equal(s.fmts[0][5], '0.0000');
  // per-criterion results: the column of I.1.1 holds the approved points
  const col = s.rows[0].indexOf('I.1.1');
  assert.ok(col > 7);
  assert.equal(second[col], 9.51);
});
