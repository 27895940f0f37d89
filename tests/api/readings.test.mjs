// readings.test.mjs — GET/PUT /rounds/{id}/readings (docs/rounds-api.md "Readings"): every
// ambiguous criterion of the round's sets with its readings and the chosen one; an admin
// chooses, audited once; bad input refused with its field and nothing changed; only admins write.
// (Rescoring of stored inputs is covered by tests/unit/test_readings_db.c.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAdmin, createUnit, newUserClient, uniq, expectError, expectStatus } from './lib.mjs';

const DEPT = { level: 'department', framework_id: 'hue-cap-so-2023', version: 3 };

async function newRound(a) {
  const d = await createUnit(a);
  return expectStatus(await a.post('/rounds', {
    title: 'Cách hiểu ' + uniq(''), year: 2025, frameworks: [DEPT], units: { levels: [], include: [d.id] },
  }), 201);
}

test('readings: list, choose, audit, back to main', async () => {
  const a = await loginAdmin();
  const r = await newRound(a);
  const l = expectStatus(await a.get(`/rounds/${r.id}/readings`), 200);
  assert.equal(l.round_id, r.id);
  const v31 = l.readings.find((x) => x.criterion_key === 'v-3-1');
  assert.ok(v31, 'V 3.1 has readings');
  assert.equal(v31.chosen, 'main');
  assert.equal(v31.framework_id, 'hue-cap-so-2023');
  assert.deepEqual(v31.readings.map((x) => x.name), ['main', 'proportional']);
  assert.ok(v31.readings[1].label && v31.readings[1].rule_text);
  for (const k of ['i-5-2', 'vi-3-1', 'vi-7-1', 'vi-9-1', 'vi-10-1', 'viii-2-1'])
    assert.ok(l.readings.some((x) => x.criterion_key === k), k);
  assert.ok(!l.readings.some((x) => x.criterion_key === 'i-1-1'), 'a criterion without alternatives is not listed');

  const put = expectStatus(await a.put(`/rounds/${r.id}/readings`,
    { framework_id: 'hue-cap-so-2023', criterion_key: 'v-3-1', alternative: 'proportional' }), 200);
  assert.equal(put.previous, 'main');
  assert.equal(put.alternative, 'proportional');
  assert.equal(put.rescored, 0, 'no task has data yet');
  const l2 = expectStatus(await a.get(`/rounds/${r.id}/readings`), 200);
  assert.equal(l2.readings.find((x) => x.criterion_key === 'v-3-1').chosen, 'proportional');
  const audit = expectStatus(await a.get(`/audit?entity=round&entity_id=${r.id}`), 200).entries;
  const e = audit.find((x) => x.action === 'round.reading');
  assert.ok(e, 'the choice is audited');
  assert.equal(e.old.alternative, 'main');
  assert.equal(e.new.alternative, 'proportional');
  // the same choice again changes nothing and adds no entry
  expectStatus(await a.put(`/rounds/${r.id}/readings`,
    { framework_id: 'hue-cap-so-2023', criterion_key: 'v-3-1', alternative: 'proportional' }), 200);
  const audit2 = expectStatus(await a.get(`/audit?entity=round&entity_id=${r.id}`), 200).entries;
  assert.equal(audit2.filter((x) => x.action === 'round.reading').length, 1);
  expectStatus(await a.put(`/rounds/${r.id}/readings`,
    { framework_id: 'hue-cap-so-2023', criterion_key: 'v-3-1', alternative: 'main' }), 200);
  const l3 = expectStatus(await a.get(`/rounds/${r.id}/readings`), 200);
  assert.equal(l3.readings.find((x) => x.criterion_key === 'v-3-1').chosen, 'main');
});

test('readings: bad input refused with its field, nothing changed', async () => {
  const a = await loginAdmin();
  const r = await newRound(a);
  const url = `/rounds/${r.id}/readings`;
  const ok = { framework_id: 'hue-cap-so-2023', criterion_key: 'v-3-1', alternative: 'proportional' };
  await expectError(await a.put(url, { ...ok, alternative: 'nope' }), 422, 'invalid_value', 'alternative');
  await expectError(await a.put(url, { ...ok, criterion_key: 'zz-9' }), 422, 'invalid_value', 'criterion_key');
  await expectError(await a.put(url, { ...ok, criterion_key: 'i-1-1' }), 422, 'invalid_value', 'criterion_key');
  await expectError(await a.put(url, { ...ok, framework_id: 'hue-cap-huyen-2024' }), 422, 'invalid_value', 'framework_id');
  await expectError(await a.put(url, { framework_id: 'hue-cap-so-2023', criterion_key: 'v-3-1' }), 400, 'missing_field', 'alternative');
  await expectError(await a.put(url, { ...ok, alternative: 5 }), 400, 'invalid_type', 'alternative');
  await expectError(await a.put(url, { ...ok, extra: 1 }), 400, 'unknown_field');
  await expectError(await a.put('/rounds/987654321/readings', ok), 404, 'not_found');
  await expectError(await a.get('/rounds/987654321/readings'), 404, 'not_found');
  const l = expectStatus(await a.get(url), 200);
  assert.equal(l.readings.find((x) => x.criterion_key === 'v-3-1').chosen, 'main', 'nothing changed');
  const audit = expectStatus(await a.get(`/audit?entity=round&entity_id=${r.id}`), 200).entries;
  assert.equal(audit.filter((x) => x.action === 'round.reading').length, 0);
});

test('readings: staff read but cannot choose', async () => {
  const a = await loginAdmin();
  const r = await newRound(a);
  const { client: s } = await newUserClient(a, { role: 'staff' });
  expectStatus(await s.get(`/rounds/${r.id}/readings`), 200);
  await expectError(await s.put(`/rounds/${r.id}/readings`,
    { framework_id: 'hue-cap-so-2023', criterion_key: 'v-3-1', alternative: 'proportional' }), 403);
});
