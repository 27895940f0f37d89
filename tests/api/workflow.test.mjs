// workflow.test.mjs — the whole cycle of a task through the API (docs/rounds-api.md): staff
// saves -> submits -> leader returns with a comment -> staff fixes -> submits -> leader sends ->
// appraiser (assigned) requests an explanation -> the unit explains -> appraisal 2 approves ->
// the admin finalises -> everything is refused. Phases are moved by PATCHing the round's dates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectStatus, expectError } from './lib.mjs';
import { roundFixture, setPhase, assignAppraiser, addEvidence, finaliseRound, phasesAt, evidenceAvailable } from './tasks_fixture.mjs';

const noEvidence = !(await evidenceAvailable()) && 'submit needs an evidence file: on SQLite only through POST /tasks/{id}/evidence (part evidence, not merged here)';

const KEY = 'i-2-1'; // per_item: 0,5 point per meeting, at most 2 points; evidence required

async function auditOfTask(a, id) {
  return expectStatus(await a.get(`/audit?entity=task&entity_id=${id}`), 200).entries;
}

test('GET /workflow serves the table with Vietnamese labels', async () => {
  const { staffA } = await roundFixture();
  const w = expectStatus(await staffA.client.get('/workflow'), 200);
  assert.deepEqual(w.states.map((s) => s.code), ['not_started', 'draft', 'submitted', 'returned',
    'in_appraisal', 'explanation_requested', 'explained', 'approved']);
  assert.equal(w.states.find((s) => s.code === 'in_appraisal').label, 'Chờ thẩm định');
  assert.equal(w.actions.find((s) => s.code === 'submit').label, 'Trình lãnh đạo');
  assert.equal(w.actions.find((s) => s.code === 'return').needs_comment, true);
  assert.equal(w.actions.find((s) => s.code === 'approve').needs_points, true);
  assert.equal(w.phases.length, 6);
  const send = w.transitions.find((t) => t.action === 'send');
  assert.deepEqual(send, { action: 'send', roles: ['leader'], from: ['submitted'], to: 'in_appraisal', phases: ['trial', 'self_assessment'] });
  const explSave = w.transitions.find((t) => t.action === 'save' && t.to === null);
  assert.deepEqual(explSave.from, ['explanation_requested']);
  assert.equal(w.transitions.length, 11); // + admins' save (Excel import on a unit's behalf)
});

test('the whole cycle, each step by its role in its phase; a finalised round refuses everything', { skip: noEvidence }, async () => {
  const f = await roundFixture('self_assessment');
  const { admin, staffA, leaderA, appraiser, round } = f;
  const t0 = await f.taskOf(f.A, KEY);
  assert.equal(t0.state, 'not_started');
  const id = t0.id;
  const staff = staffA.client, leader = leaderA.client, appr = appraiser.client;

  // staff saves a draft: the engine computes the self points (3 meetings x 0,5)
  let t = expectStatus(await staff.get('/tasks/' + id), 200);
  assert.deepEqual(t.actions.map((x) => x.action), ['save']);
  assert.equal(t.criterion.code, '2.1');
  assert.ok(t.criterion.inputs.some((i) => i.name === 'meetings'));
  t = expectStatus(await staff.put(`/tasks/${id}/report`, { inputs: { meetings: 3 }, content: 'Đã dự 3 cuộc họp', version: t.version }), 200);
  assert.equal(t.state, 'draft');
  assert.equal(t.report.self_points, 1.5);
  assert.equal(t.report.self_status, 'scored');
  assert.equal(t.trial, false);
  assert.deepEqual(t.actions.map((x) => x.action), ['save', 'submit']);

  // submit needs the evidence the criterion asks for
  expectError(await staff.post(`/tasks/${id}/transitions`, { action: 'submit', version: t.version }), 422, 'missing_evidence', 'evidence');
  await addEvidence(staff, id);
  // the leader cannot submit (staff's action), the staff cannot send
  expectError(await leader.post(`/tasks/${id}/transitions`, { action: 'submit', version: t.version }), 403, 'forbidden');
  t = expectStatus(await staff.post(`/tasks/${id}/transitions`, { action: 'submit', version: t.version }), 200);
  assert.equal(t.state, 'submitted');
  assert.ok(t.dates.submitted_at);
  const e1 = expectError(await staff.post(`/tasks/${id}/transitions`, { action: 'send', version: t.version }), 403, 'forbidden');
  assert.match(e1.message, /Gửi thẩm định/);

  // leader returns: a comment is required, then it is on the task's thread
  expectError(await leader.post(`/tasks/${id}/transitions`, { action: 'return', version: t.version }), 400, 'missing_field', 'comment');
  t = expectStatus(await leader.post(`/tasks/${id}/transitions`, { action: 'return', comment: 'Bổ sung biên bản họp quý 4', version: t.version }), 200);
  assert.equal(t.state, 'returned');
  assert.equal(t.leader_comment, 'Bổ sung biên bản họp quý 4');
  assert.equal(t.comments.at(-1).kind, 'return');
  assert.equal(t.comments.at(-1).body, 'Bổ sung biên bản họp quý 4');

  // staff sees it, fixes and submits again; the leader sends it to appraisal
  const seen = expectStatus(await staff.get('/tasks/' + id), 200);
  assert.equal(seen.leader_comment, 'Bổ sung biên bản họp quý 4');
  t = expectStatus(await staff.put(`/tasks/${id}/report`, { inputs: { meetings: 4 }, content: 'Đã dự đủ 4 cuộc họp', version: t.version }), 200);
  assert.equal(t.state, 'draft');
  assert.equal(t.report.self_points, 2);
  t = expectStatus(await staff.post(`/tasks/${id}/transitions`, { action: 'submit', version: t.version }), 200);
  t = expectStatus(await leader.post(`/tasks/${id}/transitions`, { action: 'send', version: t.version }), 200);
  assert.equal(t.state, 'in_appraisal');
  assert.equal(t.time_state, 'done');
  assert.ok(t.dates.sent_at);
  // nothing more for the unit now
  assert.deepEqual(expectStatus(await staff.get('/tasks/' + id), 200).actions, []);
  const inv = expectError(await staff.put(`/tasks/${id}/report`, { inputs: { meetings: 1 }, version: t.version }), 409, 'invalid_transition');
  assert.match(inv.message, /Chờ thẩm định/);

  // the appraiser: not assigned yet -> 403; assigned for the level -> sees and acts
  expectError(await appr.get('/tasks/' + id), 403, 'forbidden');
  assert.equal(expectStatus(await appr.get(`/tasks?round_id=${round.id}`), 200).total, 0);
  await assignAppraiser(admin, round.id, { level: 'department', appraiser_user_id: appraiser.user.id });
  t = expectStatus(await appr.get('/tasks/' + id), 200);
  assert.ok(expectStatus(await appr.get(`/tasks?round_id=${round.id}`), 200).total >= 2 * 69);
  // right state, wrong phase: 409 naming the window and its dates
  const wp = expectError(await appr.post(`/tasks/${id}/transitions`, { action: 'request_explanation', comment: 'Thiếu biên bản', version: t.version }), 409, 'wrong_phase');
  const a1 = phasesAt('self_assessment')[2];
  assert.match(wp.message, /Thẩm định lần 1/);
  assert.ok(wp.message.includes(a1.starts.split('-').reverse().join('/')), wp.message);

  await setPhase(admin, round.id, 'appraisal1');
  t = expectStatus(await appr.get('/tasks/' + id), 200);
  assert.deepEqual(t.actions.map((x) => x.action), ['approve', 'request_explanation']);
  expectError(await appr.post(`/tasks/${id}/transitions`, { action: 'request_explanation', version: t.version }), 400, 'missing_field', 'comment');
  t = expectStatus(await appr.post(`/tasks/${id}/transitions`, { action: 'request_explanation', comment: 'Gửi thêm biên bản quý 4', version: t.version }), 200);
  assert.equal(t.state, 'explanation_requested');

  // the unit explains in the explanation phase (may also update its inputs)
  expectError(await staff.post(`/tasks/${id}/transitions`, { action: 'explain', comment: 'x', version: t.version }), 409, 'wrong_phase');
  await setPhase(admin, round.id, 'explanation');
  t = expectStatus(await staff.put(`/tasks/${id}/report`, { content: 'Đã dự đủ 4 cuộc họp; kèm biên bản', version: t.version }), 200);
  assert.equal(t.state, 'explanation_requested');
  t = expectStatus(await leader.post(`/tasks/${id}/transitions`, { action: 'explain', comment: 'Đã bổ sung biên bản', version: t.version }), 200);
  assert.equal(t.state, 'explained');

  // appraisal 2 settles it: points 0…max, ≤ 2 decimals, self points untouched
  await setPhase(admin, round.id, 'appraisal2');
  expectError(await appr.post(`/tasks/${id}/transitions`, { action: 'approve', version: t.version }), 400, 'missing_field', 'points');
  expectError(await appr.post(`/tasks/${id}/transitions`, { action: 'approve', points: 2.5, version: t.version }), 422, 'invalid_value', 'points');
  expectError(await appr.post(`/tasks/${id}/transitions`, { action: 'approve', points: 1.234, version: t.version }), 422, 'invalid_value', 'points');
  expectError(await appr.post(`/tasks/${id}/transitions`, { action: 'approve', points: -1, version: t.version }), 422, 'invalid_value', 'points');
  t = expectStatus(await appr.post(`/tasks/${id}/transitions`, { action: 'approve', points: 1.75, comment: 'Biên bản quý 4 chưa ký số', version: t.version }), 200);
  assert.equal(t.state, 'approved');
  assert.equal(t.approval.approved_points, 1.75);
  assert.equal(t.approval.appraisal_round, 2);
  assert.equal(t.approval.approval_comment, 'Biên bản quý 4 chưa ký số');
  assert.equal(t.report.self_points, 2, 'approving never touches the self points');

  // the admin may reopen a mistaken approval (comment required), then it is approved again
  t = expectStatus(await admin.post(`/tasks/${id}/transitions`, { action: 'reopen', comment: 'Chấm nhầm', version: t.version }), 200);
  assert.equal(t.state, 'in_appraisal');
  assert.equal(t.approval.approved_points, null);
  t = expectStatus(await appr.post(`/tasks/${id}/transitions`, { action: 'approve', points: 2, version: t.version }), 200);

  // every step audited, old -> new
  const entries = await auditOfTask(admin, id);
  const actions = entries.map((e) => e.action).reverse();
  assert.deepEqual(actions, ['task.save', 'task.submit', 'task.return', 'task.save', 'task.submit', 'task.send',
    'task.request_explanation', 'task.save', 'task.explain', 'task.approve', 'task.reopen', 'task.approve']);
  const approve = entries[0];
  assert.equal(approve.old.state, 'in_appraisal');
  assert.equal(approve.new.state, 'approved');
  assert.equal(approve.new.approved_points, 2);
  const firstSave = entries.at(-1);
  assert.equal(firstSave.old.state, 'not_started');
  assert.deepEqual(firstSave.new.inputs, { meetings: 3 });

  // the admin finalises: every change is refused
  await finaliseRound(admin, round.id);
  const fin = expectStatus(await staff.get('/tasks/' + id), 200);
  assert.deepEqual(fin.actions, []);
  expectError(await admin.post(`/tasks/${id}/transitions`, { action: 'reopen', comment: 'x', version: fin.version }), 409, 'round_finalised');
  expectError(await appr.post(`/tasks/${id}/transitions`, { action: 'approve', points: 1, version: fin.version }), 409, 'round_finalised');
  expectError(await staff.post(`/tasks/${id}/comments`, { body: 'x' }), 409, 'round_finalised');
  const other = await f.taskOf(f.A, 'i-2-2');
  expectError(await staff.put(`/tasks/${other.id}/report`, { inputs: {}, version: other.version }), 409, 'round_finalised');
  expectError(await leader.post(`/rounds/${round.id}/units/${f.A.id}/transitions`, { action: 'send' }), 409, 'round_finalised');
  assert.equal(expectStatus(await admin.get('/tasks/' + id), 200).version, fin.version);
});
