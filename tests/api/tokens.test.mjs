// tokens.test.mjs — API tokens: secret shown once, works as a bearer, cannot call admin
// endpoints, revocation works, creation and revocation are audited without the secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAdmin, unitByCode, expectError, expectStatus } from './lib.mjs';

function bearer(secret) {
  const c = new Client();
  c.bearer = secret;
  return c;
}

test('API token lifecycle', async () => {
  const a = await loginAdmin();
  const unit = await unitByCode(a, 'CTK');
  const j = expectStatus(await a.post('/tokens', { name: 'Hệ thống IOC', unit_id: unit.id, role: 'feed' }), 201);
  const secret = j.secret;
  assert.match(secret, /^dti_[0-9a-f]{64}$/);
  const id = j.token.id;
  assert.equal(j.token.revoked_at, null);
  assert.equal(j.token.last_used_at, null);
  const list = expectStatus(await a.get('/tokens'), 200).tokens;
  assert.ok(list.some((t) => t.id === id));
  assert.ok(!JSON.stringify(list).includes(secret.slice(4)), 'secret shown once only');

  const bot = bearer(secret);
  const me = expectStatus(await bot.get('/me'), 200);
  assert.equal(me.user, null);
  assert.equal(me.unit.code, 'CTK');
  for (const [m, p] of [['GET', '/users'], ['GET', '/audit'], ['GET', '/tokens'], ['POST', '/units'], ['POST', '/tokens'], ['POST', '/users'], ['POST', '/units/' + unit.id + '/retire']]) {
    const body = m === 'POST' ? { name: 'x', code: 'x', kind: 'other', role: 'admin', unit_id: unit.id } : undefined;
    expectError(await bot.request(m, p, body), 403, undefined, undefined);
  }
  assert.equal(expectStatus(await a.get('/units/' + unit.id), 200).retired_at, null);
  expectError(await a.post('/tokens', { name: 'root', unit_id: unit.id, role: 'admin' }), 422, undefined, 'role');
  assert.notEqual(expectStatus(await a.get('/tokens'), 200).tokens.find((t) => t.id === id).last_used_at, null);

  // a wrong or malformed bearer is simply unauthenticated
  expectError(await bearer(secret.slice(0, -1) + (secret.endsWith('0') ? '1' : '0')).get('/me'), 401);
  expectError(await bearer("' OR 1=1 --").get('/me'), 401);

  const rv = expectStatus(await a.post('/tokens/' + id + '/revoke', {}), 200);
  assert.notEqual(rv.revoked_at, null);
  expectError(await bot.get('/me'), 401);

  const audit = expectStatus(await a.get('/audit?entity=api_token&entity_id=' + id), 200).entries;
  assert.deepEqual(audit.map((e) => e.action), ['api_token.revoke', 'api_token.create']);
  assert.ok(!JSON.stringify(audit).includes(secret.slice(4)));
});

test('token input errors', async () => {
  const a = await loginAdmin();
  const unit = await unitByCode(a, 'CTK');
  for (const [body, status, field] of [
    [{ unit_id: unit.id, role: 'feed' }, 400, 'name'],
    [{ name: 'x', unit_id: unit.id, role: 'boss' }, 422, 'role'],
    [{ name: 'x', unit_id: 999999, role: 'feed' }, 422, 'unit_id'],
    [{ name: 'x'.repeat(101), unit_id: unit.id, role: 'feed' }, 400, 'name'],
    [{ name: 'x', unit_id: unit.id, role: 'feed', scope: 'all' }, 400, 'scope'],
  ]) expectError(await a.post('/tokens', body), status, undefined, field);
  expectError(await a.post('/tokens/999999/revoke', {}), 404);
});
