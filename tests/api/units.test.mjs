// units.test.mjs — create, read, update, retire; verbatim storage of markup and SQL
// metacharacters; every bad input refused with the field named and nothing changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAdmin, rootUnit, uniq, unitByCode, expectError, expectStatus, auditHead, auditSince, announceBody } from './lib.mjs';

test('the demo province tree has the documented codes and names', async () => {
  const a = await loginAdmin();
  const { units } = expectStatus(await a.get('/units'), 200);
  const hue = units.find((u) => u.code === 'HUE');
  assert.equal(hue.name, 'Tỉnh Thừa Thiên Huế');
  assert.equal(hue.kind, 'province');
  assert.equal(hue.parent_id, null);
  const nd = units.find((u) => u.code === 'NAMDONG');
  assert.equal(nd.kind, 'district');
  assert.equal(nd.parent_id, hue.id);
  assert.equal(units.filter((u) => u.parent_id === nd.id && u.kind === 'commune').length, 10);
  assert.equal(units.find((u) => u.code === 'CAT').name, 'Đảng ủy Công an tỉnh');
  assert.equal(units.find((u) => u.code === 'NHNN').kind, 'other');
});

test('create, read, patch, retire (never delete)', async () => {
  const a = await loginAdmin();
  const hue = await unitByCode(a, 'HUE');
  const code = uniq('XA');
  const info = { address: '01 Lê Lợi, Huế', website: 'https://xa.hue.gov.vn', servers_count: 3, civil_servants_count: 25 };
  const u = expectStatus(await a.post('/units', { code, name: 'Xã Thử Nghiệm', kind: 'commune', parent_id: hue.id, official_code: '19999', info }), 201);
  assert.equal(u.code, code);
  assert.deepEqual(u.info, info);
  assert.equal(u.official_code, '19999');
  assert.match(u.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
  assert.equal(u.retired_at, null);
  assert.deepEqual(expectStatus(await a.get('/units/' + u.id), 200), u);

  let r = expectStatus(await a.patch('/units/' + u.id, { name: 'Xã Thử Nghiệm Mới', info: { servers_count: 4, website: null } }), 200);
  assert.equal(r.name, 'Xã Thử Nghiệm Mới');
  assert.equal(r.info.servers_count, 4);
  assert.equal(r.info.website, undefined);
  assert.equal(r.info.address, info.address);
  assert.equal(r.code, code);
  // a blank text clears the key like null does: never a stored ""
  r = expectStatus(await a.patch('/units/' + u.id, { info: { address: '   ' } }), 200);
  assert.equal('address' in r.info, false);
  assert.equal(r.info.servers_count, 4);

  r = expectStatus(await a.post('/units/' + u.id + '/retire', { reason: 'Sáp nhập theo Nghị quyết 2025' }), 200);
  assert.notEqual(r.retired_at, null);
  expectStatus(await a.get('/units/' + u.id), 200);
  assert.ok(!(await a.get('/units')).json.units.some((x) => x.id === u.id));
  assert.ok((await a.get('/units?include_retired=1')).json.units.some((x) => x.id === u.id));
  expectError(await a.post('/units/' + u.id + '/retire', { reason: 'Lần hai' }), 409);
  assert.ok([404, 405].includes((await a.delete('/units/' + u.id)).status));
  expectError(await a.post('/units', { code: uniq('C'), name: 'Con', kind: 'commune', parent_id: u.id }), 422, undefined, 'parent_id');
});

test('a unit with active children cannot be retired; cycles are refused', async () => {
  const a = await loginAdmin();
  const parent = expectStatus(await a.post('/units', { code: uniq('P'), name: 'Cha ' + uniq(''), kind: 'district', parent_id: (await rootUnit(a)).id }), 201);
  const child = expectStatus(await a.post('/units', { code: uniq('K'), name: 'Con', kind: 'commune', parent_id: parent.id }), 201);
  const head = await auditHead(a);
  expectError(await a.post('/units/' + parent.id + '/retire', { reason: 'Còn đơn vị con' }), 409, 'unit_has_children');
  expectError(await a.patch('/units/' + parent.id, { parent_id: child.id }), 422, 'invalid_parent', 'parent_id');
  expectError(await a.patch('/units/' + parent.id, { parent_id: parent.id }), 422, 'invalid_parent', 'parent_id');
  assert.deepEqual(expectStatus(await a.get('/units/' + parent.id), 200), parent);
  assert.equal((await auditSince(a, head)).filter((e) => e.entity === 'unit' && [String(parent.id), String(child.id)].includes(e.entity_id)).length, 0);
});

test('HTML, script and SQL metacharacters are stored and returned verbatim', async () => {
  const a = await loginAdmin();
  for (const name of ['<script>alert("x")</script>', "Sở '; DROP TABLE units; --", 'A & B <b>đậm</b> \\ " %s %n']) {
    const u = expectStatus(await a.post('/units', { code: uniq('V'), name, kind: 'other', parent_id: (await rootUnit(a)).id, info: { address: name } }), 201);
    assert.equal(u.name, name);
    const got = expectStatus(await a.get('/units/' + u.id), 200);
    assert.equal(got.name, name);
    assert.equal(got.info.address, name);
  }
  assert.ok(expectStatus(await a.get('/units'), 200).units.length > 29);
});

test('bad input: each refused with the field named, nothing stored, nothing audited', async () => {
  const a = await loginAdmin();
  const hue = await unitByCode(a, 'HUE');
  const hueBefore = expectStatus(await a.get('/units/' + hue.id), 200);
  const code = uniq('B');
  const ok = { code, name: 'Đơn vị', kind: 'other' };
  const cases = [
    [{ ...ok, code: undefined }, 400, 'code'],
    [{ ...ok, name: undefined }, 400, 'name'],
    [{ ...ok, kind: undefined }, 400, 'kind'],
    [{ ...ok, kind: 5 }, 400, 'kind'],
    [{ ...ok, name: ['x'] }, 400, 'name'],
    [{ ...ok, name: true }, 400, 'name'],
    [{ ...ok, parent_id: 'một' }, 400, 'parent_id'],
    [{ ...ok, parent_id: 1.5 }, 400, 'parent_id'],
    [{ ...ok, parent_id: 999999 }, 422, 'parent_id'],
    [{ ...ok, extra: 1 }, 400, 'extra'],
    [{ ...ok, name: 'x'.repeat(201) }, 400, 'name'],
    [{ ...ok, code: 'x'.repeat(33) }, 400, 'code'],
    [{ ...ok, code: 'mã có dấu' }, 422, 'code'],
    [{ ...ok, code: 'STC' }, 409, 'code'],
    [{ ...ok, name: '   ' }, 422, 'name'],
    [{ ...ok, name: 'Dòng\nmới' }, 422, 'name'],
    [{ ...ok, kind: 'ministry' }, 422, 'kind'],
    [{ ...ok, official_code: 7 }, 400, 'official_code'],
    [{ ...ok, info: { servers_count: -1 } }, 422, 'info.servers_count'],
    [{ ...ok, info: { servers_count: '3' } }, 400, 'info.servers_count'],
    [{ ...ok, info: { servers_count: 2.5 } }, 400, 'info.servers_count'],
    [{ ...ok, info: { website: 'javascript:alert(1)' } }, 422, 'info.website'],
    [{ ...ok, info: { website: 'ftp://x.vn' } }, 422, 'info.website'],
    [{ ...ok, info: { colour: 'đỏ' } }, 400, 'info.colour'],
    [{ ...ok, info: { address: 'đ'.repeat(501) } }, 400, 'info.address'],
    [{ ...ok, info: 'text' }, 400, 'info'],
  ];
  const head = await auditHead(a);
  for (const [body, status, field] of cases) {
    const r = await a.post('/units', body);
    expectError(r, status, undefined, field);
    assert.ok(/[^\x00-\x7f]/.test(r.json.error.message), 'Vietnamese message: ' + r.json.error.message);
  }
  expectError(await a.patch('/units/' + hue.id, { name: null }), 400, undefined, 'name');
  expectError(await a.patch('/units/' + hue.id, { nme: 'x' }), 400, 'unknown_field', 'nme');
  expectError(await a.patch('/units/' + hue.id, { info: { servers_count: -5 } }), 422, undefined, 'info.servers_count');
  expectError(await a.patch('/units/999999', { name: 'x' }), 404);

  // malformed bodies: refused before any handler runs
  const raw = (body, type = 'application/json') => a.post('/units', body, { raw: true, headers: { 'content-type': type } });
  const badBodies = [
    '{"code": "' + code + '", "name": "A", "kind": "other"', // truncated
    '{"code": "' + code + '", "name": "A", "kind": "other",}', // trailing comma
    '[1,2,3]',
    '"just a string"',
    Buffer.from('{"code":"' + code + '","name":"\xff\xfe","kind":"other"}', 'latin1'), // invalid UTF-8
    '{"code":"' + code + '","name":"A\\u0000B","kind":"other"}', // escaped NUL
    Buffer.from('{"code":"' + code + '","name":"A\0B","kind":"other"}'), // raw NUL byte
    '{"code":"' + code + '","code":"X2","name":"A","kind":"other"}', // duplicate key
    '['.repeat(100) + ']'.repeat(100), // too deep
    '',
  ];
  for (const body of badBodies) {
    const r = await raw(body);
    assert.ok(r.status === 400, String(body).slice(0, 60) + ' -> ' + r.status + ' ' + r.text);
    assert.ok(r.json?.error?.message, 'error body');
  }
  const big = await announceBody(a, 'POST', '/units', 2 * 1024 * 1024);
  assert.equal(big.status, 413);
  assert.equal(big.json?.error?.code, 'payload_too_large');
  assert.ok([400, 415].includes((await raw('code=X&name=Y', 'application/x-www-form-urlencoded')).status));

  const all = expectStatus(await a.get('/units?include_retired=1'), 200).units;
  assert.equal(all.filter((u) => u.code === code).length, 0, 'nothing stored');
  assert.deepEqual(expectStatus(await a.get('/units/' + hue.id), 200), hueBefore);
  const mine = (await auditSince(a, head)).filter((e) => e.entity === 'unit' && (e.new?.code === code || e.entity_id === String(hue.id)));
  assert.equal(mine.length, 0, 'nothing audited');
});

test('the public cannot read units', async () => {
  expectError(await new Client().get('/units'), 401);
});
