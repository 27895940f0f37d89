// rounds.test.mjs — evaluation rounds (docs/rounds-api.md): create with every task generated,
// read, patch title and phases; each bad input refused with its field and nothing changed;
// only admins write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAdmin, createUnit, newUserClient, rootUnit, uniq, unitByCode, expectError, expectStatus } from './lib.mjs';

const DEPT = { level: 'department', framework_id: 'hue-cap-so-2023', version: 3 };
const PROV = { level: 'province', framework_id: 'national-province-demo', version: 2 };
const PHASES = [
  { phase: 'trial', starts: '2025-03-01', ends: '2025-03-15' },
  { phase: 'self_assessment', starts: '2025-03-16', ends: '2025-04-30' },
  { phase: 'appraisal1', starts: '2025-05-01', ends: '2025-05-20' },
  { phase: 'explanation', starts: '2025-05-21', ends: '2025-05-31' },
  { phase: 'appraisal2', starts: '2025-06-01', ends: '2025-06-15' },
  { phase: 'finalised', starts: '2025-06-16', ends: '2025-12-31' },
];

async function roundCount(a) {
  return expectStatus(await a.get('/rounds'), 200).rounds.length;
}

async function auditOf(a, id) {
  return expectStatus(await a.get(`/audit?entity=round&entity_id=${id}`), 200).entries;
}

test('create a round of two departments: 69 tasks each, phases, counts, one audit entry', async () => {
  const a = await loginAdmin();
  const d1 = await createUnit(a), d2 = await createUnit(a);
  const title = 'Đánh giá DTI năm 2025 ' + uniq('');
  const r = expectStatus(await a.post('/rounds', {
    title: '  ' + title + ' ', year: 2025, frameworks: [DEPT],
    units: { levels: [], include: [d1.id, d2.id] }, phases: PHASES,
  }), 201);
  assert.equal(r.title, title);
  assert.equal(r.year, 2025);
  assert.equal(r.status, 'open');
  assert.equal(r.version, 1);
  assert.deepEqual(r.counts, { units: 2, tasks: 138 });
  assert.equal(r.frameworks.length, 1);
  assert.equal(r.frameworks[0].framework_id, 'hue-cap-so-2023');
  assert.equal(r.frameworks[0].version, 3);
  assert.equal(r.frameworks[0].level, 'department');
  assert.deepEqual(r.phases.map((p) => [p.phase, p.starts, p.ends]), PHASES.map((p) => [p.phase, p.starts, p.ends]));
  assert.equal(r.phases[0].starts_at, '2025-03-01T00:00:00+07:00');
  assert.equal(r.phases[0].ends_at, '2025-03-16T00:00:00+07:00');
  assert.equal(r.phases[0].label, 'Thử nghiệm');
  assert.equal(r.current_phase, null); // 2025 is over by the time this runs
  assert.deepEqual(expectStatus(await a.get('/rounds/' + r.id), 200), r);
  assert.ok(expectStatus(await a.get('/rounds'), 200).rounds.some((x) => x.id === r.id));
  const entries = await auditOf(a, r.id);
  assert.equal(entries.length, 1, 'one audit entry for the round, not one per task');
  assert.equal(entries[0].action, 'round.create');
  assert.equal(entries[0].new.tasks, 138);
  assert.equal(entries[0].new.units, 2);
});

test('by level: every active department, 69 tasks each; exclude and retired units left out', async () => {
  const a = await loginAdmin();
  const gone = await createUnit(a);
  expectStatus(await a.post(`/units/${gone.id}/retire`, { reason: 'Sáp nhập' }), 200);
  const out = await createUnit(a);
  const r = expectStatus(await a.post('/rounds', {
    title: 'Theo cấp ' + uniq(''), year: 2025, frameworks: [DEPT],
    units: { levels: ['department'], exclude: [out.id] },
  }), 201);
  assert.ok(r.counts.units >= 12, 'the demo province has 12 departments');
  assert.equal(r.counts.tasks, 69 * r.counts.units);
  assert.deepEqual(r.phases, []);
});

test('a province-level set: one task per criterion of the province', async () => {
  const a = await loginAdmin();
  const r = expectStatus(await a.post('/rounds', {
    title: 'Cấp tỉnh ' + uniq(''), year: 2025, frameworks: [PROV], units: { levels: ['province'] },
  }), 201);
  assert.deepEqual(r.counts, { units: 1, tasks: 42 });
  assert.equal(r.frameworks[0].level, 'province');
});

test('patch the title and the phases; audited with old and new', async () => {
  const a = await loginAdmin();
  const d = await createUnit(a);
  const r = expectStatus(await a.post('/rounds', {
    title: 'Sửa ' + uniq(''), year: 2026, frameworks: [DEPT], units: { include: [d.id] }, phases: PHASES.slice(0, 2),
  }), 201);
  const t2 = 'Đổi tên ' + uniq('');
  const p = expectStatus(await a.patch('/rounds/' + r.id, { title: t2, phases: PHASES.slice(0, 3) }), 200);
  assert.equal(p.title, t2);
  assert.equal(p.phases.length, 3);
  assert.equal(p.version, 2);
  assert.deepEqual(p.counts, r.counts);
  const e = (await auditOf(a, r.id)).find((x) => x.action === 'round.update');
  assert.equal(e.old.title, r.title);
  assert.equal(e.new.title, t2);
  assert.equal(e.old.phases.length, 2);
  assert.equal(e.new.phases.length, 3);
  // same values again: nothing to change, no new version
  const q = expectStatus(await a.patch('/rounds/' + r.id, { title: t2 }), 200);
  assert.equal(q.version, 2);
  expectError(await a.patch('/rounds/' + r.id, { year: 2027 }), 400, 'unknown_field', 'year');
  expectError(await a.patch('/rounds/' + r.id, { title: '' }), 422, 'invalid_value', 'title');
  expectError(await a.patch('/rounds/' + r.id, { phases: [PHASES[2], { ...PHASES[0], ends: '2025-05-01' }] }), 422, 'invalid_value', 'phases[0]');
  expectError(await a.patch('/rounds/999999999', { title: 'x' }), 404, 'not_found');
  assert.deepEqual(expectStatus(await a.get('/rounds/' + r.id), 200), p);
});

test('bad input: each refused with its field, nothing created', async () => {
  const a = await loginAdmin();
  const d = await createUnit(a);
  const gone = await createUnit(a);
  expectStatus(await a.post(`/units/${gone.id}/retire`, { reason: 'Sáp nhập' }), 200);
  const hue = await unitByCode(a, 'HUE');
  const ok = { title: 'Lỗi ' + uniq(''), year: 2025, frameworks: [DEPT], units: { include: [d.id] }, phases: PHASES };
  const before = await roundCount(a);
  const cases = [
    [{ title: undefined }, 400, 'missing_field', 'title'],
    [{ title: '   ' }, 422, 'invalid_value', 'title'],
    [{ title: 'a\u202Eb' }, 422, 'invalid_value', 'title'],
    [{ title: 'x'.repeat(201) }, 400, 'too_long', 'title'],
    [{ year: undefined }, 400, 'missing_field', 'year'],
    [{ year: '2025' }, 400, 'invalid_type', 'year'],
    [{ year: 1999 }, 422, 'invalid_value', 'year'],
    [{ frameworks: undefined }, 400, 'missing_field', 'frameworks'],
    [{ frameworks: [] }, 422, 'invalid_value', 'frameworks'],
    [{ frameworks: [{ ...DEPT, framework_id: 'khong-co' }] }, 422, 'invalid_value', 'frameworks[0].framework_id'],
    [{ frameworks: [{ ...DEPT, version: 99 }] }, 422, 'invalid_value', 'frameworks[0].framework_id'],
    [{ frameworks: [{ ...DEPT, version: '2' }] }, 400, 'invalid_type', 'frameworks[0].version'],
    [{ frameworks: [{ ...DEPT, level: 'district' }] }, 422, 'invalid_value', 'frameworks[0].level'],
    [{ frameworks: [{ ...DEPT, level: 'tinh' }] }, 422, 'invalid_value', 'frameworks[0].level'],
    [{ frameworks: [DEPT, DEPT] }, 422, 'invalid_value', 'frameworks[1].level'],
    [{ frameworks: [{ ...DEPT, extra: 1 }] }, 400, 'unknown_field', 'frameworks[0].extra'],
    [{ units: undefined }, 400, 'missing_field', 'units'],
    [{ units: { levels: ['district'] } }, 422, 'invalid_value', 'units.levels[0]'],
    [{ units: { levels: ['xa'] } }, 422, 'invalid_value', 'units.levels[0]'],
    [{ units: { include: [gone.id] } }, 422, 'invalid_value', 'units.include[0]'],
    [{ units: { include: [999999999] } }, 422, 'invalid_value', 'units.include[0]'],
    [{ units: { include: [hue.id] } }, 422, 'invalid_value', 'units.include[0]'],
    [{ units: { include: ['1'] } }, 400, 'invalid_type', 'units.include[0]'],
    [{ units: { include: [d.id], exclude: [d.id] } }, 422, 'invalid_value', 'units.exclude[0]'],
    [{ units: { include: [d.id], exclude: [999999999] } }, 422, 'invalid_value', 'units.exclude[0]'],
    [{ units: { include: [d.id], exclude: [d.id + 0] , levels: [] , x: 1 } }, 400, 'unknown_field', 'units.x'],
    [{ units: { include: [] } }, 422, 'invalid_value', 'units'],
    [{ phases: [{ phase: 'appraisal3', starts: '2025-01-01', ends: '2025-01-02' }] }, 422, 'invalid_value', 'phases[0].phase'],
    [{ phases: [{ phase: 'trial', starts: '2025-02-30', ends: '2025-03-02' }] }, 422, 'invalid_value', 'phases[0].starts'],
    [{ phases: [{ phase: 'trial', starts: '2025-03-01', ends: '01/04/2025' }] }, 422, 'invalid_value', 'phases[0].ends'],
    [{ phases: [{ phase: 'trial', starts: '2025-03-01' }] }, 400, 'missing_field', 'phases[0].ends'],
    [{ phases: [{ phase: 'trial', starts: '2025-03-10', ends: '2025-03-09' }] }, 422, 'invalid_value', 'phases[0]'],
    [{ phases: [PHASES[0], PHASES[0]] }, 422, 'invalid_value', 'phases[1].phase'],
    // windows must follow the table's order (the array's order does not matter)
    [{ phases: [{ ...PHASES[0], starts: '2025-05-01', ends: '2025-05-10' }, PHASES[1]] }, 422, 'invalid_value', 'phases[1]'],
    [{ phases: [PHASES[0], { ...PHASES[1], starts: '2025-03-15' }] }, 422, 'invalid_value', 'phases[1]'],
    [{ extra: true }, 400, 'unknown_field', 'extra'],
  ];
  for (const [patch, status, code, field] of cases) {
    const body = { ...ok, ...patch };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    const res = await a.post('/rounds', body);
    assert.equal(res.status, status, JSON.stringify(patch) + ': ' + res.text.slice(0, 300));
    const e = expectError(res, status, code, field);
    assert.match(e.message, /[ạảãàáâậầấẩẫăắằẳẵặẹẻẽèéêếềểễệđìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i, JSON.stringify(patch) + ': Vietnamese message');
  }
  // a phase overlap names both phases and their dates
  const e = expectError(await a.post('/rounds', { ...ok, phases: [PHASES[0], { ...PHASES[1], starts: '2025-03-15' }] }), 422);
  assert.match(e.message, /Tự đánh giá chính thức.*15\/03\/2025.*Thử nghiệm/);
  assert.equal(await roundCount(a), before, 'no round created by a refused request');
});

test('only admins write; every signed-in user reads', async () => {
  const a = await loginAdmin();
  const d = await createUnit(a);
  const r = expectStatus(await a.post('/rounds', { title: 'Quyền ' + uniq(''), year: 2025, frameworks: [DEPT], units: { include: [d.id] } }), 201);
  const before = await roundCount(a);
  for (const role of ['staff', 'leader', 'appraiser']) {
    const { client } = await newUserClient(a, { role, unit_id: d.id });
    expectError(await client.post('/rounds', { title: 'x', year: 2025, frameworks: [DEPT], units: { include: [d.id] } }), 403, 'forbidden');
    expectError(await client.patch('/rounds/' + r.id, { title: 'x' }), 403, 'forbidden');
    assert.equal(expectStatus(await client.get('/rounds/' + r.id), 200).title, r.title);
    assert.ok(expectStatus(await client.get('/rounds'), 200).rounds.some((x) => x.id === r.id));
  }
  assert.equal(await roundCount(a), before);
  assert.equal(expectStatus(await a.get('/rounds/' + r.id), 200).title, r.title);
});
