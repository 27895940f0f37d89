// throttle.test.mjs — 5 failures per account or 20 per client address within 15 minutes
// -> 429 too_many_attempts, even with the right password. Each check uses its own loopback
// source address (127.0.0.x), so other test files are not throttled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, admin, newUser, uniq } from './lib.mjs';

test('per account: the 6th attempt is refused even with the right password', async () => {
  const a = await admin();
  const u = await newUser(a, { role: 'staff', unitCode: 'SCT', prefix: 'thr' });
  const c = new Client({ localAddress: '127.0.0.6' });
  for (let i = 0; i < 5; i++) {
    const r = await c.login(u.username, 'sai mật khẩu ' + i);
    assert.equal(r.status, 401, 'attempt ' + (i + 1));
  }
  // another address, right password: still refused (the account is what is protected)
  const r = await new Client({ localAddress: '127.0.0.7' }).login(u.username, u.password);
  assert.equal(r.status, 429);
  assert.equal(r.json.error.code, 'too_many_attempts');
  assert.match(r.json.error.message, /thử lại sau \d+ phút/);
  assert.equal(r.headers['set-cookie'], undefined);
  // the user name is case-insensitive for the counter too
  assert.equal((await new Client({ localAddress: '127.0.0.7' }).login(u.username.toUpperCase(), u.password)).status, 429);
  // an existing session of that user keeps working
  assert.equal((await u.client.get('/me')).status, 200);
});

test('per address: 20 failures block that address, not others', async () => {
  const a = await admin();
  const u = await newUser(a, { role: 'staff', unitCode: 'SCT', prefix: 'thr' });
  const c = new Client({ localAddress: '127.0.0.8' });
  for (let i = 0; i < 20; i++) {
    const r = await c.login(uniq('ghost'), 'sai');
    assert.equal(r.status, 401, 'attempt ' + (i + 1));
  }
  const blocked = await new Client({ localAddress: '127.0.0.8' }).login(u.username, u.password);
  assert.equal(blocked.status, 429);
  assert.equal(blocked.json.error.code, 'too_many_attempts');
  const other = await new Client({ localAddress: '127.0.0.9' }).login(u.username, u.password);
  assert.equal(other.status, 200);
});
