// units.test.mjs — create, read, update, retire; verbatim storage; every bad input refused
// with the field named and nothing changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, uniq, unitByCode, snapshot, request } from './lib.mjs';

test('demo province tree is there with the documented codes', async () => {
  const a = await admin();
  const { units } = (await a.get('/units')).json;
  const hue = units.find((u) => u.code === 'HUE');
  assert.equal(hue.name, 'Tỉnh Thừa Thiên Huế');
  assert.equal(hue.kind, 'province');
  assert.equal(hue.parent_id, null);
  const nd = units.find((u) => u.code === 'NAMDONG');
  assert.equal(nd.parent_id, hue.id);
  assert.equal(units.filter((u) => u.parent_id === nd.id && u.kind === 'commune').length, 10);
  assert.equal(units.find((u) => u.code === 'CAT').name, 'Đảng ủy Công an tỉnh');
});

test('create, read, patch, retire', async () => {
  const a = await admin();
  const hue = await unitByCode(a, 'HUE');
  const code = uniq('XA');
  const info = { address: '01 Lê Lợi, Huế', website: 'https://xa.hue.gov.vn', servers_count: 3, civil_servants_count: 25 };
  let r = await a.post('/units', { code, name: 'Xã Thử Nghiệm', kind: 'commune', parent_id: hue.id, official_code: '19999', info });
  assert.equal(r.status, 201);
  const u = r.json;
  assert.equal(u.code, code);
  assert.deepEqual(u.info, info);
  assert.equal(u.official_code, '19999');
  assert.match(u.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
  assert.equal(u.retired_at, null);
  assert.deepEqual((await a.get('/units/' + u.id)).json, u);

  r = await a.patch('/units/' + u.id, { name: 'Xã Thử Nghiệm Mới', info: { servers_count: 4, website: null } });
  assert.equal(r.status, 200);
  assert.equal(r.json.name, 'Xã Thử Nghiệm Mới');
  assert.equal(r.json.info.servers_count, 4);
  assert.equal(r.json.info.website, undefined);
  assert.equal(r.json.info.address, info.address);
  assert.equal(r.json.code, code);

  r = await a.post('/units/' + u.id + '/retire', { reason: 'Sáp nhập theo Nghị quyết 2025' });
  assert.equal(r.status, 200);
  assert.notEqual(r.json.retired_at, null);
  // still readable, hidden from the default list, shown with include_retired
  assert.equal((await a.get('/units/' + u.id)).status, 200);
  assert.ok(!(await a.get('/units')).json.units.some((x) => x.id === u.id));
  assert.ok((await a.get('/units?include_retired=1')).json.units.some((x) => x.id === u.id));
  r = await a.post('/units/' + u.id + '/retire', {});
  assert.equal(r.status, 409);
  // no delete route at all
  assert.ok([404, 405].includes((await a.req('DELETE', '/units/' + u.id)).status));
  // a retired unit cannot be a parent
  r = await a.post('/units', { code: uniq('C'), name: 'Con', kind: 'commune', parent_id: u.id });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'parent_id');
});

test('a unit with active children cannot be retired; cycles are refused', async () => {
  const a = await admin();
  const nd = await unitByCode(a, 'NAMDONG');
  const hue = await unitByCode(a, 'HUE');
  const before = await snapshot(a);
  let r = await a.post('/units/' + nd.id + '/retire', {});
  assert.equal(r.status, 409);
  r = await a.patch('/units/' + hue.id, { parent_id: nd.id });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'parent_id');
  assert.equal(await snapshot(a), before);
});

test('HTML, script and SQL metacharacters are stored and returned verbatim', async () => {
  const a = await admin();
  for (const name of ['<script>alert("x")</script>', "Sở '; DROP TABLE units; --", 'A & B <b>đậm</b> \\ " \u200b']) {
    const r = await a.post('/units', { code: uniq('V'), name, kind: 'other' });
    assert.equal(r.status, 201);
    assert.equal(r.json.name, name);
    assert.equal((await a.get('/units/' + r.json.id)).json.name, name);
  }
  assert.ok((await a.get('/units')).json.units.length > 29);
});

test('bad input: each refused with the field named, nothing changed', async () => {
  const a = await admin();
  const hue = await unitByCode(a, 'HUE');
  const before = await snapshot(a);
  const ok = { code: uniq('B'), name: 'Đơn vị', kind: 'other' };
  const cases = [
    [{ ...ok, code: undefined }, 400, 'code'],
    [{ ...ok, name: undefined }, 400, 'name'],
    [{ ...ok, kind: 5 }, 400, 'kind'],
    [{ ...ok, name: ['x'] }, 400, 'name'],
    [{ ...ok, parent_id: 'một' }, 400, 'parent_id'],
    [{ ...ok, parent_id: 1.5 }, 400, 'parent_id'],
    [{ ...ok, parent_id: 999999 }, 422, 'parent_id'],
    [{ ...ok, extra: 1 }, 400, 'extra'],
    [{ ...ok, name: 'x'.repeat(201) }, 400, 'name'],
    [{ ...ok, code: 'x'.repeat(33) }, 400, 'code'],
    [{ ...ok, code: 'mã có dấu' }, 422, 'code'],
    [{ ...ok, code: 'STC' }, 409, 'code'],
    [{ ...ok, name: '   ' }, 422, 'name'],
    [{ ...ok, kind: 'ministry' }, 422, 'kind'],
    [{ ...ok, info: { servers_count: -1 } }, 422, 'info.servers_count'],
    [{ ...ok, info: { servers_count: '3' } }, 400, 'info.servers_count'],
    [{ ...ok, info: { servers_count: 2.5 } }, 400, 'info.servers_count'],
    [{ ...ok, info: { website: 'javascript:alert(1)' } }, 422, 'info.website'],
    [{ ...ok, info: { website: 'ftp://x.vn' } }, 422, 'info.website'],
    [{ ...ok, info: { colour: 'đỏ' } }, 400, 'info.colour'],
    [{ ...ok, info: { address: 'đ'.repeat(501) } }, 400, 'info.address'],
    [{ ...ok, info: 'text' }, 400, 'info'],
  ];
  for (const [body, status, field] of cases) {
    const r = await a.post('/units', body);
    assert.equal(r.status, status, JSON.stringify(body).slice(0, 80) + ' -> ' + r.text);
    assert.equal(r.json.error.field, field, JSON.stringify(body).slice(0, 80));
    assert.ok(r.json.error.message.length > 0);
  }
  // PATCH: nulling a required field, unknown field
  let r = await a.patch('/units/' + hue.id, { name: null });
  assert.equal(r.status, 400);
  r = await a.patch('/units/' + hue.id, { nme: 'x' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'unknown_field');
  assert.equal((await a.patch('/units/999999', { name: 'x' })).status, 404);
  assert.equal((await a.patch('/units/abc', { name: 'x' })).status, 404);

  // malformed bodies, refused by the server before any handler
  const raw = async (body, type) => a.req('POST', '/units', body, { contentType: type });
  const badBodies = [
    ['{"code": "X1", "name": "A", "kind": "other"', 400], // truncated
    ['{"code": "X1", "name": "A", "kind": "other",}', 400], // trailing comma
    ['[1,2,3]', 400],
    ['"just a string"', 400],
    [Buffer.from('{"code":"X1","name":"\xff\xfe","kind":"other"}', 'latin1'), 400], // invalid UTF-8
    ['{"code":"X1","name":"A\\u0000B","kind":"other"}', 400], // NUL in a string
    [Buffer.from('{"code":"X1","name":"A\0B","kind":"other"}'), 400], // raw NUL byte
    ['{"code":"X1","code":"X2","name":"A","kind":"other"}', 400], // duplicate key
    ['['.repeat(100) + ']'.repeat(100), 400], // too deep
  ];
  for (const [body, status] of badBodies) {
    const r2 = await raw(body);
    assert.equal(r2.status, status, String(body).slice(0, 60) + ' -> ' + r2.text);
    assert.ok(r2.json && r2.json.error && r2.json.error.message, 'Vietnamese error body');
  }
  const big = JSON.stringify({ code: 'BIG', name: 'x', kind: 'other', info: { address: 'a'.repeat(2 * 1024 * 1024) } });
  const r3 = await raw(big);
  assert.equal(r3.status, 413);
  const r4 = await raw('code=X&name=Y', 'application/x-www-form-urlencoded');
  assert.ok([400, 415].includes(r4.status));
  assert.equal(await snapshot(a), before);
});

test('any signed-in user reads units; only admins change them', async () => {
  const r = await request('GET', '/api/v1/units');
  assert.equal(r.status, 401);
});
