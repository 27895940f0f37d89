// totp.test.mjs — the second factor (RFC 6238 TOTP + recovery codes): enrolment, two-step
// login, replay refused, race-free code throttling, disable, the admins' mandatory enrolment
// gate, an admin's reset of another user. Codes are computed here with node's crypto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAdmin, newUserClient, createUser, loginAs, enrolTotp, freshTotp, totpCode,
  totpStep, expectStatus, expectError, auditHead, auditSince, loginFrom, requestFrom, unitByCode } from './lib.mjs';

test('enrolment: secret and otpauth URI, a wrong code changes nothing, the right one gives 10 recovery codes once', async () => {
  const a = await loginAdmin();
  const { client: c, user } = await newUserClient(a, { role: 'staff' });
  const head = await auditHead(a);
  expectError(await c.post('/auth/totp/confirm', { code: '123456' }), 409, 'totp_not_started');
  const e = expectStatus(await c.post('/auth/totp/enrol', {}), 200);
  assert.match(e.secret, /^[A-Z2-7]{32}$/);
  assert.equal(e.otpauth_uri, `otpauth://totp/DTI:${user.username}?secret=${e.secret}&issuer=DTI&algorithm=SHA1&digits=6&period=30`);
  const wrong = String((Number(totpCode(e.secret, totpStep())) + 1) % 1e6).padStart(6, '0');
  const w = expectError(await c.post('/auth/totp/confirm', { code: wrong }), 422, 'invalid_code', 'code');
  assert.match(w.message, /Mã xác thực không đúng/);
  assert.equal((await c.me()).json.user.totp_enabled, false);
  expectError(await c.post('/auth/totp/confirm', {}), 400, undefined, 'code');
  const r = expectStatus(await c.post('/auth/totp/confirm', { code: await freshTotp(e.secret) }), 200);
  assert.equal(r.recovery_codes.length, 10);
  assert.equal(new Set(r.recovery_codes).size, 10);
  for (const rc of r.recovery_codes) assert.match(rc, /^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
  assert.equal((await c.me()).json.user.totp_enabled, true);
  expectError(await c.post('/auth/totp/enrol', {}), 409, 'totp_already_enabled');
  const entries = await auditSince(a, head);
  const actions = entries.filter((x) => x.entity_id === String(user.id)).map((x) => x.action);
  assert.ok(actions.includes('user.totp_enrol_start'), actions.join());
  assert.ok(actions.includes('user.totp_enable'), actions.join());
  assert.ok(!JSON.stringify(entries).includes(e.secret), 'the secret is never in the audit trail');
  assert.ok(!JSON.stringify(entries).includes(r.recovery_codes[0]), 'nor a recovery code');
});

test('login: password, then a TOTP code; a code is accepted once; recovery codes once each', async () => {
  const a = await loginAdmin();
  const { client, user, password } = await newUserClient(a, { role: 'staff' });
  const { secret, recovery_codes } = await enrolTotp(client);
  const c = new Client();
  const l = expectStatus(await c.login(user.username, password), 200);
  assert.equal(l.second_factor_required, true);
  assert.match(l.pending_token, /^[0-9a-f]{64}$/);
  assert.equal(l.user, undefined, 'no user before the second step');
  assert.equal(c.cookie, null, 'no session cookie before the second step');
  expectError(await c.get('/me'), 401);
  expectError(await c.loginSecondFactor(l.pending_token, '000000x'), 401, 'invalid_code', 'code');
  const code = await freshTotp(secret);
  const ok = expectStatus(await c.loginSecondFactor(l.pending_token, code), 200);
  assert.equal(ok.user.username, user.username);
  expectStatus(await c.get('/me'), 200);
  // the pending login is spent
  expectError(await new Client().loginSecondFactor(l.pending_token, code), 401, 'login_expired');
  // the same code again, on a new pending login: refused (replay)
  const c2 = new Client();
  const l2 = expectStatus(await c2.login(user.username, password), 200);
  expectError(await c2.loginSecondFactor(l2.pending_token, code), 401, 'invalid_code');
  // a recovery code works (any case, with or without dashes), once
  const rc = recovery_codes[0];
  expectStatus(await c2.loginSecondFactor(l2.pending_token, rc.toLowerCase().replaceAll('-', '')), 200);
  const c3 = new Client();
  const l3 = expectStatus(await c3.login(user.username, password), 200);
  expectError(await c3.loginSecondFactor(l3.pending_token, rc), 401, 'invalid_code');
  expectStatus(await c3.loginSecondFactor(l3.pending_token, recovery_codes[1]), 200);
  // malformed pending tokens
  expectError(await c3.loginSecondFactor('x'.repeat(64), '123456'), 401, 'login_expired');
  expectError(await c3.post('/auth/login/second-factor', { code: '123456' }, { csrf: false }), 400, undefined, 'pending_token');
});

test('race: 50 simultaneous wrong codes check at most 5; then the right code is refused', async () => {
  const a = await loginAdmin();
  const { client, user, password } = await newUserClient(a, { role: 'staff' });
  const { secret } = await enrolTotp(client);
  const l = expectStatus(await new Client().login(user.username, password), 200);
  const right = totpCode(secret, totpStep());
  const wrong = (i) => String((Number(right) + 1000 + i) % 1e6).padStart(6, '0');
  const rs = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    requestFrom('127.0.0.61', 'POST', '/auth/login/second-factor', { pending_token: l.pending_token, code: wrong(i) })));
  const checked = rs.filter((r) => r.json?.error?.code === 'invalid_code').length;
  console.log(`# TOTP race: ${checked} codes checked out of 50 simultaneous tries`);
  assert.equal(checked, 5);
  assert.ok(rs.every((r) => r.status === 401 || r.status === 429), rs.map((r) => r.status).join());
  expectError(await new Client().loginSecondFactor(l.pending_token, right), 401, 'login_expired');
  // a new pending login: the account's code budget (5 per 15 min) is spent too
  const l2 = expectStatus(await new Client().login(user.username, password), 200);
  const r = await new Client().loginSecondFactor(l2.pending_token, right);
  expectError(r, 429, 'too_many_attempts');
  assert.match(r.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
});

test('disable needs a current code; an admin cannot disable; an admin resets another user (audited)', async () => {
  const a = await loginAdmin();
  const { client, user, password } = await newUserClient(a, { role: 'staff' });
  const { secret } = await enrolTotp(client);
  expectError(await client.post('/auth/totp/disable', { code: '000000' }), 422, 'invalid_code', 'code');
  assert.equal((await client.me()).json.user.totp_enabled, true);
  expectStatus(await client.post('/auth/totp/disable', { code: await freshTotp(secret) }), 204);
  assert.equal((await client.me()).json.user.totp_enabled, false);
  const l = expectStatus(await new Client().login(user.username, password), 200);
  assert.equal(l.second_factor_required, undefined);
  expectError(await client.post('/auth/totp/disable', { code: '000000' }), 409, 'totp_not_enabled');

  expectError(await a.post('/auth/totp/disable', { code: '000000' }), 403, 'totp_required');

  // reset by an admin: TOTP off, the user's sessions end, the next login is one step
  await enrolTotp(client);
  const head = await auditHead(a);
  expectStatus(await a.post(`/users/${user.id}/totp-reset`, {}), 204);
  expectError(await client.get('/me'), 401);
  const fresh = new Client();
  const again = expectStatus(await fresh.login(user.username, password), 200);
  assert.equal(again.user.totp_enabled, false);
  const e = (await auditSince(a, head)).find((x) => x.action === 'user.totp_reset');
  assert.ok(e, 'audited');
  assert.equal(e.entity_id, String(user.id));
  assert.equal(e.actor.username, 'admin');
  expectError(await a.post('/users/999999999/totp-reset', {}), 404);
  // not for other roles
  expectError(await fresh.post(`/users/${user.id}/totp-reset`, {}), 403);
});

test('an admin without TOTP can only enrol (after the forced password change), then everything', async () => {
  const a = await loginAdmin();
  const unit = await unitByCode(a, 'STC');
  const { user, password: otp } = await createUser(a, { role: 'admin', unit_id: unit.id });
  const { client: c, password } = await loginAs(user.username, otp);
  const g = expectError(await c.get('/units'), 403, 'totp_enrolment_required');
  assert.match(g.message, /xác thực hai bước/);
  expectError(await c.post('/units', { code: 'X', name: 'X', kind: 'other' }), 403, 'totp_enrolment_required');
  expectStatus(await c.get('/me'), 200);
  await enrolTotp(c);
  expectStatus(await c.get('/units'), 200);
  // its next login takes two steps
  const l = expectStatus(await new Client().login(user.username, password), 200);
  assert.equal(l.second_factor_required, true);
  // a wrong password never reveals whether TOTP is on
  const w = await loginFrom('127.0.0.62', user.username, 'sai mật khẩu');
  assert.equal(w.status, 401);
  assert.equal(w.json.error.code, 'invalid_credentials');
});

