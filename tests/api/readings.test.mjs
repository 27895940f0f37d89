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

// ---- criteria taken from another index (CCHC): VI 10.1 of hue-cap-so-2023 ----

async function roundOfTwo(a) {
  const d1 = await createUnit(a), d2 = await createUnit(a);
  const r = expectStatus(await a.post('/rounds', {
    title: 'CCHC ' + uniq(''), year: 2025, frameworks: [DEPT], units: { levels: [], include: [d1.id, d2.id] },
  }), 201);
  return { r, d1, d2 };
}

test('external values: entered per unit with its source, task scored, audited; a reading change rescores it', async () => {
  const a = await loginAdmin();
  const { r, d1, d2 } = await roundOfTwo(a);
  const url = `/rounds/${r.id}/external-values`;
  const l0 = expectStatus(await a.get(url), 200);
  const crit = l0.criteria.find((x) => x.criterion_key === 'vi-10-1');
  assert.ok(crit, 'VI 10.1 is taken from the CCHC index');
  assert.equal(crit.index, 'cchc');
  assert.deepEqual(crit.inputs.map((x) => x.name), ['satisfied', 'ratings']);
  assert.deepEqual(l0.values, []);

  const src = 'Kết quả Bộ tiêu chí CCHC tỉnh năm 2025 (Sở Nội vụ)';
  const put = expectStatus(await a.put(url, { values: [
    { unit_id: d1.id, criterion_key: 'vi-10-1', value: { satisfied: 90, ratings: 100 }, source: src },
    { unit_id: d2.id, criterion_key: 'vi-10-1', value: { satisfied: 0, ratings: 0 }, source: src },
  ] }), 200);
  assert.equal(put.stored, 2);
  assert.equal(put.rescored, 2);
  const v1 = put.values.find((x) => x.unit_id === d1.id), v2 = put.values.find((x) => x.unit_id === d2.id);
  assert.deepEqual(v1.value, { satisfied: 90, ratings: 100 });
  assert.equal(v1.source, src);
  assert.equal(v1.self_points, 4.5, '90/100 × 5');
  assert.equal(v1.self_status, 'scored');
  assert.equal(v2.self_status, 'not_applicable', '0 of 0 under the main reading');
  assert.equal(v2.self_points, 0);
  const ra = expectStatus(await a.get(`/audit?entity=round&entity_id=${r.id}`), 200).entries;
  assert.equal(ra.filter((x) => x.action === 'round.external_value').length, 2);
  const ta = expectStatus(await a.get(`/audit?entity=task&entity_id=${v2.task_id}`), 200).entries;
  assert.equal(ta.filter((x) => x.action === 'task.rescore').length, 1);

  // the same values again: nothing stored, nothing audited
  const again = expectStatus(await a.put(url, { values: [
    { unit_id: d1.id, criterion_key: 'vi-10-1', value: { satisfied: 90, ratings: 100 }, source: src }] }), 200);
  assert.equal(again.stored, 0);

  // 0 of 0 gives the full points under "empty_full": only the task that changes is rescored
  const ch = expectStatus(await a.put(`/rounds/${r.id}/readings`,
    { framework_id: 'hue-cap-so-2023', criterion_key: 'vi-10-1', alternative: 'empty_full' }), 200);
  assert.equal(ch.rescored, 1, '90/100 gives 4,5 under both readings');
  let l = expectStatus(await a.get(url), 200);
  assert.equal(l.values.find((x) => x.unit_id === d2.id).self_points, 5);
  assert.equal(l.values.find((x) => x.unit_id === d2.id).self_status, 'scored');
  assert.equal(l.values.find((x) => x.unit_id === d1.id).self_points, 4.5);
  const ta2 = expectStatus(await a.get(`/audit?entity=task&entity_id=${v2.task_id}`), 200).entries;
  const e = ta2.find((x) => x.action === 'task.rescore' && x.new.reading === 'empty_full');
  assert.ok(e, 'the rescore is audited on the task');
  assert.equal(e.old.self_status, 'not_applicable');
  assert.equal(e.new.self_points, 5);
  // "empty_zero": 0 points but counted
  expectStatus(await a.put(`/rounds/${r.id}/readings`,
    { framework_id: 'hue-cap-so-2023', criterion_key: 'vi-10-1', alternative: 'empty_zero' }), 200);
  l = expectStatus(await a.get(url), 200);
  assert.equal(l.values.find((x) => x.unit_id === d2.id).self_points, 0);
  assert.equal(l.values.find((x) => x.unit_id === d2.id).self_status, 'scored');
});

test('external values: "value": null removes a unit\'s value, audited, task rescored from its own answers', async () => {
  const a = await loginAdmin();
  const { r, d1, d2 } = await roundOfTwo(a);
  const url = `/rounds/${r.id}/external-values`;
  const src = 'CCHC 2025';
  const put = expectStatus(await a.put(url, { values: [
    { unit_id: d1.id, criterion_key: 'vi-10-1', value: { satisfied: 90, ratings: 100 }, source: src },
    { unit_id: d2.id, criterion_key: 'vi-10-1', value: { satisfied: 1, ratings: 2 }, source: src },
  ] }), 200);
  const taskId = put.values.find((x) => x.unit_id === d1.id).task_id;
  const t0 = expectStatus(await a.get(`/tasks/${taskId}`), 200);
  assert.ok(t0.external_value, 'the task carries the value');
  // bad removals: nothing removed
  await expectError(await a.put(url, { values: [{ unit_id: d1.id, criterion_key: 'i-1-1', value: null }] }),
    422, 'invalid_value', 'values[0].criterion_key');
  await expectError(await a.put(url, { values: [{ unit_id: d1.id, value: null }] }),
    400, 'missing_field', 'values[0].criterion_key');
  assert.equal(expectStatus(await a.get(url), 200).values.length, 2, 'nothing removed');

  const del = expectStatus(await a.put(url, { values: [{ unit_id: d1.id, criterion_key: 'vi-10-1', value: null }] }), 200);
  assert.equal(del.removed, 1);
  assert.equal(del.stored, 0);
  assert.deepEqual(del.values.map((x) => x.unit_id), [d2.id], 'only the other unit keeps its value');
  const t1 = expectStatus(await a.get(`/tasks/${taskId}`), 200);
  assert.equal(t1.external_value, null, 'the task\'s copy is cleared');
  assert.equal(t1.version, t0.version + 1);
  const ra = expectStatus(await a.get(`/audit?entity=round&entity_id=${r.id}`), 200).entries;
  const e = ra.find((x) => x.action === 'round.external_value' && x.new === null);
  assert.ok(e, 'the removal is audited with the old value');
  assert.equal(e.old.unit_id, d1.id);
  assert.deepEqual(e.old.value, { satisfied: 90, ratings: 100 });
  // removing what is not there changes nothing
  const again = expectStatus(await a.put(url, { values: [{ unit_id: d1.id, criterion_key: 'vi-10-1', value: null, source: null }] }), 200);
  assert.equal(again.removed, 0);
  const ra2 = expectStatus(await a.get(`/audit?entity=round&entity_id=${r.id}`), 200).entries;
  assert.equal(ra2.filter((x) => x.action === 'round.external_value').length, 3);
});

test('external values: bad input refused with its field, nothing stored', async () => {
  const a = await loginAdmin();
  const { r, d1 } = await roundOfTwo(a);
  const other = await createUnit(a);
  const url = `/rounds/${r.id}/external-values`;
  const ok = { unit_id: d1.id, criterion_key: 'vi-10-1', value: { satisfied: 1, ratings: 2 }, source: 'CCHC' };
  const bad = async (item, status, code, field) =>
    expectError(await a.put(url, { values: [ok, item] }), status, code, field);
  await bad({ ...ok, unit_id: other.id }, 422, 'invalid_value', 'values[1].unit_id');
  await bad({ ...ok, criterion_key: 'i-1-1' }, 422, 'invalid_value', 'values[1].criterion_key');
  await bad({ ...ok, criterion_key: 'zz' }, 422, 'invalid_value', 'values[1].criterion_key');
  await bad({ ...ok, value: { satisfied: 3, ratings: 2 } }, 422, 'invalid_value', 'values[1].value');
  await bad({ ...ok, value: { satisfied: 'nhiều', ratings: 2 } }, 422, 'invalid_value', 'values[1].value.satisfied');
  await bad({ ...ok, value: { nope: 1 } }, 422, 'invalid_value');
  await bad({ ...ok, value: 5 }, 400, 'invalid_type', 'values[1].value');
  await bad({ ...ok, source: '  ' }, 422, 'invalid_value', 'values[1].source');
  await bad({ unit_id: d1.id, criterion_key: 'vi-10-1', value: {} }, 400, 'missing_field', 'values[1].source');
  await bad({ ...ok, extra: 1 }, 400, 'unknown_field', 'values[1].extra');
  await expectError(await a.put(url, { values: 'x' }), 400, 'invalid_type', 'values');
  await expectError(await a.put('/rounds/987654321/external-values', { values: [ok] }), 404, 'not_found');
  const l = expectStatus(await a.get(url), 200);
  assert.deepEqual(l.values, [], 'all or nothing: the good first item was not kept');
  const { client: s } = await newUserClient(a, { role: 'staff' });
  await expectError(await s.put(url, { values: [ok] }), 403);
  await expectError(await s.get(url), 403);
});

test('external values: CSV import (comma or semicolon, quoted source), errors name the line', async () => {
  const a = await loginAdmin();
  const { r, d1, d2 } = await roundOfTwo(a);
  const url = `/rounds/${r.id}/external-values/import`;
  const csv = (text) => a.post(url, text, { raw: true, headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
  const ok = expectStatus(await csv('\uFEFFunit_id,criterion_key,source,satisfied,ratings\r\n'
    + `${d1.id},vi-10-1,"Kết quả CCHC 2025, Sở Nội vụ",45,50\r\n\r\n`
    + `${d2.id},vi-10-1,"Kết quả ""CCHC"" 2025",10,40\r\n`), 200);
  assert.equal(ok.stored, 2);
  const v1 = ok.values.find((x) => x.unit_id === d1.id), v2 = ok.values.find((x) => x.unit_id === d2.id);
  assert.deepEqual(v1.value, { satisfied: 45, ratings: 50 });
  assert.equal(v1.source, 'Kết quả CCHC 2025, Sở Nội vụ');
  assert.equal(v1.self_points, 4.5);
  assert.equal(v2.source, 'Kết quả "CCHC" 2025');
  assert.equal(v2.self_points, 1.25);
  // a spreadsheet in a Vietnamese locale writes ';'
  const semi = expectStatus(await csv(`unit_id;criterion_key;source;satisfied;ratings\n${d2.id};vi-10-1;CCHC;20;40\n`), 200);
  assert.equal(semi.values.find((x) => x.unit_id === d2.id).self_points, 2.5);
  // errors: the line of the file; nothing stored
  const before = expectStatus(await a.get(`/rounds/${r.id}/external-values`), 200);
  let e = await csv(`unit_id,criterion_key,source,satisfied,ratings\n${d1.id},vi-10-1,CCHC,1,2\n${d2.id},vi-10-1,CCHC,5,2\n`);
  await expectError(e, 422, 'invalid_value', 'values[1].value');
  assert.match(e.json.error.message, /dòng 3 của tệp CSV/);
  e = await csv(`unit_id,criterion_key,satisfied\n${d1.id},vi-10-1,1\n`);
  await expectError(e, 422, 'invalid_csv', 'file');
  e = await csv(`unit_id,criterion_key,source,satisfied,ratings\n${d1.id},vi-10-1,"CCHC,1,2\n`);
  await expectError(e, 422, 'invalid_csv', 'file');
  assert.match(e.json.error.message, /dòng 2/);
  e = await csv(`unit_id,criterion_key,source,satisfied,ratings\n${d1.id},vi-10-1,CCHC,1\n`);
  await expectError(e, 422, 'invalid_csv', 'file');
  await expectError(await csv(''), 400, 'missing_body');
  assert.deepEqual(expectStatus(await a.get(`/rounds/${r.id}/external-values`), 200), before);
});
