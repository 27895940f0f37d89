// publication.test.mjs — publishing a finalised round and the public results (issue 9,
// docs/results-api.md "Publication", docs/publication.md): refused before the round is
// finalised; the receipt equals sha256 of the downloaded JSON export (computed here); the CSV
// download; the audit entry; a correction is a new version and the old one stays, byte for byte;
// the public endpoints before and after; and the leak walk: EVERY route of openapi.json called
// without a session must give nothing of a round that is not published.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { loginAdmin, createUnit, newUserClient, uniq, expectStatus, expectError, Client, BASE, API, auditSince, auditHead } from './lib.mjs';
import { phasesAt, vnDate } from './tasks_fixture.mjs';

const DEPT = { level: 'department', framework_id: 'hue-cap-so-2023', version: 3 };
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/** A raw GET without any session (what anyone on the internet can do): status, headers, bytes. */
async function anon(path, init = {}) {
  const res = await fetch(BASE + (path.startsWith(API) ? path : API + path), { redirect: 'manual', ...init });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let json = null;
  try { json = JSON.parse(text); } catch { json = null; }
  return { status: res.status, headers: res.headers, bytes, text, json };
}

/**
 * A finalised round of three fresh departments whose names carry `marker`; the appraiser
 * approves a few criteria so the units get different points (A 15, B 10, C 10: B and C tie).
 * finalise=false leaves it open (phase appraisal1).
 */
async function approvedRound(admin, marker, { finalise = true, year = Number(vnDate().slice(0, 4)), units = null } = {}) {
  if (!units) {
    units = [];
    for (const k of ['A', 'B', 'C']) units.push(await createUnit(admin, { name: `Sở ${marker} ${k} ${uniq('')}` }));
  }
  const round = expectStatus(await admin.post('/rounds', {
    title: `Đợt ${marker} ${uniq('')}`, year, frameworks: [DEPT],
    units: { levels: [], include: units.map((u) => u.id) }, phases: phasesAt('appraisal1'),
  }), 201, 'create round');
  const appr = await newUserClient(admin, { role: 'appraiser' });
  expectStatus(await admin.post(`/rounds/${round.id}/appraisers`, { level: 'department', appraiser_user_id: appr.user.id }), 201, 'assign');
  const plan = [[10, 5], [10], [5, 5]]; // points per unit, on its first criteria
  const taskIds = [];
  for (const [i, u] of units.entries()) {
    const tasks = expectStatus(await admin.get(`/tasks?round_id=${round.id}&unit_id=${u.id}&limit=1000`), 200).tasks;
    taskIds.push(tasks[0].id);
    let k = 0;
    for (const pts of plan[i]) {
      // a criterion worth at least pts
      while (tasks[k].max_points < pts) k++;
      const t = tasks[k++];
      expectStatus(await appr.client.post(`/tasks/${t.id}/transitions`, { action: 'approve', points: pts, version: t.version }), 200, 'approve');
    }
  }
  if (finalise) expectStatus(await admin.post(`/rounds/${round.id}/finalise`, {}), 200, 'finalise');
  return { round, units, taskIds, marker };
}

let admin;
let P; // the round this file publishes
let S; // finalised, never published: must never show
let O; // still open
test.before(async () => {
  admin = await loginAdmin();
  P = await approvedRound(admin, 'CONGBO' + uniq(''));
  S = await approvedRound(admin, 'BIMAT' + uniq(''));
  O = await approvedRound(admin, 'CHUAXONG' + uniq(''), { finalise: false });
});

// ---- the leak walk ----------------------------------------------------------------------------

const QUERY_VALUES = (r) => ({ level: 'department', version: '1', round_id: String(r.round.id), unit_id: String(r.units[0].id),
  limit: '10', offset: '0', include_retired: '1', entity: 'round', entity_id: String(r.round.id) });

/** Every route of openapi.json, called with no session, with every id being one of the secret
 * round's (its id, a unit's, a task's), with and without the query parameters it takes. */
async function walk(secret) {
  const doc = (await anon('/openapi.json')).json;
  const ids = [secret.round.id, secret.units[0].id, secret.taskIds[0]];
  const seen = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const params = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      for (const id of ids) {
        const path = template.replace(/\{[^}]+\}/g, String(id));
        const qv = QUERY_VALUES(secret);
        const qs = params.length ? '?' + params.map((p) => `${p}=${encodeURIComponent(qv[p] ?? '1')}`).join('&') : '';
        for (const url of qs ? [path, path + qs] : [path]) {
          const init = { method: method.toUpperCase() };
          if (method !== 'get' && method !== 'delete') {
            init.body = '{}';
            init.headers = { 'content-type': 'application/json' };
          }
          const res = await anon(url, init);
          seen.push({ method, url, template, public: !op.security, res });
        }
      }
    }
  }
  return seen;
}

function mentions(res, secret) {
  const hits = [];
  if (res.text.includes(secret.marker)) hits.push('marker ' + secret.marker);
  for (const u of secret.units) if (res.text.includes(u.name) || res.text.includes(`"${u.code}"`)) hits.push('unit ' + u.code);
  const visit = (v) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'round_id' && x === secret.round.id) hits.push('round_id');
        visit(x);
      }
    }
  };
  visit(res.json);
  return hits;
}

function assertNoLeak(seen, secrets) {
  let publicCalls = 0;
  for (const s of seen) {
    if (s.public) publicCalls++;
    else assert.equal(s.res.status, 401, `${s.method.toUpperCase()} ${s.url} needs a session: 401 without one`);
    for (const secret of secrets) {
      const hits = mentions(s.res, secret);
      assert.deepEqual(hits, [], `${s.method.toUpperCase()} ${s.url} (${s.res.status}) leaks ${secret.marker}: ${s.res.text.slice(0, 300)}`);
    }
  }
  // the walk reached the public routes of this part (else it proves nothing)
  for (const t of ['/api/v1/public/rounds', '/api/v1/public/rounds/{id}', '/api/v1/public/rounds/{id}/rankings',
    '/api/v1/public/rounds/{id}/export.json', '/api/v1/public/rounds/{id}/export.csv']) {
    assert.ok(seen.some((s) => s.template === t && s.public), `walked ${t}`);
  }
  assert.ok(publicCalls > 10);
}

test('publication: the leak walk before anything is published', async () => {
  assertNoLeak(await walk(S), [S, O, P]);
  assertNoLeak(await walk(P), [S, O, P]);
  assertNoLeak(await walk(O), [S, O, P]);
});

// ---- publishing -----------------------------------------------------------------------------

test('publication: refused for an open round, an unknown round, a non-admin', async () => {
  const before = await auditHead(admin);
  const r = await admin.post(`/rounds/${O.round.id}/publish`, {});
  expectError(r, 409, 'round_not_finalised');
  assert.match(r.json.error.message, /hoàn thành/);
  expectError(await admin.post('/rounds/99999999/publish', {}), 404, 'not_found');
  expectError(await admin.post(`/rounds/${P.round.id}/publish`, { note: 5 }), 400, 'invalid_type', 'note');
  expectError(await admin.post(`/rounds/${P.round.id}/publish`, { notes: 'x' }), 400);
  const staff = await newUserClient(admin, { role: 'staff', unit_id: P.units[0].id });
  expectError(await staff.client.post(`/rounds/${P.round.id}/publish`, {}), 403);
  // nothing changed: no audit entry, nothing public
  assert.deepEqual((await auditSince(admin, before)).filter((e) => e.action === 'round.publish'), []);
  expectError(await new Client().get(`/public/rounds/${O.round.id}`), 404, 'not_found');
});

let pub1;
let json1;
test('publication: publish; the receipt is sha256 of the downloaded JSON; CSV; audit', async () => {
  const before = await auditHead(admin);
  const r = expectStatus(await admin.post(`/rounds/${P.round.id}/publish`, {}), 201, 'publish');
  pub1 = r;
  assert.equal(r.round_id, P.round.id);
  assert.equal(r.version, 1);
  assert.equal(r.current, true);
  assert.equal(r.note, null);
  assert.match(r.sha256, /^[0-9a-f]{64}$/);
  assert.deepEqual(r.levels, [{ level: 'department', level_label: r.levels[0].level_label, units: 3 }]);

  // the download, as anyone gets it: its sha256 IS the receipt
  const j = await anon(r.json_url);
  assert.equal(j.status, 200);
  assert.match(j.headers.get('content-disposition'), /^attachment; filename="dti-cong-bo-dot-\d+-v1\.json"$/);
  assert.match(j.headers.get('content-type'), /^application\/json/);
  assert.equal(sha256(j.bytes), r.sha256, 'receipt = sha256(export.json bytes)');
  assert.equal(j.headers.get('x-content-sha256'), r.sha256);
  assert.equal(j.bytes.length, r.size);
  json1 = j.bytes;
  const doc = j.json;
  assert.equal(doc.format, 'dti-cong-bo/1');
  assert.equal(doc.round.id, P.round.id);
  assert.equal(doc.publication.version, 1);
  assert.equal(doc.publication.supersedes_sha256, null);
  const lvl = doc.methodology.levels[0];
  assert.deepEqual([lvl.level, lvl.framework.id, lvl.framework.version], ['department', 'hue-cap-so-2023', 3]);
  assert.ok(lvl.bands.length > 0, 'bands are part of the methodology');
  assert.ok(Array.isArray(lvl.readings));
  const units = doc.rankings[0].units;
  const byName = Object.fromEntries(units.map((u) => [u.unit_name, u]));
  const [A, B, C] = P.units.map((u) => byName[u.name]);
  assert.deepEqual([A.points, B.points, C.points], [15, 10, 10]);
  assert.deepEqual([A.rank, B.rank, C.rank], [1, 2, 2], 'ties share a rank');

  // the CSV: attachment, its sha256 is inside the JSON (so the receipt covers it too)
  const c = await anon(r.csv_url);
  assert.equal(c.status, 200);
  assert.match(c.headers.get('content-type'), /^text\/csv/);
  assert.match(c.headers.get('content-disposition'), /^attachment; filename="dti-cong-bo-dot-\d+-v1\.csv"$/);
  assert.equal(sha256(c.bytes), doc.csv_sha256);
  assert.equal(sha256(c.bytes), r.csv_sha256);
  const lines = c.text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  assert.match(lines[0], /^"Cấp","Mã cấp","Hạng","Mã đơn vị","Tên đơn vị","Điểm","Điểm tối đa","Chỉ số"/);
  assert.equal(lines.length, 4);
  const rowA = lines.find((l) => l.includes(P.units[0].name));
  assert.match(rowA, /,1,/);
  assert.match(rowA, /,15\.00,/);

  // audited, with the receipt
  const e = (await auditSince(admin, before)).filter((x) => x.action === 'round.publish');
  assert.equal(e.length, 1);
  assert.equal(e[0].entity, 'round');
  assert.equal(String(e[0].entity_id), String(P.round.id));
  assert.equal(e[0].new.sha256, r.sha256);
  assert.equal(e[0].new.version, 1);
});

test('publication: public endpoints show the snapshot; unknown levels and versions are refused', async () => {
  const anonC = new Client();
  const list = expectStatus(await anonC.get('/public/rounds'), 200).rounds;
  const mine = list.find((x) => x.round_id === P.round.id);
  assert.ok(mine);
  assert.equal(mine.sha256, pub1.sha256);
  assert.deepEqual(mine.versions.map((v) => v.version), [1]);
  assert.ok(!list.some((x) => x.round_id === S.round.id || x.round_id === O.round.id));

  const one = expectStatus(await anonC.get(`/public/rounds/${P.round.id}`), 200);
  assert.equal(one.publication.sha256, pub1.sha256);
  assert.equal(one.methodology.levels[0].framework.id, 'hue-cap-so-2023');
  assert.ok(one.methodology.index.includes('4 chữ số'));

  const rk = expectStatus(await anonC.get(`/public/rounds/${P.round.id}/rankings?level=department`), 200);
  assert.equal(rk.units.length, 3);
  assert.equal(rk.sha256, pub1.sha256);
  const same = expectStatus(await anonC.get(`/public/rounds/${P.round.id}/rankings`), 200);
  assert.deepEqual(same.units, rk.units, 'the first level by default');
  expectError(await anonC.get(`/public/rounds/${P.round.id}/rankings?level=district`), 404, 'not_found', 'level');
  expectError(await anonC.get(`/public/rounds/${P.round.id}/rankings?level=tinh`), 400, 'invalid_value', 'level');
  expectError(await anonC.get(`/public/rounds/${P.round.id}?version=0`), 400, 'invalid_value', 'version');
  expectError(await anonC.get(`/public/rounds/${P.round.id}?version=abc`), 400, 'invalid_value', 'version');
  expectError(await anonC.get(`/public/rounds/${P.round.id}?version=7`), 404, 'not_found');
  expectError(await anonC.get(`/public/rounds/${P.round.id}?other=1`), 400);
  // unpublished and unknown rounds: the same 404
  const a = await anonC.get(`/public/rounds/${S.round.id}`);
  const b = await anonC.get('/public/rounds/99999999');
  expectError(a, 404, 'not_found');
  assert.deepEqual(a.json, b.json, 'an unpublished round is indistinguishable from none');
});

test('publication: a correction is version 2; version 1 stays, byte for byte; never recomputed live', async () => {
  // republishing needs a reason, and a change
  expectError(await admin.post(`/rounds/${P.round.id}/publish`, {}), 422, 'note_required', 'note');
  expectError(await admin.post(`/rounds/${P.round.id}/publish`, { note: '   ' }), 422, 'note_required', 'note');
  expectError(await admin.post(`/rounds/${P.round.id}/publish`, { note: 'Không đổi gì' }), 409, 'publication_unchanged');
  // the published names stay as they were until a new version is published
  const renamed = `Sở ${P.marker} A đã sửa tên ${uniq('')}`;
  expectStatus(await admin.patch(`/units/${P.units[0].id}`, { name: renamed }), 200, 'rename');
  const stale = expectStatus(await new Client().get(`/public/rounds/${P.round.id}/rankings`), 200);
  assert.ok(stale.units.some((u) => u.unit_name === P.units[0].name), 'the snapshot is frozen');
  assert.ok(!stale.units.some((u) => u.unit_name === renamed));

  const r2 = expectStatus(await admin.post(`/rounds/${P.round.id}/publish`, { note: 'Sửa tên đơn vị' }), 201, 'republish');
  assert.equal(r2.version, 2);
  assert.equal(r2.note, 'Sửa tên đơn vị');
  assert.notEqual(r2.sha256, pub1.sha256);
  const j2 = await anon(r2.json_url);
  assert.equal(sha256(j2.bytes), r2.sha256);
  assert.equal(j2.json.publication.supersedes_sha256, pub1.sha256);
  assert.ok(j2.json.rankings[0].units.some((u) => u.unit_name === renamed));
  // the current version is 2; version 1 is still there with its exact bytes
  const cur = await anon(`/public/rounds/${P.round.id}/export.json`);
  assert.equal(sha256(cur.bytes), r2.sha256);
  const old = await anon(`/public/rounds/${P.round.id}/export.json?version=1`);
  assert.ok(old.bytes.equals(json1), 'version 1 is served byte for byte');
  const list = expectStatus(await new Client().get('/public/rounds'), 200).rounds.find((x) => x.round_id === P.round.id);
  assert.equal(list.version, 2);
  assert.deepEqual(list.versions.map((v) => [v.version, v.current, v.sha256]), [[2, true, r2.sha256], [1, false, pub1.sha256]]);
  const v1 = expectStatus(await new Client().get(`/public/rounds/${P.round.id}?version=1`), 200);
  assert.equal(v1.publication.current, false);
  assert.equal(v1.publication.sha256, pub1.sha256);
});

test('publication: the leak walk after publication (the other rounds still show nothing)', async () => {
  assertNoLeak(await walk(S), [S, O]);
  assertNoLeak(await walk(O), [S, O]);
  const seen = await walk(P);
  assertNoLeak(seen, [S, O]);
  // and the published one IS public
  const hit = seen.find((s) => s.template === '/api/v1/public/rounds/{id}/rankings' && s.url.includes(`/${P.round.id}/`));
  assert.equal(hit.res.status, 200);
});

test('publication: the comparison with an earlier round is published only once that round is', async () => {
  // years no other test uses, so the earlier round of NEW is OLD (rank: latest earlier finalised round)
  // shared units (their names are published with NEW, legitimately): only OLD's own data is secret
  const units = [];
  for (const k of ['A', 'B', 'C']) units.push(await createUnit(admin, { name: `Sở dùng chung ${k} ${uniq('')}` }));
  const OLD = await approvedRound(admin, 'DOTCU' + uniq(''), { year: 2090, units });
  const NEW = await approvedRound(admin, 'DOTMOI' + uniq(''), { year: 2091, units: OLD.units });
  const live = expectStatus(await admin.get(`/rounds/${NEW.round.id}/rankings?level=department`), 200);
  assert.ok(live.units.every((u) => u.previous && u.previous.round_id === OLD.round.id), 'precondition: NEW compares with OLD');

  const p1 = expectStatus(await admin.post(`/rounds/${NEW.round.id}/publish`, {}), 201);
  const d1 = (await anon(p1.json_url)).json;
  assert.ok(d1.rankings[0].units.every((u) => u.previous === null), 'OLD is not published: no comparison');
  assert.ok(!JSON.stringify(d1).includes(OLD.marker));
  assertNoLeak(await walk(OLD), [{ ...OLD, units: [] }]);

  expectStatus(await admin.post(`/rounds/${OLD.round.id}/publish`, {}), 201);
  const p2 = expectStatus(await admin.post(`/rounds/${NEW.round.id}/publish`, { note: 'Đợt trước đã công bố: thêm so sánh' }), 201);
  const d2 = (await anon(p2.json_url)).json;
  const liveBy = Object.fromEntries(live.units.map((u) => [u.unit_id, u.previous]));
  for (const u of d2.rankings[0].units) assert.deepEqual(u.previous, liveBy[u.unit_id], 'the comparison, as the rankings give it');
});
