// inbox.test.mjs — GET /inbox (what needs the caller, counts per kind, bounded) and
// GET /rounds/{id}/summary (per unit: tasks, points, Đạt / Chưa đạt / Không đạt, ?level=).
// Tasks are put into their states by rounds_fixture.mjs (direct SQL) because the task
// workflow is another part of issue 8; once it is merged these may use the real transitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loginAdmin, newUserClient, createUnit, uniq, expectError, expectStatus } from './lib.mjs';
import { createRound, assignAppraiser, now, DAY } from './rounds_fixture.mjs';

const iso = (t) => new Date((t + 7 * 3600) * 1000).toISOString().replace(/\.\d{3}Z$/, '+07:00');

test('inbox: staff, leader and appraiser each see what waits for them, counted per kind', async () => {
  const a = await loginAdmin();
  const u = await createUnit(a), v = await createUnit(a), ap = await createUnit(a);
  const staff = await newUserClient(a, { role: 'staff', unit_id: u.id });
  const leader = await newUserClient(a, { role: 'leader', unit_id: u.id });
  const appraiser = await newUserClient(a, { role: 'appraiser', unit_id: ap.id });
  const ends = now() + 3 * DAY;
  const states = ['returned', 'explanation_requested', 'draft', 'not_started', 'submitted', 'in_appraisal',
    'explained', 'in_appraisal', 'approved'];
  const { roundId, tasks } = createRound({
    units: [{ unit_id: u.id }, { unit_id: v.id }],
    phases: [{ phase: 'self_assessment', starts_at: now() - 10 * DAY, ends_at: ends }],
    tasks: [...states.map((state, i) => ({ subject_unit_id: u.id, state, pillar_key: `p${i + 1}`, criterion_key: `c${i + 1}`, approved_points: state === 'approved' ? 1000 : null })),
      { subject_unit_id: v.id, state: 'returned', criterion_key: 'c1', pillar_key: 'p1' },
      { subject_unit_id: v.id, state: 'submitted', criterion_key: 'c5', pillar_key: 'p5' }],
  });
  // the appraiser's unit is given pillar p6 (in_appraisal), the appraiser criterion c7 (explained)
  assignAppraiser(roundId, { pillar_key: 'p6', unit_id: ap.id });
  assignAppraiser(roundId, { criterion_key: 'c7', user_id: appraiser.user.id });
  assignAppraiser(roundId, { level: 'district', user_id: appraiser.user.id }); // another level: nothing
  // a finalised round and a deadline beyond 7 days add nothing
  createRound({ status: 'finalised', units: [{ unit_id: u.id }], tasks: [{ subject_unit_id: u.id, state: 'returned' }] });
  createRound({ units: [{ unit_id: u.id }], phases: [{ phase: 'self_assessment', starts_at: now() - DAY, ends_at: now() + 10 * DAY }],
    tasks: [{ subject_unit_id: u.id, state: 'not_started' }] });

  const s = expectStatus(await staff.client.get('/inbox'), 200);
  assert.deepEqual(s.counts, { task_returned: 1, explanation_requested: 1, due_soon: 3 });
  assert.equal(s.total, 5);
  assert.equal(s.limit, 50);
  const ret = s.items.find((x) => x.kind === 'task_returned');
  assert.deepEqual(ret, { kind: 'task_returned', label: 'Lãnh đạo trả lại', round_id: roundId, task_id: tasks[0],
    unit_id: u.id, criterion_key: 'c1', phase: null, due: iso(ends) });
  assert.deepEqual(s.items.filter((x) => x.kind === 'due_soon').map((x) => x.task_id).sort(), [tasks[0], tasks[2], tasks[3]].sort());
  assert.ok(s.items.every((x) => x.round_id === roundId && x.unit_id === u.id));
  // bounded: every count whole, items cut at the limit
  const s2 = expectStatus(await staff.client.get('/inbox?limit=2'), 200);
  assert.equal(s2.items.length, 2);
  assert.equal(s2.total, 5);
  assert.deepEqual(s2.counts, s.counts);
  for (const bad of ['0', '201', 'x', '-1', ''])
    expectError(await staff.client.get('/inbox?limit=' + bad), 400, 'invalid_value', 'limit');
  expectError(await staff.client.get('/inbox?unit_id=1'), 400);

  const l = expectStatus(await leader.client.get('/inbox'), 200);
  assert.deepEqual(l.counts, { awaiting_leader: 1 });
  assert.equal(l.items[0].task_id, tasks[4]);
  assert.equal(l.items[0].label, 'Chờ lãnh đạo duyệt');

  const p = expectStatus(await appraiser.client.get('/inbox'), 200);
  assert.deepEqual(p.counts, { awaiting_appraisal: 2 });
  assert.deepEqual(p.items.map((x) => x.task_id).sort(), [tasks[5], tasks[6]].sort());
  assert.ok(p.items.every((x) => x.label === 'Chờ thẩm định'));
});

test('inbox: a task is due soon by its criterion\'s own due date when it has one, else by the self-assessment end', async () => {
  const a = await loginAdmin();
  const u = await createUnit(a);
  const staff = await newUserClient(a, { role: 'staff', unit_id: u.id });
  // an index set whose criteria i-1-1 is due in 3 days and i-1-2 in 20 days (day.month of the
  // round's year, Asia/Ho_Chi_Minh); i-2-1 has no due date of its own
  const vn = (t) => new Date((t + 7 * 3600) * 1000);
  const dm = (t) => `${vn(t).getUTCDate()}.${vn(t).getUTCMonth() + 1}`;
  const t = now(), soon = t + 3 * DAY, later = t + 20 * DAY;
  const f = JSON.parse(readFileSync('tests/data/sample-framework.json', 'utf8'));
  f.id = 'han-' + uniq('x').toLowerCase().replace(/[^a-z0-9-]/g, '');
  const crit = f.pillars.flatMap((p) => p.groups.flatMap((g) => g.criteria));
  crit.find((c) => c.key === 'i-1-1').due = dm(soon);
  crit.find((c) => c.key === 'i-1-2').due = dm(later);
  delete crit.find((c) => c.key === 'i-2-1').due;
  expectStatus(await a.post('/frameworks', JSON.stringify(f), { raw: true, headers: { 'content-type': 'application/json' } }), 201);
  const year = vn(soon).getUTCFullYear();
  // the self-assessment window closes in 30 days: only the criterion's own date is within 7 days
  const { roundId, tasks } = createRound({
    year, units: [{ unit_id: u.id }],
    phases: [{ phase: 'self_assessment', starts_at: t - DAY, ends_at: t + 30 * DAY }],
    tasks: ['i-1-1', 'i-1-2', 'i-2-1'].map((k) => ({ subject_unit_id: u.id, criterion_key: k, framework_id: f.id, state: 'draft' })),
  });
  const s = expectStatus(await staff.client.get('/inbox'), 200);
  assert.equal(s.counts.due_soon, 1);
  const it = s.items.find((x) => x.kind === 'due_soon');
  assert.equal(it.task_id, tasks[0]);
  assert.equal(it.round_id, roundId);
  assert.equal(it.criterion_key, 'i-1-1');
  assert.match(it.due, new RegExp(`^${year}-`));
  // the task list agrees (due_at, time_state)
  const d = expectStatus(await staff.client.get(`/tasks/${tasks[0]}`), 200);
  assert.equal(d.due_at, it.due);
  assert.equal(d.time_state, 'due_soon');
  // with the window closing in 2 days, the task without a date of its own is due soon too
  const r2 = createRound({
    year, units: [{ unit_id: u.id }],
    phases: [{ phase: 'self_assessment', starts_at: t - DAY, ends_at: t + 2 * DAY }],
    tasks: [{ subject_unit_id: u.id, criterion_key: 'i-2-1', framework_id: f.id, state: 'not_started' },
      { subject_unit_id: u.id, criterion_key: 'i-1-2', framework_id: f.id, state: 'not_started' }],
  });
  const s2 = expectStatus(await staff.client.get('/inbox'), 200);
  assert.equal(s2.counts.due_soon, 2);
  assert.deepEqual(s2.items.filter((x) => x.kind === 'due_soon').map((x) => x.task_id).sort(), [tasks[0], r2.tasks[0]].sort());
});

test('inbox: the admin sees phase changes within 7 days and units not reported as self-assessment closes', async () => {
  const a = await loginAdmin();
  const u = await createUnit(a), w = await createUnit(a);
  const t = now();
  const { roundId } = createRound({
    units: [{ unit_id: u.id }, { unit_id: w.id }],
    phases: [{ phase: 'self_assessment', starts_at: t - 10 * DAY, ends_at: t + DAY },
      { phase: 'appraisal1', starts_at: t + DAY, ends_at: t + 20 * DAY }],
    tasks: [{ subject_unit_id: u.id, state: 'draft' }, { subject_unit_id: u.id, state: 'not_started', criterion_key: 'c2' },
      { subject_unit_id: w.id, state: 'in_appraisal' }],
  });
  const j = expectStatus(await a.get('/inbox?limit=200'), 200);
  assert.deepEqual(Object.keys(j.counts).sort(), ['phase_ends', 'phase_starts', 'unit_not_reported']);
  const mine = j.items.filter((x) => x.round_id === roundId);
  const kinds = mine.map((x) => `${x.kind}:${x.phase ?? ''}:${x.unit_id ?? ''}`).sort();
  assert.deepEqual(kinds, [`phase_ends:self_assessment:`, `phase_starts:appraisal1:`, `unit_not_reported::${u.id}`].sort());
  const starts = mine.find((x) => x.kind === 'phase_starts');
  assert.equal(starts.label, 'Sắp bắt đầu giai đoạn «Thẩm định lần 1»');
  assert.equal(starts.due, iso(t + DAY));
  assert.ok(j.counts.unit_not_reported >= 1 && j.total >= 3);
});

test('summary: per unit tasks, points and the Đạt / Chưa đạt / Không đạt counts; ?level=', async () => {
  const a = await loginAdmin();
  const u1 = await createUnit(a), u2 = await createUnit(a), u3 = await createUnit(a, { kind: 'district' });
  const t = now();
  const { roundId } = createRound({
    units: [{ unit_id: u1.id }, { unit_id: u2.id }, { unit_id: u3.id, level: 'district' }],
    phases: [{ phase: 'self_assessment', starts_at: t - DAY, ends_at: t + DAY }],
    tasks: [
      { subject_unit_id: u1.id, state: 'approved', self_points: 1000, approved_points: 1000 }, // Đạt
      { subject_unit_id: u1.id, state: 'approved', self_points: 800, approved_points: 550 },   // Chưa đạt
      { subject_unit_id: u1.id, state: 'approved', self_points: 300, approved_points: 0 },     // Không đạt
      { subject_unit_id: u1.id, state: 'draft', self_points: 250 },                            // Chưa đạt
      { subject_unit_id: u1.id, state: 'not_started' },                                         // Không đạt
      { subject_unit_id: u1.id, state: 'returned', self_points: 100 },                          // Chưa đạt (window open)
      { subject_unit_id: u1.id, state: 'draft', self_points: 0, max_points: 500, self_status: 'not_applicable' }, // Chưa đạt, max left out
      { subject_unit_id: u3.id, state: 'submitted', self_points: 725 },
    ],
  });
  const j = expectStatus(await a.get(`/rounds/${roundId}/summary`), 200);
  assert.equal(j.round_id, roundId);
  assert.equal(j.level, null);
  const row = (id) => j.units.find((x) => x.unit_id === id);
  assert.deepEqual(row(u1.id), { unit_id: u1.id, code: u1.code, name: u1.name, level: 'department', tasks: 7,
    self_points: 24.5, approved_points: 15.5, max_points: 60, counts: { dat: 1, chua_dat: 4, khong_dat: 2 } });
  assert.deepEqual(row(u2.id), { unit_id: u2.id, code: u2.code, name: u2.name, level: 'department', tasks: 0,
    self_points: 0, approved_points: 0, max_points: 0, counts: { dat: 0, chua_dat: 0, khong_dat: 0 } });
  assert.equal(row(u3.id).counts.chua_dat, 1);
  assert.equal(row(u3.id).self_points, 7.25);
  assert.deepEqual(j.totals, { tasks: 8, self_points: 31.75, approved_points: 15.5, max_points: 70,
    counts: { dat: 1, chua_dat: 5, khong_dat: 2 } });
  const d = expectStatus(await a.get(`/rounds/${roundId}/summary?level=district`), 200);
  assert.equal(d.level, 'district');
  assert.deepEqual(d.units.map((x) => x.unit_id), [u3.id]);
  assert.equal(d.totals.tasks, 1);
  expectError(await a.get(`/rounds/${roundId}/summary?level=city`), 400, 'invalid_value', 'level');
  expectError(await a.get(`/rounds/${roundId}/summary?x=1`), 400);
  expectError(await a.get('/rounds/999999999/summary'), 404, 'not_found');

  // staff and leaders see their own unit's row only; appraisers every unit
  const staff = await newUserClient(a, { role: 'staff', unit_id: u1.id });
  const mine = expectStatus(await staff.client.get(`/rounds/${roundId}/summary`), 200);
  assert.deepEqual(mine.units.map((x) => x.unit_id), [u1.id]);
  assert.deepEqual(mine.units[0], row(u1.id));
  const other = await newUserClient(a, { role: 'leader', unit_id: (await createUnit(a)).id });
  assert.deepEqual(expectStatus(await other.client.get(`/rounds/${roundId}/summary`), 200).units, []);
  const appr = await newUserClient(a, { role: 'appraiser', unit_id: u2.id });
  assert.equal(expectStatus(await appr.client.get(`/rounds/${roundId}/summary`), 200).units.length, 3);
});

test('summary: once self-assessment has closed, a returned task counts as not reported', async () => {
  const a = await loginAdmin();
  const u = await createUnit(a);
  const t = now();
  const mk = (ends) => createRound({
    units: [{ unit_id: u.id }],
    phases: [{ phase: 'self_assessment', starts_at: t - 10 * DAY, ends_at: ends }],
    tasks: [{ subject_unit_id: u.id, state: 'returned', self_points: 500 }],
  }).roundId;
  const open = expectStatus(await a.get(`/rounds/${mk(t + DAY)}/summary`), 200);
  assert.deepEqual(open.units[0].counts, { dat: 0, chua_dat: 1, khong_dat: 0 });
  const closed = expectStatus(await a.get(`/rounds/${mk(t - DAY)}/summary`), 200);
  assert.deepEqual(closed.units[0].counts, { dat: 0, chua_dat: 0, khong_dat: 1 });
});
