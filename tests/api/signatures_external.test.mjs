// signatures_external.test.mjs — PDFs signed by an independent implementation (poppler's pdfsig
// with NSS, over a LibreOffice export; docs/signatures.md "External signers") uploaded as
// evidence: the verdict, signer, organisation and signing time the server stores and serves.
// tests/fixtures/pdf/external.py --api builds them here with certificates issued under the
// test PKI the server trusts (DTI_PDF_FIXTURES/pki, tests/api/run.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  sqlValue as sql, loginAdmin, createUnit, newUserClient, uniq, expectStatus,
} from './lib.mjs';

const DEPT = { level: 'department', framework_id: 'hue-cap-so-2023', version: 3 };
const FIX = process.env.DTI_PDF_FIXTURES;
const SIGNED_KEY = 'i-1-1'; // signed_evidence: true

function vnDate(days) {
  return new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

function upload(client, taskId, name, data) {
  const boundary = '----ext' + uniq('');
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`),
    data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return client.request('POST', `/tasks/${taskId}/evidence`, body,
    { raw: true, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

let staff, reqTask, dir;

before(async () => {
  assert.ok(FIX && fs.existsSync(path.join(FIX, 'pki', 'root.pem')), 'DTI_PDF_FIXTURES (tests/api/run.sh)');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dti-ext-pdf-'));
  execFileSync('/usr/bin/python3', ['tests/fixtures/pdf/external.py', path.join(dir, 'out'), '--api',
    '--pki', path.join(FIX, 'pki')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300e3 });
  const admin = await loginAdmin();
  const unit = await createUnit(admin);
  staff = (await newUserClient(admin, { role: 'staff', unit_id: unit.id })).client;
  const round = expectStatus(await admin.post('/rounds', {
    title: 'Chữ ký ngoài ' + uniq(''), year: 2026, frameworks: [DEPT],
    units: { levels: [], include: [unit.id] },
    phases: [{ phase: 'trial', starts: vnDate(-1), ends: vnDate(1) },
      { phase: 'self_assessment', starts: vnDate(2), ends: vnDate(30) }],
  }), 201);
  reqTask = Number(sql(`SELECT id FROM tasks WHERE round_id = ${round.id} AND criterion_key = '${SIGNED_KEY}'`));
  assert.ok(reqTask > 0);
});

after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

const pdf = (name) => fs.readFileSync(path.join(dir, 'out', name));

test('a pdfsig (NSS) signature: valid, the signer and the /M signing time stored and served', async () => {
  const ev = expectStatus(await upload(staff, reqTask, 'bao-cao-ky-so.pdf', pdf('rsa.pdf')), 201);
  const s = ev.signature;
  assert.equal(s.verdict, 'signed_valid');
  assert.equal(ev.signature_warning, null);
  assert.equal(s.signer, 'Nguyễn Thị Hương');
  assert.equal(s.organization, 'Sở Nội vụ tỉnh Thừa Thiên Huế');
  // NSS writes no signingTime attribute: the time is /M (signed), not "unknown"
  assert.match(s.signing_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
  assert.ok(Math.abs(Date.parse(s.signing_time) - Date.now()) < 3600e3, s.signing_time);
  assert.deepEqual(s.reasons, []);
  assert.equal(sql(`SELECT sig_signer FROM evidence WHERE id = ${ev.id}`), 'Nguyễn Thị Hương');
  const full = JSON.parse(sql(`SELECT signature FROM evidence WHERE id = ${ev.id}`));
  assert.equal(full.signatures[0].time_source, 'signature_dictionary');
  const list = expectStatus(await staff.get(`/tasks/${reqTask}/evidence`), 200).evidence;
  assert.equal(list.find((x) => x.id === ev.id).signature.signing_time, s.signing_time);
});

test('a T61String name holding UTF-8 is stored as the Vietnamese it is', async () => {
  const ev = expectStatus(await upload(staff, reqTask, 't61.pdf', pdf('t61.pdf')), 201);
  assert.equal(ev.signature.verdict, 'signed_valid');
  assert.equal(ev.signature.signer, 'Trịnh Văn Tám');
  assert.equal(ev.signature.organization, 'Sở Kế hoạch và Đầu tư');
  assert.equal(sql(`SELECT sig_organization FROM evidence WHERE id = ${ev.id}`), 'Sở Kế hoạch và Đầu tư');
});

test('external files that are not signed_valid: the reason in Vietnamese and the warning', async () => {
  for (const [name, verdict, code] of [
    ['keyenc_only.pdf', 'signed_untrusted', 'cert_not_for_signing'],
    ['rsa_page.pdf', 'signed_partial', 'changed_after_signing'],
    ['legacy_pkcs7_sha1.pdf', 'signed_invalid', 'unsupported_subfilter'],
  ]) {
    const ev = expectStatus(await upload(staff, reqTask, name, pdf(name)), 201, name);
    assert.equal(ev.signature.verdict, verdict, name);
    const r = ev.signature.reasons.find((x) => x.code === code);
    assert.ok(r && /[ạ-ỹđ]/.test(r.text), `${name}: ${JSON.stringify(ev.signature.reasons)}`);
    assert.match(ev.signature_warning, /yêu cầu tệp điện tử có ký số hợp lệ/, name);
  }
});
