// rounds.test.mjs — evaluation rounds (docs/rounds-api.md): create with every task generated,
// read, patch title and phases; each bad input refused with its field and nothing changed;
// only admins write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loginAdmin, createUnit, createUser, newUserClient, uniq, unitByCode, expectError, expectStatus, ENGINE, DB_URL } from './lib.mjs';

// Straight to the database: reads find task ids before the tasks routes exist; writes stand in
// for what other parts' routes will write (trial reports, evidence). Writes go through psql on
// PostgreSQL only: a second process writing the live SQLite file broke the server's
// connections in the full parallel suite (every later request 401/500), so on SQLite the
// clearing itself is covered in-process by tests/unit/test_rounds.c. Values are numbers built
// by the test.
const WRITES = ENGINE === 'postgres';
function sql(statement, write = false) {
  assert.ok(!write || WRITES, 'direct writes on PostgreSQL only');
  const out = ENGINE === 'postgres'
    ? execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', DB_URL, '-c', statement], { encoding: 'utf8' })
    : execFileSync('sqlite3', ['-readonly', '-cmd', '.timeout 5000', DB_URL.replace(/^sqlite:/, ''), statement], { encoding: 'utf8' });
  return out.trim();
}

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

async function deptRound(a, extra = {}) {
  const d = await createUnit(a);
  const r = expectStatus(await a.post('/rounds', { title: 'Vòng ' + uniq(''), year: 2025, frameworks: [DEPT, PROV],
    units: { levels: ['province'], include: [d.id] }, ...extra }), 201);
  return { r, d };
}

test('trial data: nothing yet; a wrong confirmation refused; nothing to clear clears nothing', async () => {
  const a = await loginAdmin();
  const { r } = await deptRound(a);
  assert.deepEqual(expectStatus(await a.get(`/rounds/${r.id}/trial-data`), 200), { tasks: 0, evidence: 0 });
  const e = expectError(await a.post(`/rounds/${r.id}/clear-trial`, { confirm: 1 }), 409, 'trial_count_changed', 'confirm');
  assert.match(e.message, /\b0\b/, 'says how many would be cleared');
  expectError(await a.post(`/rounds/${r.id}/clear-trial`, { confirm: '0' }), 400, 'invalid_type', 'confirm');
  expectError(await a.post(`/rounds/${r.id}/clear-trial`, { confirm: -1 }), 400, 'invalid_type', 'confirm');
  expectError(await a.post(`/rounds/${r.id}/clear-trial`, {}), 400, 'missing_field', 'confirm');
  expectError(await a.post(`/rounds/${r.id}/clear-trial`, { confirm: 0, x: 1 }), 400, 'unknown_field', 'x');
  expectError(await a.post(`/rounds/999999999/clear-trial`, { confirm: 0 }), 404, 'not_found');
  expectError(await a.get(`/rounds/999999999/trial-data`), 404, 'not_found');
  assert.equal(expectStatus(await a.get('/rounds/' + r.id), 200).trial_cleared_at, null, 'nothing done by a refusal');
  assert.deepEqual(expectStatus(await a.post(`/rounds/${r.id}/clear-trial`, { confirm: 0 }), 200), { tasks: 0, evidence: 0 });
  assert.notEqual(expectStatus(await a.get('/rounds/' + r.id), 200).trial_cleared_at, null);
});

test('trial data: counted, cleared only with the right confirmation, back to not started', { skip: WRITES ? false : 'PostgreSQL only (see sql()); SQLite: tests/unit/test_rounds.c' }, async () => {
  const a = await loginAdmin();
  const { r, d } = await deptRound(a);
  const ids = sql(`SELECT id FROM tasks WHERE round_id = ${r.id} AND subject_unit_id = ${d.id} ORDER BY id LIMIT 3`).split('\n').map(Number);
  assert.equal(ids.length, 3);
  sql(`UPDATE tasks SET trial = 1, state = 'draft', inputs = '{"x":1}', content = 'thử', self_points = 500, self_status = 'scored', leader_comment = 'x', submitted_at = 1 WHERE id IN (${ids.join(',')})`, true);
  const sha = 'ab'.repeat(32);
  sql(`INSERT INTO blobs (sha256, size, mime, created_at) VALUES ('${sha}', 3, 'application/pdf', 1) ON CONFLICT DO NOTHING`, true);
  sql(`INSERT INTO evidence (task_id, sha256, file_name, mime, size, uploaded_at, trial) VALUES (${ids[0]}, '${sha}', 'a.pdf', 'application/pdf', 3, 1, 1)`, true);
  sql(`INSERT INTO task_comments (task_id, author_name, kind, body, at) VALUES (${ids[1]}, 'x', 'comment', 'thử', 1)`, true);
  assert.deepEqual(expectStatus(await a.get(`/rounds/${r.id}/trial-data`), 200), { tasks: 3, evidence: 1 });

  const e = expectError(await a.post(`/rounds/${r.id}/clear-trial`, { confirm: 2 }), 409, 'trial_count_changed', 'confirm');
  assert.match(e.message, /\b3\b/, 'says how many would be cleared');
  assert.deepEqual(expectStatus(await a.get(`/rounds/${r.id}/trial-data`), 200), { tasks: 3, evidence: 1 }, 'nothing cleared by a refusal');

  assert.deepEqual(expectStatus(await a.post(`/rounds/${r.id}/clear-trial`, { confirm: 3 }), 200), { tasks: 3, evidence: 1 });
  assert.deepEqual(expectStatus(await a.get(`/rounds/${r.id}/trial-data`), 200), { tasks: 0, evidence: 0 });
  assert.equal(sql(`SELECT COUNT(*) FROM tasks WHERE id IN (${ids.join(',')}) AND state = 'not_started' AND trial = 0
    AND inputs = '{}' AND content IS NULL AND self_points IS NULL AND leader_comment IS NULL AND submitted_at IS NULL AND version = 2`), '3');
  assert.equal(sql(`SELECT COUNT(*) FROM task_comments WHERE task_id IN (${ids.join(',')})`), '0');
  assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE task_id = ${ids[0]} AND removed_at IS NOT NULL`), '1');
  const g = expectStatus(await a.get('/rounds/' + r.id), 200);
  assert.notEqual(g.trial_cleared_at, null);
  const au = (await auditOf(a, r.id)).filter((x) => x.action === 'round.clear_trial');
  assert.deepEqual(au.map((x) => x.new), [{ tasks: 3, evidence: 1 }]);
});

test('appraiser assignments: add by level, pillar or criterion, to a unit or an account; remove', async () => {
  const a = await loginAdmin();
  const { r, d } = await deptRound(a);
  const appr = (await createUser(a, { role: 'appraiser', unit_id: d.id })).user;
  const staff = (await createUser(a, { role: 'staff', unit_id: d.id })).user;
  const gone = await createUnit(a);
  expectStatus(await a.post(`/units/${gone.id}/retire`, { reason: 'Sáp nhập' }), 200);
  const base = `/rounds/${r.id}/appraisers`;
  const x = expectStatus(await a.post(base, { level: 'department', pillar_key: 'i', appraiser_user_id: appr.id }), 201);
  assert.equal(x.level, 'department');
  assert.equal(x.pillar_key, 'i');
  assert.equal(x.criterion_key, null);
  assert.equal(x.appraiser_user_id, appr.id);
  assert.equal(x.appraiser_username, appr.username);
  assert.equal(x.appraiser_unit_id, null);
  const y = expectStatus(await a.post(base, { level: 'department', pillar_key: 'ii', criterion_key: 'ii-1-1', appraiser_unit_id: d.id }), 201);
  assert.equal(y.appraiser_unit_name, d.name);
  expectStatus(await a.post(base, { level: 'province', appraiser_unit_id: d.id }), 201);
  const before = expectStatus(await a.get(base), 200).appraisers;
  assert.equal(before.length, 3);
  assert.deepEqual(before[0], x);

  const bad = [
    [{ pillar_key: 'i', appraiser_unit_id: d.id }, 400, 'missing_field', 'level'],
    [{ level: 'district', appraiser_unit_id: d.id }, 422, 'invalid_value', 'level'],
    [{ level: 'department', pillar_key: 'ix-khong', appraiser_unit_id: d.id }, 422, 'invalid_value', 'pillar_key'],
    [{ level: 'department', criterion_key: 'khong-co', appraiser_unit_id: d.id }, 422, 'invalid_value', 'criterion_key'],
    [{ level: 'department', pillar_key: 'i', criterion_key: 'ii-1-1', appraiser_unit_id: d.id }, 422, 'invalid_value', 'criterion_key'],
    [{ level: 'department' }, 422, 'invalid_value', 'appraiser_unit_id'],
    [{ level: 'department', appraiser_unit_id: d.id, appraiser_user_id: appr.id }, 422, 'invalid_value', 'appraiser_user_id'],
    [{ level: 'department', appraiser_user_id: staff.id }, 422, 'invalid_value', 'appraiser_user_id'],
    [{ level: 'department', appraiser_unit_id: gone.id }, 422, 'invalid_value', 'appraiser_unit_id'],
    [{ level: 'department', appraiser_unit_id: 'x' }, 400, 'invalid_type', 'appraiser_unit_id'],
    [{ level: 'department', pillar_key: 5, appraiser_unit_id: d.id }, 400, 'invalid_type', 'pillar_key'],
    [{ level: 'department', appraiser_unit_id: d.id, note: 'x' }, 400, 'unknown_field', 'note'],
  ];
  for (const [body, status, code, field] of bad) {
    const res = await a.post(base, body);
    assert.equal(res.status, status, JSON.stringify(body) + ': ' + res.text);
    expectError(res, status, code, field);
  }
  expectError(await a.post(base, { level: 'department', pillar_key: 'i', appraiser_user_id: appr.id }), 409, 'appraiser_assignment_exists');
  expectError(await a.post('/rounds/999999999/appraisers', { level: 'department', appraiser_unit_id: d.id }), 404, 'not_found');
  assert.deepEqual(expectStatus(await a.get(base), 200).appraisers, before, 'nothing added by a refusal');

  const del = await a.request('DELETE', `${base}/${y.id}`);
  assert.equal(del.status, 204, del.text);
  expectError(await a.request('DELETE', `${base}/${y.id}`), 404, 'not_found');
  expectError(await a.request('DELETE', `/rounds/999999999/appraisers/${x.id}`), 404, 'not_found');
  assert.deepEqual(expectStatus(await a.get(base), 200).appraisers.map((z) => z.id), [before[0].id, before[2].id]);
  const au = await auditOf(a, r.id);
  assert.equal(au.filter((e) => e.action === 'round.appraiser_add').length, 3);
  assert.deepEqual(au.find((e) => e.action === 'round.appraiser_remove').old, y);
});

test('the admin moves a province-level task to another agency; other tasks refused', async () => {
  const a = await loginAdmin();
  const { r, d } = await deptRound(a);
  const hue = await unitByCode(a, 'HUE');
  const stc = await unitByCode(a, 'STC');
  const pt = Number(sql(`SELECT id FROM tasks WHERE round_id = ${r.id} AND subject_unit_id = ${hue.id} AND unit_id = ${stc.id} ORDER BY id LIMIT 1`));
  const dt = Number(sql(`SELECT id FROM tasks WHERE round_id = ${r.id} AND subject_unit_id = ${d.id} ORDER BY id LIMIT 1`));
  assert.ok(pt > 0 && dt > 0);
  const t = expectStatus(await a.patch(`/tasks/${pt}/assignment`, { unit_id: d.id }), 200);
  assert.equal(t.unit_id, d.id);
  assert.equal(t.unit_name, d.name);
  assert.equal(t.subject_unit_id, hue.id);
  assert.equal(t.version, 2);
  const gone = await createUnit(a);
  expectStatus(await a.post(`/units/${gone.id}/retire`, { reason: 'Sáp nhập' }), 200);
  expectError(await a.patch(`/tasks/${pt}/assignment`, { unit_id: gone.id }), 422, 'invalid_value', 'unit_id');
  expectError(await a.patch(`/tasks/${pt}/assignment`, { unit_id: 'x' }), 400, 'invalid_type', 'unit_id');
  expectError(await a.patch(`/tasks/${pt}/assignment`, {}), 400, 'missing_field', 'unit_id');
  expectError(await a.patch(`/tasks/${pt}/assignment`, { unit: 1 }), 400, 'unknown_field', 'unit');
  expectError(await a.patch(`/tasks/${dt}/assignment`, { unit_id: stc.id }), 409, 'not_province_task');
  expectError(await a.patch(`/tasks/999999999/assignment`, { unit_id: stc.id }), 404, 'not_found');
  assert.equal(sql(`SELECT unit_id || '/' || version FROM tasks WHERE id = ${pt}`), `${d.id}/2`);
  assert.equal(sql(`SELECT unit_id FROM tasks WHERE id = ${dt}`), String(d.id));
  const au = expectStatus(await a.get(`/audit?entity=task&entity_id=${pt}`), 200).entries;
  assert.equal(au.length, 1);
  assert.equal(au[0].action, 'task.assign');
  assert.deepEqual([au[0].old.unit_id, au[0].new.unit_id], [stc.id, d.id]);
});

test('finalise freezes the round: every later write refused with 409', async () => {
  const a = await loginAdmin();
  const { r, d } = await deptRound(a);
  const hue = await unitByCode(a, 'HUE');
  const pt = Number(sql(`SELECT id FROM tasks WHERE round_id = ${r.id} AND subject_unit_id = ${hue.id} ORDER BY id LIMIT 1`));
  expectError(await a.post(`/rounds/${r.id}/finalise`, { x: 1 }), 400, 'unknown_field', 'x');
  const f = expectStatus(await a.post(`/rounds/${r.id}/finalise`), 200);
  assert.equal(f.status, 'finalised');
  assert.notEqual(f.finalised_at, null);
  assert.equal(f.version, 2);
  expectError(await a.post(`/rounds/${r.id}/finalise`), 409, 'round_finalised');
  expectError(await a.patch(`/rounds/${r.id}`, { title: 'x' }), 409, 'round_finalised');
  expectError(await a.post(`/rounds/${r.id}/clear-trial`, { confirm: 0 }), 409, 'round_finalised');
  expectError(await a.post(`/rounds/${r.id}/appraisers`, { level: 'department', appraiser_unit_id: d.id }), 409, 'round_finalised');
  expectError(await a.patch(`/tasks/${pt}/assignment`, { unit_id: d.id }), 409, 'round_finalised');
  expectError(await a.post(`/rounds/999999999/finalise`), 404, 'not_found');
  assert.deepEqual(expectStatus(await a.get('/rounds/' + r.id), 200), f);
  assert.equal((await auditOf(a, r.id)).filter((e) => e.action === 'round.finalise').length, 1);
});

test('staff, leader and appraiser: 403 on every admin route of a round, nothing changed', async () => {
  const a = await loginAdmin();
  const { r, d } = await deptRound(a);
  const ax = expectStatus(await a.post(`/rounds/${r.id}/appraisers`, { level: 'department', appraiser_unit_id: d.id }), 201);
  const pt = Number(sql(`SELECT id FROM tasks WHERE round_id = ${r.id} ORDER BY id LIMIT 1`));
  const snapshot = async () => JSON.stringify([expectStatus(await a.get('/rounds/' + r.id), 200),
    expectStatus(await a.get(`/rounds/${r.id}/appraisers`), 200), sql(`SELECT unit_id FROM tasks WHERE id = ${pt}`)]);
  const before = await snapshot();
  for (const role of ['staff', 'leader', 'appraiser']) {
    const { client } = await newUserClient(a, { role, unit_id: d.id });
    const calls = [
      ['POST', `/rounds/${r.id}/finalise`], ['GET', `/rounds/${r.id}/trial-data`],
      ['POST', `/rounds/${r.id}/clear-trial`, { confirm: 0 }], ['GET', `/rounds/${r.id}/appraisers`],
      ['POST', `/rounds/${r.id}/appraisers`, { level: 'department', appraiser_unit_id: d.id }],
      ['DELETE', `/rounds/${r.id}/appraisers/${ax.id}`], ['PATCH', `/tasks/${pt}/assignment`, { unit_id: d.id }],
    ];
    for (const [m, path, body] of calls) expectError(await client.request(m, path, body), 403, 'forbidden');
  }
  assert.equal(await snapshot(), before);
});
