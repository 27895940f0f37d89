// unitpage.test.mjs — a unit's own page (docs/results-api.md "Unit page and progress report"):
// where it can still gain points (sorted by points missing, with what full points need), what-if
// (the engine's points, total and rank; nothing saved: task version and audit unchanged), the
// progress report (JSON, period, .xlsx) and the unit scope (another unit's staff: 403).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectStatus, expectError } from './lib.mjs';
import { roundFixture, setPhase } from './tasks_fixture.mjs';

async function saveReport(f, client, key, inputs, content = 'Nội dung báo cáo') {
  const t = await f.taskOf(f.A, key);
  const cur = expectStatus(await client.get('/tasks/' + t.id), 200);
  return expectStatus(await client.put(`/tasks/${t.id}/report`, { inputs, content, version: cur.version }), 200);
}

test('gains: sorted by points missing, with due dates and what full points need; unit scope', async () => {
  const f = await roundFixture();
  const staff = f.staffA.client;
  await saveReport(f, staff, 'iii-1-1', { staff_with_hues: 921, staff_total: 968 });
  const g = expectStatus(await staff.get(`/rounds/${f.round.id}/units/${f.A.id}/gains`), 200);
  assert.equal(g.unit_id, f.A.id);
  assert.equal(g.criteria.length, 69);
  for (let i = 1; i < g.criteria.length; i++)
    assert.ok(g.criteria[i - 1].missing_points >= g.criteria[i].missing_points, 'sorted by missing points');
  const c = g.criteria.find((x) => x.criterion_key === 'iii-1-1');
  assert.equal(c.points, 4.76); // 921/968 × 5
  assert.equal(c.missing_points, 0.24);
  assert.match(c.needs, /phải bằng/);
  assert.match(c.needs, /hiện 921\/968, còn thiếu 47/);
  assert.match(c.measured, /921\/968.*\(95,14 %\)/);
  assert.equal(c.window.phase, 'self_assessment');
  assert.ok(c.due_at === null || typeof c.due_at === 'string');
  // totals: the unit's points are the sum of its current points
  const sum = g.criteria.reduce((s, x) => s + Math.round((x.points ?? 0) * 100), 0);
  assert.equal(Math.round(g.points * 100), sum);
  // a leader of the unit and the admin see it; another unit's staff do not
  expectStatus(await f.leaderA.client.get(`/rounds/${f.round.id}/units/${f.A.id}/gains`), 200);
  expectStatus(await f.admin.get(`/rounds/${f.round.id}/units/${f.A.id}/gains`), 200);
  expectError(await f.staffB.client.get(`/rounds/${f.round.id}/units/${f.A.id}/gains`), 403, 'forbidden');
  expectError(await f.staffB.client.post(`/rounds/${f.round.id}/units/${f.A.id}/what-if`,
    { changes: [{ task_id: c.task_id, inputs: {} }] }), 403, 'forbidden');
  expectError(await f.staffB.client.get(`/rounds/${f.round.id}/units/${f.A.id}/progress`), 403, 'forbidden');
  expectError(await f.staffB.client.get(`/rounds/${f.round.id}/units/${f.A.id}/progress.xlsx`), 403, 'forbidden');
  expectError(await f.admin.get(`/rounds/999999/units/${f.A.id}/gains`), 404);
});

test('what-if: new points, total and rank from the engine; nothing saved', async () => {
  const f = await roundFixture();
  const staff = f.staffA.client;
  const saved = await saveReport(f, staff, 'iii-1-1', { staff_with_hues: 921, staff_total: 968 });
  const auditBefore = expectStatus(await f.admin.get(`/audit?entity=task&entity_id=${saved.id}`), 200).entries.length;
  // B scores a little so A (before) is behind B, and ahead of B after the change
  const tB = (await f.tasksOf(f.B)).find((t) => t.criterion_key === 'iii-1-1');
  const curB = expectStatus(await f.admin.get('/tasks/' + tB.id), 200);
  const staffB = f.staffB.client;
  expectStatus(await staffB.put(`/tasks/${tB.id}/report`, { inputs: { staff_with_hues: 968, staff_total: 968 }, content: 'B', version: curB.version }), 200);

  const url = `/rounds/${f.round.id}/units/${f.A.id}/what-if`;
  const w = expectStatus(await staff.post(url, { changes: [{ task_id: saved.id, inputs: { staff_with_hues: 968 } }] }), 200);
  assert.equal(w.saved, false);
  assert.equal(w.tasks[0].points_before, 4.76);
  assert.equal(w.tasks[0].points, 5);
  assert.deepEqual(w.tasks[0].inputs, { staff_with_hues: 968, staff_total: 968 });
  assert.equal(Math.round((w.points - w.before.points) * 100), 24);
  assert.equal(w.units_in_level, 2);
  assert.equal(w.before.rank, 2); // B has 5, A 4,76
  assert.equal(w.rank, 1); // both 5 now: ties share rank 1
  // nothing written: same version, same points, no audit entry
  const after = expectStatus(await staff.get('/tasks/' + saved.id), 200);
  assert.equal(after.version, saved.version);
  assert.equal(after.report.self_points, 4.76);
  assert.equal(expectStatus(await f.admin.get(`/audit?entity=task&entity_id=${saved.id}`), 200).entries.length, auditBefore);
  // removing an input (null) leaves the score missing
  const m = expectStatus(await staff.post(url, { changes: [{ task_id: saved.id, inputs: { staff_total: null } }] }), 200);
  assert.equal(m.tasks[0].status, 'missing');
  assert.equal(m.tasks[0].points, null);
  // bad input: named, 400/422, nothing saved
  expectError(await staff.post(url, { changes: [{ task_id: saved.id, inputs: { staff_with_hues: 'nhiều' } }] }),
    400, 'invalid_value', 'changes[0].inputs.staff_with_hues');
  expectError(await staff.post(url, { changes: [{ task_id: saved.id, inputs: { gio: 1 } }] }),
    400, 'unknown_field', 'changes[0].inputs.gio');
  expectError(await staff.post(url, { changes: [{ task_id: tB.id, inputs: {} }] }), 422, 'invalid_value', 'changes[0].task_id');
  expectError(await staff.post(url, { changes: [] }), 400, 'invalid_type', 'changes');
  expectError(await staff.post(url, {}), 400);
  expectError(await staff.post(url, { changes: [{ task_id: saved.id }] }), 400, 'invalid_type', 'changes[0]');
  expectError(await staff.post(url, { changes: [{ task_id: saved.id, inputs: {} }], x: 1 }), 400, 'unknown_field', 'x');
  assert.equal(expectStatus(await staff.get('/tasks/' + saved.id), 200).version, saved.version);
  // the level's totals are kept between what-ifs (SQLite): a save elsewhere in the level is seen
  const curB2 = expectStatus(await f.admin.get('/tasks/' + tB.id), 200);
  expectStatus(await staffB.put(`/tasks/${tB.id}/report`, { inputs: { staff_with_hues: 0, staff_total: 968 }, content: 'B', version: curB2.version }), 200);
  const w2 = expectStatus(await staff.post(url, { changes: [{ task_id: saved.id, inputs: { staff_with_hues: 968 } }] }), 200);
  assert.equal(w2.before.rank, 1, 'B now has 0 points: A is first before the change too');
  assert.equal(w2.rank, 1);
});

test('progress report: counts per pillar and overall, measured values, period, .xlsx', async () => {
  const f = await roundFixture();
  const staff = f.staffA.client;
  await saveReport(f, staff, 'iii-1-1', { staff_with_hues: 921, staff_total: 968 }); // partial
  await saveReport(f, staff, 'i-5-1', { has_section: true }); // full points
  const url = `/rounds/${f.round.id}/units/${f.A.id}/progress`;
  const p = expectStatus(await staff.get(url), 200);
  assert.equal(p.basis, 'current');
  assert.equal(p.counts.total, 69);
  assert.equal(p.counts.done, 1);
  assert.equal(p.counts.in_progress, 1);
  assert.equal(p.counts.not_started, 67);
  assert.equal(p.summary, 'Đã hoàn thành 1/69 tiêu chí, đang thực hiện 1/69 tiêu chí, chưa thực hiện 67/69 tiêu chí.');
  const per = p.pillars.reduce((s, x) => s + x.counts.total, 0);
  assert.equal(per, 69);
  const iii = p.pillars.find((x) => x.criteria.some((c) => c.criterion_key === 'iii-1-1'));
  const c = iii.criteria.find((x) => x.criterion_key === 'iii-1-1');
  assert.equal(c.progress, 'in_progress');
  assert.match(c.measured, /921\/968.*\(95,14 %\)/);
  // a period: a quarter that ended before the round began had nothing started
  const old = expectStatus(await staff.get(url + '?period=2020-Q1'), 200);
  assert.equal(old.basis, 'audit_trail');
  assert.equal(old.counts.not_started, 69);
  assert.equal(old.period, '2020-Q1');
  // a period still running gives the figures of the audit trail: the same as now
  const y = new Date().getFullYear() + 1;
  const later = expectStatus(await staff.get(url + `?period=${y}-Q4`), 200);
  assert.deepEqual(later.counts, p.counts);
  expectError(await staff.get(url + '?period=quy-2'), 400, 'invalid_value', 'period');
  expectError(await staff.get(url + '?x=1'), 400);
  // the .xlsx download (the bytes, read outside the JSON client)
  const x = await fetch(staff.base + '/api/v1' + url + '.xlsx?period=' + `${y}-Q4`, { headers: { cookie: staff.cookie } });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.match(x.headers.get('content-disposition'), /attachment; filename="tien-do-dot-\d+-don-vi-\d+\.xlsx"/);
  const bytes = Buffer.from(await x.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an .xlsx is a zip file');
  assert.ok(bytes.includes(Buffer.from('xl/worksheets/sheet2.xml')), 'two sheets: Tiến độ and Tổng hợp');
});

// Clearing the trial data writes one round-level audit entry ("round.clear_trial"), not one per
// task: the progress report replays the audit trail and must know the clears, so a period after
// a clear never counts the trial values, and trial values are not shown once a later clear
// removed them. Two clears, with official data before and after each that stays.
test('progress report: trial data never counts once cleared (period after the clear, two clears)', async () => {
  const f = await roundFixture('trial');
  const staff = f.staffA.client;
  const url = `/rounds/${f.round.id}/units/${f.A.id}/progress`;
  const y = new Date().getFullYear() + 1;
  const later = async () => expectStatus(await staff.get(url + `?period=${y}-Q4`), 200);
  const progressOf = (p, key) => p.pillars.flatMap((x) => x.criteria).find((c) => c.criterion_key === key).progress;

  await saveReport(f, staff, 'iii-1-1', { staff_with_hues: 921, staff_total: 968 }); // trial, partial
  await saveReport(f, staff, 'i-5-1', { has_section: true }); // trial, full points
  let p = await later();
  assert.equal(p.counts.done, 1, 'before the clear the trial values are what stood');
  assert.equal(p.counts.in_progress, 1);

  // the official phase opens: a save there is real data, then the trial data is cleared
  await setPhase(f.admin, f.round.id, 'self_assessment');
  await saveReport(f, staff, 'i-1-1', { signer: 'head' });
  assert.deepEqual(expectStatus(await f.admin.get(`/rounds/${f.round.id}/trial-data`), 200), { tasks: 2, evidence: 0 });
  expectStatus(await f.admin.post(`/rounds/${f.round.id}/clear-trial`, { confirm: 2 }), 200);
  const now = expectStatus(await staff.get(url), 200);
  p = await later();
  assert.deepEqual(p.counts, now.counts, 'a period after the clear: the same as now');
  assert.equal(progressOf(p, 'iii-1-1'), 'not_started');
  assert.equal(progressOf(p, 'i-5-1'), 'not_started');
  assert.notEqual(progressOf(p, 'i-1-1'), 'not_started', 'official data before the clear stays');
  assert.equal(p.pillars.flatMap((x) => x.criteria).find((c) => c.criterion_key === 'iii-1-1').measured.includes('921'), false);

  // official data after the clear counts; a second trial and clear removes only its own data
  await saveReport(f, staff, 'iii-1-1', { staff_with_hues: 968, staff_total: 968 });
  await setPhase(f.admin, f.round.id, 'trial');
  await saveReport(f, staff, 'i-5-1', { has_section: true });
  p = await later();
  assert.notEqual(progressOf(p, 'i-5-1'), 'not_started', 'trial data not yet cleared still stands');
  await setPhase(f.admin, f.round.id, 'self_assessment');
  expectStatus(await f.admin.post(`/rounds/${f.round.id}/clear-trial`, { confirm: 1 }), 200);
  p = await later();
  assert.deepEqual(p.counts, expectStatus(await staff.get(url), 200).counts);
  assert.equal(progressOf(p, 'i-5-1'), 'not_started');
  assert.equal(progressOf(p, 'iii-1-1'), 'done');
  assert.notEqual(progressOf(p, 'i-1-1'), 'not_started');
  // a period before the round: nothing, as before
  assert.equal(expectStatus(await staff.get(url + '?period=2020-Q1'), 200).counts.not_started, 69);
});
