// frameworks_rules.test.mjs — rule texts and compiled sets over the API: every criterion of a
// detail carries the server's Vietnamese rule_text (the UI shows it as is); a formula dividing
// by a constant zero is refused at upload naming the criterion and the formula, and nothing is
// stored; repeated reads of a set (served from the compiled-set cache) are identical, and a
// new version shows in the older version's "versions" at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loginAdmin, uniq, expectError, expectStatus } from './lib.mjs';

const sample = () => JSON.parse(readFileSync('tests/data/sample-framework.json', 'utf8'));
const newId = (p) => p + '-' + uniq('x').toLowerCase().replace(/[^a-z0-9-]/g, '');
const upload = (a, f) => a.post('/frameworks', JSON.stringify(f), { raw: true, headers: { 'content-type': 'application/json' } });

test('a formula dividing by a constant zero is refused at upload, naming the criterion and the formula', async () => {
  const a = await loginAdmin();
  const f = sample();
  f.id = newId('div0');
  const c = f.pillars[1].groups[2].criteria[0];
  assert.equal(c.rule.type, 'formula');
  c.rule.expr = 'min(10; (a + b) / (3 - 3))';
  const r = await upload(a, f);
  expectError(r, 422, 'invalid_framework');
  const e = r.json.error.errors.find((x) => x.field === 'pillars[1].groups[2].criteria[0].rule.expr');
  assert.ok(e, JSON.stringify(r.json.error.errors));
  assert.match(e.message, /chia cho 0/);
  assert.ok(e.message.includes(`tiêu chí '${c.key}'`), e.message);
  assert.ok(e.message.includes('(a + b) / (3 - 3)'), e.message);
  expectError(await a.get('/frameworks/' + f.id), 404, 'not_found');
});

test('every criterion of a detail has the server rule_text; reads are identical; versions stay current', async () => {
  const a = await loginAdmin();
  const f = sample();
  f.id = newId('cache');
  expectStatus(await upload(a, f), 201);
  const one = expectStatus(await a.get('/frameworks/' + f.id), 200);
  const two = expectStatus(await a.get('/frameworks/' + f.id + '?version=1'), 200);
  assert.deepEqual(two, one);
  const crits = one.totals.pillars.flatMap((p) => p.groups.flatMap((g) => g.criteria));
  assert.equal(crits.length, one.criteria_count);
  for (const c of crits) assert.ok(typeof c.rule_text === 'string' && c.rule_text.length > 5, c.key);
  const yesNo = crits.find((c) => c.rule_type === 'yes_no');
  assert.match(yesNo.rule_text, /^Có \(.+\): .+ điểm; không: 0 điểm\.$/);
  assert.deepEqual(one.versions, [1]);
  expectStatus(await upload(a, { ...f, version: 2 }), 201);
  const again = expectStatus(await a.get('/frameworks/' + f.id + '?version=1'), 200);
  assert.deepEqual(again.versions, [2, 1]);
  assert.equal(again.version, 1);
  assert.deepEqual(again.totals, one.totals);
  const latest = expectStatus(await a.get('/frameworks/' + f.id), 200);
  assert.equal(latest.version, 2);
});
