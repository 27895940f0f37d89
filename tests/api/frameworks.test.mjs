// frameworks.test.mjs — index sets over the API: the shipped sets are listed with their totals,
// one opens with per-node totals, an upload with mistakes is refused with every error listed by
// its place and nothing stored, a valid upload is stored once (409 the second time) and audited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { loginAdmin, newUserClient, uniq, expectError, expectStatus, auditHead, auditSince } from './lib.mjs';

const sample = () => JSON.parse(readFileSync('tests/data/sample-framework.json', 'utf8'));

test('shipped index sets are listed; hue-cap-so-2023 has 69 criteria and 500 points', async () => {
  const a = await loginAdmin();
  const { frameworks } = expectStatus(await a.get('/frameworks'), 200);
  const hue = frameworks.find((f) => f.id === 'hue-cap-so-2023');
  assert.ok(hue, 'hue-cap-so-2023 is shipped');
  assert.equal(hue.max_points, 500);
  assert.equal(hue.criteria_count, 69);
  const fw = expectStatus(await a.get('/frameworks/hue-cap-so-2023'), 200);
  assert.equal(fw.format, 'dti-framework/1');
  assert.equal(fw.criteria_count, 69);
  assert.deepEqual(fw.totals.pillars.map((p) => p.max_points), [60, 45, 60, 30, 40, 195, 10, 40, 20]);
  assert.equal(fw.totals.pillars.reduce((s, p) => s + p.criteria_count, 0), 69);
  assert.ok(fw.totals.pillars[0].groups[0].criteria[0].rule_text.length > 10);
  assert.match(fw.sha256, /^[0-9a-f]{64}$/);
  expectError(await a.get('/frameworks/khong-co'), 404, 'not_found');
  expectError(await a.get('/frameworks/hue-cap-so-2023?version=99'), 404, 'not_found');
  expectError(await a.get('/frameworks/hue-cap-so-2023?version=abc'), 400, 'invalid_version');
});

test('any signed-in user reads; only an admin uploads', async () => {
  const a = await loginAdmin();
  const { client: staff } = await newUserClient(a, { role: "staff" });
  expectStatus(await staff.get('/frameworks'), 200);
  const body = JSON.stringify({ ...sample(), id: uniq('fw').toLowerCase().replace(/[^a-z0-9-]/g, '-') });
  expectError(await staff.post('/frameworks', body, { raw: true, headers: { 'content-type': 'application/json' } }), 403);
});

test('an upload with mistakes lists every error by its place and stores nothing', async () => {
  const a = await loginAdmin();
  const f = sample();
  const id = 'bad-' + uniq('x').toLowerCase().replace(/[^a-z0-9-]/g, '');
  f.id = id;
  f.pillars[0].max_points = 41;                                  // sum mismatch
  f.pillars[0].groups[0].criteria[2].examples[0].points = 2;     // wrong worked example
  f.pillars[1].groups[0].criteria[0].rule.denominator = 'nobody'; // undeclared input
  f.pillars[0].groups[0].criteria[1].key = 'i-1-1';               // duplicate key
  const before = await auditHead(a);
  const r = await a.post('/frameworks', JSON.stringify(f), { raw: true, headers: { 'content-type': 'application/json' } });
  expectError(r, 422, 'invalid_framework');
  const fields = r.json.error.errors.map((e) => e.field);
  for (const want of ['pillars[0].max_points', 'pillars[0].groups[0].criteria[2].examples[0]',
    'pillars[1].groups[0].criteria[0].rule.denominator', 'pillars[0].groups[0].criteria[1].key']) {
    assert.ok(fields.includes(want), `error at ${want} in ${JSON.stringify(fields)}`);
  }
  for (const e of r.json.error.errors) assert.ok(e.message.length > 0);
  expectError(await a.get('/frameworks/' + id), 404, 'not_found');
  assert.equal((await auditSince(a, before)).filter((e) => e.entity === 'framework').length, 0);
  const notJson = await a.post('/frameworks', '{"format":', { raw: true, headers: { 'content-type': 'application/json' } });
  expectError(notJson, 422, 'invalid_framework');
});

test('a valid upload is stored once, audited, and a new version sits beside it', async () => {
  const a = await loginAdmin();
  const f = sample();
  f.id = 'up-' + uniq('x').toLowerCase().replace(/[^a-z0-9-]/g, '');
  const before = await auditHead(a);
  const text = JSON.stringify(f);
  const s = expectStatus(await a.post('/frameworks', text, { raw: true, headers: { 'content-type': 'application/json' } }), 201);
  assert.deepEqual(s, { id: f.id, version: 1, title: f.title, level: 'department', year: 2023, status: 'draft', max_points: 90, criteria_count: 13 });
  expectError(await a.post('/frameworks', text, { raw: true, headers: { 'content-type': 'application/json' } }), 409, 'framework_exists');
  const audit = (await auditSince(a, before)).filter((e) => e.entity === 'framework');
  assert.equal(audit.length, 1);
  assert.equal(audit[0].action, 'framework.create');
  assert.equal(audit[0].entity_id, `${f.id}@1`);
  f.version = 2;
  f.pillars[0].groups[0].criteria[0].title = 'Tên mới';
  expectStatus(await a.post('/frameworks', JSON.stringify(f), { raw: true, headers: { 'content-type': 'application/json' } }), 201);
  const latest = expectStatus(await a.get('/frameworks/' + f.id), 200);
  assert.equal(latest.version, 2);
  assert.deepEqual(latest.versions, [2, 1]);
  const v1 = expectStatus(await a.get(`/frameworks/${f.id}?version=1`), 200);
  assert.equal(v1.pillars[0].groups[0].criteria[0].title, sample().pillars[0].groups[0].criteria[0].title);
});

test('decimals go out as written (9.51, not 9.5099999999999998)', async () => {
  const a = await loginAdmin();
  // the district draft's worked example: 921 / 968 accounts on a 10-point ratio -> 9,51
  const r = await a.get('/frameworks/hue-cap-huyen-2024');
  expectStatus(r, 200);
  assert.match(r.text, /"points":9\.51[,}]/);
  assert.doesNotMatch(r.text, /\d\.\d*0000000\d|\d\.\d*9999999\d/, 'binary floating-point noise in JSON');
});

test('times in the index set detail are ISO 8601 like the rest of the API', async () => {
  const a = await loginAdmin();
  const r = expectStatus(await a.get('/frameworks/hue-cap-so-2023'), 200);
  assert.match(r.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
});

test('a file saved with a UTF-8 BOM (Windows Notepad) is accepted like the same file without', async () => {
  const a = await loginAdmin();
  const f = sample();
  f.id = 'bom-' + uniq('x').toLowerCase().replace(/[^a-z0-9-]/g, '');
  const before = await auditHead(a);
  const text = JSON.stringify(f);
  const s = expectStatus(await a.post('/frameworks', '\uFEFF' + text, { raw: true, headers: { 'content-type': 'application/json' } }), 201);
  assert.equal(s.id, f.id);
  assert.equal(s.criteria_count, 13);
  const fw = expectStatus(await a.get('/frameworks/' + f.id), 200);
  assert.equal(fw.criteria_count, 13);
  assert.equal(fw.title, f.title);
  // One sha256 for the file everywhere: the stored record's, the audit entry's, and the file's
  // own without its byte-order mark.
  const want = createHash('sha256').update(text, 'utf8').digest('hex');
  assert.equal(fw.sha256, want);
  const audit = (await auditSince(a, before)).filter((e) => e.entity === 'framework');
  assert.equal(audit.length, 1);
  assert.equal(audit[0].new.sha256, want);
});

test('a JSON syntax error in an upload is told in Vietnamese with its line and column', async () => {
  const a = await loginAdmin();
  const r = await a.post('/frameworks', '{"format":"dti-framework/1",\n "id":"abc","id":"abd"}', { raw: true, headers: { 'content-type': 'application/json' } });
  expectError(r, 422, 'invalid_framework');
  const [e] = r.json.error.errors;
  assert.equal(e.message, 'JSON không hợp lệ (dòng 2, cột 16): trường "id" bị lặp lại trong cùng một đối tượng');
  const bad = await a.post('/frameworks', '{"a":"\u0001"}', { raw: true, headers: { 'content-type': 'application/json' } });
  expectError(bad, 422, 'invalid_framework');
  assert.doesNotMatch(bad.json.error.errors[0].message, /near|control|character|expected/);
  assert.match(bad.json.error.errors[0].message, /ký tự điều khiển 0x01/);
});
