// contract.test.mjs — the contract check of every answer (contract.mjs) is live: an answer
// that breaks openapi.json fails, one that keeps it passes. (Every other test file's answers
// go through the same check in lib.mjs.)
import assert from 'node:assert/strict';
import test from 'node:test';

import { checkExchange, findOperation } from './contract.mjs';
import { API, Client, expectStatus, loginAdmin } from './lib.mjs';

const ok = (json, status = 200) => ({ status, json, text: JSON.stringify(json) });

test('operations are found by method and path template', () => {
  assert.equal(findOperation('GET', `${API}/units/12`)?.template, `${API}/units/{id}`);
  assert.equal(findOperation('POST', `${API}/users/3/reset-password`)?.template, `${API}/users/{id}/reset-password`);
  assert.equal(findOperation('DELETE', `${API}/units/12`), null);
});

test('a real answer passes; the same answer with a field missing, extra or mistyped fails', async () => {
  const a = await loginAdmin();
  const r = expectStatus(await a.get('/units'), 200);
  const unit = r.units[0];
  assert.doesNotThrow(() => checkExchange('GET', `${API}/units/${unit.id}`, undefined, false, ok(unit)));
  const { code, ...noCode } = unit;
  assert.ok(code);
  assert.throws(() => checkExchange('GET', `${API}/units/${unit.id}`, undefined, false, ok(noCode)),
    /GET \/api\/v1\/units\/\d+ → 200 does not match openapi.json: .*must have required property 'code'/);
  assert.throws(() => checkExchange('GET', `${API}/units/${unit.id}`, undefined, false, ok({ ...unit, secret: 1 })),
    /must NOT have additional properties/);
  assert.throws(() => checkExchange('GET', `${API}/units/${unit.id}`, undefined, false, ok({ ...unit, id: 'x' })),
    /\/id must be integer/);
  assert.throws(() => checkExchange('GET', `${API}/units/${unit.id}`, undefined, false, ok({ ...unit, created_at: 'yesterday' })),
    /\/created_at must match format "date-time"/);
});

test('errors must have the Error shape; an empty answer must be documented as empty', () => {
  assert.doesNotThrow(() => checkExchange('GET', `${API}/units/1`, undefined, false,
    ok({ error: { code: 'not_found', message: 'Không tìm thấy.' } }, 404)));
  assert.throws(() => checkExchange('GET', `${API}/units/1`, undefined, false, ok({ error: 'not_found' }, 404)),
    /\/error must be object/);
  assert.throws(() => checkExchange('GET', `${API}/units/1`, undefined, false, { status: 404, json: null, text: 'Not Found' }),
    /the body is not JSON/);
  assert.doesNotThrow(() => checkExchange('POST', `${API}/auth/logout`, undefined, false, { status: 204, json: null, text: '' }));
  assert.throws(() => checkExchange('POST', `${API}/auth/logout`, undefined, false, ok({}, 204)),
    /has no body in the contract/);
});

test('an unknown route never succeeds; its errors are Errors', () => {
  assert.throws(() => checkExchange('GET', `${API}/nope`, undefined, false, ok({})), /no such operation/);
  assert.doesNotThrow(() => checkExchange('GET', `${API}/nope`, undefined, false,
    ok({ error: { code: 'not_found', message: 'Không tìm thấy.' } }, 404)));
});

test('the Client checks what it receives', async () => {
  // openapi.json itself goes through the check too
  const doc = expectStatus(await new Client().get('/openapi.json'), 200);
  assert.ok(doc.components.schemas.Error && doc.components.schemas.User);
});
