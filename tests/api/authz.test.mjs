// authz.test.mjs — the authorization matrix, walked over every route the server declares:
// openapi.json (x-roles / x-own-unit, generated from src/api/routes.c) or, if the server does
// not publish those, the route table src/api/routes.c itself. Proves that
//   - the public gets 401 on every non-public route,
//   - a staff user of unit A gets 403 on every route not open to staff, and on every
//     own-unit route pointed at unit B,
//   - and that none of those refused requests changed anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, admin, newUser, unitByCode, snapshot, request } from './lib.mjs';

const ALL_USERS = ['admin', 'appraiser', 'staff', 'leader'];

function rolesFromC(expr) {
  const out = new Set();
  for (const t of expr.split('|').map((s) => s.trim())) {
    if (t === 'ANY' || t === 'ROLE_ANY_USER') ALL_USERS.forEach((r) => out.add(r));
    else if (t === 'ADMIN' || t === 'ROLE_ADMIN') out.add('admin');
    else if (t === 'ROLE_APPRAISER') out.add('appraiser');
    else if (t === 'ROLE_STAFF') out.add('staff');
    else if (t === 'ROLE_LEADER') out.add('leader');
    else if (t === 'ROLE_FEED') out.add('feed');
    else if (t === 'ROLE_PUBLIC' || t === '0' || t === '0u') { /* nobody needed */ }
    else throw new Error('unknown role expression in routes.c: ' + t);
  }
  return [...out];
}

function routesFromTable() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const src = fs.readFileSync(path.join(here, '../../src/api/routes.c'), 'utf8');
  const rows = [];
  const re = /\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*(?:P\s*)?"([^"]+)",\s*\w+,\s*([^,]+),\s*([^,]+),/g;
  for (const m of src.matchAll(re)) {
    const p = m[2].startsWith('/api/v1') ? m[2] : '/api/v1' + m[2];
    rows.push({ method: m[1], path: p, roles: rolesFromC(m[3]), ownUnit: /OWN_UNIT/.test(m[4]), write: /\bW\b|ROUTE_WRITE/.test(m[4]) });
  }
  return rows;
}

async function routesFromOpenapi() {
  const r = await request('GET', '/api/v1/openapi.json');
  if (r.status !== 200 || !r.json || !r.json.paths) return null;
  const rows = [];
  for (const [p, ops] of Object.entries(r.json.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!op || typeof op !== 'object' || !('x-roles' in op)) return null;
      let roles = op['x-roles'];
      if (typeof roles === 'string') roles = roles.split(/[ ,|]+/).filter(Boolean);
      roles = roles.filter((x) => x !== 'public');
      const full = p.startsWith('/api/v1') ? p : '/api/v1' + p;
      rows.push({ method: method.toUpperCase(), path: full, roles, ownUnit: !!op['x-own-unit'], write: !!op['x-csrf'] });
    }
  }
  return rows;
}

test('authorization matrix over every route', async () => {
  const table = routesFromTable();
  const fromApi = await routesFromOpenapi();
  const routes = fromApi || table;
  assert.ok(routes.length >= 20, 'routes found: ' + routes.length);
  if (fromApi) {
    // the published document and the table agree on who may call what
    for (const t of table) {
      const o = fromApi.find((x) => x.method === t.method && x.path === t.path);
      assert.ok(o, 'openapi.json lacks ' + t.method + ' ' + t.path);
      assert.deepEqual([...o.roles].sort(), [...t.roles].sort(), t.method + ' ' + t.path);
    }
  }

  const a = await admin();
  const unitA = await unitByCode(a, 'STC');
  const unitB = await unitByCode(a, 'SNV');
  const staff = await newUser(a, { role: 'staff', unitCode: 'STC', prefix: 'mx' });
  const before = await snapshot(a);

  const fill = (p, unit) => p.replace(/\{unit[^}]*\}/g, String(unit)).replace(/\{[^}]+\}/g, String(unitB.id));
  const body = (r) => (r.method === 'GET' || r.method === 'DELETE' ? undefined : { name: 'x', code: 'MX', kind: 'other', role: 'admin', unit_id: unitB.id, username: 'mxuser', full_name: 'x' });
  const pub = new Client();
  let checked401 = 0, checked403 = 0;
  for (const r of routes) {
    const label = r.method + ' ' + r.path;
    if (r.roles.length === 0) continue; // public route
    const res = await pub.req(r.method, fill(r.path, unitB.id).replace('/api/v1', ''), body(r));
    assert.equal(res.status, 401, 'public ' + label + ' -> ' + res.status);
    assert.ok(res.json?.error?.message, label);
    checked401++;
  }
  for (const r of routes) {
    const label = r.method + ' ' + r.path;
    if (r.roles.length === 0) continue;
    if (!r.roles.includes('staff')) {
      const res = await staff.client.req(r.method, fill(r.path, unitB.id).replace('/api/v1', ''), body(r));
      assert.equal(res.status, 403, 'staff ' + label + ' -> ' + res.status + ' ' + res.text);
      checked403++;
    } else if (r.ownUnit) {
      const res = await staff.client.req(r.method, fill(r.path, unitB.id).replace('/api/v1', ''), body(r));
      assert.equal(res.status, 403, 'staff of A on unit B: ' + label + ' -> ' + res.status);
      checked403++;
    }
  }
  assert.ok(checked401 >= 19 && checked403 >= 14, `checked ${checked401} x 401, ${checked403} x 403`);
  assert.equal(await snapshot(a), before, 'a refused request changed something');
  void unitA;
});
