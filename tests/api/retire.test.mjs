// retire.test.mjs — retiring a unit stops its people at once: in the same transaction their
// sessions end and the API tokens they created or that act for the unit are revoked (audited);
// afterwards login, sessions and tokens are refused with 403 unit_retired.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAdmin, newUserClient, createUnit, expectError, expectStatus, auditHead, auditSince } from './lib.mjs';

function bearer(secret) {
  const c = new Client();
  c.bearer = secret;
  return c;
}

test('users of a retired unit cannot sign in; their sessions and tokens end', async () => {
  const a = await loginAdmin();
  const unitA = await createUnit(a, { kind: 'commune' });
  const unitB = await createUnit(a, { kind: 'department' });
  const unitC = await createUnit(a, { kind: 'department' });
  const staff = await newUserClient(a, { role: 'staff', unit_id: unitA.id });
  const leader = await newUserClient(a, { role: 'leader', unit_id: unitA.id });
  // an administrator who belongs to unit B creates a token for unit C
  const adminB = await newUserClient(a, { role: 'admin', unit_id: unitB.id });
  const tokA = expectStatus(await a.post('/tokens', { name: 'Cổng dịch vụ công', unit_id: unitA.id, role: 'feed' }), 201);
  const tokC = expectStatus(await adminB.client.post('/tokens', { name: 'IOC', unit_id: unitC.id, role: 'feed' }), 201);
  const other = expectStatus(await a.post('/tokens', { name: 'Khác', unit_id: unitC.id, role: 'feed' }), 201);
  for (const t of [tokA, tokC, other]) expectStatus(await bearer(t.secret).get('/me'), 200);
  expectStatus(await staff.client.get('/me'), 200);

  const head = await auditHead(a);
  expectStatus(await a.post('/units/' + unitA.id + '/retire', { reason: 'Sáp nhập' }), 200);

  // the sessions are gone (deleted in the retiring transaction): 401, then login says why
  expectError(await staff.client.get('/me'), 401, 'unauthenticated');
  expectError(await leader.client.get('/units'), 401, 'unauthenticated');
  const e = expectError(await new Client().login(staff.user.username, staff.password), 403, 'unit_retired');
  assert.match(e.message, /ngừng hoạt động/);
  // a wrong password learns nothing about the unit
  expectError(await new Client().login(staff.user.username, 'sai mật khẩu rồi'), 401, 'invalid_credentials');
  // the unit's token: refused with the reason
  expectError(await bearer(tokA.secret).get('/me'), 403, 'unit_retired');

  const entries = await auditSince(a, head);
  const ended = entries.find((x) => x.action === 'unit.end_sessions' && x.entity_id === String(unitA.id));
  assert.ok(ended, 'sessions ending audited');
  assert.equal(ended.new.sessions_ended, 2);
  assert.ok(entries.some((x) => x.action === 'api_token.revoke' && x.entity_id === String(tokA.token.id)));
  const tokens = expectStatus(await a.get('/tokens'), 200).tokens;
  assert.notEqual(tokens.find((t) => t.id === tokA.token.id).revoked_at, null);
  assert.equal(tokens.find((t) => t.id === other.token.id).revoked_at, null, 'other units untouched');
  expectStatus(await bearer(other.secret).get('/me'), 200);

  // retiring unit B revokes the token its administrator created, although it acts for unit C
  expectStatus(await a.post('/units/' + unitB.id + '/retire', { reason: 'Sáp nhập' }), 200);
  expectError(await adminB.client.get('/me'), 401);
  expectError(await bearer(tokC.secret).get('/me'), 403, 'unit_retired');
  assert.notEqual(expectStatus(await a.get('/tokens'), 200).tokens.find((t) => t.id === tokC.token.id).revoked_at, null);
  expectStatus(await bearer(other.secret).get('/me'), 200);
  expectError(await new Client().login(adminB.user.username, adminB.password), 403, 'unit_retired');

  // moved to an active unit, the user works again
  const moved = expectStatus(await a.patch('/users/' + staff.user.id, { unit_id: unitC.id }), 200);
  assert.equal(moved.unit_id, unitC.id);
  expectStatus(await new Client().login(staff.user.username, staff.password), 200);
});

test('an administrator cannot retire their own unit; a refused retirement ends nothing', async () => {
  const a = await loginAdmin();
  const unit = await createUnit(a);
  const adm = await newUserClient(a, { role: 'admin', unit_id: unit.id });
  const head = await auditHead(a);
  expectError(await adm.client.post('/units/' + unit.id + '/retire', { reason: 'Thử' }), 422, 'own_unit');
  expectStatus(await adm.client.get('/me'), 200);
  assert.equal(expectStatus(await a.get('/units/' + unit.id), 200).retired_at, null);
  assert.equal((await auditSince(a, head)).filter((x) => x.entity === 'unit' && x.entity_id === String(unit.id)).length, 0);
});
