// unittree.test.mjs — units cannot be spoofed or detached (issue 7, item 6):
//   - a name is a display name: NFC, every run of Unicode spaces one space, trimmed; refused
//     (422, field "name", Vietnamese message naming the code point) when it holds a
//     noncharacter, an unassigned or private-use code point, a compatibility form (fullwidth,
//     mathematical, ligature, superscript) or mixes scripts (Cyrillic/Greek look-alikes in a
//     Latin name, as Unicode UTS #39 says);
//   - two active units under one parent cannot share a name after NFC + case folding (409
//     unit_name_taken) nor look alike (409 unit_name_confusable, UTS #39 skeleton);
//   - one tree: one root, of kind province; every other unit has a parent (PATCH parent_id null
//     refused), no cycle; the root cannot be retired; a retirement needs a reason;
//   - a user's full name follows the same name rule.
// Every refusal changes nothing and writes no audit entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAdmin, createUnit, createUser, rootUnit, uniq, expectError, expectStatus, auditHead, auditSince } from './lib.mjs';

const hex = (ch) => 'U+' + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');

async function unchanged(a, head, unitIds) {
  const later = await auditSince(a, head);
  assert.deepEqual(later.filter((e) => e.entity === 'unit'), [], 'no unit audited');
  return unitIds;
}

test('unit names: look-alikes, invisible differences and odd code points are refused', async () => {
  const a = await loginAdmin();
  const parent = await createUnit(a, { name: 'Cấp trên ' + uniq('') });
  const sibling = await createUnit(a, { name: 'Sở Tài chính', parent_id: parent.id });
  const cyr = await createUnit(a, { name: 'Cac', parent_id: parent.id });
  const before = expectStatus(await a.get('/units?include_retired=1'), 200).units.length;
  const head = await auditHead(a);
  const mk = (name) => ({ code: uniq('N'), name, kind: 'department', parent_id: parent.id });

  // Same name after NFC, space collapsing, case folding: 409 unit_name_taken.
  for (const name of ['So\u031b\u0309 Ta\u0300i chi\u0301nh', '\u00a0Sở\u00a0Tài  chính\u3000', 'Sở\u2003Tài\u00a0\u00a0chính',
    'SỞ TÀI CHÍNH', 'sở tài chính']) {
    const e = expectError(await a.post('/units', mk(name)), 409, 'unit_name_taken', 'name');
    assert.ok(e.message.includes('“Sở Tài chính”'), e.message);
  }
  // All-Cyrillic "Сас" is one script, but looks exactly like its sibling "Cac".
  expectError(await a.post('/units', mk('\u0421\u0430\u0441')), 409, 'unit_name_confusable', 'name');

  // Refused outright, naming the code point where there is one.
  const bad = [
    ['Сở Тài chính', null], // Cyrillic С and Т in a Vietnamese name
    ['Sở Tài chính Αθ', null], // Greek mixed in
    ['Ｓở Tài chính', '\uff33'], // fullwidth S
    ['Sở Tài chính ２', '\uff12'], // fullwidth digit
    ['Sở 𝐓ài chính', '\u{1d413}'], // mathematical bold T
    ['Sở Tài chính\ufffe', '\ufffe'],
    ['Sở Tài chính\uffff', '\uffff'],
    ['Sở \ufdd0Tài chính', '\ufdd0'],
    ['Sở Tài chính\u0378', '\u0378'], // unassigned
    ['Sở Tài chính\ue000', '\ue000'], // private use
    ['Phòng 1\u0662', null], // Arabic-Indic digit mixed with ASCII digits
  ];
  for (const [name, ch] of bad) {
    const e = expectError(await a.post('/units', mk(name)), 422, 'invalid_value', 'name');
    assert.match(e.message, /^Tên đơn vị /, e.message);
    if (ch) assert.ok(e.message.includes(hex(ch)), `${hex(ch)} named in: ${e.message}`);
  }
  // PATCH: rename to a sibling's name, or to a look-alike, refused the same way.
  expectError(await a.patch('/units/' + cyr.id, { name: 'SỞ TÀI CHÍNH' }), 409, 'unit_name_taken', 'name');
  expectError(await a.patch('/units/' + cyr.id, { name: 'Сở Тài chính' }), 422, 'invalid_value', 'name');
  assert.equal(expectStatus(await a.get('/units?include_retired=1'), 200).units.length, before, 'nothing stored');
  await unchanged(a, head);
  assert.deepEqual(expectStatus(await a.get('/units/' + cyr.id), 200), cyr);

  // Vietnamese in Latin letters passes; spaces are stored collapsed.
  for (const name of ['Ủy ban nhân dân xã Phú Thượng', 'Sở Thông tin và Truyền thông',
    'Trường THPT số 2 (cũ) — “A & B”, 3/4']) {
    const u = expectStatus(await a.post('/units', mk(name)), 201, name);
    assert.equal(u.name, name);
  }
  const spaced = expectStatus(await a.post('/units', mk('\u3000Phòng\u00a0\u00a0Một \u2002 Hai ')), 201);
  assert.equal(spaced.name, 'Phòng Một Hai');
  // The same name under another parent is fine, and so is a retired sibling's name.
  const other = await createUnit(a, { name: 'Cấp trên khác ' + uniq('') });
  expectStatus(await a.post('/units', { ...mk('Sở Tài chính'), parent_id: other.id }), 201);
  expectStatus(await a.post('/units/' + sibling.id + '/retire', { reason: 'Hợp nhất' }), 200);
  expectStatus(await a.post('/units', mk('Sở Tài chính')), 201);
  // A move into a parent that already has the name is refused too.
  const dup = await createUnit(a, { name: 'Sở Thông tin và Truyền thông', parent_id: other.id });
  expectError(await a.patch('/units/' + dup.id, { parent_id: parent.id }), 409, 'unit_name_taken', 'name');
});

test('one tree: one province root, no detaching, no cycle; the root stays', async () => {
  const a = await loginAdmin();
  const root = await rootUnit(a);
  assert.equal(root.kind, 'province');
  const dept = await createUnit(a, { name: 'Sở Gắn cây ' + uniq('') });
  const child = await createUnit(a, { name: 'Phòng Con ' + uniq(''), kind: 'other', parent_id: dept.id });
  const count = expectStatus(await a.get('/units?include_retired=1'), 200).units.length;
  const head = await auditHead(a);
  const body = (f) => ({ code: uniq('R'), name: 'Tỉnh thứ hai ' + uniq(''), kind: 'province', ...f });
  // A second root, however it is asked for.
  expectError(await a.post('/units', body({})), 422, 'invalid_parent', 'parent_id');
  expectError(await a.post('/units', body({ parent_id: null })), 422, 'invalid_parent', 'parent_id');
  expectError(await a.post('/units', body({ kind: 'department' })), 422, 'invalid_parent', 'parent_id');
  // A province below the root.
  expectError(await a.post('/units', body({ parent_id: root.id })), 422, 'invalid_value', 'kind');
  // Detaching, re-rooting, cycles.
  const e = expectError(await a.patch('/units/' + dept.id, { parent_id: null }), 422, 'invalid_parent', 'parent_id');
  assert.match(e.message, /cấp trên/);
  expectError(await a.patch('/units/' + root.id, { parent_id: dept.id }), 422, 'invalid_parent', 'parent_id');
  expectError(await a.patch('/units/' + dept.id, { parent_id: child.id }), 422, 'invalid_parent', 'parent_id');
  expectError(await a.patch('/units/' + dept.id, { kind: 'province' }), 422, 'invalid_value', 'kind');
  expectError(await a.patch('/units/' + root.id, { kind: 'district' }), 422, 'invalid_value', 'kind');
  // The root cannot be retired (it has children anyway; and even a reason does not help).
  const r = await a.post('/units/' + root.id + '/retire', { reason: 'Thử' });
  assert.ok([409, 422].includes(r.status), r.text);
  assert.equal(expectStatus(await a.get('/units?include_retired=1'), 200).units.length, count);
  assert.deepEqual(expectStatus(await a.get('/units/' + dept.id), 200), dept);
  assert.deepEqual(expectStatus(await a.get('/units/' + root.id), 200), root);
  await unchanged(a, head);
  // A legitimate move keeps it in the tree.
  const moved = expectStatus(await a.patch('/units/' + child.id, { parent_id: root.id }), 200);
  assert.equal(moved.parent_id, root.id);
});

test('retiring a unit needs a reason', async () => {
  const a = await loginAdmin();
  const u = await createUnit(a);
  const head = await auditHead(a);
  expectError(await a.post('/units/' + u.id + '/retire'), 400, 'missing_field', 'reason');
  expectError(await a.post('/units/' + u.id + '/retire', {}), 400, 'missing_field', 'reason');
  expectError(await a.post('/units/' + u.id + '/retire', { reason: null }), 400, 'missing_field', 'reason');
  for (const reason of ['', '   ', '\u00a0\u3000'])
    expectError(await a.post('/units/' + u.id + '/retire', { reason }), 422, 'invalid_value', 'reason');
  assert.deepEqual(expectStatus(await a.get('/units/' + u.id), 200), u);
  await unchanged(a, head);
  const r = expectStatus(await a.post('/units/' + u.id + '/retire', { reason: ' Sáp nhập theo NQ 1234 ' }), 200);
  assert.equal(r.retired_reason, 'Sáp nhập theo NQ 1234');
});

test('a user\'s full name follows the same name rule', async () => {
  const a = await loginAdmin();
  const unit = await createUnit(a);
  const base = () => ({ username: uniq('n'), role: 'staff', unit_id: unit.id });
  for (const [full_name, ch] of [['Nguyễn Văn Ａ', '\uff21'], ['Nguyễn Văn А', null], ['Trần Thị B\ufdd0', '\ufdd0']]) {
    const e = expectError(await a.post('/users', { ...base(), full_name }), 422, 'invalid_value', 'full_name');
    if (ch) assert.ok(e.message.includes(hex(ch)), e.message);
  }
  const u = expectStatus(await a.post('/users', { ...base(), full_name: '\u00a0Nguyễn\u00a0\u00a0Văn   Đức ' }), 201).user;
  assert.equal(u.full_name, 'Nguyễn Văn Đức');
  const { user } = await createUser(a, { unit_id: unit.id });
  expectError(await a.patch('/users/' + user.id, { full_name: 'Lê Văn Β', role: 'staff', unit_id: unit.id }), 422, 'invalid_value', 'full_name');
});
