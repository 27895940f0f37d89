// query.test.mjs — query parameters are checked like body fields, from the route row's list
// (openapi.json `parameters`, in: query): an unknown, repeated or undecodable one (bad
// %-escape, NUL, invalid UTF-8) is a 400 naming it, on every route, before the handler runs;
// every parameter the web UI sends is still accepted. Also: what POST /auth/logout does with
// an API token (400 not_a_session; the token keeps working until revoked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAdmin, createUnit, createUser, newUserClient, expectStatus, expectError, auditHead, auditSince, sqlValue, uniq } from './lib.mjs';
import { createRound } from './rounds_fixture.mjs';

async function openapiRoutes() {
  const doc = expectStatus(await new Client().get('/openapi.json'), 200);
  const rows = [];
  for (const [p, ops] of Object.entries(doc.paths))
    for (const [m, op] of Object.entries(ops))
      rows.push({ method: m.toUpperCase(), path: p.replace(/^\/api\/v1/, ''), roles: op['x-roles'],
        query: op.parameters.filter((q) => q.in === 'query').map((q) => q.name) });
  return rows;
}

test('undecodable, repeated and too many query parameters: 400 naming the parameter', async () => {
  const a = await loginAdmin();
  const cases = [
    ['/units?include_retired=%FF', 'invalid_value', 'include_retired'], // invalid UTF-8
    ['/units?include_retired=%C3%28', 'invalid_value', 'include_retired'],
    ['/units?include_retired=%ED%A0%80', 'invalid_value', 'include_retired'], // a surrogate
    ['/units?include_retired=%G1', 'invalid_value', 'include_retired'], // bad %-escape
    ['/units?include_retired=1%', 'invalid_value', 'include_retired'],
    ['/units?include_retired=%00', 'invalid_value', 'include_retired'], // NUL
    ['/units?%FF=1', 'invalid_value', '%FF'], // the name itself, shown as sent
    ['/units?include_retired=1&include_retired=0', 'duplicate_parameter', 'include_retired'],
    ['/audit?limit=5&limit=5', 'duplicate_parameter', 'limit'],
    ['/units?include_retired=1&t%C3%AAn=1', 'unknown_parameter', 'tên'],
  ];
  for (const [url, code, field] of cases) {
    const e = expectError(await a.get(url), 400, code, field);
    assert.ok(e.message.includes('“' + field + '”'), url + ': message names the parameter: ' + e.message);
  }
  const many = Array.from({ length: 40 }, (_, i) => 'include_retired' + i + '=1').join('&');
  expectError(await a.get('/units?' + many), 400, 'too_many_parameters');
  // Before, an undecodable flag was "absent": a retired unit list must not come back instead.
  expectStatus(await a.get('/units?include_retired=1'), 200);
});

test('every route refuses an unknown query parameter before its handler, changing nothing', async () => {
  const a = await loginAdmin();
  const unit = await createUnit(a);
  const user = (await createUser(a, { unit_id: unit.id })).user;
  const tok = expectStatus(await a.post('/tokens', { name: 'q', unit_id: unit.id, role: 'feed' }), 201).token;
  const ids = { '/units/{id}': unit.id, '/users/{id}': user.id, '/tokens/{id}': tok.id, '/frameworks/{id}': 'hue-cap-so-2023' };
  // part: evidence — rows admins may not call (uploading, removing a unit's evidence) are tried
  // by a staff member of the unit, on a task of it (a round in its trial phase) and a file on it
  const vnDate = (days) => new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
  const round = expectStatus(await a.post('/rounds', {
    title: 'Tham số ' + uniq(''), year: 2026,
    frameworks: [{ level: 'department', framework_id: 'hue-cap-so-2023', version: 3 }],
    units: { levels: [], include: [unit.id] }, phases: [{ phase: 'trial', starts: vnDate(-1), ends: vnDate(1) }],
  }), 201);
  ids['/tasks/{id}'] = Number(sqlValue(`SELECT MIN(id) FROM tasks WHERE round_id = ${round.id}`));
  const staff = (await newUserClient(a, { role: 'staff', unit_id: unit.id })).client;
  const bnd = 'q' + uniq('');
  ids['/evidence/{id}'] = expectStatus(await staff.request('POST', `/tasks/${ids['/tasks/{id}']}/evidence`,
    Buffer.from(`--${bnd}\r\nContent-Disposition: form-data; name="file"; filename="q.pdf"\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--${bnd}--\r\n`),
    { raw: true, headers: { 'content-type': `multipart/form-data; boundary=${bnd}` } }), 201).id;
  ids['/rounds/{id}'] = round.id;
  const url = (p) => p.replace(/^(\/\w+\/)\{id\}/, (m, pre) => pre + ids[m]).replace('{unit}', String(unit.id));
  const before = JSON.stringify([(await a.get('/units/' + unit.id)).json, (await a.get('/users?unit_id=' + unit.id)).json]);
  const head = await auditHead(a);
  const routes = await openapiRoutes();
  assert.ok(routes.length >= 22);
  const pub = new Client();
  let n = 0;
  for (const r of routes) {
    const c = r.roles.length === 0 ? pub : r.roles.includes('admin') ? a : r.roles.includes('staff') ? staff : null;
    if (!c) continue; // appraiser only (PUT /tasks/{id}/appraiser-inputs): its query check is the same code
    if (r.path === '/auth/login') {
      expectError(await pub.post('/auth/login?next=%2F', { username: 'admin', password: 'x' }), 400, 'unknown_parameter', 'next');
      n++;
      continue;
    }
    const body = r.method === 'GET' ? undefined : { reason: 'x', full_name: 'Q', role: 'staff', unit_id: unit.id };
    const res = await c.request(r.method, url(r.path) + '?zz=1', body);
    expectError(res, 400, 'unknown_parameter', 'zz');
    n++;
  }
  assert.equal(n, routes.filter((r) => r.roles.length === 0 || r.roles.includes('admin') || r.roles.includes('staff')).length);
  // Nothing happened: no change, no audit entry (logout and password change were refused too).
  assert.equal(JSON.stringify([(await a.get('/units/' + unit.id)).json, (await a.get('/users?unit_id=' + unit.id)).json]), before);
  const mine = (await auditSince(a, head)).filter((e) => e.actor.user_id === a.user.id);
  assert.deepEqual(mine, []);
  expectStatus(await a.get('/me'), 200); // the admin's session survived the refused logout
});

test('every documented query parameter, and every one the web UI sends, is accepted', async () => {
  const a = await loginAdmin();
  const unit = await createUnit(a);
  const sample = { include_retired: '1', unit_id: String(unit.id), limit: '5', before_id: '999999',
    entity: 'unit', entity_id: String(unit.id), version: '3', // the shipped sets' current version (frameworks/*.json)
    // part: tasks (GET /tasks)
    round_id: '1', level: 'department', pillar: 'I', state: 'draft', overdue: '0', offset: '0',
    // part: dash (GET /rounds/{id}/dashboard)
    q: 'so tai chinh', sort: 'tasks', dir: 'desc',
    ranges: '1', // part: rank (GET /rounds/{id}/rankings)
    period: '2025-Q2', // part: unitpage (GET /rounds/{id}/units/{unit}/progress)
    }; // level: also GET /rounds/{id}/summary (part: accounts)
  const roundId = createRound({ units: [{ unit_id: unit.id }] }).roundId; // part: accounts
  for (const r of await openapiRoutes()) {
    if (r.method !== 'GET' || r.query.length === 0) continue;
    const path = r.path.replace('{id}', /\/rounds\/\{id\}/.test(r.path) ? String(roundId) : 'hue-cap-so-2023')
      .replace('{unit}', String(unit.id));
    // part: pub — the fixture's round is not published: the parameter is accepted (no 400), then
    // the public route answers 404 as for every unpublished round
    const ok = r.path.startsWith('/public/rounds/{id}') ? 404 : 200;
    for (const q of r.query) {
      assert.ok(sample[q], 'a sample value for ?' + q);
      // part: rank — GET /rounds/{id}/rankings requires ?level: other parameters come with it
      const req = r.path.endsWith('/rankings') && q !== 'level' ? 'level=department&' : '';
      expectStatus(await a.get(path + '?' + req + q + '=' + sample[q]), ok, path + '?' + q);
    }
    const all = r.query.map((q) => q + '=' + sample[q]).join('&');
    expectStatus(await a.get(path + '?' + all), ok, path + '?' + all);
  }
  // As web/src/views send them (units.ts, users.ts, unitusers.ts, audit.ts with URLSearchParams).
  for (const u of ['/units?include_retired=1', '/users?unit_id=' + unit.id, '/audit?limit=50',
    '/audit?limit=50&before_id=12', '/frameworks/hue-cap-so-2023'])
    expectStatus(await a.get(u), 200, u);
  // A flag with no value is a value ("") the handler judges, not an undecodable parameter.
  expectError(await a.get('/units?include_retired'), 400, 'invalid_value', 'include_retired');
});

test('POST /auth/logout with an API token: 400 not_a_session, the token keeps working', async () => {
  const a = await loginAdmin();
  const unit = await createUnit(a);
  for (const role of ['staff', 'leader', 'appraiser']) {
    const j = expectStatus(await a.post('/tokens', { name: 'logout ' + role, unit_id: unit.id, role }), 201);
    const bot = new Client();
    bot.bearer = j.secret;
    const head = await auditHead(a);
    const e = expectError(await bot.post('/auth/logout'), 400, 'not_a_session');
    assert.match(e.message, /thu hồi/);
    expectStatus(await bot.get('/me'), 200, 'the token still works');
    assert.deepEqual((await auditSince(a, head)).filter((x) => x.action === 'session.logout'), []);
  }
  // A feed token may not call it at all; a session still logs out with 204.
  const feed = new Client();
  feed.bearer = expectStatus(await a.post('/tokens', { name: 'logout feed', unit_id: unit.id, role: 'feed' }), 201).secret;
  expectError(await feed.post('/auth/logout'), 403, 'forbidden');
  const u = await newUserClient(a, { unit_id: unit.id });
  expectStatus(await u.client.post('/auth/logout'), 204);
  expectError(await u.client.get('/me'), 401);
});
