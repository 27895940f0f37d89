// authz.test.mjs — the authorization matrix, walked over every route the server publishes in
// openapi.json (x-roles / x-own-unit / x-csrf, generated from src/api/routes.c), checked
// against the table itself. Proves that
//   - the public gets 401 on every non-public route,
//   - a staff user of unit A gets 403 on every route not open to staff, and on every
//     own-unit route pointed at unit B,
//   - an API token (feed) gets 403 on every route not open to feeds,
//   - and that none of those refused requests changed anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, loginAdmin, newUserClient, unitByCode, expectStatus, auditHead, auditSince } from './lib.mjs';

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
        roles: [...op['x-roles']].sort(), ownUnit: !!op['x-own-unit'], write: !!op['x-csrf'] });
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
  const tok = expectStatus(await a.post('/tokens', { name: 'matrix', unit_id: (await unitByCode(a, 'STC')).id, role: 'feed' }), 201);
  const feed = new Client();
  feed.bearer = tok.secret;
  const unitBBefore = expectStatus(await a.get('/units/' + unitB.id), 200);
  const usersBefore = JSON.stringify(expectStatus(await a.get('/users?unit_id=' + unitB.id), 200));
  const head = await auditHead(a);

  // {unit...} -> unit B (someone else's unit); any other {param} -> unit B's id too, so a
  // handler that ran by mistake would hit a real object and the checks below would see it.
  const url = (p) => p.replace(/\{[^}]+\}/g, String(unitB.id));
  const body = (r) => (r.method === 'GET' || r.method === 'DELETE' ? undefined
    : { name: 'x', code: 'MX', kind: 'other', role: 'admin', unit_id: unitB.id, username: 'mxuser', full_name: 'x', reason: 'x' });
  const pub = new Client();
  let n401 = 0, n403 = 0;
  for (const r of routes) {
    if (r.roles.length === 0) continue; // public route
    const label = r.method + ' ' + r.path;
    const res = await pub.request(r.method, url(r.path), body(r));
    assert.equal(res.status, 401, 'public ' + label + ' -> ' + res.status + ' ' + res.text);
    assert.ok(res.json?.error?.message, label);
    n401++;
    if (!r.roles.includes('staff') || r.ownUnit) {
      const s = await staff.client.request(r.method, url(r.path), body(r));
      assert.equal(s.status, 403, 'staff of another unit: ' + label + ' -> ' + s.status + ' ' + s.text);
      n403++;
    }
    if (!r.roles.includes('feed') || r.ownUnit) {
      const f = await feed.request(r.method, url(r.path), body(r));
      assert.equal(f.status, 403, 'feed token: ' + label + ' -> ' + f.status + ' ' + f.text);
      n403++;
    }
  }
  assert.ok(n401 >= 19 && n403 >= 30, `checked ${n401} x 401, ${n403} x 403`);

  // nothing changed: unit B, its users, and no audit entry by the refused callers
  assert.deepEqual(expectStatus(await a.get('/units/' + unitB.id), 200), unitBBefore);
  assert.equal(JSON.stringify(expectStatus(await a.get('/users?unit_id=' + unitB.id), 200)), usersBefore);
  const later = await auditSince(a, head);
  assert.deepEqual(later.filter((e) => e.actor.user_id === staff.user.id || e.actor.username.startsWith('token:')), []);
  assert.equal(later.filter((e) => e.entity === 'unit' && e.entity_id === String(unitB.id)).length, 0);
});
