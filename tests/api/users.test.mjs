// users.test.mjs — create, list (admin / leader of own unit), update, disable (sessions die),
// enable, reset password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, admin, newUser, uniq, unitByCode, snapshot } from './lib.mjs';

test('create: user shape, one-time password shown once, lower-cased name', async () => {
  const a = await admin();
  const unit = await unitByCode(a, 'SKHDT');
  const name = uniq('Pham.Van-D');
  const r = await a.post('/users', { username: name, full_name: 'Phạm Văn Đ', email: 'd@skhdt.hue.gov.vn', role: 'leader', unit_id: unit.id });
  assert.equal(r.status, 201);
  assert.equal(r.json.user.username, name.toLowerCase());
  assert.equal(r.json.user.role, 'leader');
  assert.equal(r.json.user.disabled, false);
  assert.equal(r.json.user.last_login_at, null);
  assert.match(r.json.one_time_password, /^[A-HJ-NP-Za-km-z2-9]{16}$/);
  assert.equal(JSON.stringify(r.json.user).includes('argon2'), false);
  const list = (await a.get('/users')).json.users;
  const u = list.find((x) => x.id === r.json.user.id);
  assert.equal(u.one_time_password, undefined);
  assert.equal(u.password_hash, undefined);
  // duplicate (any case) -> 409
  const d = await a.post('/users', { username: name.toUpperCase(), full_name: 'X', role: 'staff', unit_id: unit.id });
  assert.equal(d.status, 409);
  assert.equal(d.json.error.field, 'username');
});

test('bad user input: field named, nothing changed', async () => {
  const a = await admin();
  const unit = await unitByCode(a, 'SKHDT');
  const before = await snapshot(a);
  const ok = { username: uniq('bad'), full_name: 'Tên', role: 'staff', unit_id: unit.id };
  const cases = [
    [{ ...ok, username: 'ab' }, 422, 'username'],
    [{ ...ok, username: 'có dấu' }, 422, 'username'],
    [{ ...ok, username: 'a'.repeat(65) }, 400, 'username'],
    [{ ...ok, role: 'feed' }, 422, 'role'],
    [{ ...ok, role: 'root' }, 422, 'role'],
    [{ ...ok, unit_id: 999999 }, 422, 'unit_id'],
    [{ ...ok, unit_id: '1' }, 400, 'unit_id'],
    [{ ...ok, email: 'không-phải-email' }, 422, 'email'],
    [{ ...ok, full_name: 'x'.repeat(201) }, 400, 'full_name'],
    [{ ...ok, full_name: undefined }, 400, 'full_name'],
    [{ ...ok, password: 'Abc@12345' }, 400, 'password'],
  ];
  for (const [body, status, field] of cases) {
    const r = await a.post('/users', body);
    assert.equal(r.status, status, JSON.stringify(body) + ' -> ' + r.text);
    assert.equal(r.json.error.field, field);
  }
  assert.equal(await snapshot(a), before);
});

test('disable kills the sessions; enable; reset password', async () => {
  const a = await admin();
  const u = await newUser(a, { role: 'staff', unitCode: 'SGTVT', prefix: 'dis' });
  assert.equal((await u.client.get('/me')).status, 200);
  let r = await a.post('/users/' + u.id + '/disable', {});
  assert.equal(r.status, 200);
  assert.equal(r.json.disabled, true);
  assert.equal((await u.client.get('/me')).status, 401);
  const l = await new Client().login(u.username, u.password);
  assert.equal(l.status, 403);
  assert.equal(l.json.error.code, 'account_disabled');
  // an administrator cannot lock themselves out
  const me = (await a.get('/me')).json.user;
  r = await a.post('/users/' + me.id + '/disable', {});
  assert.equal(r.status, 422);

  r = await a.post('/users/' + u.id + '/enable', {});
  assert.equal(r.status, 200);
  assert.equal(r.json.disabled, false);
  const c = new Client();
  assert.equal((await c.login(u.username, u.password)).status, 200);

  r = await a.post('/users/' + u.id + '/reset-password', {});
  assert.equal(r.status, 200);
  const otp = r.json.one_time_password;
  assert.equal(otp.length, 16);
  assert.equal((await c.get('/me')).status, 401); // sessions revoked
  assert.equal((await new Client({ localAddress: '127.0.0.5' }).login(u.username, u.password)).status, 401);
  const l2 = await new Client().login(u.username, otp);
  assert.equal(l2.status, 200);
  assert.equal(l2.json.user.must_change_password, true);
  assert.equal((await a.post('/users/999999/reset-password', {})).status, 404);
});

test('update: fields change, unknown fields refused', async () => {
  const a = await admin();
  const u = await newUser(a, { role: 'staff', unitCode: 'SGTVT', prefix: 'upd' });
  const snv = await unitByCode(a, 'SNV');
  let r = await a.patch('/users/' + u.id, { full_name: 'Tên Mới', role: 'leader', unit_id: snv.id, email: 'moi@hue.gov.vn' });
  assert.equal(r.status, 200);
  assert.equal(r.json.full_name, 'Tên Mới');
  assert.equal(r.json.role, 'leader');
  assert.equal(r.json.unit_id, snv.id);
  // moving someone to another unit/role ends their sessions (their rights changed)
  assert.equal((await u.client.get('/me')).status, 401);
  r = await a.patch('/users/' + u.id, { username: 'khac' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'username');
  r = await a.patch('/users/' + u.id, { email: null });
  assert.equal(r.status, 200);
  assert.equal(r.json.email, null);
});

test('a leader lists only the accounts of their own unit', async () => {
  const a = await admin();
  const leader = await newUser(a, { role: 'leader', unitCode: 'SCT', prefix: 'ld' });
  await newUser(a, { role: 'staff', unitCode: 'SCT', prefix: 'st' });
  const r = await leader.client.get('/users');
  assert.equal(r.status, 200);
  assert.ok(r.json.users.length >= 2);
  assert.ok(r.json.users.every((x) => x.unit_id === leader.unit.id));
  const stc = await unitByCode(a, 'STC');
  const other = await leader.client.get('/users?unit_id=' + stc.id);
  assert.equal(other.status, 403);
  // staff cannot list users at all
  const staff = await newUser(a, { role: 'staff', unitCode: 'SCT', prefix: 'st' });
  assert.equal((await staff.client.get('/users')).status, 403);
});
