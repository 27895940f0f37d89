// accounts.test.mjs — POST /rounds/{id}/accounts: a staff and a leader account for every unit
// of a round that lacks one, each with its own one-time password, the file as the response
// (JSON, CSV with BOM, real .xlsx), audited without passwords; rerun creates only what is
// missing; admins only. Rounds are put in the database by rounds_fixture.mjs (before POST
// /rounds existed; switch to it after the merge).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { BASE, API, Client, loginAdmin, loginAs, newUserClient, createUnit, createUser, uniq,
  expectError, expectStatus, auditHead } from './lib.mjs';
import { createRound, sql } from './rounds_fixture.mjs';

const usersOf = async (a, unitId) => expectStatus(await a.get('/users?unit_id=' + unitId), 200).users;

/** The entries of a zip archive: {name: Buffer} (stored or deflated, as .xlsx files are). */
function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip archive (end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = {};
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(p + 10), size = buf.readUInt32LE(p + 20);
    const n = buf.readUInt16LE(p + 28), m = buf.readUInt16LE(p + 30), k = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + n).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out[name] = method === 8 ? zlib.inflateRawSync(data) : data;
    p += 46 + n + m + k;
  }
  return out;
}

/** POST as `client` and read the body as bytes (Client.request decodes text). */
async function postBytes(client, path, body) {
  const res = await fetch(BASE + API + path, {
    method: 'POST',
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

test('bulk accounts: missing ones only, own passwords, forced change, idempotent, audited', async () => {
  const a = await loginAdmin();
  const [u1, u2, u3] = [await createUnit(a), await createUnit(a), await createUnit(a)];
  // u2 has a staff account already; u3 takes part only as the agency responsible for a
  // province-level task (tasks.unit_id)
  await createUser(a, { unit_id: u2.id, role: 'staff' });
  const root = expectStatus(await a.get('/units'), 200).units.find((u) => u.parent_id === null);
  const { roundId } = createRound({
    units: [{ unit_id: u1.id }, { unit_id: u2.id }],
    tasks: [{ subject_unit_id: u1.id }, { subject_unit_id: u2.id }, { subject_unit_id: root.id, unit_id: u3.id }],
  });
  const before = await auditHead(a);
  const j = expectStatus(await a.post(`/rounds/${roundId}/accounts`, { format: 'json' }), 201);
  assert.equal(j.created, 5);
  const byName = Object.fromEntries(j.accounts.map((x) => [x.username, x]));
  const lc = (u) => u.code.toLowerCase();
  assert.deepEqual(Object.keys(byName).sort(), [`${lc(u1)}.canbo`, `${lc(u1)}.lanhdao`, `${lc(u2)}.lanhdao`,
    `${lc(u3)}.canbo`, `${lc(u3)}.lanhdao`].sort());
  assert.equal(byName[`${lc(u1)}.lanhdao`].role, 'leader');
  assert.equal(byName[`${lc(u1)}.lanhdao`].unit_id, u1.id);
  assert.equal(byName[`${lc(u3)}.canbo`].role, 'staff');
  const pws = j.accounts.map((x) => x.one_time_password);
  assert.equal(new Set(pws).size, pws.length, 'every password distinct');
  for (const p of pws) assert.match(p, /^[A-HJ-NP-Za-km-z2-9]{16}$/);
  assert.equal((await usersOf(a, u2.id)).length, 2);
  // every account logs in with its own password and must change it first
  for (const x of j.accounts) {
    const c = new Client();
    const l = expectStatus(await c.login(x.username, x.one_time_password), 200);
    assert.equal(l.user.must_change_password, true);
    assert.equal(l.user.unit_id, x.unit_id);
    assert.equal(l.user.role, x.role);
    expectError(await c.get('/units'), 403, 'password_change_required');
  }
  await loginAs(j.accounts[0].username, j.accounts[0].one_time_password);
  // audited: one user.create per account and one round.accounts, never a password
  const entries = expectStatus(await a.get('/audit?limit=200'), 200).entries.filter((e) => e.id > before);
  const creates = entries.filter((e) => e.action === 'user.create' && j.accounts.some((x) => String(x.user_id) === String(e.entity_id)));
  assert.equal(creates.length, 5);
  const batch = entries.filter((e) => e.action === 'round.accounts' && String(e.entity_id) === String(roundId));
  assert.equal(batch.length, 1);
  assert.equal(batch[0].new.created, 5);
  const text = JSON.stringify(entries);
  for (const p of pws) assert.ok(!text.includes(p), 'no password in the audit trail');
  // rerun: nothing missing, nothing created
  const again = expectStatus(await a.post(`/rounds/${roundId}/accounts`, { format: 'json' }), 200);
  assert.equal(again.created, 0);
  assert.deepEqual(again.accounts, []);
  assert.equal((await usersOf(a, u1.id)).length, 2);
});

test('a round made by POST /rounds: a staff and a leader for each of its units', async () => {
  const a = await loginAdmin();
  const d1 = await createUnit(a), d2 = await createUnit(a);
  const r = expectStatus(await a.post('/rounds', {
    title: 'Đợt tài khoản ' + uniq(''), year: 2025,
    frameworks: [{ level: 'department', framework_id: 'hue-cap-so-2023', version: 3 }],
    units: { levels: [], include: [d1.id, d2.id] },
  }), 201);
  const j = expectStatus(await a.post(`/rounds/${r.id}/accounts`, { format: 'json' }), 201);
  assert.equal(j.units, 2);
  assert.deepEqual(j.accounts.map((x) => `${x.unit_id}:${x.role}`).sort(),
    [`${d1.id}:leader`, `${d1.id}:staff`, `${d2.id}:leader`, `${d2.id}:staff`].sort());
});

test('CSV: UTF-8 with BOM, Vietnamese header, one row per account, attachment, no-store', async () => {
  const a = await loginAdmin();
  const u = await createUnit(a, { name: `Sở "Thử" ${uniq('')}` });
  const { roundId } = createRound({ units: [{ unit_id: u.id }] });
  const r = await postBytes(a, `/rounds/${roundId}/accounts`, { format: 'csv' });
  assert.equal(r.status, 201);
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="tai-khoan-dot-\d+\.csv"/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.headers.get('x-accounts-created'), '2');
  assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = r.bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
  assert.equal(lines[0], '"Đơn vị","Mã đơn vị","Vai trò","Tên đăng nhập","Mật khẩu dùng một lần"');
  assert.equal(lines.length, 3);
  const esc = u.name.replace(/"/g, '""');
  assert.ok(lines[1].startsWith(`"${esc}","${u.code}","Cán bộ","${u.code.toLowerCase()}.canbo","`), lines[1]);
  assert.ok(lines[2].startsWith(`"${esc}","${u.code}","Lãnh đạo","${u.code.toLowerCase()}.lanhdao","`), lines[2]);
  const pw = lines[1].split(',').at(-1).replace(/"/g, '');
  const c = new Client();
  expectStatus(await c.login(`${u.code.toLowerCase()}.canbo`, pw), 200);
  // rerun: the header only
  const r2 = await postBytes(a, `/rounds/${roundId}/accounts`, { format: 'csv' });
  assert.equal(r2.status, 200);
  assert.equal(r2.bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean).length, 1);
});

test('xlsx: a real workbook with the rows, bold frozen header', async () => {
  const a = await loginAdmin();
  const u = await createUnit(a, { name: `Huyện Đông Văn ${uniq('')}` });
  const { roundId } = createRound({ units: [{ unit_id: u.id, level: 'district' }] });
  const r = await postBytes(a, `/rounds/${roundId}/accounts`, { format: 'xlsx' });
  assert.equal(r.status, 201);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(r.bytes.subarray(0, 2).toString(), 'PK');
  const z = unzip(r.bytes);
  const strings = z['xl/sharedStrings.xml'].toString('utf8');
  const sheet = z['xl/worksheets/sheet1.xml'].toString('utf8');
  for (const s of ['Mật khẩu dùng một lần', u.name, `${u.code.toLowerCase()}.canbo`, `${u.code.toLowerCase()}.lanhdao`, 'Lãnh đạo'])
    assert.ok(strings.includes(s), s);
  assert.match(sheet, /<pane [^>]*ySplit="1"[^>]*state="frozen"/);
  assert.match(sheet, /<row r="3"/);
  assert.ok(!/<row r="4"/.test(sheet));
  assert.match(z['xl/styles.xml'].toString('utf8'), /<b\/>/);
  // a password read back from the workbook logs in
  const pw = [...strings.matchAll(/<t>([A-HJ-NP-Za-km-z2-9]{16})<\/t>/g)].map((m) => m[1]);
  assert.equal(pw.length, 2);
  const c = new Client();
  expectStatus(await c.login(`${u.code.toLowerCase()}.lanhdao`, pw[1]), 200);
});

test('user name taken by someone else: the next numbered name', async () => {
  const a = await loginAdmin();
  const u = await createUnit(a);
  const other = await createUnit(a);
  await createUser(a, { unit_id: other.id, username: `${u.code.toLowerCase()}.canbo` });
  const { roundId } = createRound({ units: [{ unit_id: u.id }] });
  const j = expectStatus(await a.post(`/rounds/${roundId}/accounts`, { format: 'json' }), 201);
  assert.deepEqual(j.accounts.map((x) => x.username).sort(), [`${u.code.toLowerCase()}.canbo2`, `${u.code.toLowerCase()}.lanhdao`]);
});

test('refused: non-admin 403, unknown round 404, bad format 400 (nothing created)', async () => {
  const a = await loginAdmin();
  const u = await createUnit(a);
  const { roundId } = createRound({ units: [{ unit_id: u.id }] });
  for (const role of ['staff', 'leader', 'appraiser']) {
    const { client } = await newUserClient(a, { role });
    expectError(await client.post(`/rounds/${roundId}/accounts`, { format: 'csv' }), 403, 'forbidden');
  }
  expectError(await a.post('/rounds/999999999/accounts', { format: 'csv' }), 404, 'not_found');
  expectError(await a.post(`/rounds/${roundId}/accounts`, { format: 'pdf' }), 400, 'invalid_value', 'format');
  expectError(await a.post(`/rounds/${roundId}/accounts`, { format: 'csv', x: 1 }), 400, 'unknown_field', 'x');
  expectError(await a.post(`/rounds/${roundId}/accounts`, { format: 1 }), 400, 'invalid_type', 'format');
  assert.equal((await usersOf(a, u.id)).length, 0);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM users WHERE unit_id = ${u.id}`)[0][0]), 0);
});
