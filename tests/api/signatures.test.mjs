// signatures.test.mjs — PDF evidence signatures (docs/signatures.md): every upload of a PDF is
// verified on the server against the trust roots and CRL `dti serve --trust/--crl` was given
// (tests/api/run.sh builds the test PKI and PDFs with tests/fixtures/pdf/make.py and passes
// them; DTI_PDF_FIXTURES names the directory). The verdict, signer, organisation, issuer,
// signing time and reasons are stored with the row (migration 7) and served in Evidence; a
// criterion that requires a signed file (signed_evidence) warns when the file is not
// signed_valid.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  API, sqlValue as sql, loginAdmin, createUnit, newUserClient, uniq, expectStatus,
} from './lib.mjs';

const DEPT = { level: 'department', framework_id: 'hue-cap-so-2023', version: 3 };
const FIX = process.env.DTI_PDF_FIXTURES;
const SIGNED_KEY = 'i-1-1'; // "File điện tử có ký số Quyết định thành lập" (signed_evidence: true)

function vnDate(days) {
  return new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

function upload(client, taskId, name, data, type = 'application/pdf') {
  const boundary = '----sig' + uniq('');
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
    data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return client.request('POST', `/tasks/${taskId}/evidence`, body,
    { raw: true, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}
const pdf = (name) => fs.readFileSync(path.join(FIX, name));

let admin, staff, reqTask, otherTask;

before(async () => {
  assert.ok(FIX && fs.existsSync(path.join(FIX, 'valid_rsa.pdf')), 'DTI_PDF_FIXTURES (tests/api/run.sh) must name the built test PDFs');
  admin = await loginAdmin();
  const unit = await createUnit(admin);
  staff = (await newUserClient(admin, { role: 'staff', unit_id: unit.id })).client;
  const round = expectStatus(await admin.post('/rounds', {
    title: 'Chữ ký số ' + uniq(''), year: 2026, frameworks: [DEPT],
    units: { levels: [], include: [unit.id] },
    phases: [{ phase: 'trial', starts: vnDate(-1), ends: vnDate(1) },
      { phase: 'self_assessment', starts: vnDate(2), ends: vnDate(30) }],
  }), 201);
  reqTask = Number(sql(`SELECT id FROM tasks WHERE round_id = ${round.id} AND criterion_key = '${SIGNED_KEY}'`));
  otherTask = Number(sql(`SELECT MIN(id) FROM tasks WHERE round_id = ${round.id} AND criterion_key = 'i-4-1'`));
  assert.ok(reqTask > 0 && otherTask > 0);
});

test('a valid signature: verdict, signer, organisation, issuer, time stored and served, no warning', async () => {
  const ev = expectStatus(await upload(staff, reqTask, 'quyet-dinh.pdf', pdf('valid_rsa.pdf')), 201);
  assert.equal(ev.signature_required, true);
  assert.equal(ev.signature_warning, null);
  const s = ev.signature;
  assert.equal(s.verdict, 'signed_valid');
  assert.equal(s.verdict_label, 'Chữ ký số hợp lệ');
  assert.equal(s.signer, 'Nguyễn Văn An');
  assert.equal(s.organization, 'Sở Nội vụ tỉnh Thừa Thiên Huế');
  assert.equal(s.issuer, 'Test Intermediate CA');
  assert.match(s.signing_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
  assert.ok(Math.abs(Date.parse(s.signing_time) - Date.now()) < 3600e3, 'signed when the fixtures were built');
  assert.deepEqual(s.reasons, []);
  assert.equal(s.active_content, false);
  // the row holds it (migration 7), and the full per-signature JSON
  assert.equal(sql(`SELECT sig_verdict FROM evidence WHERE id = ${ev.id}`), 'signed_valid');
  assert.equal(sql(`SELECT sig_signer FROM evidence WHERE id = ${ev.id}`), 'Nguyễn Văn An');
  assert.equal(sql(`SELECT sig_issuer FROM evidence WHERE id = ${ev.id}`), 'Test Intermediate CA');
  const full = JSON.parse(sql(`SELECT signature FROM evidence WHERE id = ${ev.id}`));
  assert.equal(full.signatures.length, 1);
  assert.equal(full.signatures[0].digest_ok, true);
  assert.equal(full.signatures[0].covers_whole_file, true);
  // the list shows the same; the audit entry records the verdict
  const list = expectStatus(await staff.get(`/tasks/${reqTask}/evidence`), 200).evidence;
  assert.equal(list.find((x) => x.id === ev.id).signature.verdict, 'signed_valid');
  const audit = expectStatus(await admin.get(`/audit?entity=evidence&entity_id=${ev.id}`), 200).entries;
  assert.equal(audit[0].new.signature.verdict, 'signed_valid');
  // the task detail (report, appraiser's desk) carries the verdict and signer of current files
  const detail = expectStatus(await staff.get(`/tasks/${reqTask}`), 200);
  const d = detail.evidence.find((x) => x.id === ev.id);
  assert.equal(d.signature_verdict, 'signed_valid');
  assert.equal(d.signer, 'Nguyễn Văn An');
  // downloads are never inline
  const res = await fetch(`${staff.base}${API}/evidence/${ev.id}/download`, { headers: { cookie: staff.cookie } });
  assert.match(res.headers.get('content-disposition'), /^attachment;/);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), pdf('valid_rsa.pdf'));
});

const CASES = [
  ['tampered.pdf', 'signed_invalid', 'digest_mismatch'],
  ['cms_other.pdf', 'signed_invalid', 'digest_mismatch'],
  ['wide_gap.pdf', 'signed_partial', 'gap_wider_than_contents'],
  ['incremental.pdf', 'signed_partial', 'changed_after_signing'],
  ['self_signed.pdf', 'signed_untrusted', 'self_signed'],
  ['expired.pdf', 'signed_untrusted', 'cert_expired_at_signing'],
  ['revoked.pdf', 'signed_untrusted', 'cert_revoked'],
  ['empty_field.pdf', 'unsigned', 'no_signature'],
  ['encrypted.pdf', 'encrypted', 'encrypted'],
  ['truncated.pdf', 'not_pdf', 'not_pdf'],
  // RFC 3161 document timestamps: a wrong imprint, a TSA outside the trust roots, no signer at all
  ['doc_ts_imprint.pdf', 'signed_invalid', 'digest_mismatch'],
  ['doc_ts_untrusted.pdf', 'signed_untrusted', 'self_signed'],
  ['ts_only.pdf', 'unsigned', 'no_signature'],
];

test('every other verdict is stored with its reason and warns on a criterion that requires a signed file', async () => {
  for (const [name, verdict, reason] of CASES) {
    const ev = expectStatus(await upload(staff, reqTask, name, pdf(name)), 201, name);
    assert.equal(ev.signature.verdict, verdict, name);
    assert.ok(ev.signature.reasons.some((r) => r.code === reason && r.text.length > 0), `${name}: ${JSON.stringify(ev.signature.reasons)}`);
    assert.match(ev.signature_warning, /yêu cầu tệp điện tử có ký số hợp lệ/, name);
    assert.equal(sql(`SELECT sig_verdict FROM evidence WHERE id = ${ev.id}`), verdict, name);
  }
  // the two signatures of one file: the last names the file; the row keeps both
  const two = expectStatus(await upload(staff, reqTask, 'hai-chu-ky.pdf', pdf('two_sigs.pdf')), 201);
  assert.equal(two.signature.verdict, 'signed_valid');
  assert.equal(two.signature.signer, 'Trần Thị Bình');
  assert.equal(JSON.parse(sql(`SELECT signature FROM evidence WHERE id = ${two.id}`)).signatures.length, 2);
  // a signature then a document timestamp: valid, the signer (not the TSA) names the file; the
  // row keeps both entries with their kind and the timestamp's genTime as its time
  const ts = expectStatus(await upload(staff, reqTask, 'dau-thoi-gian.pdf', pdf('doc_ts.pdf')), 201);
  assert.equal(ts.signature.verdict, 'signed_valid');
  assert.equal(ts.signature.signer, 'Nguyễn Văn An');
  assert.equal(ts.signature_warning, null);
  const full = JSON.parse(sql(`SELECT signature FROM evidence WHERE id = ${ts.id}`));
  assert.deepEqual(full.signatures.map((x) => [x.kind, x.signer, x.time_source, x.covers_whole_file]),
    [['signature', 'Nguyễn Văn An', 'signing_time_attribute', false], ['timestamp', 'Test TSA', 'timestamp', true]]);
  // JavaScript is flagged, never run
  const js = expectStatus(await upload(staff, reqTask, 'js.pdf', pdf('openaction_js.pdf')), 201);
  assert.equal(js.signature.active_content, true);
  assert.equal(sql(`SELECT sig_active_content FROM evidence WHERE id = ${js.id}`), '1');
});

test('a file that is not a PDF has no signature; a criterion without the requirement never warns', async () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    Buffer.from('IHDR'), Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89])]);
  const img = expectStatus(await upload(staff, reqTask, 'anh.png', png, 'image/png'), 201);
  assert.equal(img.signature, null);
  assert.match(img.signature_warning, /không phải PDF/);
  assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE id = ${img.id} AND sig_verdict IS NULL`), '1');

  const t = expectStatus(await upload(staff, otherTask, 'sua.pdf', pdf('tampered.pdf')), 201);
  assert.equal(t.signature.verdict, 'signed_invalid', 'still verified and shown');
  assert.equal(t.signature_required, false);
  assert.equal(t.signature_warning, null);
  // the HTML page named .pdf is refused by type before any signature check (issue 8)
  const html = await upload(staff, otherTask, 'trang.pdf', pdf('html.pdf'));
  assert.equal(html.status, 415);
});
