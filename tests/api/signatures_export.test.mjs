// signatures_export.test.mjs — the signature verdicts of evidence files in the Excel exports
// (issue 11 "shown … in the Excel export"; docs/signatures.md "Excel exports"): the progress
// report (.xlsx, one row per criterion) has a column listing each criterion's files with their
// verdict, signer, organisation and signing date; the unit's template carries the same text as
// a note on the criterion's evidence cell, which the importer ignores. A criterion flagged
// signed_evidence without a signed_valid file for every file (or with none) is marked orange
// with a warning line in both. The PDFs are the test PKI's (tests/fixtures/pdf/make.py via
// tests/api/run.sh: DTI_PDF_FIXTURES); the workbooks are read back with openpyxl.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import {
  API, sqlValue as sql, loginAdmin, createUnit, newUserClient, uniq, expectStatus,
} from './lib.mjs';

const PY = process.env.PYTHON ?? '/usr/bin/python3';
const DEPT = { level: 'department', framework_id: 'hue-cap-so-2023', version: 3 };
const FIX = process.env.DTI_PDF_FIXTURES;
const ORANGE = 'FFF8CBAD';

function vnDate(days) {
  return new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

function upload(client, taskId, name, data) {
  const boundary = '----sigx' + uniq('');
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`),
    data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return client.request('POST', `/tasks/${taskId}/evidence`, body,
    { raw: true, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}
const pdf = (name) => fs.readFileSync(path.join(FIX, name));

async function download(client, p) {
  const res = await fetch(client.base + API + p, { headers: { cookie: client.cookie } });
  assert.equal(res.status, 200, p);
  return Buffer.from(await res.arrayBuffer());
}

// {code: {text, fill}}: the progress sheet's evidence column (I) by criterion code (B), or the
// template's evidence-cell note (H) and the code cell's fill by code (B). Codes restart in each
// pillar of the Hue set ("1.1" again in pillar II): the first row of a code is pillar I's.
const READ = `
import json, sys, openpyxl
kind, path = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(path)
out = {}
if kind == "progress":
    ws = wb["Tiến độ"]
    assert ws.cell(1, 9).value == "Tệp kiểm chứng (chữ ký số)", ws.cell(1, 9).value
    # issue 9's export rules: frozen header, a filter over the whole table, maxima as real
    # numbers with a 2-decimal format (shown with the reader's decimal comma), never text
    assert ws.freeze_panes == "A2", ws.freeze_panes
    assert ws.auto_filter.ref == f"A1:I{ws.max_row}", ws.auto_filter.ref
    for r in range(2, ws.max_row + 1):
        mx = ws.cell(r, 7)
        assert isinstance(mx.value, (int, float)) and mx.number_format == "#,##0.00", (r, mx.value, mx.number_format)
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 2).value in out:
            continue
        c = ws.cell(r, 9)
        out[ws.cell(r, 2).value] = {"text": c.value, "fill": c.fill.fgColor.rgb if c.fill.fill_type else None}
else:
    ws = wb["CDS_CAPSO"]
    for r in range(5, ws.max_row + 1):
        code = ws.cell(r, 2).value
        if not code or code in out:
            continue
        note = ws.cell(r, 8).comment
        b = ws.cell(r, 2)
        out[code] = {"text": note.text if note else None, "fill": b.fill.fgColor.rgb if b.fill.fill_type else None,
                     "locked": b.protection.locked}
print(json.dumps(out))
`;

function read(kind, bytes) {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'dti-sigx-'));
  try {
    fs.writeFileSync(path.join(dir, 'f.xlsx'), bytes);
    return JSON.parse(execFileSync(PY, ['-c', READ, kind, path.join(dir, 'f.xlsx')], { encoding: 'utf8' }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let admin, staff, unit, round, task;

before(async () => {
  assert.ok(FIX && fs.existsSync(path.join(FIX, 'valid_rsa.pdf')), 'DTI_PDF_FIXTURES (tests/api/run.sh) must name the built test PDFs');
  admin = await loginAdmin();
  unit = await createUnit(admin);
  staff = (await newUserClient(admin, { role: 'staff', unit_id: unit.id })).client;
  round = expectStatus(await admin.post('/rounds', {
    title: 'Xuất chữ ký số ' + uniq(''), year: 2026, frameworks: [DEPT],
    units: { levels: [], include: [unit.id] },
    phases: [{ phase: 'trial', starts: vnDate(-1), ends: vnDate(1) },
      { phase: 'self_assessment', starts: vnDate(2), ends: vnDate(30) }],
  }), 201);
  task = (key) => Number(sql(`SELECT id FROM tasks WHERE round_id = ${round.id} AND criterion_key = '${key}'`));
  // 1.1 (signed file required): one valid RSA signature, one unsigned PDF
  expectStatus(await upload(staff, task('i-1-1'), 'quyet-dinh.pdf', pdf('valid_rsa.pdf')), 201);
  expectStatus(await upload(staff, task('i-1-1'), 'bao-cao.pdf', pdf('empty_field.pdf')), 201);
  // 2.1 (required): only a valid ECDSA signature; 1.4 … (not required): a tampered signature
  expectStatus(await upload(staff, task('i-2-1'), 'ke-hoach.pdf', pdf('valid_ecdsa.pdf')), 201);
  expectStatus(await upload(staff, task('i-4-1'), 'sua.pdf', pdf('tampered.pdf')), 201);
});

const today = () => {
  const d = new Date(Date.now() + 7 * 3600e3);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
};

function checkCommon(m, where) {
  // 1.1: the warning first, then each file with its verdict; marked orange
  const a = m['1.1'];
  assert.ok(a && a.text, `${where}: 1.1 has no evidence text`);
  assert.match(a.text, /Cảnh báo: tiêu chí yêu cầu tệp điện tử có ký số hợp lệ; 1\/2 tệp chưa đạt\./, where);
  assert.ok(a.text.includes(`quyet-dinh.pdf — Chữ ký số hợp lệ — Nguyễn Văn An (Sở Nội vụ tỉnh Thừa Thiên Huế), ${today()}`), `${where}: ${a.text}`);
  assert.ok(a.text.includes('bao-cao.pdf — Tệp chưa được ký số'), `${where}: ${a.text}`);
  assert.equal(a.fill, ORANGE, `${where}: 1.1 not marked`);
  // 2.1: every file signed_valid: listed, not marked
  const b = m['2.1'];
  assert.match(b.text, /ke-hoach\.pdf — Chữ ký số hợp lệ — /, where);
  assert.doesNotMatch(b.text, /Cảnh báo/, where);
  assert.notEqual(b.fill, ORANGE, `${where}: 2.1 marked though valid`);
  // a required criterion with no file yet: the warning alone, marked
  const c = m['3.1'];
  assert.match(c.text, /Cảnh báo: tiêu chí yêu cầu tệp điện tử có ký số; chưa có tệp nào\./, where);
  assert.equal(c.fill, ORANGE, where);
}

test('progress.xlsx: a column of evidence files with verdicts; signed-evidence criteria lacking a valid file are marked', async () => {
  const m = read('progress', await download(staff, `/rounds/${round.id}/units/${unit.id}/progress.xlsx`));
  checkCommon(m, 'progress');
  // not required: the verdict is shown, no warning, not marked
  const tampered = Object.values(m).find((x) => x.text && x.text.includes('sua.pdf'));
  assert.ok(tampered, 'the tampered file is listed');
  assert.match(tampered.text, /^sua\.pdf — Chữ ký số không hợp lệ — Nguyễn Văn An \(Sở Nội vụ tỉnh Thừa Thiên Huế\), \d\d\/\d\d\/\d{4}$/);
  assert.notEqual(tampered.fill, ORANGE);
  // a criterion that needs no signed file and has no file: an empty cell
  assert.ok(Object.values(m).some((x) => x.text === null && x.fill === null));
  // a period that ended before the uploads: no file listed, the requirement still warns
  const y = new Date(Date.now() + 7 * 3600e3 - 86400e3).toISOString().slice(0, 10);
  const past = read('progress', await download(staff, `/rounds/${round.id}/units/${unit.id}/progress.xlsx?period=${y}`));
  assert.match(past['1.1'].text, /chưa có tệp nào/);
  assert.ok(!Object.values(past).some((x) => x.text && x.text.includes('.pdf')), 'files uploaded after the period are not listed');
});

test('template: the same text as a note on the evidence cell, the code cell marked; the importer ignores it', async () => {
  const bytes = await download(staff, `/rounds/${round.id}/units/${unit.id}/template`);
  const m = read('template', bytes);
  for (const x of Object.values(m)) assert.equal(x.locked, true);
  for (const k of Object.keys(m)) if (m[k].text) m[k].text = m[k].text.replace(/^Tệp kiểm chứng \(chữ ký số\):\n/, '');
  checkCommon(m, 'template');
  // the template imports unchanged: the notes are not cells, nothing is refused or changed
  const rep = expectStatus(await staff.post(`/rounds/${round.id}/units/${unit.id}/import?dry_run=1`, bytes,
    { raw: true, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }), 200);
  assert.equal(rep.ok, true, JSON.stringify(rep.errors.slice(0, 3)));
  assert.equal(rep.changed, 0);
});
