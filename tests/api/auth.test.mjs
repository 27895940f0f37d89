// auth.test.mjs — forced password change, password policy, wrong password, logout, cookie
// flags, CSRF (missing / stale / wrong), session revocation on password change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, setCookies, loginAdmin, createUser, rootUnit, expectError, expectStatus, uniq, strongPassword,
  unitByCode, loginFrom, newUserClient, newAdminClient, loginWithTotp } from './lib.mjs';

const WRONG = '127.0.0.5'; // failed logins from here do not throttle other test files

test('a new account must change its one-time password before anything else', async () => {
  const a = await loginAdmin();
  const unit = await unitByCode(a, 'STC');
  const { user, password: otp } = await createUser(a, { role: 'staff', unit_id: unit.id, full_name: 'Lê Thị Đổi' });
  assert.equal(otp.length, 16);
  assert.equal(user.must_change_password, true);
  const username = user.username;

  const c = new Client();
  const l = await c.login(username, otp);
  expectStatus(l, 200);
  assert.equal(l.json.user.must_change_password, true);
  assert.match(l.json.csrf_token, /^[0-9a-f]{64}$/);
  assert.equal(l.json.user.password_hash, undefined);

  // cookie flags
  const sc = setCookies(l.headers).find((x) => x.startsWith('dti_session='));
  assert.match(sc, /^dti_session=[0-9a-f]{64};/);
  assert.match(sc, /HttpOnly/i);
  assert.match(sc, /SameSite=Strict/i);
  assert.match(sc, /Path=\//i);

  expectError(await c.get('/units'), 403, 'password_change_required');
  expectStatus(await c.get('/me'), 200);

  // weak passwords: refused with a Vietnamese message naming the field; nothing changes
  for (const weak of ['1234567890ab', 'Lethidoi2024', 'abc@1234', '123456', username, 'x' + username + '2024!', 'k7#Qm2pLx', 'Abc@12345', 'qwerty123', 'MATKHAU@123',
    'aaaaaaaaaa', 'abcabcabca', '12121212121', '0123456789', 'abcdefghij', 'QWERTYUIOP']) {
    const e = expectError(await c.post('/auth/password', { current_password: otp, new_password: weak }), 422, 'weak_password', 'new_password');
    assert.match(e.message, /mật khẩu/i, weak);
  }
  expectError(await c.post('/auth/password', { current_password: 'không phải', new_password: strongPassword() }), 422, undefined, 'current_password');
  // the one-time password still works: the refusals changed nothing
  expectStatus(await new Client().login(username, otp), 200);

  const np = strongPassword();
  expectStatus(await c.post('/auth/password', { current_password: otp, new_password: np }), 204);
  const me = expectStatus(await c.get('/me'), 200);
  assert.equal(me.user.must_change_password, false);
  assert.equal(me.unit.code, 'STC');
  assert.equal(me.csrf_token, c.csrf);
  expectStatus(await c.get('/units'), 200);
  assert.equal((await loginFrom(WRONG, username, otp)).status, 401);
  expectStatus(await new Client().login(username, np), 200);
});

test('changing the password ends every other session of the user', async () => {
  const a = await loginAdmin();
  const { user, password: otp } = await createUser(a, { role: 'staff' });
  const c1 = new Client(), c2 = new Client();
  expectStatus(await c1.login(user.username, otp), 200);
  expectStatus(await c2.login(user.username, otp), 200);
  expectStatus(await c1.post('/auth/password', { current_password: otp, new_password: strongPassword() }), 204);
  expectStatus(await c1.get('/me'), 200);
  expectStatus(await c2.get('/me'), 401);
});

test('wrong password and unknown user: same Vietnamese message, no cookie', async () => {
  const r1 = await loginFrom(WRONG, 'admin', 'không đúng mật khẩu');
  const r2 = await loginFrom(WRONG, uniq('nobody'), 'không đúng mật khẩu');
  assert.equal(r1.status, 401);
  assert.equal(r2.status, 401);
  assert.equal(r1.json.error.code, 'invalid_credentials');
  assert.equal(r1.json.error.message, 'Tên đăng nhập hoặc mật khẩu không đúng.');
  assert.deepEqual(r1.json, r2.json);
  assert.equal(r1.headers['set-cookie'], undefined);
});

test('login input errors name the field', async () => {
  const c = new Client();
  expectError(await c.post('/auth/login', { username: 'admin' }), 400, undefined, 'password');
  expectError(await c.post('/auth/login', { username: 5, password: 'x' }), 400, undefined, 'username');
  expectError(await c.post('/auth/login', { username: 'admin', password: 'x', remember: true }), 400, 'unknown_field', 'remember');
});

test('logout deletes the session and clears the cookie', async () => {
  // a user of its own: the admin's session is shared by the test files (TOTP codes are single-use)
  const { client: a } = await newUserClient(await loginAdmin());
  const stolen = a.cookie;
  const r = await a.post('/auth/logout', {});
  expectStatus(r, 204);
  const sc = setCookies(r.headers).find((x) => x.startsWith('dti_session='));
  assert.match(sc, /^dti_session=;|Max-Age=0/i);
  const c = new Client();
  c.cookie = stolen;
  expectStatus(await c.get('/me'), 401);
});

test('CSRF: a missing, stale or wrong token is refused and nothing changes', async () => {
  const admin = await loginAdmin();
  const unitId = (await unitByCode(admin, 'STC')).id;
  // an admin of its own (enrolled in TOTP) with two sessions, and its own logout
  const { client: a, user, password, secret } = await newAdminClient(admin, unitId);
  const other = await loginWithTotp(user.username, password, secret); // its token is valid for its own session only
  const code = uniq('CSRF');
  const body = { code, name: 'Đơn vị CSRF ' + code, kind: 'other', parent_id: (await rootUnit(a)).id };
  expectError(await a.post('/units', body, { csrf: false }), 403, 'csrf_invalid');
  expectError(await a.post('/units', body, { csrf: false, headers: { 'x-csrf-token': other.csrf } }), 403, 'csrf_invalid');
  expectError(await a.post('/units', body, { csrf: false, headers: { 'x-csrf-token': 'x'.repeat(64) } }), 403, 'csrf_invalid');
  // also for a session that has since logged out and in again (the old token is stale)
  const oldCsrf = a.csrf;
  await a.post('/auth/logout', {});
  const fresh = await loginWithTotp(user.username, password, secret);
  expectError(await fresh.post('/units', body, { csrf: false, headers: { 'x-csrf-token': oldCsrf } }), 403, 'csrf_invalid');
  const units = (await fresh.get('/units?include_retired=1')).json.units;
  assert.equal(units.filter((u) => u.code === code).length, 0);
  expectStatus(await fresh.post('/units', body), 201);
});
