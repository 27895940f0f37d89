// contract.mjs — every API answer a test receives is checked against openapi.json (the
// contract generated from src/api/routes.c + src/api/schemas_*.c), with Ajv (web/node_modules,
// installed by scripts/install-deps.sh from web/package-lock.json).
//
// checkExchange() finds the operation (method + path template), takes the response of the
// answer's status (or `default`), and validates the body against its schema; an answer that
// does not match throws, naming the operation, the status, what is wrong and the body. An
// answer of an unknown route must be an Error (4xx/5xx) — never a success.
//
// DTI_STRICT_REQUESTS=1 also checks what the tests send: a body the contract refuses (or a body
// sent to a route that takes none) must not be answered 2xx, or the server accepted something
// the contract says it refuses (or the schema is too strict).
//
// The document comes from `$DTI_BIN openapi` (the server's own binary, no server needed).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const Ajv = require('ajv');

const STRICT_REQUESTS = process.env.DTI_STRICT_REQUESTS === '1';
const PREFIX = '#/components/schemas/';

let state = null;

/** #/components/schemas/X -> dti#/$defs/X, so one registered schema holds every component. */
function rewrite(node) {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node && typeof node === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith(PREFIX) ? `dti#/$defs/${v.slice(PREFIX.length)}` : rewrite(v);
    }
    return out;
  }
  return node;
}

function load() {
  if (state) return state;
  const bin = process.env.DTI_BIN ?? 'build/dti';
  const doc = JSON.parse(execFileSync(bin, ['openapi'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  // strict: an unknown keyword (a typo such as "requried") in a schema is an error, not ignored
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
  // OpenAPI 3.0's formats and annotation keywords (an unknown one would be a compile error)
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  ajv.addFormat('uri', (s) => { try { return Boolean(new URL(s)); } catch { return false; } });
  for (const f of ['int32', 'int64', 'float', 'double']) ajv.addFormat(f, { type: 'number', validate: () => true });
  for (const f of ['byte', 'binary', 'password']) ajv.addFormat(f, () => true);
  ajv.addVocabulary(['example', 'externalDocs', 'xml', 'discriminator']);
  ajv.addSchema({ $id: 'dti', $defs: rewrite(doc.components.schemas) });
  const ops = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const re = new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '$');
    for (const [method, op] of Object.entries(item)) ops.push({ method: method.toUpperCase(), template, re, op });
  }
  state = { doc, ajv, ops, cache: new Map() };
  return state;
}

function resolveResponse(doc, r) {
  while (r && r.$ref) r = r.$ref.split('/').slice(1).reduce((o, k) => o?.[k], doc);
  return r;
}

function validator(key, schema) {
  const s = load();
  let v = s.cache.get(key);
  if (!v) {
    v = s.ajv.compile(rewrite(schema));
    s.cache.set(key, v);
  }
  return v;
}

function describe(errors) {
  return errors.slice(0, 8).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`).join('; ');
}

function fail(what, detail, text) {
  const err = new Error(`${what} does not match openapi.json: ${detail}\n  body: ${String(text).slice(0, 600)}`);
  err.name = 'ContractError';
  throw err;
}

/** The operation of method + URL path (no query), or null. */
export function findOperation(method, pathname) {
  const m = method.toUpperCase();
  return load().ops.find((o) => o.method === m && o.re.test(pathname)) ?? null;
}

/**
 * Checks one exchange. url: absolute or a path; body: the JSON value sent (undefined: none;
 * raw bodies are not checked); res: {status, text, json}.
 */
export function checkExchange(method, url, body, raw, res) {
  const u = new URL(url, 'http://x');
  if (!u.pathname.startsWith('/api/') || method === 'HEAD') return;
  const { doc } = load();
  const found = findOperation(method, u.pathname);
  const what = `${method} ${u.pathname} → ${res.status}`;
  let schema;
  if (!found) {
    if (res.status < 400) fail(what, 'no such operation in openapi.json, yet a success', res.text);
    schema = doc.components.schemas.Error;
  } else {
    const resp = resolveResponse(doc, found.op.responses?.[String(res.status)] ?? found.op.responses?.default);
    if (!resp) fail(what, `status ${res.status} is not documented`, res.text);
    schema = resp.content?.['application/json']?.schema;
    // A file download (an .xlsx, a CSV): documented under its own media type, not JSON.
    if (!schema && resp.content && Object.keys(resp.content).length > 0) return;
    if (!schema) {
      if (res.text !== '') fail(what, 'the response has no body in the contract, the server sent one', res.text);
      schema = null;
    }
    if (STRICT_REQUESTS && !raw && res.status >= 200 && res.status < 300) checkRequest(found, what, body);
  }
  if (!schema) return;
  if (res.json === null && res.text.trim() !== 'null') fail(what, 'the body is not JSON', res.text);
  const v = validator(found ? `${found.method} ${found.template} ${res.status}` : 'Error', schema);
  if (!v(res.json)) fail(what, describe(v.errors), res.text);
}

function checkRequest(found, what, body) {
  const rb = found.op.requestBody?.content?.['application/json']?.schema;
  if (!rb) {
    // {} is no field at all: the server reads it as no body
    const empty = body && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0;
    if (body !== undefined && !empty) fail(what, 'a body was sent to a route that takes none, and accepted', JSON.stringify(body));
    return;
  }
  if (body === undefined) return;
  const v = validator(`${found.method} ${found.template} request`, rb);
  if (!v(body)) fail(`${what} (request)`, 'accepted a body the contract refuses: ' + describe(v.errors), JSON.stringify(body));
}
