// text.test.mjs — one rule for every human-readable single-line text field (unit name,
// official code, info texts, retire reason, user full name and e-mail, token name): stored in
// NFC, trimmed of Unicode spaces, and refused (422, field named, Vietnamese message, nothing
// stored) when it holds control, invisible format or line-separator characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAdmin, createUnit, uniq, unitByCode, expectError, expectStatus, auditHead, auditSince } from './lib.mjs';

const FORBIDDEN = [
  '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e',
  '\u2066', '\u2067', '\u2068', '\u2069', '\ufeff', '\u00ad', '\u0085', '\u009b', '\u2028', '\u2029',
  '\n', '\t', '\u0007', '\u007f',
];
const hex = (ch) => 'U+' + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');

test('unit texts: forbidden characters and blank names refused, nothing stored', async () => {
  const a = await loginAdmin();
  const code = uniq('T');
  const ok = { code, name: 'Sở Thử', kind: 'other' };
  const head = await auditHead(a);
  const cases = [
    [{ ...ok, name: '\u200b' }, 'name'],
    [{ ...ok, name: '\u00a0' }, 'name'],
    [{ ...ok, name: ' \u3000\u00a0 ' }, 'name'],
    [{ ...ok, name: '' }, 'name'],
  ];
  for (const ch of FORBIDDEN) {
    cases.push([{ ...ok, name: `Sở${ch}Tài chính` }, 'name']);
    cases.push([{ ...ok, name: `Sở Tài chính${ch}` }, 'name']);
  }
  for (const ch of ['\u200b', '\u202e', '\u0085', '\u2028']) {
    cases.push([{ ...ok, official_code: `123${ch}` }, 'official_code']);
    cases.push([{ ...ok, info: { address: `01 Lê Lợi${ch}` } }, 'info.address']);
    cases.push([{ ...ok, info: { website: `https://x.vn${ch}` } }, 'info.website']);
  }
  for (const [body, field] of cases) {
    const r = await a.post('/units', body);
    const e = expectError(r, 422, 'invalid_value', field);
    assert.match(e.message, /[^\x00-\x7f]/, 'Vietnamese message');
    const bad = [...(body.name + (body.official_code ?? '') + JSON.stringify(body.info ?? {}))].find((c) => FORBIDDEN.includes(c));
    if (bad) assert.ok(e.message.includes(hex(bad)), `${hex(bad)} named in: ${e.message}`);
  }
  const all = expectStatus(await a.get('/units?include_retired=1'), 200).units;
  assert.equal(all.filter((u) => u.code === code).length, 0, 'nothing stored');
  assert.equal((await auditSince(a, head)).filter((x) => x.new?.code === code).length, 0, 'nothing audited');

  // PATCH and retire follow the same rule and change nothing when refused
  const u = await createUnit(a, { name: 'Xã Gốc' });
  expectError(await a.patch('/units/' + u.id, { name: '\u00a0\u200b' }), 422, 'invalid_value', 'name');
  expectError(await a.patch('/units/' + u.id, { name: 'Xã\u202eGốc' }), 422, 'invalid_value', 'name');
  expectError(await a.post('/units/' + u.id + '/retire', { reason: 'Sáp nhập\u2028theo NQ' }), 422, 'invalid_value', 'reason');
  assert.deepEqual(expectStatus(await a.get('/units/' + u.id), 200), u);
});

test('unit texts are stored normalised (NFC, trimmed) and returned normalised', async () => {
  const a = await loginAdmin();
  const decomposed = '  Sở Tài chi\u0301nh\u00a0\u3000';
  assert.notEqual(decomposed.trim(), 'Sở Tài chính');
  const parent = await createUnit(a);
  const u = expectStatus(await a.post('/units', {
    code: uniq('N'), name: decomposed, kind: 'department', parent_id: parent.id, official_code: ' 000\u00a0',
    info: { address: '\u3000 01 Le\u0302 Lo\u031b\u0323i ', website: ' https://stc.hue.gov.vn ' },
  }), 201);
  assert.equal(u.name, 'Sở Tài chính');
  assert.equal(u.name, 'Sở Tài chính'.normalize('NFC'));
  assert.equal(u.official_code, '000');
  assert.equal(u.info.address, '01 Lê Lợi');
  assert.equal(u.info.website, 'https://stc.hue.gov.vn');
  assert.deepEqual(expectStatus(await a.get('/units/' + u.id), 200), u);
  // the same name written either way is the same name
  const stc = await unitByCode(a, 'STC');
  assert.equal(stc.name, u.name);
  // an official code of spaces only means "none"
  const p = expectStatus(await a.patch('/units/' + u.id, { name: 'Sở Tài chi\u0301nh ', official_code: '\u00a0 ' }), 200);
  assert.equal(p.name, 'Sở Tài chính');
  assert.equal(p.official_code, null);
  const r = expectStatus(await a.post('/units/' + u.id + '/retire', { reason: ' Sáp nhâ\u0323p ' }), 200);
  assert.equal(r.retired_reason, 'Sáp nhập');
});

test('user and token texts: full name required, refused or normalised like every text', async () => {
  const a = await loginAdmin();
  const unit = await unitByCode(a, 'SKHDT');
  const username = uniq('tx');
  const ok = { username, full_name: 'Lê Văn A', role: 'staff', unit_id: unit.id };
  const head = await auditHead(a);
  for (const [body, field] of [
    [{ ...ok, full_name: '' }, 'full_name'],
    [{ ...ok, full_name: '   ' }, 'full_name'],
    [{ ...ok, full_name: '\u00a0' }, 'full_name'],
    [{ ...ok, full_name: '\u200b' }, 'full_name'],
    [{ ...ok, full_name: 'Lê\u202eVăn' }, 'full_name'],
    [{ ...ok, full_name: 'Lê\u0085Văn' }, 'full_name'],
    [{ ...ok, email: 'a\u200b@hue.gov.vn' }, 'email'],
    [{ ...ok, email: 'a@hue.gov.vn\u2029' }, 'email'],
  ]) {
    const e = expectError(await a.post('/users', body), 422, 'invalid_value', field);
    assert.match(e.message, /[^\x00-\x7f]/);
  }
  expectError(await a.post('/users', { ...ok, full_name: 'x'.repeat(201) }), 400, 'too_long', 'full_name');
  assert.equal(expectStatus(await a.get('/users'), 200).users.filter((x) => x.username === username).length, 0, 'nothing stored');
  assert.equal((await auditSince(a, head)).filter((x) => x.new?.username === username).length, 0, 'nothing audited');

  const j = expectStatus(await a.post('/users', { ...ok, full_name: ' Nguye\u0302\u0303n Thi\u0323 Hoa\u0300\u00a0', email: ' hoa@hue.gov.vn ' }), 201);
  assert.equal(j.user.full_name, 'Nguyễn Thị Hoà');
  assert.equal(j.user.email, 'hoa@hue.gov.vn');
  expectError(await a.patch('/users/' + j.user.id, { full_name: ' ' }), 422, 'invalid_value', 'full_name');
  const p = expectStatus(await a.patch('/users/' + j.user.id, { full_name: 'Tra\u0302\u0300n B', email: '\u00a0' }), 200);
  assert.equal(p.full_name, 'Trần B');
  assert.equal(p.email, null);

  expectError(await a.post('/tokens', { name: '\u200b', unit_id: unit.id, role: 'feed' }), 422, 'invalid_value', 'name');
  expectError(await a.post('/tokens', { name: 'IOC\u2066', unit_id: unit.id, role: 'feed' }), 422, 'invalid_value', 'name');
  const t = expectStatus(await a.post('/tokens', { name: '  He\u0323\u0302 tho\u0302\u0301ng IOC ', unit_id: unit.id, role: 'feed' }), 201);
  assert.equal(t.token.name, 'Hệ thống IOC');
});
