// audit.test.mjs — every change leaves an entry with who, old and new values (never a
// password, hash or secret); paging; the chain verifies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAdmin, newUserClient, rootUnit, uniq, expectError, expectStatus } from './lib.mjs';

test('each change is audited with who, old and new', async () => {
  const a = await loginAdmin();
  const me = expectStatus(await a.get('/me'), 200).user;
  const u = expectStatus(await a.post('/units', { code: uniq('AU'), name: 'Trước', kind: 'other', parent_id: (await rootUnit(a)).id }), 201);
  expectStatus(await a.patch('/units/' + u.id, { name: 'Sau' }), 200);
  expectStatus(await a.patch('/units/' + u.id, { name: 'Sau' }), 200); // no change, no entry
  expectStatus(await a.post('/units/' + u.id + '/retire', { reason: 'thử' }), 200);
  const entries = expectStatus(await a.get('/audit?entity=unit&entity_id=' + u.id), 200).entries;
  assert.deepEqual(entries.map((e) => e.action), ['unit.retire', 'unit.update', 'unit.create']);
  const upd = entries[1];
  assert.equal(upd.old.name, 'Trước');
  assert.equal(upd.new.name, 'Sau');
  assert.equal(upd.actor.user_id, me.id);
  assert.equal(upd.actor.username, 'admin');
  assert.equal(upd.entity, 'unit');
  assert.equal(upd.entity_id, String(u.id));
  assert.match(upd.at, /\+07:00$/);
  assert.ok(upd.client_addr);
  assert.equal(entries[2].old, null);
  assert.equal(entries[0].new.retired_reason, 'thử');

  const user = await newUserClient(a, { role: 'staff' });
  expectStatus(await a.post('/users/' + user.user.id + '/disable', {}), 200);
  expectStatus(await a.post('/users/' + user.user.id + '/enable', {}), 200);
  expectStatus(await a.post('/users/' + user.user.id + '/reset-password', {}), 200);
  const ue = expectStatus(await a.get('/audit?entity=user&entity_id=' + user.user.id + '&limit=200'), 200).entries;
  const actions = ue.map((e) => e.action);
  for (const want of ['user.create', 'session.login', 'user.change_password', 'user.disable', 'user.enable', 'user.reset_password'])
    assert.ok(actions.includes(want), want + ' in ' + actions);
  const all = JSON.stringify(ue);
  assert.ok(!all.includes('argon2'));
  assert.ok(!all.includes(user.password));
  assert.ok(!/password_hash|one_time_password/.test(all));
});

test('paging newest first; limits checked', async () => {
  const a = await loginAdmin();
  const p1 = expectStatus(await a.get('/audit?limit=3'), 200);
  assert.equal(p1.entries.length, 3);
  assert.ok(p1.entries[0].id > p1.entries[1].id);
  const p2 = expectStatus(await a.get('/audit?limit=3&before_id=' + p1.next_before_id), 200);
  assert.ok(p2.entries[0].id < p1.entries[2].id);
  for (const q of ['limit=0', 'limit=201', 'limit=abc', 'before_id=-1', 'before_id=1x'])
    expectError(await a.get('/audit?' + q), 400);
});

test('the chain verifies', async () => {
  const a = await loginAdmin();
  const j = expectStatus(await a.get('/audit/verify'), 200);
  assert.equal(j.ok, true);
  assert.ok(j.entries > 30);
});
