// outside.test.mjs — every route of GET /api/v1/openapi.json fed the odd requests other systems
// and curious users send, driven by the document itself (a new route is covered without editing
// this file): odd ids and paths, unknown / repeated / mistyped query parameters, HEAD, OPTIONS
// and unknown methods, bodies that are not JSON objects or have wrong types, huge numbers,
// huge strings, duplicate and unknown keys, wrong Content-Type / charset / Content-Encoding,
// missing or stale CSRF tokens, a disabled user's session. Each answer must be a 4xx in the
// DESIGN §9 error shape with a Vietnamese message (naming the field where one is at fault),
// never a 500 or an English sentence; and nothing may change: no audit entry by the test's own
// users, and every GET of the fixture's resources answers the same before and after.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { BASE, Client, loginAdmin, newAdminClient, newUserClient, createUnit, rootUnit, uniq, expectStatus } from './lib.mjs';
import { checkExchange } from './contract.mjs';
import { phasesAt, vnDate, addEvidence, evidenceAvailable } from './tasks_fixture.mjs';

const Ajv = createRequire(new URL('../../web/package.json', import.meta.url))('ajv');

// ---- judging an answer ----------------------------------------------------------------------

const VI_LETTERS = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;
const ENGLISH = /\b(the|is|are|not|invalid|error|must|expected|field|missing|required|unknown|failed|near|token|should|cannot|please|value|allowed|found|bad|request)\b/i;

/** The text of a message a person reads, without what it quotes from the input. */
const unquoted = (m) => m.replace(/“[^”]*”/g, '').replace(/'[^']*'/g, '').replace(/"[^"]*"/g, '').replace(/\([^)]*=[^)]*\)/g, '');

function isVietnamese(m) {
  return typeof m === 'string' && VI_LETTERS.test(m) && !ENGLISH.test(unquoted(m));
}

/** Asserts a refusal: a 4xx (or one of `statuses`), §9's error shape, a Vietnamese message. */
function refused(what, r, { statuses, codes, field } = {}) {
  assert.ok(r.status >= 400 && r.status < 500, `${what}: expected a 4xx, got ${r.status}: ${r.text.slice(0, 300)}`);
  if (statuses) assert.ok(statuses.includes(r.status), `${what}: expected ${statuses}, got ${r.status}: ${r.text.slice(0, 300)}`);
  const e = r.json?.error;
  assert.ok(e && typeof e.code === 'string' && /^[a-z][a-z0-9_]*$/.test(e.code), `${what}: error shape: ${r.text.slice(0, 300)}`);
  assert.ok(isVietnamese(e.message), `${what}: message not Vietnamese: ${e.message}`);
  if (codes) assert.ok(codes.includes(e.code), `${what}: code ${e.code}, expected one of ${codes}: ${e.message}`);
  if (field !== undefined) {
    assert.equal(e.field, field, `${what}: field: ${r.text.slice(0, 300)}`);
    assert.ok(e.message.includes(field.split('.').pop()), `${what}: the message names “${field}”: ${e.message}`);
  }
  return e;
}

/** A refusal as above, or the import report's documented refusal: 200 with ok false, nothing
 * saved, each error in Vietnamese (docs/excel.md: "the report is always 200"). */
function refusedOrReport(what, r) {
  if (r.status === 200 && r.json && r.json.ok === false && 'saved' in r.json) {
    assert.equal(r.json.saved, false, `${what}: a refused report saved something`);
    assert.ok(r.json.errors.length > 0 && r.json.errors.every((e) => isVietnamese(e.message)), `${what}: ${r.text.slice(0, 300)}`);
    return;
  }
  refused(what, r);
}

// ---- requests as sent, byte for byte (fetch would normalise "..", "%2e" and the like) -------

function send(client, method, path, { body, headers = {}, csrf = true, contentType = 'application/json' } = {}) {
  const h = { ...headers };
  const jar = client ? [client.cookie, client.device].filter(Boolean).join('; ') : '';
  if (jar && !('cookie' in h)) h.cookie = jar;
  if (client?.bearer) h.authorization = `Bearer ${client.bearer}`;
  if (csrf && client?.csrf && !['GET', 'HEAD', 'OPTIONS'].includes(method)) h['x-csrf-token'] ??= client.csrf;
  let data = null;
  if (body !== undefined) {
    data = Buffer.isBuffer(body) ? body : Buffer.from(body);
    if (contentType && !('content-type' in h)) h['content-type'] = contentType;
    if (!('transfer-encoding' in h)) h['content-length'] = data.length;
  }
  const url = new URL(BASE);
  return new Promise((resolve, reject) => {
    const req = http.request({ method, hostname: url.hostname, port: url.port, path, headers: h, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { json = null; }
        const out = { status: res.statusCode, headers: res.headers, json, text };
        try { if (method !== 'HEAD') checkExchange(method, BASE + path, undefined, true, out); } catch (e) { reject(e); return; }
        resolve(out);
      });
    });
    req.on('error', reject);
    if (data) req.end(data);
    else req.end();
  });
}

// ---- the document and the fixture -----------------------------------------------------------

let doc, ops, fx;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const deref = (s) => { while (s && s.$ref) s = s.$ref.split('/').slice(1).reduce((o, k) => o?.[k], doc); return s; };

/** The operation's JSON request schema when it is an object (raw bodies — files — are not). */
function objectSchema(op) {
  if (op['x-raw-body']) return null;
  const s = deref(op.requestBody?.content?.['application/json']?.schema);
  return s && s.type === 'object' ? s : null;
}

/** Ajv over the document's components: does a property's schema accept a value? */
let ajv;
const validators = new Map();
function rewrite(node) {
  if (Array.isArray(node)) return node.map(rewrite);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) =>
    [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', 'dti#/$defs/') : rewrite(v)]));
}
function accepts(schema, value) {
  if (!ajv) {
    ajv = new Ajv({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'dti', $defs: rewrite(doc.components.schemas) });
  }
  const key = JSON.stringify(schema);
  if (!validators.has(key)) validators.set(key, ajv.compile(rewrite(schema)));
  return validators.get(key)(value);
}

/** Path parameters filled with the fixture's own resources (by the segment before them). */
function fill(template, override = {}) {
  return template.replace(/\{([^}]+)\}/g, (_, name, off) => {
    if (name in override) return override[name];
    if (name === 'unit') return String(fx.unit.id);
    const seg = template.slice(0, off).split('/').filter(Boolean).pop();
    return String({ units: fx.unit.id, users: fx.staff.user.id, tokens: fx.token.id, rounds: fx.round.id,
      tasks: fx.task.id, frameworks: fx.frameworkId, evidence: fx.evidence, appraisers: fx.assignment }[seg] ?? 1);
  });
}

/** Who sends an operation's odd requests: someone its roles let through the gates. */
function caller(op) {
  const roles = op['x-roles'];
  if (roles.length === 0) return new Client();
  if (roles.includes('admin')) return fx.admin;
  if (roles.includes('staff')) return fx.staff.client;
  if (roles.includes('appraiser')) return fx.appraiser.client;
  return fx.admin;
}

/** Everything the odd requests could have changed: every GET of the fixture's resources. */
async function snapshot() {
  const out = {};
  for (const { method, template, op } of ops) {
    if (method !== 'GET' || !template.includes('{')) continue;
    const r = await send(caller(op), 'GET', fill(template));
    // a file (.xlsx, .zip) carries its creation time: its status is what must not change
    out[template] = r.status + ' ' + (r.headers['content-type']?.includes('json') ? r.text : '');
  }
  return out;
}

async function auditByUs() {
  const r = expectStatus(await fx.admin.get('/audit?limit=200'), 200);
  const ours = new Set([fx.adminUser.id, fx.staff.user.id, fx.appraiser.user.id, fx.spare.user.id]);
  return r.entries.filter((e) => e.id > fx.auditHead && ours.has(e.actor?.user_id));
}

before(async () => {
  doc = expectStatus(await new Client().get('/openapi.json'), 200);
  ops = [];
  for (const [template, item] of Object.entries(doc.paths))
    for (const m of METHODS) if (item[m]) ops.push({ method: m.toUpperCase(), template, op: item[m] });
  const root = await loginAdmin();
  const unit = await createUnit(root, { name: 'Sở thử ngoài ' + uniq('') });
  const { client: admin, user: adminUser } = await newAdminClient(root, (await rootUnit(root)).id);
  const staff = await newUserClient(root, { role: 'staff', unit_id: unit.id });
  const spare = await newUserClient(root, { role: 'leader', unit_id: unit.id });
  const fws = expectStatus(await admin.get('/frameworks'), 200).frameworks;
  const fw = fws.find((f) => f.id === 'hue-cap-so-2023') ?? fws[0];
  const round = expectStatus(await admin.post('/rounds', {
    title: 'Đợt thử đầu vào lạ ' + uniq(''), year: Number(vnDate().slice(0, 4)),
    frameworks: [{ level: 'department', framework_id: fw.id, version: fw.version }],
    units: { levels: [], include: [unit.id] }, phases: phasesAt('self_assessment'),
  }), 201, 'create round');
  const task = expectStatus(await admin.get(`/tasks?round_id=${round.id}&unit_id=${unit.id}&limit=1`), 200).tasks[0];
  const token = expectStatus(await admin.post('/tokens', { name: 'Nguồn dữ liệu thử ' + uniq(''), unit_id: unit.id, role: 'feed' }), 201).token;
  const appraiser = await newUserClient(root, { role: 'appraiser', unit_id: (await createUnit(root, { name: 'Đơn vị thẩm định ngoài ' + uniq('') })).id });
  const assignment = expectStatus(await admin.post(`/rounds/${round.id}/appraisers`, { level: 'department', appraiser_user_id: appraiser.user.id }), 201, 'assign');
  let evidence = 1;
  if (await evidenceAvailable()) {
    await addEvidence(staff.client, task.id);
    evidence = expectStatus(await staff.client.get(`/tasks/${task.id}/evidence`), 200).evidence[0]?.id ?? 1;
  }
  fx = { admin, adminUser, unit, staff, spare, appraiser, round, task, token, frameworkId: fw.id, evidence, assignment: assignment.id };
  fx.auditHead = expectStatus(await admin.get('/audit?limit=1'), 200).entries[0].id;
  fx.before = await snapshot();
});

/** Runs fn over every operation, collecting failures so one run reports them all. */
async function eachOp(filter, fn) {
  const failures = [];
  let n = 0;
  for (const o of ops) {
    if (!filter(o)) continue;
    n++;
    try { await fn(o); } catch (e) { failures.push(`${o.method} ${o.template}: ${e.message.split('\n')[0]}`); }
  }
  assert.ok(n > 0, 'no operation matched');
  assert.deepEqual(failures, [], failures.join('\n'));
}

const isLogout = (o) => o.template.endsWith('/auth/logout');

// ---- paths ----------------------------------------------------------------------------------

const ODD_IDS = ['0', '-1', '01', '1e3', '1.5', '+1', '%201', '1%20', '9223372036854775808',
  '18446744073709551616', '9'.repeat(40), 'x'.repeat(2048), 'abc', '%2F1', '1%2F', '%2e%2e', '..', '%00', '%C3%28'];

test('odd ids in every path parameter: 4xx, Vietnamese, nothing found', async () => {
  await eachOp((o) => o.template.includes('{') && !isLogout(o), async ({ method, template, op }) => {
    const c = caller(op);
    for (const name of [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])) {
      for (const id of ODD_IDS) {
        if (template.startsWith('/api/v1/frameworks/') && /^[a-z0-9.]+$/i.test(id)) continue; // a text id
        const path = fill(template, { [name]: id });
        const r = await send(c, method, path, objectSchema(op) ? { body: '{}' } : {});
        refused(`${method} ${path.slice(0, 100)}`, r, { statuses: [400, 403, 404, 405, 409, 422] });
      }
    }
  });
});

test('a trailing slash, an empty segment or a dot segment is no route of the API', async () => {
  await eachOp((o) => !isLogout(o), async ({ method, template, op }) => {
    const c = caller(op);
    const path = fill(template);
    for (const p of [path + '/', path.replace('/api/v1/', '/api/v1//'), path + '/.', path + '/%2e']) {
      refused(`${method} ${p}`, await send(c, method, p), { statuses: [400, 404, 405] });
    }
  });
});

// ---- query parameters -----------------------------------------------------------------------

test('query parameters: unknown, repeated, nameless, undecodable, mistyped — each named', async () => {
  await eachOp((o) => o.method === 'GET', async ({ template, op }) => {
    const c = caller(op);
    const path = fill(template);
    refused(`${path}?zzz=1`, await send(c, 'GET', path + '?zzz=1'), { statuses: [400], codes: ['unknown_parameter'], field: 'zzz' });
    refused(`${path}?=1`, await send(c, 'GET', path + '?=1'), { statuses: [400], codes: ['unknown_parameter'] });
    for (const q of (op.parameters ?? []).filter((p) => p.in === 'query')) {
      const n = q.name;
      refused(`${path}?${n} twice`, await send(c, 'GET', `${path}?${n}=1&${n}=1`), { statuses: [400], codes: ['duplicate_parameter'], field: n });
      for (const v of ['%FF', '%00', '%zz'])
        refused(`${path}?${n}=${v}`, await send(c, 'GET', `${path}?${n}=${v}`), { statuses: [400], codes: ['invalid_value'], field: n });
      if (q.schema?.type === 'integer') {
        for (const v of ['', 'abc', '-1', '%2B1', '%201', '1e3', '1.5', '01', '99999999999999999999', '9223372036854775808'])
          refused(`${path}?${n}=${v}`, await send(c, 'GET', `${path}?${n}=${v}`), { statuses: [400], codes: ['invalid_value', 'invalid_version'], field: n });
      }
      if (q.schema?.enum) {
        refused(`${path}?${n}=zzz`, await send(c, 'GET', `${path}?${n}=zzz`), { statuses: [400], field: n });
      }
    }
  });
});

// ---- methods --------------------------------------------------------------------------------

test('HEAD answers like GET without a body; OPTIONS and unknown methods are 405 with Allow', async () => {
  const paths = [...new Set(ops.map((o) => o.template))];
  const failures = [];
  for (const template of paths) {
    const item = doc.paths[template];
    const allowed = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    const op = item.get ?? item[allowed[0].toLowerCase()];
    const c = caller(op);
    const path = fill(template);
    try {
      if (item.get && !template.endsWith('/download')) {
        const g = await send(c, 'GET', path), h = await send(c, 'HEAD', path);
        assert.equal(h.status, g.status, `HEAD ${path}`);
        assert.equal(h.text, '', `HEAD ${path} sent a body`);
      }
      for (const m of ['OPTIONS', 'FOO', 'PROPFIND']) {
        const r = await send(c, m, path);
        refused(`${m} ${path}`, r, { statuses: [405], codes: ['method_not_allowed'] });
        assert.deepEqual(r.headers.allow.split(/,\s*/).sort(), allowed.sort(), `${m} ${path}: Allow`);
      }
    } catch (e) { failures.push(e.message.split('\n')[0]); }
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});

// ---- bodies ---------------------------------------------------------------------------------

const NOT_OBJECTS = ['not json', 'null', '[]', '[{}]', '"s"', '1', 'true', '{} {}', '{"a":1,}', '{\'a\':1}',
  'NaN', '{"a":NaN}', '{"a":Infinity}', '{"a":-Infinity}', '{"a":01}', '{"a":1e400}', '{"a":99999999999999999999}',
  '{"a":"x\\u0000"}', '{"a":"\\ud800"}', '{"a":"x', '\u00a0{}', '\ufeff\ufeff{}', '{'.repeat(40) + '}'.repeat(40)];

/** Whether the operation's roles let its caller through the gates (else the refusal is 403). */
const permitted = (op) => op['x-roles'].length === 0 || ['admin', 'staff', 'appraiser'].some((r) => op['x-roles'].includes(r));

test('bodies that are not one JSON object: 400 saying what is wrong, on every JSON route', async () => {
  await eachOp((o) => objectSchema(o.op) && !isLogout(o), async ({ method, template, op }) => {
    const c = caller(op), path = fill(template), schema = objectSchema(op);
    const codes = ['invalid_json', 'body_not_object', 'json_too_deep'];
    for (const b of NOT_OBJECTS) refused(`${method} ${path} ${JSON.stringify(b).slice(0, 40)}`, await send(c, method, path, { body: b }), { statuses: [400], codes });
    refused(`${method} ${path} invalid UTF-8`, await send(c, method, path, { body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]) }), { statuses: [400], codes });
    refused(`${method} ${path} Latin-1`, await send(c, method, path, { body: Buffer.from('{"a":"Sở"}', 'latin1') }), { statuses: [400], codes });
    const dup = Object.keys(schema.properties ?? {})[0] ?? 'zzz';
    refused(`${method} ${path} duplicate key`, await send(c, method, path, { body: `{"${dup}":1,"${dup}":2}` }), { statuses: [400], codes: ['invalid_json'], field: dup });
    // a route that needs fields says an absent, empty or blank body is empty (docs/api.md)
    if (schema.required?.length) {
      // (retire answers missing_field “reason” even then: unittree.test.mjs holds it to that)
      for (const b of [undefined, '', ' \r\n\t', '\ufeff', '{}']) {
        const e = refused(`${method} ${path} body ${JSON.stringify(b)}`, await send(c, method, path, { body: b }), { statuses: [400, 422], codes: ['invalid_json', 'missing_field'] });
        if (e.code === 'missing_field') assert.ok(schema.required.includes(e.field), `${method} ${path} ${JSON.stringify(b)}: names a required field, not ${e.field}`);
        else assert.ok(b !== '{}' && /trống/.test(e.message), `${method} ${path} ${JSON.stringify(b)}: ${e.message}`);
      }
    }
  });
});

/** Values a property's schema refuses (wrong type, null where not nullable, out of range). */
const CANDIDATES = [5, -1, 0, 1.5, 1e300, -0.001, '8,5', '1e3', 'abc', '', true, {}, [], [1], null, { a: 1 }];

test('each property of each request schema with a value its schema refuses: refused, naming it', async () => {
  await eachOp((o) => objectSchema(o.op)?.properties && !isLogout(o), async ({ method, template, op }) => {
    const c = caller(op), path = fill(template);
    const statuses = [400, 403, 404, 409, 422];
    for (const [k, ps] of Object.entries(objectSchema(op).properties)) {
      // null for an optional field is read as "not given" (json_read.c field_get): not odd
      const required = objectSchema(op).required?.includes(k);
      for (const v of CANDIDATES.filter((v) => !accepts(ps, v) && (v !== null || required))) {
        const r = await send(c, method, path, { body: JSON.stringify({ [k]: v }) });
        const e = refused(`${method} ${path} ${k}=${JSON.stringify(v)}`, r, { statuses });
        if (['invalid_type', 'out_of_range'].includes(e.code))
          assert.ok(e.field === k || e.field?.startsWith(k + '.') || e.field?.startsWith(k + '['), `${method} ${path} ${k}=${JSON.stringify(v)}: field ${e.field}`);
      }
      if (accepts(ps, 'abc') || accepts(ps, 'a')) { // free text: never stored with what a reader cannot see
        const big = 'ầ'.repeat(34000);
        if (permitted(op))
          refused(`${method} ${path} ${k}=100 KB`, await send(c, method, path, { body: JSON.stringify({ [k]: big }) }), { statuses: [400], codes: ['string_too_long'], field: k });
        for (const t of ['a\u0007b', 'a\u202eb', 'a\u2066b\u2069', 'a\u0085b', 'a\u0000b'])
          refused(`${method} ${path} ${k}=${JSON.stringify(t)}`, await send(c, method, path, { body: JSON.stringify({ [k]: t }) }), { statuses });
      }
    }
    const e = refused(`${method} ${path} unknown key`, await send(c, method, path, { body: '{"zzz_unknown":1}' }), { statuses: permitted(op) ? [400] : statuses });
    if (e.code === 'unknown_field') assert.equal(e.field, 'zzz_unknown');
  });
});

test('a body sent to a route that takes none is refused', async () => {
  await eachOp((o) => !o.op.requestBody && o.method !== 'GET' && !isLogout(o), async ({ method, template, op }) => {
    const path = fill(template);
    refused(`${method} ${path} {"zzz":1}`, await send(caller(op), method, path, { body: '{"zzz":1}' }), { statuses: [400, 403, 404, 409] });
  });
  // logout: refused too, and the session stays
  refused('logout with a body', await send(fx.spare.client, 'POST', '/api/v1/auth/logout', { body: '{"zzz":1}' }), { statuses: [400] });
  expectStatus(await fx.spare.client.get('/me'), 200, 'still logged in');
});

test('raw-file routes refuse what is not their file; the import report saves nothing', async () => {
  await eachOp((o) => o.op.requestBody && !objectSchema(o.op), async ({ method, template, op }) => {
    const c = caller(op), path = fill(template);
    for (const b of ['not a file', '', '{}', '\u0000\u0001', 'PK\u0003\u0004garbage'])
      refusedOrReport(`${method} ${path} ${JSON.stringify(b)}`, await send(c, method, path, { body: b, contentType: 'application/octet-stream' }));
  });
});

// ---- HTTP headers ---------------------------------------------------------------------------

test('Content-Type, charset and Content-Encoding of a body', async () => {
  await eachOp((o) => o.op.requestBody && !isLogout(o), async ({ method, template, op }) => {
    const c = caller(op), path = fill(template);
    refused(`${method} ${path} gzip`, await send(c, method, path, { body: '{}', headers: { 'content-encoding': 'gzip' } }), { statuses: [415], codes: ['unsupported_encoding'] });
    if (!objectSchema(op)) return;
    for (const ct of [null, 'text/plain', 'application/x-www-form-urlencoded', 'application/json-patch+json',
      'application/json; charset=latin1', 'application/json; charset="iso-8859-1"', 'application/json; charset=utf-16'])
      refused(`${method} ${path} ${ct}`, await send(c, method, path, { body: '{}', contentType: ct }), { statuses: [415], codes: ['unsupported_media_type'] });
  });
});

test('CSRF: a state-changing request with a session but no or a stale token is refused', async () => {
  await eachOp((o) => o.op['x-csrf'] && o.op['x-roles'].length > 0 && permitted(o.op) && !isLogout(o), async ({ method, template, op }) => {
    const c = caller(op), path = fill(template);
    const body = objectSchema(op) ? '{}' : undefined;
    refused(`${method} ${path} no token`, await send(c, method, path, { body, csrf: false }), { statuses: [403], codes: ['csrf_invalid'] });
    refused(`${method} ${path} stale token`, await send(c, method, path, { body, headers: { 'x-csrf-token': 'a'.repeat(64) } }), { statuses: [403], codes: ['csrf_invalid'] });
    refused(`${method} ${path} empty token`, await send(c, method, path, { body, headers: { 'x-csrf-token': '' } }), { statuses: [403], codes: ['csrf_invalid'] });
  });
});

test('chunked bodies and Expect: 100-continue are read like any other', async () => {
  const r1 = await send(fx.admin, 'POST', '/api/v1/units', { body: '{"code":5}', headers: { 'transfer-encoding': 'chunked' } });
  refused('chunked', r1, { statuses: [400], codes: ['invalid_type'], field: 'code' });
  const r2 = await send(fx.admin, 'POST', '/api/v1/units', { body: '{"code":5}', headers: { expect: '100-continue' } });
  refused('expect', r2, { statuses: [400], codes: ['invalid_type'], field: 'code' });
});

test('the session of a disabled user and a session cookie sent twice open nothing', async () => {
  const victim = await newUserClient(fx.admin, { role: 'leader', unit_id: fx.unit.id });
  fx.victim = victim.user.id;
  const cookie = victim.client.cookie;
  expectStatus(await fx.admin.post(`/users/${victim.user.id}/disable`, {}), 200, 'disable');
  await eachOp((o) => o.op['x-roles'].length > 0, async ({ method, template, op }) => {
    const path = fill(template);
    const r = await send(null, method, path, { body: objectSchema(op) ? '{}' : undefined, headers: { cookie, 'x-csrf-token': victim.client.csrf } });
    refused(`${method} ${path} disabled user`, r, { statuses: [401], codes: ['unauthenticated'] });
  });
  for (const jar of [`${fx.staff.client.cookie}; dti_session=${'0'.repeat(64)}`, `dti_session=${'0'.repeat(64)}; ${fx.staff.client.cookie}`,
    `${cookie}; ${fx.staff.client.cookie}`, `${fx.staff.client.cookie}; ${cookie}`]) {
    refused(`two session cookies: ${jar.replace(/[0-9a-f]{20,}/g, '…')}`, await send(null, 'GET', '/api/v1/me', { headers: { cookie: jar } }), { statuses: [400], codes: ['duplicate_cookie'] });
  }
});

// ---- nothing changed -----------------------------------------------------------------------

test('after all of it: no audit entry by the test\'s users, every resource reads the same', async () => {
  // node:test runs a file's tests in order: this one comes last
  const entries = await auditByUs();
  // the one deliberate change: the disabled user's account
  const unexpected = entries.filter((e) => String(e.entity_id) !== String(fx.victim));
  assert.deepEqual(unexpected.map((e) => `${e.action} ${e.entity} ${e.entity_id}`), []);
  const after = await snapshot();
  for (const k of Object.keys(fx.before)) assert.equal(after[k], fx.before[k], `GET ${k} changed`);
});
