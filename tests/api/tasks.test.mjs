// tasks.test.mjs — the task routes one by one (docs/rounds-api.md "Tasks"): lists and their
// filters, the detail, report saves with the engine's points, bad input refused with the input
// named and nothing changed, stale versions, wrong phases, the trial flag, preview, whole-unit
// transitions, standardise, comments, appraiser inputs and the engine's proposal, unit scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectStatus, expectError } from './lib.mjs';
import { roundFixture, setPhase, assignAppraiser, addEvidence, evidenceAvailable } from './tasks_fixture.mjs';

const noEvidence = !(await evidenceAvailable()) && 'submit needs an evidence file: on SQLite only through POST /tasks/{id}/evidence (part evidence, not merged here)';

test('lists: staff see their unit only, filters and paging, appraisers what they are assigned', async () => {
  const f = await roundFixture();
  const staff = f.staffA.client;
  const mine = expectStatus(await staff.get(`/tasks?round_id=${f.round.id}&limit=1000`), 200);
  assert.equal(mine.total, 69);
  assert.ok(mine.tasks.every((t) => t.unit_id === f.A.id));
  assert.equal(mine.tasks[0].state, 'not_started');
  assert.equal(mine.tasks[0].state_label, 'Chưa thực hiện');
  assert.ok(mine.tasks[0].code && mine.tasks[0].title);
  expectError(await staff.get(`/tasks?round_id=${f.round.id}&unit_id=${f.B.id}`), 403, 'forbidden');
  const page = expectStatus(await staff.get(`/tasks?round_id=${f.round.id}&limit=10&offset=60`), 200);
  assert.equal(page.total, 69);
  assert.equal(page.tasks.length, 9);
  assert.deepEqual(page.tasks.map((t) => t.id), mine.tasks.slice(60).map((t) => t.id));
  const all = expectStatus(await f.admin.get(`/tasks?round_id=${f.round.id}&limit=1000`), 200);
  assert.equal(all.total, 138);
  const pillar = mine.tasks[0].pillar_key;
  const byPillar = expectStatus(await staff.get(`/tasks?round_id=${f.round.id}&pillar=${pillar}&limit=1000`), 200);
  assert.ok(byPillar.total > 0 && byPillar.tasks.every((t) => t.pillar_key === pillar));
  assert.equal(expectStatus(await staff.get(`/tasks?round_id=${f.round.id}&state=draft`), 200).total, 0);
  expectError(await staff.get(`/tasks?state=nope`), 400, 'invalid_value', 'state');
  expectError(await staff.get(`/tasks?limit=abc`), 400, 'invalid_value', 'limit');
  expectError(await staff.get(`/tasks?colour=red`), 400, 'unknown_parameter', 'colour');
  // an appraiser narrowed to one criterion sees that criterion of both units, nothing else
  await assignAppraiser(f.admin, f.round.id, { level: 'department', criterion_key: 'i-2-1', appraiser_unit_id: f.C.id });
  const seen = expectStatus(await f.appraiser.client.get(`/tasks?round_id=${f.round.id}`), 200);
  assert.equal(seen.total, 2);
  assert.ok(seen.tasks.every((t) => t.criterion_key === 'i-2-1'));
  const notMine = await f.taskOf(f.A, 'i-2-2');
  expectError(await f.appraiser.client.get('/tasks/' + notMine.id), 403, 'forbidden');
  expectError(await f.appraiser.client.post(`/tasks/${notMine.id}/comments`, { body: 'x' }), 403, 'forbidden');
});

test('report: bad inputs named and refused, nothing changed; stale version 409 with the current task', async () => {
  const f = await roundFixture();
  const staff = f.staffA.client;
  const t0 = expectStatus(await staff.get('/tasks/' + (await f.taskOf(f.A, 'i-2-1')).id), 200);
  const id = t0.id;
  const put = (body) => staff.put(`/tasks/${id}/report`, body);
  const label = t0.criterion.inputs.find((i) => i.name === 'meetings').label;
  let e = expectError(await put({ inputs: { meetings: 'nhiều' }, version: t0.version }), 400, 'invalid_value', 'inputs.meetings');
  assert.ok(e.message.includes(label), e.message);
  e = expectError(await put({ inputs: { meetings: -1 }, version: t0.version }), 422, 'invalid_value', 'inputs.meetings');
  assert.ok(e.message.includes(label), e.message); // the engine's range errors too (named 'meetings' only before)
  expectError(await put({ inputs: { gio: 1 }, version: t0.version }), 400, 'unknown_field', 'inputs.gio');
  expectError(await put({ inputs: [], version: t0.version }), 400, 'invalid_type', 'inputs');
  expectError(await put({ inputs: { meetings: 1 } }), 400, 'missing_field', 'version');
  expectError(await put({ inputs: { meetings: 1 }, version: 'x' }), 400, 'invalid_type', 'version');
  expectError(await put({ inputs: { meetings: 1 }, version: t0.version, extra: 1 }), 400, 'unknown_field', 'extra');
  expectError(await put({ content: 'a\u0000b', version: t0.version }), 400);
  expectError(await put({ content: 'x'.repeat(10001), version: t0.version }), 400, 'string_too_long', 'content');
  // nothing changed, no audit entry
  const same = expectStatus(await staff.get('/tasks/' + id), 200);
  assert.equal(same.version, t0.version);
  assert.equal(same.state, 'not_started');
  assert.equal(expectStatus(await f.admin.get(`/audit?entity=task&entity_id=${id}`), 200).entries.length, 0);

  // a draft may be saved without content; content is required at submit
  let t = expectStatus(await put({ inputs: { meetings: 2 }, version: t0.version }), 200);
  assert.equal(t.report.self_points, 1);
  assert.equal(t.report.content, null);
  assert.ok(t.report.self_explanation.length > 0);
  expectError(await staff.post(`/tasks/${id}/transitions`, { action: 'submit', version: t.version }), 422, 'missing_content', 'content');
  // a stale version: 409 with the current task, nothing saved
  const stale = await put({ inputs: { meetings: 4 }, content: 'x', version: t0.version });
  const err = expectError(stale, 409, 'version_conflict', 'version');
  assert.equal(stale.json.error.current.version, t.version);
  assert.equal(stale.json.error.current.report.self_points, 1);
  expectError(await staff.post(`/tasks/${id}/transitions`, { action: 'submit', version: t0.version }), 409, 'version_conflict');
  assert.ok(err.message);
  // bad transition bodies
  expectError(await staff.post(`/tasks/${id}/transitions`, { action: 'fly', version: t.version }), 400, 'invalid_value', 'action');
  expectError(await staff.post(`/tasks/${id}/transitions`, { version: t.version }), 400, 'missing_field', 'action');
  expectError(await staff.post(`/tasks/${id}/transitions`, { action: 'save', version: t.version }), 400, 'invalid_value', 'action');
  expectError(await staff.post(`/tasks/${id}/transitions`, { action: 'submit', version: t.version, points: 'x' }), 400, 'invalid_type', 'points');
  assert.equal(expectStatus(await staff.get('/tasks/' + id), 200).version, t.version);
});

test('phases: the trial flag, a save outside the reporting windows is 409 wrong_phase naming them', async () => {
  const f = await roundFixture('trial');
  const staff = f.staffA.client;
  const id = (await f.taskOf(f.A, 'i-2-1')).id;
  let t = expectStatus(await staff.get('/tasks/' + id), 200);
  t = expectStatus(await staff.put(`/tasks/${id}/report`, { inputs: { meetings: 1 }, content: 'Thử', version: t.version }), 200);
  assert.equal(t.trial, true);
  assert.equal(t.current_phase, 'trial');
  await setPhase(f.admin, f.round.id, 'appraisal1');
  const e = expectError(await staff.put(`/tasks/${id}/report`, { inputs: { meetings: 2 }, version: t.version }), 409, 'wrong_phase', 'action');
  assert.match(e.message, /Thử nghiệm/);
  assert.match(e.message, /Tự đánh giá chính thức/);
  assert.match(e.message, /\d\d\/\d\d\/\d{4} – \d\d\/\d\d\/\d{4}/);
  assert.equal(expectStatus(await staff.get('/tasks/' + id), 200).version, t.version);
});

test('preview scores without saving; another unit\'s task is 403 for staff and leader', async () => {
  const f = await roundFixture();
  const id = (await f.taskOf(f.A, 'i-2-1')).id;
  const t = expectStatus(await f.staffA.client.get('/tasks/' + id), 200);
  const p = expectStatus(await f.staffA.client.post(`/tasks/${id}/preview`, { inputs: { meetings: 3 } }), 200);
  assert.equal(p.points, 1.5);
  assert.equal(p.status, 'scored');
  expectError(await f.staffA.client.post(`/tasks/${id}/preview`, { inputs: { meetings: -2 } }), 422, 'invalid_value', 'inputs.meetings');
  assert.equal(expectStatus(await f.staffA.client.get('/tasks/' + id), 200).version, t.version);
  for (const c of [f.staffB.client]) {
    expectError(await c.get('/tasks/' + id), 403, 'forbidden');
    expectError(await c.put(`/tasks/${id}/report`, { inputs: { meetings: 1 }, version: t.version }), 403, 'forbidden');
    expectError(await c.post(`/tasks/${id}/transitions`, { action: 'submit', version: t.version }), 403, 'forbidden');
    expectError(await c.get(`/tasks/${id}/comments`), 403, 'forbidden');
    expectError(await c.post(`/rounds/${f.round.id}/units/${f.A.id}/transitions`, { action: 'submit' }), 403, 'forbidden');
  }
  expectError(await f.staffA.client.get('/tasks/999999999'), 403, 'forbidden');
  expectError(await f.admin.get('/tasks/999999999'), 404, 'not_found');
  assert.equal(expectStatus(await f.admin.get('/tasks/' + id), 200).version, t.version);
});

test('whole unit: staff submit every ready task, the leader sends them; standardise lists what is missing', { skip: noEvidence }, async () => {
  const f = await roundFixture();
  const staff = f.staffA.client, leader = f.leaderA.client;
  const ids = [];
  for (const key of ['i-2-1', 'i-2-2']) {
    const t = await f.taskOf(f.A, key);
    ids.push(t.id);
    const inputs = key === 'i-2-1' ? { meetings: 4 } : { held: true, head_chaired: false };
    expectStatus(await staff.put(`/tasks/${t.id}/report`, { inputs, content: 'Nội dung ' + key, version: t.version }), 200);
    await addEvidence(staff, t.id);
  }
  const std = expectStatus(await staff.post(`/rounds/${f.round.id}/units/${f.A.id}/standardise`, {}), 200);
  assert.equal(std.recomputed, 69);
  assert.ok(std.missing.some((m) => m.what === 'Chưa có nội dung báo cáo'));
  assert.ok(!std.missing.some((m) => ids.includes(m.task_id)), JSON.stringify(std.missing.filter((m) => ids.includes(m.task_id))));
  const sub = expectStatus(await staff.post(`/rounds/${f.round.id}/units/${f.A.id}/transitions`, { action: 'submit' }), 200);
  assert.equal(sub.applied, 2);
  assert.equal(sub.skipped.length, 67);
  assert.ok(sub.skipped.every((s) => s.error && s.reason && s.code));
  expectError(await leader.post(`/rounds/${f.round.id}/units/${f.A.id}/transitions`, { action: 'return' }), 400, 'missing_field', 'comment');
  const sent = expectStatus(await leader.post(`/rounds/${f.round.id}/units/${f.A.id}/transitions`, { action: 'send' }), 200);
  assert.equal(sent.applied, 2);
  for (const id of ids) assert.equal(expectStatus(await staff.get('/tasks/' + id), 200).state, 'in_appraisal');
  // nothing left to send: 409 with the reason
  expectError(await leader.post(`/rounds/${f.round.id}/units/${f.A.id}/transitions`, { action: 'send' }), 409, 'invalid_transition');
  // unit B's tasks untouched
  assert.ok((await f.tasksOf(f.B)).every((t) => t.state === 'not_started'));
  expectError(await staff.post(`/rounds/${f.round.id}/units/${f.B.id}/standardise`, {}), 403, 'forbidden');
});

test('comments and appraiser inputs: a unit that did not report is appraised from shared-system values', async () => {
  const f = await roundFixture('appraisal1');
  await assignAppraiser(f.admin, f.round.id, { level: 'department', appraiser_user_id: f.appraiser.user.id });
  const appr = f.appraiser.client;
  const id = (await f.taskOf(f.B, 'i-2-1')).id;
  let t = expectStatus(await appr.get('/tasks/' + id), 200);
  assert.equal(t.state, 'not_started');
  assert.equal(t.proposal.from, 'report');
  expectError(await appr.put(`/tasks/${id}/appraiser-inputs`, { inputs: { meetings: { value: 3 } } }), 400, 'invalid_value', 'inputs.meetings');
  expectError(await appr.put(`/tasks/${id}/appraiser-inputs`, { inputs: { meetings: { value: 3, source: ' ' } } }), 422, 'invalid_value', 'inputs.meetings');
  expectError(await appr.put(`/tasks/${id}/appraiser-inputs`, { inputs: { x: { value: 3, source: 's' } } }), 400, 'unknown_field', 'inputs.x');
  expectError(await f.staffB.client.put(`/tasks/${id}/appraiser-inputs`, { inputs: {} }), 403, 'forbidden');
  t = expectStatus(await appr.put(`/tasks/${id}/appraiser-inputs`, { inputs: { meetings: { value: 3, source: 'Biên bản VP UBND tỉnh' } } }), 200);
  assert.deepEqual(t.appraiser_inputs, { meetings: { value: 3, source: 'Biên bản VP UBND tỉnh' } });
  assert.equal(t.proposal.from, 'appraiser_inputs');
  assert.equal(t.proposal.points, 1.5);
  t = expectStatus(await appr.post(`/tasks/${id}/transitions`, { action: 'approve', points: t.proposal.points, version: t.version }), 200);
  assert.equal(t.state, 'approved');
  assert.equal(t.approval.appraisal_round, 1);
  assert.equal(t.report.self_points, null);
  // comments: anyone who sees the task; blank refused
  expectError(await appr.post(`/tasks/${id}/comments`, { body: '  ' }), 422, 'invalid_value', 'body');
  expectError(await appr.post(`/tasks/${id}/comments`, {}), 400, 'missing_field', 'body');
  const c = expectStatus(await f.staffB.client.post(`/tasks/${id}/comments`, { body: 'Đơn vị xin ghi nhận' }), 201);
  assert.equal(c.comments.at(-1).body, 'Đơn vị xin ghi nhận');
  assert.equal(c.comments.at(-1).kind, 'comment');
  assert.deepEqual(expectStatus(await appr.get(`/tasks/${id}/comments`), 200), c);
  const audit = expectStatus(await f.admin.get(`/audit?entity=task&entity_id=${id}`), 200).entries.map((e) => e.action);
  assert.deepEqual(audit, ['task.comment', 'task.approve', 'task.appraiser_inputs']);
});
