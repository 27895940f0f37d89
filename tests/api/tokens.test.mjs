// tokens.test.mjs — API tokens: secret shown once, works as a bearer, cannot call admin
// endpoints, revocation works, creation and revocation are audited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, admin, unitByCode, request } from './lib.mjs';

test('API token lifecycle', async () => {
  const a = await admin();
  const unit = await unitByCode(a, 'CTK');
  const r = await a.post('/tokens', { name: 'Hệ thống IOC', unit_id: unit.id, role: 'feed' });
  assert.equal(r.status, 201);
  const secret = r.json.secret;
  assert.match(secret, /^dti_[0-9a-f]{64}$/);
  const id = r.json.token.id;
  assert.equal(r.json.token.revoked_at, null);
  assert.equal(r.json.token.last_used_at, null);
  // shown once: the list never has it
  const list = (await a.get('/tokens')).json.tokens;
  assert.ok(list.some((t) => t.id === id));
  assert.ok(!JSON.stringify(list).includes(secret.slice(4)));

  const bot = new Client({ bearer: secret });
  const me = await bot.get('/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.user, null);
  assert.equal(me.json.unit.code, 'CTK');
  // no admin endpoint for a token, no CSRF needed for it to be refused by role
  for (const [m, p] of [['GET', '/users'], ['GET', '/audit'], ['GET', '/tokens'], ['POST', '/units'], ['POST', '/tokens'], ['POST', '/users']]) {
    const x = await bot.req(m, p, m === 'POST' ? { name: 'x', code: 'x', kind: 'other', role: 'admin', unit_id: unit.id } : undefined);
    assert.equal(x.status, 403, m + ' ' + p);
  }
  // an admin-role token cannot even be created
  const adm = await a.post('/tokens', { name: 'root', unit_id: unit.id, role: 'admin' });
  assert.equal(adm.status, 422);
  assert.equal(adm.json.error.field, 'role');
  const used = (await a.get('/tokens')).json.tokens.find((t) => t.id === id);
  assert.notEqual(used.last_used_at, null);

  // a wrong or malformed bearer is simply unauthenticated
  assert.equal((await new Client({ bearer: secret.slice(0, -1) + (secret.endsWith('0') ? '1' : '0') }).get('/me')).status, 401);
  assert.equal((await request('GET', '/api/v1/me', undefined, { headers: { authorization: 'Bearer ' + "' OR 1=1 --" } })).status, 401);

  const rv = await a.post('/tokens/' + id + '/revoke', {});
  assert.equal(rv.status, 200);
  assert.notEqual(rv.json.revoked_at, null);
  assert.equal((await bot.get('/me')).status, 401);

  const audit = (await a.get('/audit?entity=api_token&entity_id=' + id)).json.entries;
  assert.deepEqual(audit.map((e) => e.action), ['api_token.revoke', 'api_token.create']);
  assert.ok(!JSON.stringify(audit).includes(secret.slice(4)));
});

test('token input errors', async () => {
  const a = await admin();
  const unit = await unitByCode(a, 'CTK');
  for (const [body, status, field] of [
    [{ unit_id: unit.id, role: 'feed' }, 400, 'name'],
    [{ name: 'x', unit_id: unit.id, role: 'boss' }, 422, 'role'],
    [{ name: 'x', unit_id: 999999, role: 'feed' }, 422, 'unit_id'],
    [{ name: 'x'.repeat(101), unit_id: unit.id, role: 'feed' }, 400, 'name'],
    [{ name: 'x', unit_id: unit.id, role: 'feed', scope: 'all' }, 400, 'scope'],
  ]) {
    const r = await a.post('/tokens', body);
    assert.equal(r.status, status, JSON.stringify(body));
    assert.equal(r.json.error.field, field);
  }
  assert.equal((await a.post('/tokens/999999/revoke', {})).status, 404);
});
