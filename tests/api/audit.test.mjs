// audit.test.mjs — every change leaves an entry with old and new values (never a password or
// hash); paging; the chain verifies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, newUser, uniq, unitByCode } from './lib.mjs';

test('each change is audited with who, old and new', async () => {
  const a = await admin();
  const me = (await a.get('/me')).json.user;
  const code = uniq('AU');
  const u = (await a.post('/units', { code, name: 'Trước', kind: 'other' })).json;
  await a.patch('/units/' + u.id, { name: 'Sau' });
  await a.post('/units/' + u.id + '/retire', { reason: 'thử' });
  const entries = (await a.get('/audit?entity=unit&entity_id=' + u.id)).json.entries;
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

  const user = await newUser(a, { role: 'staff', unitCode: 'TTT', prefix: 'aud' });
  await a.post('/users/' + user.id + '/disable', {});
  await a.post('/users/' + user.id + '/enable', {});
  await a.post('/users/' + user.id + '/reset-password', {});
  const ue = (await a.get('/audit?entity=user&entity_id=' + user.id + '&limit=200')).json.entries;
  const actions = ue.map((e) => e.action);
  for (const want of ['user.create', 'session.login', 'user.change_password', 'user.disable', 'user.enable', 'user.reset_password'])
    assert.ok(actions.includes(want), want + ' in ' + actions);
  const all = JSON.stringify(ue);
  assert.ok(!all.includes('argon2'));
  assert.ok(!all.includes(user.password));
  assert.ok(!/password_hash|one_time_password/.test(all));
});

test('paging newest first, limits checked', async () => {
  const a = await admin();
  const p1 = (await a.get('/audit?limit=3')).json;
  assert.equal(p1.entries.length, 3);
  assert.ok(p1.entries[0].id > p1.entries[1].id);
  const p2 = (await a.get('/audit?limit=3&before_id=' + p1.next_before_id)).json;
  assert.ok(p2.entries[0].id < p1.entries[2].id);
  for (const q of ['limit=0', 'limit=201', 'limit=abc', 'before_id=-1']) {
    const r = await a.get('/audit?' + q);
    assert.equal(r.status, 400, q);
  }
});

test('the chain verifies', async () => {
  const a = await admin();
  const r = await a.get('/audit/verify');
  assert.equal(r.status, 200);
  assert.equal(r.json.ok, true);
  assert.ok(r.json.entries > 30);
});
