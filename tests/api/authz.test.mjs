// authz.test.mjs — the authorization matrix, walked over every route the server publishes in
// openapi.json (x-roles / x-own-unit / x-csrf, generated from src/api/routes.c), checked
// against the table itself. Proves that
//   - the public gets 401 on every non-public route,
//   - a staff user and a leader of unit A get 403 on every route not open to their role, and
//     on every own-unit route pointed at unit B,
//   - an API token (feed) gets 403 on every route not open to feeds,
//   - and that none of those refused requests changed anything;
// then the unit scope (x-dti-unit-scope, the unit_of column): a staff member and a leader of
// unit A against every route pointed at unit B's resources (403 or, for a retired unit, 404),
// nonexistent ids (403 for callers bound to their unit: existence never leaks; 404 for admins),
// and that every route with a path parameter declares whose unit its resource is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, sqlValue, loginAdmin, newUserClient, createUnit, createUser, unitByCode, uniq, expectStatus, expectError, auditHead, auditSince } from './lib.mjs';

const ALL_USERS = ['admin', 'appraiser', 'staff', 'leader'];

// Rows of src/api/routes.c: {"GET", P "/units", handler, ROLES, FLAGS, ...}
function routesFromTable() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const src = fs.readFileSync(path.join(here, '../../src/api/routes.c'), 'utf8');
  const rows = [];
  const re = /\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*(?:P\s*)?"([^"]+)",\s*\w+,\s*([^,]+),\s*([^,]+),/g;
  for (const m of src.matchAll(re)) {
    const roles = new Set();
    for (const t of m[3].split('|').map((s) => s.trim())) {
      if (['ANY', 'ROLE_ANY_USER'].includes(t)) ALL_USERS.forEach((r) => roles.add(r));
      else if (['ADMIN', 'ROLE_ADMIN'].includes(t)) roles.add('admin');
      else if (/^ROLE_(APPRAISER|STAFF|LEADER|FEED)$/.test(t)) roles.add(t.slice(5).toLowerCase());
      else if (t !== 'ROLE_PUBLIC') throw new Error('unknown role expression in routes.c: ' + t);
    }
    rows.push({ method: m[1], path: (m[2].startsWith('/api/v1') ? '' : '/api/v1') + m[2], roles: [...roles].sort() });
  }
  return rows;
}

async function routesFromOpenapi() {
  const doc = expectStatus(await new Client().get('/openapi.json'), 200);
  const rows = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!op || typeof op !== 'object' || !Array.isArray(op['x-roles'])) continue;
      rows.push({ method: method.toUpperCase(), path: (p.startsWith('/api/v1') ? '' : '/api/v1') + p,
        roles: [...op['x-roles']].sort(), ownUnit: !!op['x-own-unit'], write: !!op['x-csrf'],
        scope: op['x-dti-unit-scope'] ?? null,
        query: (op.parameters ?? []).filter((q) => q.in === 'query').map((q) => q.name) });
    }
  }
  return rows;
}

test('authorization matrix over every route', async () => {
  const table = routesFromTable();
  const routes = await routesFromOpenapi();
  assert.ok(routes.length >= 22, 'routes published: ' + routes.length);
  assert.equal(routes.length, table.length, 'openapi.json and routes.c list the same routes');
  for (const t of table) {
    const o = routes.find((x) => x.method === t.method && x.path === t.path);
    assert.ok(o, 'openapi.json lacks ' + t.method + ' ' + t.path);
    assert.deepEqual(o.roles, t.roles, 'roles of ' + t.method + ' ' + t.path);
  }

  const a = await loginAdmin();
  const unitB = await unitByCode(a, 'SNV');
  const staff = await newUserClient(a, { role: 'staff', unit_id: (await unitByCode(a, 'STC')).id });
  const leader = await newUserClient(a, { role: 'leader', unit_id: (await unitByCode(a, 'STC')).id });
  const tok = expectStatus(await a.post('/tokens', { name: 'matrix', unit_id: (await unitByCode(a, 'STC')).id, role: 'feed' }), 201);
  const feed = new Client();
  feed.bearer = tok.secret;
  const unitBBefore = expectStatus(await a.get('/units/' + unitB.id), 200);
  const usersBefore = JSON.stringify(expectStatus(await a.get('/users?unit_id=' + unitB.id), 200));
  const head = await auditHead(a);

  // {unit...} -> unit B (someone else's unit); any other {param} -> unit B's id too, so a
  // handler that ran by mistake would hit a real object and the checks below would see it.
  // A unit read from ?unit_id (GET /users) is pointed at unit B the same way.
  // part: tasks — a task of unit B and unit B in a round, so the task routes hit real objects
  const roundB = expectStatus(await a.post('/rounds', { title: 'Ma trận ' + uniq(''), year: 2025,
    frameworks: [{ level: 'department', framework_id: 'hue-cap-so-2023', version: 3 }],
    units: { levels: [], include: [unitB.id] } }), 201);
  const taskB = expectStatus(await a.get(`/tasks?round_id=${roundB.id}&limit=1`), 200).tasks[0];
  const url = (r) => r.path.replace(/^\/api\/v1\/tasks\/\{id\}/, '/api/v1/tasks/' + taskB.id)
    .replace(/^\/api\/v1\/rounds\/\{id\}\/units/, `/api/v1/rounds/${roundB.id}/units`)
    .replace(/\{[^}]+\}/g, String(unitB.id)) +
    (!/\{/.test(r.path) && r.query.includes('unit_id') ? '?unit_id=' + unitB.id : '');
  const body = (r) => (r.method === 'GET' || r.method === 'DELETE' ? undefined
    : { name: 'x', code: 'MX', kind: 'other', role: 'admin', unit_id: unitB.id, username: 'mxuser', full_name: 'x', reason: 'x' });
  const pub = new Client();
  let n401 = 0, n403 = 0;
  for (const r of routes) {
    if (r.roles.length === 0) continue; // public route
    const label = r.method + ' ' + r.path;
    const res = await pub.request(r.method, url(r), body(r));
    assert.equal(res.status, 401, 'public ' + label + ' -> ' + res.status + ' ' + res.text);
    assert.ok(res.json?.error?.message, label);
    n401++;
    if (!r.roles.includes('staff') || r.ownUnit) {
      const s = await staff.client.request(r.method, url(r), body(r));
      assert.equal(s.status, 403, 'staff of another unit: ' + label + ' -> ' + s.status + ' ' + s.text);
      n403++;
    }
    if (!r.roles.includes('leader') || r.ownUnit) {
      const l = await leader.client.request(r.method, url(r), body(r));
      assert.equal(l.status, 403, 'leader of another unit: ' + label + ' -> ' + l.status + ' ' + l.text);
      n403++;
    }
    if (!r.roles.includes('feed') || r.ownUnit) {
      const f = await feed.request(r.method, url(r), body(r));
      assert.equal(f.status, 403, 'feed token: ' + label + ' -> ' + f.status + ' ' + f.text);
      n403++;
    }
  }
  assert.ok(n401 >= 19 && n403 >= 30, `checked ${n401} x 401, ${n403} x 403`);

  // nothing changed: unit B, its users, and no audit entry by the refused callers
  assert.deepEqual(expectStatus(await a.get('/units/' + unitB.id), 200), unitBBefore);
  assert.equal(JSON.stringify(expectStatus(await a.get('/users?unit_id=' + unitB.id), 200)), usersBefore);
  const later = await auditSince(a, head);
  assert.deepEqual(later.filter((e) => e.actor.user_id === staff.user.id || e.actor.user_id === leader.user.id ||
    e.actor.username.startsWith('token:')), []);
  assert.equal(later.filter((e) => e.entity === 'unit' && e.entity_id === String(unitB.id)).length, 0);
});

// Routes whose path parameter is not one unit's data (index sets are shared by every unit).
const GLOBAL_WITH_PARAM = ['GET /api/v1/frameworks/{id}',
  // part: rounds — a round is the whole province's, not one unit's
  'GET /api/v1/rounds/{id}', 'PATCH /api/v1/rounds/{id}', 'POST /api/v1/rounds/{id}/finalise',
  'GET /api/v1/rounds/{id}/trial-data', 'POST /api/v1/rounds/{id}/clear-trial',
  'GET /api/v1/rounds/{id}/appraisers', 'POST /api/v1/rounds/{id}/appraisers',
  'DELETE /api/v1/rounds/{id}/appraisers/{aid}',
  // part: accounts — a round's bulk accounts (admin) and its summary (filtered to the caller's unit)
  'POST /api/v1/rounds/{id}/accounts', 'GET /api/v1/rounds/{id}/summary',
  // part: readings — a round's readings and external values are the round's (admin writes)
  'GET /api/v1/rounds/{id}/readings', 'PUT /api/v1/rounds/{id}/readings',
  // part: rank — rankings, their export and band thresholds are the round's (admin writes)
  'GET /api/v1/rounds/{id}/rankings', 'GET /api/v1/rounds/{id}/rankings.xlsx',
  'GET /api/v1/rounds/{id}/bands', 'PUT /api/v1/rounds/{id}/bands',
  'GET /api/v1/rounds/{id}/external-values', 'PUT /api/v1/rounds/{id}/external-values',
  'POST /api/v1/rounds/{id}/external-values/import',
  // part: excel — every unit's templates of a round, and the import of any unit's file (admins only)
  'GET /api/v1/rounds/{id}/templates.zip', 'POST /api/v1/rounds/{id}/import',
  // part: dash — the round's dashboard, every unit: admins and appraisers only (no unit-bound caller)
  'GET /api/v1/rounds/{id}/dashboard',
  // part: pub — publishing is the admin's; the public results are the province's, published
  'POST /api/v1/rounds/{id}/publish', 'GET /api/v1/public/rounds/{id}', 'GET /api/v1/public/rounds/{id}/rankings',
  'GET /api/v1/public/rounds/{id}/export.json', 'GET /api/v1/public/rounds/{id}/export.csv'];
// Routes a unit-bound caller may call that are not one unit's data: their own session and
// account, the (active) unit tree, the shared index sets.
const NOT_UNIT_DATA = ['POST /api/v1/auth/logout', 'POST /api/v1/auth/password', 'GET /api/v1/me',
  'GET /api/v1/units', 'GET /api/v1/frameworks', 'GET /api/v1/frameworks/{id}',
  // the caller's own second factor: acts on their own account only
  'POST /api/v1/auth/totp/enrol', 'POST /api/v1/auth/totp/confirm', 'POST /api/v1/auth/totp/disable',
  // part: rounds — every signed-in user reads the rounds (title, sets, phases, counts)
  'GET /api/v1/rounds', 'GET /api/v1/rounds/{id}',
  // part: tasks — the workflow table is the same for everyone
  'GET /api/v1/workflow',
  // part: accounts — the caller's own inbox; a round's summary shows staff/leaders their unit's row only
  'GET /api/v1/inbox', 'GET /api/v1/rounds/{id}/summary',

  // part: readings — every signed-in user reads which reading a round uses
  'GET /api/v1/rounds/{id}/readings',
  // part: rank — a round's ranking is the province's (staff/leaders: only once finalised)
  'GET /api/v1/rounds/{id}/rankings', 'GET /api/v1/rounds/{id}/rankings.xlsx', 'GET /api/v1/rounds/{id}/bands'];

test('unit scope: staff and leader of unit A against every route, on unit B\'s resources', async () => {
  const routes = await routesFromOpenapi();
  // The table declares a scope wherever a path names a resource, and own_unit matches x-own-unit.
  for (const r of routes) {
    const label = r.method + ' ' + r.path;
    if (/\{/.test(r.path) && !GLOBAL_WITH_PARAM.includes(label))
      assert.ok(r.scope, label + ' has a path parameter but no x-dti-unit-scope');
    if (r.ownUnit) assert.equal(r.scope?.own_unit, true, label);
  }

  const a = await loginAdmin();
  const unitA = await createUnit(a, { name: 'Đơn vị A ' + uniq('') });
  const unitB = await createUnit(a, { name: 'Đơn vị B ' + uniq('') });
  const retired = await createUnit(a, { name: 'Đơn vị đã giải thể ' + uniq('') });
  const retiredUser = (await createUser(a, { unit_id: retired.id })).user;
  expectStatus(await a.post('/units/' + retired.id + '/retire', { reason: 'Sáp nhập' }), 200);
  const staffA = await newUserClient(a, { role: 'staff', unit_id: unitA.id });
  const leaderA = await newUserClient(a, { role: 'leader', unit_id: unitA.id });
  const appraiser = await newUserClient(a, { role: 'appraiser', unit_id: unitA.id });
  const userB = (await createUser(a, { role: 'staff', unit_id: unitB.id })).user;
  const tokB = expectStatus(await a.post('/tokens', { name: 'B', unit_id: unitB.id, role: 'feed' }), 201).token;

  // parts: evidence, tasks — units A and B take part in a round (trial phase open): a task of B, an evidence file on it, and B's /rounds/{id}/units/{unit}
  const vnDate = (days) => new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
  const roundB = expectStatus(await a.post('/rounds', {
    title: 'Phân quyền ' + uniq(''), year: 2026,
    frameworks: [{ level: 'department', framework_id: 'hue-cap-so-2023', version: 3 }],
    units: { levels: [], include: [unitA.id, unitB.id] },
    phases: [{ phase: 'trial', starts: vnDate(-1), ends: vnDate(1) }],
  }), 201);
  const taskB = Number(sqlValue(`SELECT MIN(id) FROM tasks WHERE round_id = ${roundB.id} AND unit_id = ${unitB.id}`));
  const staffB = await newUserClient(a, { role: 'staff', unit_id: unitB.id });
  const bnd = 'authz' + uniq('');
  const evB = expectStatus(await staffB.client.request('POST', `/tasks/${taskB}/evidence`,
    Buffer.from(`--${bnd}\r\nContent-Disposition: form-data; name="file"; filename="b.pdf"\r\n\r\n` +
      `%PDF-1.4\n%%EOF\n\r\n--${bnd}--\r\n`),
    { raw: true, headers: { 'content-type': `multipart/form-data; boundary=${bnd}` } }), 201);

  const snapshot = async () => JSON.stringify([
    expectStatus(await a.get('/units/' + unitB.id), 200),
    expectStatus(await a.get('/units/' + retired.id), 200),
    expectStatus(await a.get('/users?unit_id=' + unitB.id), 200),
    expectStatus(await a.get('/users?unit_id=' + retired.id), 200),
    expectStatus(await a.get('/tokens'), 200).tokens.filter((t) => t.unit_id === unitB.id),
    expectStatus(await a.get(`/tasks/${taskB}/evidence`), 200), // part: evidence
  ]);
  const before = await snapshot();
  const head = await auditHead(a);


  // The id of unit B's resource of each kind; the query form for a scope read from ?unit_id.
  const idOf = { unit: unitB.id, user: userB.id, api_token: tokB.id, task: taskB, round: roundB.id, evidence: evB.id };
  const retiredIdOf = { unit: retired.id, user: retiredUser.id };
  const target = (r, ids) => {
    if (r.scope.resource === 'round_unit')
      return ids.round === undefined ? null : r.path.replace('{id}', String(ids.round)).replace('{unit}', String(ids.unit));
    const id = ids[r.scope.resource];
    if (/\{id\}/.test(r.path)) return id === undefined ? null : r.path.replace('{id}', String(id));
    if (r.query.includes('unit_id')) return r.path + '?unit_id=' + ids.unit;
    return null;
  };
  const body = (r) => (r.method === 'GET' ? undefined
    : { name: 'x', code: 'MX', kind: 'other', role: 'staff', unit_id: unitA.id, full_name: 'x', reason: 'x' });

  let checked = 0;
  const scoped = routes.filter((r) => r.roles.length > 0 && r.scope);
  const unscoped = routes.filter((r) => r.roles.length > 0 && !r.scope)
    .filter((r) => r.roles.includes('staff') || r.roles.includes('leader'))
    .map((r) => r.method + ' ' + r.path);
  assert.deepEqual(unscoped.sort(), [...NOT_UNIT_DATA].sort(), 'unit-bound callers reach no other unscoped route');
  for (const who of [staffA, leaderA]) {
    const role = who.user.role;
    for (const r of scoped) {
      const label = `${role} of unit A: ${r.method} ${r.path}`;
      const url = target(r, idOf);
      assert.ok(url, label + ': no resource of unit B to point it at');
      const res = await who.client.request(r.method, url, body(r));
      if (!r.roles.includes(role) || r.scope.own_unit) {
        const e = expectError(res, 403, 'forbidden');
        if (r.roles.includes(role))
          assert.equal(e.message, 'Bạn chỉ được xem và thao tác trên dữ liệu của đơn vị mình.', label);
      } else {
        // Visible to every unit (the unit tree): allowed for reading only, never retired data.
        assert.equal(r.method, 'GET', label);
        expectStatus(res, 200, label);
        const rurl = target(r, retiredIdOf);
        if (rurl) expectError(await who.client.request('GET', rurl), 404, 'not_found');
      }
      checked++;
      // A nonexistent id answers exactly like another unit's for a caller bound to a unit.
      if (r.roles.includes(role) && r.scope.own_unit) {
        const missing = target(r, { unit: 999999999, user: 999999999, api_token: 999999999,
          task: 999999999, evidence: 999999999, round: roundB.id });
        const m = await who.client.request(r.method, missing, body(r));
        expectError(m, 403, 'forbidden');
        assert.equal(m.text, res.text, label + ': missing id and other unit\'s id look the same');
      }
    }
  }
  assert.ok(checked >= 2 * 8, 'scoped routes checked: ' + checked);

  // Own unit: the leader lists their unit, by default or by id.
  const mine = expectStatus(await leaderA.client.get('/users'), 200).users;
  assert.ok(mine.length >= 2 && mine.every((u) => u.unit_id === unitA.id));
  assert.deepEqual(expectStatus(await leaderA.client.get('/users?unit_id=' + unitA.id), 200).users, mine);

  // Exempt callers: the appraiser reads any active unit but no retired one; the admin all.
  expectStatus(await appraiser.client.get('/units/' + unitB.id), 200);
  expectError(await appraiser.client.get('/units/' + retired.id), 404, 'not_found');
  expectError(await appraiser.client.get('/units/999999999'), 404, 'not_found');
  expectStatus(await a.get('/units/' + retired.id), 200);
  // Admins get 404 for what does not exist, on every scoped route.
  // (rows an admin may not call at all, such as uploading a unit's evidence, answer 403 first)
  for (const r of scoped.filter((x) => /\{id\}/.test(x.path) && x.roles.includes('admin'))) {
    const res = await a.request(r.method, r.path.replace('{id}', '999999999'), body(r));
    expectError(res, 404, 'not_found');
  }
  expectError(await a.get('/users?unit_id=999999999'), 404, 'not_found');

  // Nothing changed, and no audit entry by the refused callers.
  assert.equal(await snapshot(), before);
  const later = await auditSince(a, head);
  const refused = [staffA.user.id, leaderA.user.id, appraiser.user.id];
  assert.deepEqual(later.filter((e) => refused.includes(e.actor.user_id) && e.action !== 'session.login'), []);
});
