// throttle.test.mjs — login throttling that cannot be raced or abused (docs/security.md):
//   (account, address) 5 per 15 min; account, for clients not known, 10 per hour whatever the
//   number of addresses; (account, known device) 5 per 15 min and nothing else; address, across
//   accounts, 50 per 15 min for clients not known. An attempt is reserved before the password
//   is hashed: each 401 below is one password check.
// Each check sends from its own loopback source addresses (127.0.0.20 and up), so other test
// files are not throttled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAdmin, newUserClient, uniq, loginFrom, requestFrom, expectStatus } from './lib.mjs';

const count = (rs, status) => rs.filter((r) => r.status === status).length;

/** A 429 as the API documents it: Vietnamese message with minutes, Retry-After agreeing. */
function assertThrottled(r, maxSeconds) {
  assert.equal(r.status, 429, r.text);
  assert.equal(r.json.error.code, 'too_many_attempts');
  assert.match(r.json.error.message, /^Đăng nhập sai quá nhiều lần\. Vui lòng thử lại sau \d+ phút/);
  assert.match(r.headers['retry-after'] ?? '', /^[1-9]\d*$/, 'Retry-After header');
  const secs = Number(r.headers['retry-after']);
  assert.ok(secs <= maxSeconds, `Retry-After ${secs} > ${maxSeconds}`);
  assert.equal(Number(/sau (\d+) phút/.exec(r.json.error.message)[1]), Math.max(1, Math.ceil(secs / 60)));
  assert.equal(r.headers['set-cookie'], undefined);
}

/** The dti_device cookie a successful login sets ("dti_device=…"). */
function deviceCookie(r) {
  const c = (r.headers['set-cookie'] ?? []).find((x) => x.startsWith('dti_device='));
  assert.ok(c, 'dti_device cookie expected');
  assert.match(c, /HttpOnly/i);
  return c.split(';')[0];
}

test('race: 100 simultaneous wrong logins check at most 5 passwords; then the right one is refused', async () => {
  const a = await loginAdmin();
  const u = await newUserClient(a, { role: 'staff' });
  const rs = await Promise.all(Array.from({ length: 100 }, (_, i) =>
    loginFrom('127.0.0.20', u.user.username, 'sai mật khẩu ' + i)));
  const checked = count(rs, 401);
  console.log(`# race: ${checked} password checks out of 100 simultaneous wrong logins, ${count(rs, 429)} refused`);
  assert.equal(checked, 5, 'password checks');
  assert.equal(count(rs, 429), 95);
  assertThrottled(await loginFrom('127.0.0.20', u.user.username, u.password), 900);
  // upper case in the name is the same account
  assert.equal((await loginFrom('127.0.0.20', u.user.username.toUpperCase(), u.password)).status, 429);
  // the pair limit is the address's: the same account from elsewhere still gets in
  expectStatus(await loginFrom('127.0.0.21', u.user.username, u.password), 200);
  expectStatus(await u.client.get('/me'), 200); // a session opened before keeps working
});

test('race: the right password sent 100th among 99 wrong ones is refused unless within the first 5', async () => {
  const a = await loginAdmin();
  const u = await newUserClient(a, { role: 'staff' });
  const rs = await Promise.all(Array.from({ length: 100 }, (_, i) =>
    loginFrom('127.0.0.22', u.user.username, i === 99 ? u.password : 'sai ' + i)));
  const ok = rs[99].status === 200 ? 1 : 0;
  assert.ok([200, 429].includes(rs[99].status), rs[99].text);
  assert.equal(count(rs, 401) + ok, 5, 'password checks (wrong + right)');
});

test('account budget: 60 guesses from 30 addresses check at most 10 passwords; a known device still logs in', async () => {
  const a = await loginAdmin();
  const u = await newUserClient(a, { role: 'staff' });
  // the user's own browser logged in before: it holds a known-device cookie
  const first = await loginFrom('127.0.0.23', u.user.username, u.password);
  expectStatus(first, 200);
  const device = deviceCookie(first);

  const addrs = Array.from({ length: 30 }, (_, i) => `127.0.0.${30 + i}`);
  const rs = await Promise.all(addrs.flatMap((ip) => [0, 1].map((k) =>
    loginFrom(ip, u.user.username, `đoán ${ip} ${k}`))));
  const checked = count(rs, 401);
  console.log(`# account budget: ${checked} password checks out of ${rs.length} guesses from ${addrs.length} addresses`);
  assert.equal(checked, 10, 'password checks');
  // a new client with the right password, from an address never used: refused for up to an hour
  assertThrottled(await loginFrom('127.0.0.24', u.user.username, u.password), 3600);
  // ... but the user's known device gets in, even from an address the stranger used
  const r = await requestFrom('127.0.0.30', 'POST', '/auth/login',
    { username: u.user.username, password: u.password }, { cookie: device });
  expectStatus(r, 200, 'known device');
  // a forged or foreign device cookie is just an unknown client
  const forged = await requestFrom('127.0.0.25', 'POST', '/auth/login',
    { username: u.user.username, password: u.password }, { cookie: 'dti_device=' + 'a'.repeat(64) });
  assert.equal(forged.status, 429);
});

test('a known device has its own strict budget (5 per 15 minutes)', async () => {
  const a = await loginAdmin();
  const u = await newUserClient(a, { role: 'staff' });
  const first = await loginFrom('127.0.0.26', u.user.username, u.password);
  const device = deviceCookie(first);
  const send = (pw) => requestFrom('127.0.0.26', 'POST', '/auth/login',
    { username: u.user.username, password: pw }, { cookie: device });
  const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => send('sai ' + i)));
  assert.equal(count(rs, 401), 5);
  assertThrottled(await send(u.password), 900);
  // the same address without the cookie is another client: its own pair budget
  expectStatus(await loginFrom('127.0.0.26', u.user.username, u.password), 200);
});

test('per address: 50 failures across accounts block unknown clients there, not known devices', async () => {
  const a = await loginAdmin();
  const u = await newUserClient(a, { role: 'staff' });
  const v = await newUserClient(a, { role: 'staff' });
  const known = deviceCookie(await loginFrom('127.0.0.27', v.user.username, v.password));
  for (let i = 0; i < 10; i++) {
    const rs = await Promise.all(Array.from({ length: 5 }, (_, k) => loginFrom('127.0.0.28', uniq('ghost'), 'sai ' + k)));
    assert.equal(count(rs, 401), 5, 'batch ' + i);
  }
  assertThrottled(await loginFrom('127.0.0.28', u.user.username, u.password), 900);
  expectStatus(await loginFrom('127.0.0.29', u.user.username, u.password), 200);
  // a colleague behind the same address whose browser is known still gets in
  expectStatus(await requestFrom('127.0.0.28', 'POST', '/auth/login',
    { username: v.user.username, password: v.password }, { cookie: known }), 200);
});
