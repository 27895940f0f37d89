// excel_batch.test.mjs — a coordinator imports many units' filled templates (issue 10,
// docs/excel.md "Many files"): POST /rounds/{id}/import takes one file of any unit of the round
// (the unit comes from the file), one request and one transaction per file; a refused file
// (another round's, a refused state) changes nothing. Admins save in the unit's own save states
// and phases only (the workflow table), audited as the admin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectStatus, expectError } from './lib.mjs';
import { roundFixture, setPhase, addEvidence } from './tasks_fixture.mjs';

const PY = process.env.PYTHON ?? '/usr/bin/python3';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function template(client, round, unit) {
  const res = await fetch(`${client.base}/api/v1/rounds/${round}/units/${unit}/template`, { headers: { cookie: client.cookie } });
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

function fill(tpl, scenario = 'full') {
  const dir = mkdtempSync(join(tmpdir(), 'dti-excel-batch-'));
  try {
    writeFileSync(join(dir, 't.xlsx'), tpl);
    const info = JSON.parse(execFileSync(PY, ['tests/cli/excel_fill.py', 'fill', join(dir, 't.xlsx'), join(dir, 'f.xlsx'), '2023', scenario], { encoding: 'utf8' }));
    return { info, bytes: readFileSync(join(dir, 'f.xlsx')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const importAll = (client, round, bytes, dry) =>
  client.post(`/rounds/${round}/import${dry ? '?dry_run=1' : ''}`, bytes, { raw: true, headers: { 'content-type': XLSX } });

const untouched = async (f, unit) =>
  (await f.tasksOf(unit)).every((t) => t.state === 'not_started' && t.version === 1);

test('many files: each dry-run with its unit, the valid ones saved as the admin, another round\'s file refused', async () => {
  const f = await roundFixture();
  const g = await roundFixture(); // another round (its own units)
  const a = fill(await template(f.admin, f.round.id, f.A.id));
  const b = fill(await template(f.admin, f.round.id, f.B.id));
  const other = fill(await template(g.admin, g.round.id, g.A.id));

  const reps = [];
  for (const file of [a, b, other]) reps.push(expectStatus(await importAll(f.admin, f.round.id, file.bytes, true), 200));
  const [ra, rb, ro] = reps;
  assert.equal(ra.ok, true, JSON.stringify(ra.errors));
  assert.equal(ra.unit_id, f.A.id);
  assert.equal(ra.unit_code, f.A.code);
  assert.equal(ra.unit_name, f.A.name);
  assert.equal(ra.changed, 69);
  assert.equal(rb.ok, true, JSON.stringify(rb.errors));
  assert.equal(rb.unit_id, f.B.id);
  assert.equal(rb.unit_name, f.B.name);
  assert.equal(ro.ok, false);
  assert.equal(ro.errors[0].code, 'wrong_round');
  assert.match(ro.errors[0].message, new RegExp(`đợt đánh giá số ${g.round.id}, không phải đợt số ${f.round.id}`));
  assert.ok(await untouched(f, f.A) && await untouched(f, f.B), 'a dry run saved something');

  // save: the valid ones, one request (one transaction) each; the refused one again, for real
  for (const file of [a, b]) {
    const done = expectStatus(await importAll(f.admin, f.round.id, file.bytes, false), 200);
    assert.equal(done.ok, true, JSON.stringify(done.errors));
    assert.equal(done.saved, true);
  }
  const refused = expectStatus(await importAll(f.admin, f.round.id, other.bytes, false), 200);
  assert.equal(refused.ok, false);
  assert.equal(refused.saved, false);
  for (const u of [f.A, f.B]) {
    const tasks = await f.tasksOf(u);
    assert.ok(tasks.every((t) => t.state === 'draft' && t.version === 2), u.code);
  }
  assert.ok(await untouched(g, g.A), 'another round\'s file changed its own round');
  // audited as the admin
  const t = (await f.tasksOf(f.A))[0];
  const audit = expectStatus(await f.admin.get(`/audit?entity=task&entity_id=${t.id}`), 200).entries;
  const save = audit.find((e) => e.action === 'task.save');
  assert.ok(save, JSON.stringify(audit));
  assert.equal(save.actor.username, 'admin');

  // only admins; the query is checked; no body
  expectError(await importAll(f.staffA.client, f.round.id, a.bytes, true), 403, 'forbidden');
  expectError(await f.admin.post(`/rounds/${f.round.id}/import?dry_run=yes`, a.bytes, { raw: true }), 400, 'invalid_value');
  const junk = expectStatus(await importAll(f.admin, f.round.id, Buffer.from('không phải excel'), true), 200);
  assert.equal(junk.ok, false);
  assert.equal(junk.errors[0].code, 'not_a_workbook');
  assert.equal(junk.unit_name, null);
});

test('admin save: refused once the unit submitted a task, and outside the report phases; nothing saved', async () => {
  const f = await roundFixture();
  const { bytes } = fill(await template(f.admin, f.round.id, f.A.id));
  // the unit saves and submits one task itself
  const staff = f.staffA.client;
  const t0 = await f.taskOf(f.A, 'i-2-1');
  let t = expectStatus(await staff.put(`/tasks/${t0.id}/report`, { inputs: { meetings: 3 }, content: 'Đã dự 3 cuộc họp', version: t0.version }), 200);
  await addEvidence(staff, t0.id);
  t = expectStatus(await staff.post(`/tasks/${t0.id}/transitions`, { action: 'submit', version: t.version }), 200);
  assert.equal(t.state, 'submitted');
  const rep = expectStatus(await importAll(f.admin, f.round.id, bytes, false), 200);
  assert.equal(rep.ok, false);
  assert.equal(rep.saved, false);
  const e = rep.errors.find((x) => x.code === 'invalid_transition');
  assert.ok(e, JSON.stringify(rep.errors));
  assert.equal(e.criterion, '2.1');
  assert.match(e.message, /^Trang CDS_CAPSO, hàng \d+: tiêu chí 2\.1 không lưu được/);
  const after = await f.tasksOf(f.A);
  assert.equal(after.find((x) => x.id === t0.id).state, 'submitted');
  assert.ok(after.filter((x) => x.id !== t0.id).every((x) => x.state === 'not_started' && x.version === 1), 'a refused file saved something');

  // B's file in the appraisal phase: the round refuses, said once
  const fb = fill(await template(f.admin, f.round.id, f.B.id));
  await setPhase(f.admin, f.round.id, 'appraisal1');
  const late = expectStatus(await importAll(f.admin, f.round.id, fb.bytes, false), 200);
  assert.equal(late.ok, false);
  assert.deepEqual(late.errors.map((x) => x.code), ['wrong_phase']);
  assert.ok(await untouched(f, f.B));
  // back in self-assessment the admin may save it
  await setPhase(f.admin, f.round.id, 'self_assessment');
  assert.equal(expectStatus(await importAll(f.admin, f.round.id, fb.bytes, false), 200).saved, true);
});

test('a crafted file of 26 MB of empty cells is refused fast by the template\'s limits', async () => {
  // only the one file (make_hostile.py whole takes seconds: an idle keep-alive socket may be
  // closed by the server meanwhile)
  const dir = mkdtempSync(join(tmpdir(), 'dti-excel-hostile-'));
  const f = await roundFixture();
  try {
    execFileSync(PY, ['-c', `import sys; sys.path.insert(0, 'tests/fixtures/xlsx'); import make_hostile as m
m.write(sys.argv[1], **{'xl/worksheets/sheet1.xml': m.sheet(('<row>' + '<c/>' * 1000 + '</row>') * 6500)})`,
    join(dir, 'empty_cells_wide.xlsx')]);
    const wide = readFileSync(join(dir, 'empty_cells_wide.xlsx'));
    for (const path of [`/rounds/${f.round.id}/import?dry_run=1`, `/rounds/${f.round.id}/units/${f.A.id}/import`]) {
      const t0 = process.hrtime.bigint();
      const rep = expectStatus(await f.admin.post(path, wide, { raw: true, headers: { 'content-type': XLSX } }), 200);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.equal(rep.ok, false);
      assert.equal(rep.errors[0].code, 'not_a_workbook');
      assert.match(rep.errors[0].message, /bảng tính có quá nhiều cột/);
      assert.ok(ms < 300, `${path}: ${ms} ms`); // the reader's general limits: ~0.4 s of CPU alone
    }
    assert.ok(await untouched(f, f.A));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
