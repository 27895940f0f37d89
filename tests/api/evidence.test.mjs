// evidence.test.mjs — evidence files (docs/rounds-api.md "Evidence", docs/evidence.md): upload
// (multipart, streamed), download, earlier versions, removal; every refusal with its
// Vietnamese message and nothing stored; unit scope.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  API, sqlValue as sql, loginAdmin, createUnit, newUserClient, uniq, expectError, expectStatus, announceBody,
} from './lib.mjs';

const DEPT = { level: 'department', framework_id: 'hue-cap-so-2023', version: 3 };
const DATA_DIR = process.env.DTI_DATA_DIR ?? '';

/** YYYY-MM-DD in Asia/Ho_Chi_Minh, `days` from today. */
function vnDate(days) {
  return new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
// A real PNG header: its signature holds "\r\n" and "\n", which the multipart reader must keep.
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'), Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]),
  Buffer.from('\r\n--not-the-boundary\r\n'), Buffer.alloc(64, 0x0d),
]);
// Minimal office files (Python's zipfile): the type comes from their first entries.
const DOCX = Buffer.from('UEsDBBQAAAAAAK+ig13muHRrYgAAAGIAAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbDw/eG1sIHZlcnNpb249IjEuMCI/PjxUeXBlcyB4bWxucz0iaHR0cDovL3NjaGVtYXMub3BlbnhtbGZvcm1hdHMub3JnL3BhY2thZ2UvMjAwNi9jb250ZW50LXR5cGVzIi8+UEsDBBQAAAAAAK+ig12C2RzVEAAAABAAAAALAAAAX3JlbHMvLnJlbHM8UmVsYXRpb25zaGlwcy8+UEsDBBQAAAAAAK+ig13dWoYNDQAAAA0AAAARAAAAd29yZC9kb2N1bWVudC54bWw8dzpkb2N1bWVudC8+UEsBAhQDFAAAAAAAr6KDXea4dGtiAAAAYgAAABMAAAAAAAAAAAAAAIABAAAAAFtDb250ZW50X1R5cGVzXS54bWxQSwECFAMUAAAAAACvooNdgtkc1RAAAAAQAAAACwAAAAAAAAAAAAAAgAGTAAAAX3JlbHMvLnJlbHNQSwECFAMUAAAAAACvooNd3VqGDQ0AAAANAAAAEQAAAAAAAAAAAAAAgAHMAAAAd29yZC9kb2N1bWVudC54bWxQSwUGAAAAAAMAAwC5AAAACAEAAAAA', 'base64');
const ODT = Buffer.from('UEsDBBQAAAAAAAAAIQBexjIMJwAAACcAAAAIAAAAbWltZXR5cGVhcHBsaWNhdGlvbi92bmQub2FzaXMub3BlbmRvY3VtZW50LnRleHRQSwMEFAAAAAAAr6KDXSuEJhIEAAAABAAAAAsAAABjb250ZW50LnhtbDx4Lz5QSwECFAMUAAAAAAAAACEAXsYyDCcAAAAnAAAACAAAAAAAAAAAAAAAgAEAAAAAbWltZXR5cGVQSwECFAMUAAAAAACvooNdK4QmEgQAAAAEAAAACwAAAAAAAAAAAAAAgAFNAAAAY29udGVudC54bWxQSwUGAAAAAAIAAgBvAAAAegAAAAAA', 'base64');
const HTML = Buffer.from('<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>alert(1)</script></body></html>\n');

/** A multipart/form-data body. parts: [{name, filename?, filenameStar?, type?, data, headers?}] */
function multipart(parts, boundary = '----dti' + uniq('')) {
  const chunks = [];
  for (const p of parts) {
    let disp = `form-data; name="${p.name}"`;
    if (p.filename !== undefined) disp += `; filename="${p.filename}"`;
    if (p.filenameStar !== undefined) disp += `; filename*=UTF-8''${encodeURIComponent(p.filenameStar)}`;
    let head = `--${boundary}\r\nContent-Disposition: ${disp}\r\n`;
    if (p.type) head += `Content-Type: ${p.type}\r\n`;
    for (const h of p.headers ?? []) head += h + '\r\n';
    chunks.push(Buffer.from(head + '\r\n'), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

function upload(client, taskId, parts, { truncate = 0 } = {}) {
  const m = multipart(parts);
  const body = truncate ? m.body.subarray(0, m.body.length - truncate) : m.body;
  return client.request('POST', `/tasks/${taskId}/evidence`, body, { raw: true, headers: { 'content-type': m.type } });
}

const file = (data, name = 'minh-chung.pdf', extra = {}) => ({ name: 'file', filename: name, type: 'application/pdf', data, ...extra });

async function download(client, id) {
  const res = await fetch(`${client.base}${API}/evidence/${id}/download`, { headers: { cookie: client.cookie } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

// The Evidence shape (src/api/schemas_evidence.c): exactly these members.
const EVIDENCE_KEYS = ['current', 'file_name', 'id', 'mime', 'removed_at', 'replaces_id', 'sha256', 'signature',
  'signature_required', 'signature_warning', 'size', 'superseded_at', 'task_id', 'trial', 'uploaded_at', 'uploaded_by',
  'uploaded_by_name'];
function checkEvidence(ev) {
  assert.deepEqual(Object.keys(ev).sort(), EVIDENCE_KEYS);
  assert.match(ev.uploaded_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  return ev;
}

function evidenceRows() { return Number(sql('SELECT COUNT(*) FROM evidence')); }
function blobRows() { return Number(sql('SELECT COUNT(*) FROM blobs')); }
function tempFiles() {
  if (!DATA_DIR) return [];
  return fs.readdirSync(path.join(DATA_DIR, 'blobs', 'tmp'));
}

/** Asserts a refusal stored nothing: no row, no blob, no temporary file left. */
async function assertNothingStored(before) {
  assert.equal(evidenceRows(), before.rows);
  assert.equal(blobRows(), before.blobs);
  assert.deepEqual(tempFiles(), []);
}

let admin, d1, d2, staff1, leader1, staff2, round, task1, task2, pastTask;

before(async () => {
  admin = await loginAdmin();
  d1 = await createUnit(admin);
  d2 = await createUnit(admin);
  staff1 = (await newUserClient(admin, { role: 'staff', unit_id: d1.id })).client;
  leader1 = (await newUserClient(admin, { role: 'leader', unit_id: d1.id })).client;
  staff2 = (await newUserClient(admin, { role: 'staff', unit_id: d2.id })).client;
  round = expectStatus(await admin.post('/rounds', {
    title: 'Minh chứng ' + uniq(''), year: 2026, frameworks: [DEPT],
    units: { levels: [], include: [d1.id, d2.id] },
    phases: [{ phase: 'trial', starts: vnDate(-1), ends: vnDate(1) },
      { phase: 'self_assessment', starts: vnDate(2), ends: vnDate(30) }],
  }), 201);
  task1 = Number(sql(`SELECT MIN(id) FROM tasks WHERE round_id = ${round.id} AND unit_id = ${d1.id}`));
  task2 = Number(sql(`SELECT MIN(id) FROM tasks WHERE round_id = ${round.id} AND unit_id = ${d2.id}`));
  const past = expectStatus(await admin.post('/rounds', {
    title: 'Đã qua ' + uniq(''), year: 2025, frameworks: [DEPT], units: { levels: [], include: [d1.id] },
    phases: [{ phase: 'trial', starts: '2025-03-01', ends: '2025-03-15' },
      { phase: 'self_assessment', starts: '2025-03-16', ends: '2025-04-30' }],
  }), 201);
  pastTask = Number(sql(`SELECT MIN(id) FROM tasks WHERE round_id = ${past.id}`));
});

test('upload and download a file with a Vietnamese name: bytes, headers, list, audit, trial', async () => {
  const nfd = 'Báo cáo tổng hợp — Sở Tài chính "2025".pdf'.normalize('NFD');
  const ev = expectStatus(await upload(staff1, task1, [file(PDF, undefined, { filename: undefined, filenameStar: nfd })]), 201);
  checkEvidence(ev);
  assert.equal(ev.file_name, nfd.normalize('NFC'), 'the name is stored in NFC');
  assert.equal(ev.mime, 'application/pdf');
  assert.equal(ev.size, PDF.length);
  assert.equal(ev.task_id, task1);
  assert.equal(ev.trial, true, 'uploaded in the trial phase');
  assert.equal(ev.current, true);
  assert.equal(ev.replaces_id, null);
  assert.match(ev.sha256, /^[0-9a-f]{64}$/);
  assert.equal(sql(`SELECT trial FROM tasks WHERE id = ${task1}`), '1');

  const d = await download(staff1, ev.id);
  assert.equal(d.status, 200);
  assert.deepEqual(d.bytes, PDF);
  assert.equal(d.headers.get('content-type'), 'application/pdf');
  assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
  const cd = d.headers.get('content-disposition');
  assert.match(cd, /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
  assert.ok(!/filename="[^"]*"[^;]/.test(cd), 'the quote in the name does not end the parameter');
  const star = /filename\*=UTF-8''(.*)$/.exec(cd)[1];
  assert.equal(decodeURIComponent(star), nfd.normalize('NFC'));
  // the leader of the unit and the admin may read it too
  assert.equal((await download(leader1, ev.id)).status, 200);
  assert.equal((await download(admin, ev.id)).status, 200);

  const list = expectStatus(await staff1.get(`/tasks/${task1}/evidence`), 200).evidence;
  list.forEach(checkEvidence);
  assert.ok(list.some((x) => x.id === ev.id && x.current));
  const audit = expectStatus(await admin.get(`/audit?entity=evidence&entity_id=${ev.id}`), 200).entries;
  assert.equal(audit.length, 1);
  assert.equal(audit[0].action, 'evidence.add');
  if (DATA_DIR) {
    const f = path.join(DATA_DIR, 'blobs', ev.sha256.slice(0, 2), ev.sha256.slice(2));
    assert.deepEqual(fs.readFileSync(f), PDF, 'stored under its SHA-256');
  }
});

test('the same bytes twice are stored once; a PNG with CR LF inside survives', async () => {
  const bytes = Buffer.concat([PNG, Buffer.from(uniq('dedupe'))]);
  const a = expectStatus(await upload(staff1, task1, [file(bytes, 'anh-1.png', { type: 'image/png' })]), 201);
  const blobs = blobRows();
  const b = expectStatus(await upload(leader1, task1, [file(bytes, 'anh-2.png', { type: 'image/png' })]), 201);
  assert.equal(a.mime, 'image/png');
  assert.equal(a.sha256, b.sha256);
  assert.notEqual(a.id, b.id);
  assert.equal(blobRows(), blobs, 'no second blob row');
  assert.equal(sql(`SELECT COUNT(*) FROM blobs WHERE sha256 = '${a.sha256}'`), '1');
  assert.deepEqual((await download(staff1, b.id)).bytes, bytes);
  if (DATA_DIR) {
    const dir = path.join(DATA_DIR, 'blobs', a.sha256.slice(0, 2));
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n === a.sha256.slice(2)), [a.sha256.slice(2)]);
  }
});

test('office files are told apart from plain ZIP by their content', async () => {
  const d = expectStatus(await upload(staff1, task1, [file(DOCX, 'bao-cao.docx', { type: 'application/octet-stream' })]), 201);
  assert.equal(d.mime, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  const o = expectStatus(await upload(staff1, task1, [file(ODT, 'bao-cao.odt')]), 201);
  assert.equal(o.mime, 'application/vnd.oasis.opendocument.text');
  const dl = await download(staff1, d.id);
  assert.equal(dl.headers.get('content-type'), d.mime);
  assert.deepEqual(dl.bytes, DOCX);
});

test('replace keeps the earlier version; removing keeps it in history', async () => {
  const v1 = expectStatus(await upload(staff1, task1, [file(Buffer.concat([PDF, Buffer.from(uniq('v1'))]), 'ke-hoach.pdf')]), 201);
  const v2bytes = Buffer.concat([PDF, Buffer.from(uniq('v2'))]);
  const v2 = expectStatus(await upload(staff1, task1, [file(v2bytes, 'ke-hoach-sua.pdf'), { name: 'replaces', data: String(v1.id) }]), 201);
  assert.equal(v2.replaces_id, v1.id);
  const list = expectStatus(await staff1.get(`/tasks/${task1}/evidence`), 200).evidence;
  const old = list.find((x) => x.id === v1.id), cur = list.find((x) => x.id === v2.id);
  assert.ok(old.superseded_at, 'the earlier version is kept, marked superseded');
  assert.equal(old.current, false);
  assert.equal(cur.current, true);
  assert.ok(list.indexOf(cur) < list.indexOf(old), 'current versions first');
  assert.equal((await download(staff1, v1.id)).status, 200, 'an earlier version can still be read');
  const audit = expectStatus(await admin.get(`/audit?entity=evidence&entity_id=${v2.id}`), 200).entries;
  assert.equal(audit[0].action, 'evidence.replace');
  assert.equal(audit[0].old.id, v1.id);

  // replacing what was already replaced, or another task's file: refused, nothing stored
  const n = { rows: evidenceRows(), blobs: blobRows() };
  expectError(await upload(staff1, task1, [file(PDF, 'x.pdf'), { name: 'replaces', data: String(v1.id) }]), 409, 'conflict', 'replaces');
  expectError(await upload(staff1, task1, [file(PDF, 'x.pdf'), { name: 'replaces', data: '999999999' }]), 422, 'invalid_value', 'replaces');
  expectError(await upload(staff1, task1, [file(PDF, 'x.pdf'), { name: 'replaces', data: 'abc' }]), 400, 'invalid_value', 'replaces');
  assert.equal(evidenceRows(), n.rows);

  const rm = checkEvidence(expectStatus(await staff1.delete(`/evidence/${v2.id}`), 200));
  assert.ok(rm.removed_at);
  assert.equal(rm.current, false);
  const after = expectStatus(await staff1.get(`/tasks/${task1}/evidence`), 200).evidence;
  assert.ok(after.some((x) => x.id === v2.id && x.removed_at), 'kept in history');
  expectError(await staff1.delete(`/evidence/${v2.id}`), 409, 'conflict');
  const ra = expectStatus(await admin.get(`/audit?entity=evidence&entity_id=${v2.id}`), 200).entries;
  assert.equal(ra[0].action, 'evidence.remove');
});

test('over the limit: 413 before the body is read (announced) or as it streams (chunked); nothing stored', async () => {
  const n = { rows: evidenceRows(), blobs: blobRows() };
  const r = await announceBody(staff1, 'POST', `/tasks/${task1}/evidence`, 21 * 1024 * 1024,
    'multipart/form-data; boundary=xyz');
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'payload_too_large');
  assert.match(r.json.error.message, /20 MB/);

  // chunked: 21 MiB of file data in a well-formed multipart body
  const boundary = 'big' + uniq('');
  const res = await new Promise((resolve, reject) => {
    const req = http.request(`${staff1.base}${API}/tasks/${task1}/evidence`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: staff1.cookie,
        'x-csrf-token': staff1.csrf, 'transfer-encoding': 'chunked' },
    }, (rs) => {
      let text = '';
      rs.on('data', (d) => (text += d));
      rs.on('end', () => resolve({ status: rs.statusCode, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lon.pdf"\r\n\r\n`);
    const mb = Buffer.alloc(1024 * 1024, 0x41);
    let i = 0;
    const more = () => {
      while (i < 21) {
        i++;
        if (!req.write(mb)) return req.once('drain', more);
      }
      req.end(`\r\n--${boundary}--\r\n`);
    };
    more();
  });
  assert.equal(res.status, 413);
  assert.equal(res.json.error.code, 'payload_too_large');
  await assertNothingStored(n);
});

test('the type is read from the content: HTML named .pdf is refused; an empty file too', async () => {
  const n = { rows: evidenceRows(), blobs: blobRows() };
  const e = expectError(await upload(staff1, task1, [file(HTML, 'bao-cao.pdf')]), 415, 'unsupported_file_type', 'file');
  assert.match(e.message, /text\/html/);
  assert.match(e.message, /PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, ZIP/);
  expectError(await upload(staff1, task1, [file(Buffer.alloc(0), 'rong.pdf')]), 415, 'unsupported_file_type', 'file');
  await assertNothingStored(n);
});

test('file names with a path, control or bidi characters are refused', async () => {
  const n = { rows: evidenceRows(), blobs: blobRows() };
  for (const name of ['../../etc/passwd', '..', 'a/b.pdf', 'C:\\Users\\x\\a.pdf']) {
    const e = expectError(await upload(staff1, task1, [file(PDF, undefined, { filename: undefined, filenameStar: name })]), 422, 'invalid_value', 'file');
    assert.match(e.message, /đường dẫn/);
  }
  for (const name of ['bao-cao\u202Efdp.exe', 'a\u0007b.pdf', 'x\u200Fy.pdf']) {
    expectError(await upload(staff1, task1, [file(PDF, undefined, { filename: undefined, filenameStar: name })]), 422, 'invalid_value', 'file');
  }
  expectError(await upload(staff1, task1, [file(PDF, '')]), 422, 'invalid_value', 'file');
  await assertNothingStored(n);
});

test('malformed multipart bodies: truncated, two files, unknown part, bad header, no file, not multipart', async () => {
  const n = { rows: evidenceRows(), blobs: blobRows() };
  let e = expectError(await upload(staff1, task1, [file(PDF)], { truncate: 10 }), 400, 'invalid_multipart');
  assert.match(e.message, /cắt cụt/);
  expectError(await upload(staff1, task1, [file(PDF, 'a.pdf'), file(PDF, 'b.pdf')]), 400, 'duplicate_field', 'file');
  expectError(await upload(staff1, task1, [file(PDF), { name: 'note', data: 'x' }]), 400, 'unknown_field', 'file');
  expectError(await upload(staff1, task1, [file(PDF, 'a.pdf', { headers: ['X-Evil: 1'] })]), 400, 'invalid_multipart');
  expectError(await upload(staff1, task1, [{ name: 'replaces', data: '1' }]), 400, 'missing_field', 'file');
  e = expectError(await staff1.request('POST', `/tasks/${task1}/evidence`, PDF, { raw: true, headers: { 'content-type': 'application/pdf' } }), 415, 'unsupported_media_type');
  assert.match(e.message, /multipart\/form-data/);
  await assertNothingStored(n);
});

test('unit scope, roles and phase: another unit 403, appraiser/admin may not upload, wrong phase 409', async () => {
  const mine = expectStatus(await upload(staff1, task1, [file(PDF, 'cua-toi.pdf')]), 201);
  const n = { rows: evidenceRows(), blobs: blobRows() };
  expectError(await upload(staff2, task1, [file(PDF)]), 403, 'forbidden', 'id');
  expectError(await staff2.get(`/tasks/${task1}/evidence`), 403, 'forbidden', 'id');
  assert.equal((await download(staff2, mine.id)).status, 403);
  expectError(await staff2.delete(`/evidence/${mine.id}`), 403, 'forbidden', 'id');
  expectError(await upload(staff2, 999999999, [file(PDF)]), 403, 'forbidden', 'id');
  expectError(await admin.get(`/tasks/999999999/evidence`), 404, 'not_found');
  expectError(await admin.get(`/evidence/999999999/download`), 404, 'not_found');
  expectError(await upload(admin, task1, [file(PDF)]), 403, 'forbidden');
  // their own task is fine
  expectStatus(await upload(staff2, task2, [file(PDF, 'cua-ban.pdf')]), 201);
  const m = { rows: evidenceRows(), blobs: blobRows() };
  // a round whose windows are over: refused with the windows named
  const e = expectError(await upload(staff1, pastTask, [file(PDF)]), 409, 'wrong_phase');
  assert.match(e.message, /Thử nghiệm/);
  assert.match(e.message, /01\/03\/2025/);
  expectError(await staff1.delete(`/evidence/${mine.id}`, { csrf: false }), 403, 'csrf_invalid');
  await assertNothingStored(m);
  assert.ok(n.rows + 1 === m.rows);
});
