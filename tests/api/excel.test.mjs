// excel.test.mjs — the Excel round-trip routes (issue 10, docs/excel.md): a unit's template
// (unit scope), every unit's templates as a zip (admins), the import with a dry run (nothing
// saved) then for real (values, points, versions), refusals with their sheet and cell and
// nothing changed, another unit's file, a file that is not a workbook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectStatus, expectError } from './lib.mjs';
import { roundFixture } from './tasks_fixture.mjs';

const PY = process.env.PYTHON ?? '/usr/bin/python3';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The file body of a download (the Client reads text; a workbook is bytes).
async function download(client, path) {
  const res = await fetch(client.base + '/api/v1' + path, { headers: { cookie: client.cookie } });
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

function fill(template, scenario) {
  const dir = mkdtempSync(join(tmpdir(), 'dti-excel-'));
  try {
    writeFileSync(join(dir, 't.xlsx'), template);
    const info = JSON.parse(execFileSync(PY, ['tests/cli/excel_fill.py', 'fill', join(dir, 't.xlsx'), join(dir, 'f.xlsx'), '2023', scenario], { encoding: 'utf8' }));
    return { info, bytes: readFileSync(join(dir, 'f.xlsx')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const upload = (client, round, unit, bytes, dry) =>
  client.post(`/rounds/${round}/units/${unit}/import${dry ? '?dry_run=1' : ''}`, bytes, { raw: true, headers: { 'content-type': XLSX } });

test('template download: the unit\'s own staff and admins, not another unit', async () => {
  const f = await roundFixture();
  const mine = await download(f.staffA.client, `/rounds/${f.round.id}/units/${f.A.id}/template`);
  assert.equal(mine.status, 200);
  assert.equal(mine.type, XLSX);
  assert.equal(mine.body.subarray(0, 2).toString(), 'PK');
  assert.equal((await download(f.admin, `/rounds/${f.round.id}/units/${f.A.id}/template`)).status, 200);
  assert.equal((await download(f.staffA.client, `/rounds/${f.round.id}/units/${f.B.id}/template`)).status, 403);
  const zip = await download(f.admin, `/rounds/${f.round.id}/templates.zip`);
  assert.equal(zip.status, 200);
  assert.equal(zip.type, 'application/zip');
  assert.equal(zip.body.subarray(0, 2).toString(), 'PK');
  assert.equal((await download(f.staffA.client, `/rounds/${f.round.id}/templates.zip`)).status, 403);
});

test('import: dry run shows every change and saves nothing, then the import saves', async () => {
  const f = await roundFixture();
  const staff = f.staffA.client;
  const tpl = await download(staff, `/rounds/${f.round.id}/units/${f.A.id}/template`);
  const { info, bytes } = fill(tpl.body, 'full');
  const dry = expectStatus(await upload(staff, f.round.id, f.A.id, bytes, true), 200);
  assert.equal(dry.ok, true, JSON.stringify(dry.errors));
  assert.equal(dry.dry_run, true);
  assert.equal(dry.saved, false);
  assert.equal(dry.changed, 69);
  const [mkey, mval] = Object.entries(info.manual)[0];
  const row = dry.criteria.find((c) => c.criterion_key === mkey);
  assert.equal(row.changed, true);
  assert.equal(row.old.points, null);
  assert.equal(row.new.points, mval);
  assert.ok((await f.tasksOf(f.A)).every((t) => t.state === 'not_started' && t.version === 1), 'dry run saved something');

  const done = expectStatus(await upload(staff, f.round.id, f.A.id, bytes, false), 200);
  assert.equal(done.ok, true, JSON.stringify(done.errors));
  assert.equal(done.saved, true);
  assert.equal(done.standardise.recomputed, 69);
  const tasks = await f.tasksOf(f.A);
  assert.ok(tasks.every((t) => t.state === 'draft' && t.version >= 2));
  const t = tasks.find((x) => x.criterion_key === mkey);
  assert.equal(t.self_points, mval); // "8,5" typed as text
  const detail = expectStatus(await staff.get('/tasks/' + t.id), 200);
  assert.match(detail.report.content, /^Quyết định số/);
  // the same file again: nothing to change
  assert.equal(expectStatus(await upload(staff, f.round.id, f.A.id, bytes, false), 200).changed, 0);
});

test('import refusals: the cell named, nothing saved; another unit\'s file; not a workbook; scope', async () => {
  const f = await roundFixture();
  const staff = f.staffA.client;
  const tpl = await download(staff, `/rounds/${f.round.id}/units/${f.A.id}/template`);
  for (const [scenario, code] of [['appraisal', 'appraisal_filled'], ['text_in_number', 'text_in_number'],
    ['date_in_number', 'date_in_number'], ['out_of_range', 'out_of_range']]) {
    const { info, bytes } = fill(tpl.body, scenario);
    const rep = expectStatus(await upload(staff, f.round.id, f.A.id, bytes, false), 200);
    assert.equal(rep.ok, false, scenario);
    assert.equal(rep.saved, false);
    const e = rep.errors.find((x) => x.code === code);
    assert.ok(e, scenario + ': ' + JSON.stringify(rep.errors));
    assert.equal(e.sheet, 'CDS_CAPSO');
    assert.equal(e.cell, info.cell);
    assert.ok(e.message.startsWith(`Trang CDS_CAPSO, ô ${info.cell}: `), e.message);
  }
  assert.ok((await f.tasksOf(f.A)).every((t) => t.state === 'not_started' && t.version === 1), 'a refusal saved something');
  // A's file uploaded by B's staff to B: another unit's file
  const { bytes } = fill(tpl.body, 'full');
  const other = expectStatus(await upload(f.staffB.client, f.round.id, f.B.id, bytes, true), 200);
  assert.equal(other.ok, false);
  assert.equal(other.errors[0].code, 'wrong_unit');
  // A's staff cannot import into B
  expectError(await upload(staff, f.round.id, f.B.id, bytes, true), 403, 'forbidden');
  const junk = expectStatus(await upload(staff, f.round.id, f.A.id, Buffer.from('không phải excel'), true), 200);
  assert.equal(junk.ok, false);
  assert.equal(junk.errors[0].code, 'not_a_workbook');
  expectError(await staff.post(`/rounds/${f.round.id}/units/${f.A.id}/import?dry_run=maybe`, bytes, { raw: true }), 400, 'invalid_value');
});
