// errors.test.mjs — the details of input errors: a duplicate key is named, an empty body is
// called empty (not "field X missing"), field names are quoted the same way in every message,
// query flags accept only 1/0/true/false. Every refusal changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAdmin, uniq, expectError, expectStatus, auditHead, auditSince } from './lib.mjs';

const raw = (c, method, path, body) =>
  c.request(method, path, body, { raw: true, headers: { 'content-type': 'application/json' } });

test('a duplicate key is named in field and message; nothing stored', async () => {
  const a = await loginAdmin();
  const code = uniq('DK');
  const head = await auditHead(a);
  for (const [body, key] of [
    [`{"code":"${code}","name":"A","kind":"other","name":"B"}`, 'name'],
    [`{"code":"${code}","name":"A","kind":"other","info":{"address":"x","address":"y"}}`, 'address'],
    [`{"code":"${code}","name":"A","kind":"other","t\\u00ean":1,"t\\u00ean":2}`, 'tên'],
  ]) {
    const e = expectError(await raw(a, 'POST', '/units', body), 400, 'invalid_json', key);
    assert.ok(e.message.includes(`“${key}”`), e.message);
    assert.match(e.message, /hai lần/);
  }
  const all = expectStatus(await a.get('/units?include_retired=1'), 200).units;
  assert.equal(all.filter((u) => u.code === code).length, 0, 'nothing stored');
  assert.equal((await auditSince(a, head)).filter((e) => e.new?.code === code).length, 0);
});

test('a malformed body says what is wrong and where, in Vietnamese; nothing stored', async () => {
  const a = await loginAdmin();
  const code = uniq('SX');
  const head = await auditHead(a);
  for (const [body, message] of [
    [`{"code":"${code}","name":"A",}`, /^JSON không hợp lệ \(dòng 1, cột \d+\): cần tên trường .*dấu phẩy thừa/],
    [`{"code":"${code}",\n "name":"A",\n "kind": other}`, /^JSON không hợp lệ \(dòng 3, cột \d+\): giá trị không hợp lệ .*gần 'other'/],
    [`{"code":"${code}" "name":"A"}`, /^JSON không hợp lệ \(dòng 1, cột \d+\): thiếu dấu , hoặc dấu }/],
  ]) {
    const e = expectError(await raw(a, 'POST', '/units', body), 400, 'invalid_json', undefined);
    assert.match(e.message, message);
    assert.doesNotMatch(e.message, /expected|near|invalid|token/);
  }
  const all = expectStatus(await a.get('/units?include_retired=1'), 200).units;
  assert.equal(all.filter((u) => u.code === code).length, 0, 'nothing stored');
  assert.equal((await auditSince(a, head)).filter((e) => e.new?.code === code).length, 0);
});

test('an empty body on a route that needs one says so', async () => {
  const a = await loginAdmin();
  // what the refused PATCHes would have touched (login times change under parallel tests)
  const pick = (u) => u && { code: u.code, name: u.name, full_name: u.full_name, email: u.email, role: u.role, unit_id: u.unit_id };
  const unit1 = pick(expectStatus(await a.get('/units/1'), 200));
  const user1 = pick(expectStatus(await a.get('/users'), 200).users.find((u) => u.id === 1));
  const routes = [['POST', '/units'], ['POST', '/users'], ['POST', '/tokens'], ['POST', '/auth/login'],
    ['PATCH', '/units/1'], ['PATCH', '/users/1']];
  for (const [method, path] of routes) {
    for (const body of ['', undefined]) {
      const r = body === undefined ? await a.request(method, path) : await raw(a, method, path, body);
      const e = expectError(r, 400, 'invalid_json', undefined);
      assert.equal(e.field, undefined, `${method} ${path}: no field`);
      assert.match(e.message, /trống/, `${method} ${path}: ${e.message}`);
    }
  }
  // `{}` is a body: then the first missing field is named, as before
  expectError(await a.post('/units', {}), 400, 'missing_field', 'code');
  assert.deepEqual(pick(expectStatus(await a.get('/units/1'), 200)), unit1);
  assert.deepEqual(pick(expectStatus(await a.get('/users'), 200).users.find((u) => u.id === 1)), user1);
});

test('every message quotes field names the same way', async () => {
  const a = await loginAdmin();
  const long = 'x'.repeat(10001);
  for (const body of [{ code: uniq('Q'), name: 'A', kind: 'other', info: { address: long } }, { code: 5 }, { nme: 1 }]) {
    const e = (await a.post('/units', body)).json.error;
    assert.ok(e, JSON.stringify(body).slice(0, 80));
    assert.ok(!e.message.includes('"'), 'straight quotes in: ' + e.message);
    assert.match(e.message, /“[^”]+”/, e.message);
  }
  const e = expectError(await a.post('/units', { code: uniq('Q'), name: 'A', kind: 'other', info: { address: long } }), 400, 'string_too_long', 'info.address');
  assert.ok(e.message.includes('“info.address”'), e.message);
});

test('include_retired accepts 1/0/true/false only', async () => {
  const a = await loginAdmin();
  const all = expectStatus(await a.get('/units?include_retired=1'), 200).units;
  assert.deepEqual(expectStatus(await a.get('/units?include_retired=true'), 200).units.map((u) => u.id), all.map((u) => u.id));
  const active = expectStatus(await a.get('/units'), 200).units.map((u) => u.id);
  assert.deepEqual(expectStatus(await a.get('/units?include_retired=0'), 200).units.map((u) => u.id), active);
  assert.deepEqual(expectStatus(await a.get('/units?include_retired=false'), 200).units.map((u) => u.id), active);
  for (const v of ['yes', '', '2', 'TRUE1', 'on']) {
    const e = expectError(await a.get('/units?include_retired=' + v), 400, 'invalid_value', 'include_retired');
    assert.ok(e.message.includes('“include_retired”'), e.message);
  }
});
