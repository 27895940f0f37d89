// throttle.test.mjs — 5 failures per account or 20 per client address within 15 minutes
// -> 429 too_many_attempts, even with the right password. Each check sends from its own
// loopback source address (127.0.0.x), so other test files are not throttled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAdmin, newUserClient, uniq, loginFrom, expectStatus } from './lib.mjs';

test('per account: the 6th attempt is refused even with the right password', async () => {
  const a = await loginAdmin();
  const u = await newUserClient(a, { role: 'staff' });
  for (let i = 0; i < 5; i++)
    assert.equal((await loginFrom('127.0.0.6', u.user.username, 'sai mật khẩu ' + i)).status, 401, 'attempt ' + (i + 1));
  // from another address with the right password: still refused (the account is protected)
  const r = await loginFrom('127.0.0.7', u.user.username, u.password);
  assert.equal(r.status, 429);
  assert.equal(r.json.error.code, 'too_many_attempts');
  assert.match(r.json.error.message, /thử lại sau \d+ phút/);
  // Retry-After (RFC 9110 §10.2.3) in seconds: at most the 15-minute window, and agreeing with
  // the minutes the message announces
  assert.match(r.headers['retry-after'] ?? '', /^\d+$/, 'Retry-After header');
  const secs = Number(r.headers['retry-after']);
  assert.ok(secs >= 1 && secs <= 900, 'Retry-After ' + secs);
  assert.equal(Number(/sau (\d+) phút/.exec(r.json.error.message)[1]), Math.max(1, Math.ceil(secs / 60)));
  assert.equal(r.headers['set-cookie'], undefined);
  // the counter ignores case in the user name
  assert.equal((await loginFrom('127.0.0.7', u.user.username.toUpperCase(), u.password)).status, 429);
  // a session opened before keeps working
  expectStatus(await u.client.get('/me'), 200);
});

test('per address: 20 failures block that address, not others', async () => {
  const a = await loginAdmin();
  const u = await newUserClient(a, { role: 'staff' });
  for (let i = 0; i < 20; i++)
    assert.equal((await loginFrom('127.0.0.8', uniq('ghost'), 'sai')).status, 401, 'attempt ' + (i + 1));
  const blocked = await loginFrom('127.0.0.8', u.user.username, u.password);
  assert.equal(blocked.status, 429);
  assert.equal(blocked.json.error.code, 'too_many_attempts');
  assert.match(blocked.headers['retry-after'] ?? '', /^[1-9]\d*$/, 'Retry-After header');
  assert.equal((await loginFrom('127.0.0.9', u.user.username, u.password)).status, 200);
});
