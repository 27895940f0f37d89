// smoke.test.mjs — the contract basics of docs/api.md that every other API test relies on:
// health, error shape, login and the forced password change, CSRF, a write that is audited.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client, createUser, expectError, expectStatus, loginAdmin, rootUnit, uniq } from './lib.mjs';

test('health reports the database', async () => {
  const j = expectStatus(await new Client().get('/health'), 200);
  assert.deepEqual(j, { status: 'ok', database: 'ok' });
});

test('anonymous callers get 401 with the error shape', async () => {
  const e = expectError(await new Client().get('/me'), 401);
  assert.match(e.code, /^[a-z_]+$/);
  expectError(await new Client().get('/units'), 401);
});

test('login: same answer for unknown user and wrong password', async () => {
  const admin = await loginAdmin();
  const { user } = await createUser(admin, { role: 'staff' });
  const wrong = expectError(await new Client().login(user.username, 'not-the-password'), 401, 'invalid_credentials');
  const unknown = expectError(await new Client().login(uniq('nobody'), 'whatever-password'), 401, 'invalid_credentials');
  assert.equal(wrong.message, unknown.message);
});

test('a one-time password only allows changing it', async () => {
  const admin = await loginAdmin();
  const { user, password } = await createUser(admin, { role: 'staff' });
  const c = new Client();
  const j = expectStatus(await c.login(user.username, password), 200);
  assert.equal(j.user.must_change_password, true);
  assert.equal(j.user.password_hash, undefined);
  expectError(await c.get('/units'), 403, 'password_change_required');
  expectStatus(await c.get('/me'), 200);
});

test('state changes need the CSRF token and change nothing without it', async () => {
  const admin = await loginAdmin();
  const code = uniq('CSRF');
  expectError(await admin.post('/units', { code, name: 'Không được tạo', kind: 'other' }, { csrf: false }), 403, 'csrf_invalid');
  const units = expectStatus(await admin.get('/units'), 200).units;
  assert.equal(units.filter((u) => u.code === code).length, 0);
});

test('a unit write is validated, stored and audited', async () => {
  const admin = await loginAdmin();
  const bad = await admin.post('/units', { code: uniq('BAD'), name: 'Sai loại', kind: 'planet' });
  assert.ok([400, 422].includes(bad.status), `bad kind: HTTP ${bad.status}`);
  assert.equal(expectError(bad, bad.status).field, 'kind');
  expectError(await admin.post('/units', { code: uniq('X'), name: 'x', kind: 'other', colour: 'red' }), 400, 'unknown_field', 'colour');

  const code = uniq('OK');
  const root = await rootUnit(admin);
  const u = expectStatus(await admin.post('/units', { code, name: 'Sở Thử nghiệm — Đ', kind: 'department', parent_id: root.id }), 201);
  assert.equal(u.code, code);
  assert.equal(u.name, 'Sở Thử nghiệm — Đ');
  expectError(await admin.post('/units', { code, name: 'Trùng mã', kind: 'department', parent_id: root.id }), 409);
  const got = expectStatus(await admin.get(`/units/${u.id}`), 200);
  assert.equal(got.name, 'Sở Thử nghiệm — Đ');

  const audit = expectStatus(await admin.get(`/audit?entity=unit&entity_id=${u.id}`), 200);
  assert.ok(audit.entries.length >= 1, 'unit creation must be audited');
  const v = expectStatus(await admin.get('/audit/verify'), 200);
  assert.equal(v.ok, true, JSON.stringify(v));
});
