// auth.test.mjs — login, forced password change, password policy, wrong password, logout,
// cookie flags, CSRF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, admin, uniq, strongPassword, unitByCode, snapshot } from './lib.mjs';

const WRONG = '127.0.0.5'; // failures from a separate address do not throttle other tests

test('a new account must change its one-time password before anything else', async () => {
  const a = await admin();
  const unit = await unitByCode(a, 'STC');
  const username = uniq('forced');
  const cr = await a.post('/users', { username, full_name: 'Lê Thị Đổi', role: 'staff', unit_id: unit.id });
  assert.equal(cr.status, 201);
  const otp = cr.json.one_time_password;
  assert.equal(otp.length, 16);
  assert.equal(cr.json.user.must_change_password, true);

  const c = new Client();
  const l = await c.login(username, otp);
  assert.equal(l.status, 200);
  assert.equal(l.json.user.must_change_password, true);
  assert.match(l.json.csrf_token, /^[0-9a-f]{64}$/);
  assert.equal(l.json.user.password_hash, undefined);

  // cookie flags
  const sc = l.headers['set-cookie'].find((x) => x.startsWith('dti_session='));
  assert.match(sc, /HttpOnly/i);
  assert.match(sc, /SameSite=Strict/i);
  assert.match(sc, /Path=\//i);
  assert.match(sc, /^dti_session=[0-9a-f]{64};/);

  // blocked until the password is changed
  const blocked = await c.get('/units');
  assert.equal(blocked.status, 403);
  assert.equal(blocked.json.error.code, 'password_change_required');
  assert.equal((await c.get('/me')).status, 200);

  // weak passwords refused with a Vietnamese message naming the field; nothing changes
  for (const weak of ['abc@1234', '123456', username, 'x' + username + '2024!', 'k7#Qm2pLx', 'Abc@12345', 'qwerty123']) {
    const r = await c.post('/auth/password', { current_password: otp, new_password: weak });
    assert.equal(r.status, 422, weak);
    assert.equal(r.json.error.code, 'weak_password');
    assert.equal(r.json.error.field, 'new_password');
    assert.match(r.json.error.message, /[ạảãàáâậầấẩẫăắằẳẵặẹẻẽèéêệềếểễịỉĩìíọỏõòóôộồốổỗơợờớởỡụủũùúưựừứửữỵỷỹỳýđ]/i);
  }
  const wrongCur = await c.post('/auth/password', { current_password: 'không phải', new_password: strongPassword() });
  assert.equal(wrongCur.status, 422);
  assert.equal(wrongCur.json.error.field, 'current_password');
  // the one-time password still works: nothing was changed by the refusals
  assert.equal((await new Client().login(username, otp)).status, 200);

  const np = strongPassword();
  assert.equal((await c.post('/auth/password', { current_password: otp, new_password: np })).status, 204);
  const me = await c.get('/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.user.must_change_password, false);
  assert.equal(me.json.unit.code, 'STC');
  assert.equal(me.json.csrf_token, c.csrf);
  assert.equal((await c.get('/units')).status, 200);
  // the old one-time password no longer works, the new one does
  assert.equal((await new Client({ localAddress: WRONG }).login(username, otp)).status, 401);
  assert.equal((await new Client().login(username, np)).status, 200);
});

test('changing the password ends every other session of the user', async () => {
  const a = await admin();
  const unit = await unitByCode(a, 'SNV');
  const username = uniq('multi');
  const otp = (await a.post('/users', { username, full_name: 'Hai Phiên', role: 'staff', unit_id: unit.id })).json.one_time_password;
  const c1 = new Client(), c2 = new Client();
  await c1.login(username, otp);
  await c2.login(username, otp);
  assert.equal((await c1.post('/auth/password', { current_password: otp, new_password: strongPassword() })).status, 204);
  assert.equal((await c1.get('/me')).status, 200);
  assert.equal((await c2.get('/me')).status, 401);
});

test('wrong password and unknown user get the same Vietnamese message', async () => {
  const c = new Client({ localAddress: WRONG });
  const r1 = await c.login('admin', 'không đúng mật khẩu');
  const r2 = await c.login(uniq('nobody'), 'không đúng mật khẩu');
  assert.equal(r1.status, 401);
  assert.equal(r2.status, 401);
  assert.equal(r1.json.error.code, 'invalid_credentials');
  assert.equal(r1.json.error.message, 'Tên đăng nhập hoặc mật khẩu không đúng.');
  assert.deepEqual(r1.json, r2.json);
  assert.equal(r1.headers['set-cookie'], undefined);
});

test('login input errors name the field', async () => {
  const c = new Client({ localAddress: WRONG });
  let r = await c.req('POST', '/auth/login', { username: 'admin' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'password');
  r = await c.req('POST', '/auth/login', { username: 5, password: 'x' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'username');
  r = await c.req('POST', '/auth/login', { username: 'admin', password: 'x', remember: true });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'unknown_field');
  assert.equal(r.json.error.field, 'remember');
});

test('logout deletes the session and clears the cookie', async () => {
  const a = await admin();
  const stolen = a.cookie;
  const r = await a.post('/auth/logout', {});
  assert.equal(r.status, 204);
  const sc = r.headers['set-cookie'].find((x) => x.startsWith('dti_session='));
  assert.match(sc, /^dti_session=;|Max-Age=0/);
  // replaying the old cookie does not work
  const c = new Client();
  c.cookie = stolen;
  assert.equal((await c.get('/me')).status, 401);
});

test('CSRF: a missing or stale token is refused and nothing changes', async () => {
  const a = await admin();
  const old = await admin(); // another session: its token is valid for it, stale for `a`
  const before = await snapshot(a);
  const body = { code: uniq('CSRF'), name: 'Đơn vị CSRF', kind: 'other' };
  let r = await a.req('POST', '/units', body, { noCsrf: true });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'csrf_invalid');
  r = await a.req('POST', '/units', body, { csrf: old.csrf });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'csrf_invalid');
  r = await a.req('POST', '/units', body, { csrf: 'x'.repeat(64) });
  assert.equal(r.status, 403);
  assert.equal(await snapshot(a), before);
  // a session whose token is right succeeds
  r = await a.post('/units', body);
  assert.equal(r.status, 201);
});

test('no session at all: 401 with a Vietnamese message', async () => {
  const r = await new Client().get('/me');
  assert.equal(r.status, 401);
  assert.ok(r.json.error.message.length > 0);
});
