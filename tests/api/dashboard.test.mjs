// dashboard.test.mjs — GET /rounds/{id}/dashboard (docs/results-api.md, "Dashboard"): the
// per-unit table of a round by level, the search that ignores case and Vietnamese diacritics
// in every form, sort by every column, paging, totals, Vietnamese 400s, who may call it, and a
// change in the database (tasks, unit names) seen at once despite the in-memory cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAdmin, newUserClient, createUnit, expectError, expectStatus, uniq, Client } from './lib.mjs';
import { createRound, sql } from './rounds_fixture.mjs';

// the round's units: [name, level, tasks as [state, max, approved, self]]
const UNITS = [
  ['Sở Tài chính', 'department', [['approved', 1000, 1000, 900], ['approved', 500, 0, 500], ['draft', 500, null, 200]]],
  ['Sở Tư pháp', 'department', [['approved', 1000, 500, 1000]]],
  ['Đại học Huế', 'department', [['not_started', 2000, null, null], ['submitted', 300, null, 300]]],
  ['Sở Kế hoạch và Đầu tư', 'department', []],
  ['Thị xã Hương Thủy', 'district', [['approved', 700, 700, 700]]],
];

let ctx;
async function setup() {
  if (ctx) return ctx;
  const a = await loginAdmin();
  // under a parent of their own: the demo tree has a "Sở Tài chính" already (names are unique
  // among siblings)
  const parent = await createUnit(a, { kind: 'other' });
  const units = [];
  for (const [name, level] of UNITS)
    units.push(await createUnit(a, { name, kind: level, parent_id: parent.id }));
  const tasks = [];
  UNITS.forEach(([, , ts], i) => ts.forEach(([state, max, appr, self]) => tasks.push({
    subject_unit_id: units[i].id, state, max_points: max, approved_points: appr, self_points: self,
  })));
  const { roundId } = createRound({ units: units.map((u, i) => ({ unit_id: u.id, level: UNITS[i][1] })), tasks });
  ctx = { a, units, roundId, byName: (n) => units[UNITS.findIndex((u) => u[0] === n)] };
  return ctx;
}

const dash = async (c, roundId, params = {}) =>
  c.get(`/rounds/${roundId}/dashboard?` + new URLSearchParams(params).toString());
const names = (j) => j.units.map((u) => u.name);

test('dashboard: one level, per-unit figures, totals and the level tabs', async () => {
  const { a, roundId, byName } = await setup();
  const j = expectStatus(await dash(a, roundId, { level: 'department' }), 200);
  assert.equal(j.total, 4);
  assert.equal(j.level, 'department');
  assert.deepEqual(j.levels, [{ level: 'department', units: 4 }, { level: 'district', units: 1 }]);
  const stc = j.units.find((u) => u.unit_id === byName('Sở Tài chính').id);
  assert.deepEqual({ ...stc, unit_id: 0, code: '' }, {
    unit_id: 0, code: '', name: 'Sở Tài chính', level: 'department', tasks: 3, self_points: 16,
    approved_points: 10, max_points: 20, counts: { dat: 1, chua_dat: 1, khong_dat: 1 },
  });
  const kh = j.units.find((u) => u.name === 'Sở Kế hoạch và Đầu tư');
  assert.deepEqual([kh.tasks, kh.max_points, kh.counts.khong_dat], [0, 0, 0], 'a unit without tasks has zeros');
  assert.deepEqual(j.totals, { tasks: 6, self_points: 29, approved_points: 15, max_points: 53,
    counts: { dat: 1, chua_dat: 3, khong_dat: 2 } });
  const d = expectStatus(await dash(a, roundId, { level: 'district' }), 200);
  assert.deepEqual(names(d), ['Thị xã Hương Thủy']);
  const all = expectStatus(await dash(a, roundId), 200);
  assert.equal(all.level, null);
  assert.equal(all.total, 5);
  const none = expectStatus(await dash(a, roundId, { level: 'commune' }), 200);
  assert.deepEqual([none.total, none.units, none.totals.tasks], [0, [], 0]);
});

test('dashboard search: no diacritics, upper case, decomposed (NFD) input, d finds đ', async () => {
  const { a, roundId } = await setup();
  const find = async (q, level = 'department') => names(expectStatus(await dash(a, roundId, { level, q }), 200));
  assert.deepEqual(await find('so tai chinh'), ['Sở Tài chính']);
  assert.deepEqual(await find('SỞ TÀI CHÍNH'), ['Sở Tài chính']);
  assert.deepEqual(await find('Sở Tài chính'.normalize('NFD')), ['Sở Tài chính']);
  assert.notEqual('Sở Tài chính'.normalize('NFD'), 'Sở Tài chính');
  assert.deepEqual(await find('  tai   CHINH '), ['Sở Tài chính']);
  assert.deepEqual(await find('dai hoc'), ['Đại học Huế']);
  assert.deepEqual(await find('dau tu'), ['Sở Kế hoạch và Đầu tư']);
  assert.deepEqual(await find('\u00d0ại'), ['Đại học Huế'], 'Ð (U+00D0) is read as Đ');
  assert.deepEqual(await find('so t'), ['Sở Tài chính', 'Sở Tư pháp']);
  assert.deepEqual(await find('huong thuy'), [], 'the level filter holds');
  assert.deepEqual(await find('huong thuy', 'district'), ['Thị xã Hương Thủy']);
  assert.deepEqual(await find('tài chánh'), []);
  const j = expectStatus(await dash(a, roundId, { level: 'department', q: 'SO T' }), 200);
  assert.equal(j.q, 'SO T', 'the search text is echoed as given');
  assert.equal(j.total, 2);
  assert.equal(j.totals.tasks, 4, 'totals are over the matching units');
  assert.deepEqual(names(expectStatus(await dash(a, roundId, { level: 'department', q: '' }), 200)).length, 4);
});

test('dashboard: sort by every column, both directions; paging', async () => {
  const { a, roundId } = await setup();
  const order = async (sort, dir) => names(expectStatus(await dash(a, roundId, { level: 'department', sort, dir }), 200));
  // by name: folded ("Đại" as "dai" before "So…")
  assert.deepEqual(await order('name', 'asc'), ['Đại học Huế', 'Sở Kế hoạch và Đầu tư', 'Sở Tài chính', 'Sở Tư pháp']);
  assert.deepEqual(await order('name', 'desc'), ['Sở Tư pháp', 'Sở Tài chính', 'Sở Kế hoạch và Đầu tư', 'Đại học Huế']);
  assert.deepEqual(await order('tasks', 'desc'), ['Sở Tài chính', 'Đại học Huế', 'Sở Tư pháp', 'Sở Kế hoạch và Đầu tư']);
  assert.deepEqual(await order('approved_points', 'desc'), ['Sở Tài chính', 'Sở Tư pháp', 'Đại học Huế', 'Sở Kế hoạch và Đầu tư']);
  assert.deepEqual(await order('max_points', 'desc'), ['Đại học Huế', 'Sở Tài chính', 'Sở Tư pháp', 'Sở Kế hoạch và Đầu tư']);
  assert.deepEqual(await order('self_points', 'asc'), ['Sở Kế hoạch và Đầu tư', 'Đại học Huế', 'Sở Tư pháp', 'Sở Tài chính']);
  assert.deepEqual(await order('dat', 'desc'), ['Sở Tài chính', 'Đại học Huế', 'Sở Kế hoạch và Đầu tư', 'Sở Tư pháp']);
  assert.deepEqual(await order('chua_dat', 'desc'), ['Đại học Huế', 'Sở Tài chính', 'Sở Tư pháp', 'Sở Kế hoạch và Đầu tư']);
  assert.deepEqual(await order('khong_dat', 'desc'), ['Đại học Huế', 'Sở Tài chính', 'Sở Kế hoạch và Đầu tư', 'Sở Tư pháp']);
  const codes = (await Promise.all([order('code', 'asc')]))[0];
  assert.equal(codes.length, 4);
  // ties keep the name order in both directions (khong_dat: two units at 0 -> by name)
  const asc = await order('khong_dat', 'asc');
  assert.deepEqual(asc.slice(0, 2), ['Sở Kế hoạch và Đầu tư', 'Sở Tư pháp']);
  // paging
  const p = expectStatus(await dash(a, roundId, { level: 'department', sort: 'name', offset: 1, limit: 2 }), 200);
  assert.deepEqual([p.offset, p.limit, p.total], [1, 2, 4]);
  assert.deepEqual(names(p), ['Sở Kế hoạch và Đầu tư', 'Sở Tài chính']);
  assert.equal(p.totals.tasks, 6, 'totals cover every matching unit, not only the page');
  const past = expectStatus(await dash(a, roundId, { level: 'department', offset: 10 }), 200);
  assert.deepEqual([past.units.length, past.total], [0, 4]);
  const dflt = expectStatus(await dash(a, roundId), 200);
  assert.deepEqual([dflt.sort, dflt.dir, dflt.offset, dflt.limit], ['name', 'asc', 0, 50]);
});

test('dashboard: bad parameters get a Vietnamese 400 naming the field', async () => {
  const { a, roundId } = await setup();
  const bad = [
    [{ level: 'tinh' }, 'level'], [{ sort: 'points' }, 'sort'], [{ dir: 'up' }, 'dir'],
    [{ offset: '-1' }, 'offset'], [{ offset: 'x' }, 'offset'], [{ limit: '0' }, 'limit'],
    [{ limit: '10001' }, 'limit'], [{ limit: '1.5' }, 'limit'], [{ q: 'a'.repeat(201) }, 'q'],
  ];
  for (const [params, field] of bad) {
    const e = expectError(await dash(a, roundId, params), 400, 'invalid_value', field);
    assert.match(e.message, /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i, 'Vietnamese message');
  }
  expectStatus(await dash(a, roundId, { q: 'ạ'.repeat(200) }), 200);
  // invalid UTF-8 in q: refused (by the router's query reader or by the folding), never matched
  const r = await a.get(`/rounds/${roundId}/dashboard?q=%FF%FE`);
  assert.equal(r.status, 400);
  expectError(await a.get(`/rounds/${roundId}/dashboard?page=2`), 400);
  expectError(await dash(a, 999999999), 404, 'not_found');
});

test('dashboard authz: admins and appraisers see every unit; staff and leaders are refused', async () => {
  const { a, roundId, byName } = await setup();
  const { client: appr } = await newUserClient(a, { role: 'appraiser' });
  expectStatus(await dash(appr, roundId, { level: 'department' }), 200);
  for (const role of ['staff', 'leader']) {
    const { client } = await newUserClient(a, { role, unit_id: byName('Sở Tài chính').id });
    expectError(await dash(client, roundId), 403);
  }
  expectError(await dash(new Client(), roundId), 401);
});

test('dashboard: a change in the database shows at once (tasks, unit names)', async () => {
  const { a, roundId, byName } = await setup();
  const tp = byName('Sở Tư pháp');
  const before = expectStatus(await dash(a, roundId, { level: 'department', q: 'tu phap' }), 200).units[0];
  assert.equal(before.counts.chua_dat, 1);
  sql(`UPDATE tasks SET approved_points = 1000 WHERE round_id = ${roundId} AND subject_unit_id = ${tp.id}`);
  const after = expectStatus(await dash(a, roundId, { level: 'department', q: 'tu phap' }), 200).units[0];
  assert.deepEqual([after.approved_points, after.counts.dat, after.counts.chua_dat], [10, 1, 0]);
  const renamed = `Sở Tư pháp mới ${uniq('')}`;
  expectStatus(await a.patch(`/units/${tp.id}`, { name: renamed }), 200);
  const j = expectStatus(await dash(a, roundId, { level: 'department', q: 'TU PHAP MOI' }), 200);
  assert.deepEqual(names(j), [renamed]);
  expectStatus(await a.patch(`/units/${tp.id}`, { name: 'Sở Tư pháp' }), 200);
  sql(`UPDATE tasks SET approved_points = 500 WHERE round_id = ${roundId} AND subject_unit_id = ${tp.id}`);
  const back = expectStatus(await dash(a, roundId, { level: 'department', q: 'tu phap' }), 200).units[0];
  assert.equal(back.counts.chua_dat, 1);
});
