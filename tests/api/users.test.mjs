// users.test.mjs — create, list (admin; leader of own unit only), update, disable (sessions
// die), enable, reset password; bad input changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAdmin, newUserClient, createUser, createUnit, uniq, unitByCode,
  expectError, expectStatus, loginFrom, auditHead, auditSince } from './lib.mjs';

test('create: user shape, one-time password shown once, lower-cased name', async () => {
  const a = await loginAdmin();
  const unit = await unitByCode(a, 'SKHDT');
  const name = uniq('Pham.Van-D');
  const j = expectStatus(await a.post('/users', { username: name, full_name: 'Phạm Văn Đ', email: 'd@skhdt.hue.gov.vn', role: 'leader', unit_id: unit.id }), 201);
  assert.equal(j.user.username, name.toLowerCase());
  assert.equal(j.user.role, 'leader');
  assert.equal(j.user.disabled, false);
  assert.equal(j.user.must_change_password, true);
  assert.equal(j.user.last_login_at, null);
  assert.match(j.one_time_password, /^[A-HJ-NP-Za-km-z2-9]{16}$/);
  assert.ok(!JSON.stringify(j.user).includes('argon2'));
  const u = expectStatus(await a.get('/users'), 200).users.find((x) => x.id === j.user.id);
  assert.equal(u.one_time_password, undefined);
  assert.equal(u.password_hash, undefined);
  expectError(await a.post('/users', { username: name.toUpperCase(), full_name: 'X', role: 'staff', unit_id: unit.id }), 409, 'username_taken', 'username');
});

test('bad user input: field named, nothing stored', async () => {
  const a = await loginAdmin();
  const unit = await unitByCode(a, 'SKHDT');
  const username = uniq('bad');
  const ok = { username, full_name: 'Tên', role: 'staff', unit_id: unit.id };
  const retired = await createUnit(a);
  expectStatus(await a.post('/units/' + retired.id + '/retire', { reason: 'Sáp nhập' }), 200);
  const cases = [
    [{ ...ok, username: 'ab' }, 422, 'username'],
    [{ ...ok, username: 'có dấu' }, 422, 'username'],
    [{ ...ok, username: 'a'.repeat(65) }, 400, 'username'],
    [{ ...ok, username: undefined }, 400, 'username'],
    [{ ...ok, role: 'feed' }, 422, 'role'],
    [{ ...ok, role: 'root' }, 422, 'role'],
    [{ ...ok, role: undefined }, 400, 'role'],
    [{ ...ok, unit_id: 999999 }, 422, 'unit_id'],
    [{ ...ok, unit_id: retired.id }, 422, 'unit_id'],
    [{ ...ok, unit_id: '1' }, 400, 'unit_id'],
    [{ ...ok, email: 'không-phải-email' }, 422, 'email'],
    [{ ...ok, full_name: 'x'.repeat(201) }, 400, 'full_name'],
    [{ ...ok, full_name: undefined }, 400, 'full_name'],
    [{ ...ok, password: 'Abc@12345' }, 400, 'password'],
    [{ ...ok, must_change_password: false }, 400, 'must_change_password'],
  ];
  for (const [body, status, field] of cases) expectError(await a.post('/users', body), status, undefined, field);
  const all = expectStatus(await a.get('/users'), 200).users;
  assert.equal(all.filter((x) => x.username === username).length, 0);
});

test('disable kills the sessions; enable; reset password', async () => {
  const a = await loginAdmin();
  const u = await newUserClient(a, { role: 'staff' });
  expectStatus(await u.client.get('/me'), 200);
  const d = expectStatus(await a.post('/users/' + u.user.id + '/disable', {}), 200);
  assert.equal(d.disabled, true);
  expectStatus(await u.client.get('/me'), 401);
  expectError(await new Client().login(u.user.username, u.password), 403, 'account_disabled');
  // an administrator cannot lock themselves out
  const me = expectStatus(await a.get('/me'), 200).user;
  expectError(await a.post('/users/' + me.id + '/disable', {}), 422);

  assert.equal(expectStatus(await a.post('/users/' + u.user.id + '/enable', {}), 200).disabled, false);
  const c = new Client();
  expectStatus(await c.login(u.user.username, u.password), 200);

  const otp = expectStatus(await a.post('/users/' + u.user.id + '/reset-password', {}), 200).one_time_password;
  assert.equal(otp.length, 16);
  expectStatus(await c.get('/me'), 401); // sessions revoked
  assert.equal((await loginFrom('127.0.0.5', u.user.username, u.password)).status, 401);
  const l2 = expectStatus(await new Client().login(u.user.username, otp), 200);
  assert.equal(l2.user.must_change_password, true);
  expectError(await a.post('/users/999999/reset-password', {}), 404);
  expectError(await a.post('/users/' + u.user.id + '/disable', { now: true }), 400, 'unknown_field', 'now');
});

test('update: fields change, moved users sign in again, unknown fields refused', async () => {
  const a = await loginAdmin();
  const u = await newUserClient(a, { role: 'staff' });
  const snv = await unitByCode(a, 'SNV');
  const r = expectStatus(await a.patch('/users/' + u.user.id, { full_name: 'Tên Mới', role: 'leader', unit_id: snv.id, email: 'moi@hue.gov.vn' }), 200);
  assert.equal(r.full_name, 'Tên Mới');
  assert.equal(r.role, 'leader');
  assert.equal(r.unit_id, snv.id);
  expectStatus(await u.client.get('/me'), 401);
  expectError(await a.patch('/users/' + u.user.id, { username: 'khac' }), 400, 'unknown_field', 'username');
  expectError(await a.patch('/users/' + u.user.id, { role: null }), 400, undefined, 'role');
  assert.equal(expectStatus(await a.patch('/users/' + u.user.id, { email: null }), 200).email, null);
});

test('a leader lists only the accounts of their own unit; staff cannot list', async () => {
  const a = await loginAdmin();
  const unit = await createUnit(a);
  const leader = await newUserClient(a, { role: 'leader', unit_id: unit.id });
  await createUser(a, { role: 'staff', unit_id: unit.id });
  const users = expectStatus(await leader.client.get('/users'), 200).users;
  assert.equal(users.length, 2);
  assert.ok(users.every((x) => x.unit_id === unit.id));
  const stc = await unitByCode(a, 'STC');
  expectError(await leader.client.get('/users?unit_id=' + stc.id), 403);
  assert.equal(expectStatus(await leader.client.get('/users?unit_id=' + unit.id), 200).users.length, 2);
  const staff = await newUserClient(a, { role: 'staff', unit_id: unit.id });
  expectError(await staff.client.get('/users'), 403);
  // and a leader cannot change anyone
  const head = await auditHead(a);
  expectError(await leader.client.post('/users/' + staff.user.id + '/reset-password', {}), 403);
  assert.equal((await auditSince(a, head)).filter((e) => e.entity === 'user' && e.entity_id === String(staff.user.id)).length, 0);
});
