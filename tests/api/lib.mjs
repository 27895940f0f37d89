// lib.mjs — helpers shared by every API test file (Node 18+, global fetch; Ajv from
// web/node_modules checks every answer against openapi.json: contract.mjs).
//
// Environment (set by tests/api/run.sh):
//   DTI_URL                  base URL of the server under test, e.g. http://127.0.0.1:18090
//   DTI_DB_URL               its database URL
//   DTI_ADMIN_PASSWORD_FILE  the one-time admin password written by `dti init`
//   DTI_ENGINE               sqlite | postgres
//   DTI_BIN                  the dti binary (default build/dti)
//
// Test files run in parallel processes. loginAdmin() serializes the admin's forced password
// change across them with a lock directory and records the new password next to the
// one-time one, so every file can log in as admin. Tests must not change or reset the admin's
// password themselves: create a user for that (createUser + loginAs).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';

import { checkExchange } from './contract.mjs';

export const BASE = (process.env.DTI_URL ?? 'http://127.0.0.1:18090').replace(/\/$/, '');
export const ENGINE = process.env.DTI_ENGINE ?? 'sqlite';
export const DB_URL = process.env.DTI_DB_URL ?? '';
export const DTI_BIN = process.env.DTI_BIN ?? 'build/dti';
export const API = '/api/v1';

/** The Set-Cookie lines of a reply. Debian 12's Node 18 takes fetch from its own undici 5.15,
 *  whose Headers lack getSetCookie(); there the joined header is split before each `name=`
 *  (an Expires date's comma is followed by a day, not by a name). */
export function setCookies(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const joined = headers.get('set-cookie');
  return joined ? joined.split(/,\s*(?=[!#$%&'*+.^_`|~0-9A-Za-z-]+=)/) : [];
}

/** A password any reasonable policy accepts, different each call. */
export function strongPassword() {
  return `Dti-${randomBytes(12).toString('base64url')}-9x!`;
}

/** Unique suffix for codes and usernames (several files and runs share one database). */
let seq = 0;
export function uniq(prefix = 't') {
  return `${prefix}${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}${(seq++).toString(36)}`;
}

/**
 * An HTTP client that keeps the session cookie and sends X-CSRF-Token on state-changing
 * requests, like the web UI does. Responses: {status, headers, json, text}.
 */
export class Client {
  constructor(base = BASE) {
    this.base = base;
    this.cookie = null; // "dti_session=..."
    this.device = null; // "dti_device=...": set by a successful login, like a browser keeps it
    this.csrf = null;
    this.bearer = null;
    this.user = null;
  }

  async request(method, path, body, { headers = {}, raw = false, csrf = true } = {}) {
    const h = { ...headers };
    const jar = [this.cookie, this.device].filter(Boolean).join('; ');
    if (jar) h.cookie = jar;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (csrf && this.csrf && !['GET', 'HEAD', 'OPTIONS'].includes(method)) h['x-csrf-token'] = this.csrf;
    let payload;
    if (body !== undefined) {
      if (raw) payload = body;
      else {
        payload = JSON.stringify(body);
        h['content-type'] ??= 'application/json';
      }
    }
    const url = path.startsWith('http') ? path : this.base + (path.startsWith(API) ? path : API + path);
    const res = await fetch(url, { method, headers: h, body: payload, redirect: 'manual' });
    for (const c of setCookies(res.headers)) {
      const m = /^dti_session=([^;]*)/.exec(c);
      if (m) this.cookie = m[1] && !/max-age=0/i.test(c) ? `dti_session=${m[1]}` : null;
      const d = /^dti_device=([0-9a-f]+)/.exec(c);
      if (d) this.device = `dti_device=${d[1]}`;
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    const out = { status: res.status, headers: res.headers, json, text };
    checkExchange(method, url, body, raw, out);
    return out;
  }

  get(path, opts) { return this.request('GET', path, undefined, opts); }
  post(path, body, opts) { return this.request('POST', path, body, opts); }
  patch(path, body, opts) { return this.request('PATCH', path, body, opts); }
  put(path, body, opts) { return this.request('PUT', path, body, opts); }
  delete(path, opts) { return this.request('DELETE', path, undefined, opts); }

  /** POST /auth/login; keeps cookie and csrf token on success. */
  async login(username, password) {
    const r = await this.post('/auth/login', { username, password }, { csrf: false });
    if (r.status === 200) {
      this.csrf = r.json.csrf_token;
      this.user = r.json.user;
    }
    return r;
  }

  /** POST /auth/login/second-factor (the pending login's token and a code); keeps the session. */
  async loginSecondFactor(pendingToken, code) {
    const r = await this.post('/auth/login/second-factor', { pending_token: pendingToken, code }, { csrf: false });
    if (r.status === 200) {
      this.csrf = r.json.csrf_token;
      this.user = r.json.user;
    }
    return r;
  }

  /** GET /me and refresh the csrf token (it may change after a password change). */
  async me() {
    const r = await this.get('/me');
    if (r.status === 200) {
      this.csrf = r.json.csrf_token ?? this.csrf;
      this.user = r.json.user;
    }
    return r;
  }

  /** POST /auth/password, then refresh the session state. */
  async changePassword(current, next) {
    const r = await this.post('/auth/password', { current_password: current, new_password: next });
    if (r.status === 204) await this.me();
    return r;
  }
}

/** Asserts a status, printing the body when it differs (much easier to debug). */
export function expectStatus(res, status, what = '') {
  assert.equal(res.status, status, `${what} expected HTTP ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  return res.json;
}

/** Asserts the documented error shape and returns the error object. */
export function expectError(res, status, code, field) {
  expectStatus(res, status, code);
  assert.ok(res.json && res.json.error, `error body expected: ${res.text}`);
  const e = res.json.error;
  if (code) assert.equal(e.code, code, `error code: ${res.text}`);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 0, 'error message must not be empty');
  if (field !== undefined) assert.equal(e.field, field, `error field: ${res.text}`);
  return e;
}

// ---- cross-process lock for the admin's first login ------------------------------------

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

async function withLock(dir, fn) {
  for (let i = 0; ; i++) {
    try {
      fs.mkdirSync(dir);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      if (i > 600) throw new Error(`lock ${dir} held for 60 s`);
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Logs in as a user who must change a one-time password: logs in, changes it to a strong
 * one, and returns {client, password}.
 */
export async function loginAs(username, oneTimePassword, base = BASE) {
  const c = new Client(base);
  const r = await c.login(username, oneTimePassword);
  expectStatus(r, 200, `login ${username}`);
  let password = oneTimePassword;
  if (r.json.user.must_change_password) {
    password = strongPassword();
    expectStatus(await c.changePassword(oneTimePassword, password), 204, 'forced password change');
    assert.equal(c.user.must_change_password, false);
  }
  return { client: c, password };
}

/** RFC 6238 TOTP (HMAC-SHA1, 6 digits) of a base32 secret for time step `step`. */
export function totpCode(secretB32, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretB32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(msg).digest();
  const off = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(off) & 0x7fffffff) % 1e6).padStart(6, '0');
}

/** The current TOTP time step (30 s). */
export function totpStep(now = Date.now()) { return Math.floor(now / 30000); }

/**
 * A code for a step the server has not seen yet (it accepts each step once, ±1 step of
 * drift): the current step, or the next one once the current one is used — waiting for it
 * when it is more than one step ahead. `lastFile` records the last step used.
 */
const lastSteps = new Map(); // secret -> last step used, when no file is given
export async function freshTotp(secret, lastFile) {
  const last = lastFile ? (fs.existsSync(lastFile) ? Number(fs.readFileSync(lastFile, 'utf8')) : 0)
    : (lastSteps.get(secret) ?? 0);
  const step = Math.max(totpStep(), last + 1);
  while (step > totpStep() + 1) await sleep(500);
  if (lastFile) fs.writeFileSync(lastFile, String(step));
  else lastSteps.set(secret, step);
  return totpCode(secret, step);
}

/** Enrols c's user in TOTP; returns {secret, otpauth_uri, recovery_codes}. */
export async function enrolTotp(c) {
  const e = expectStatus(await c.post('/auth/totp/enrol', {}), 200, 'TOTP enrolment');
  const code = await freshTotp(e.secret);
  const r = expectStatus(await c.post('/auth/totp/confirm', { code }), 200, 'TOTP confirmation');
  return { ...e, recovery_codes: r.recovery_codes };
}

/** Logs in with password then a fresh TOTP code; returns the client. */
export async function loginWithTotp(username, password, secret, base = BASE) {
  const c = new Client(base);
  const r = expectStatus(await c.login(username, password), 200, `login ${username}`);
  assert.equal(r.second_factor_required, true, 'second factor expected');
  expectStatus(await c.loginSecondFactor(r.pending_token, await freshTotp(secret)), 200, 'second factor');
  return c;
}

/** A new admin account (password changed, TOTP enrolled): {client, user, password, secret, recovery_codes}. */
export async function newAdminClient(admin, unitId) {
  const { user, password: otp } = await createUser(admin, { role: 'admin', unit_id: unitId });
  const { client, password } = await loginAs(user.username, otp);
  const e = await enrolTotp(client);
  return { client, user, password, secret: e.secret, recovery_codes: e.recovery_codes };
}

/**
 * A client logged in as `admin`. The first caller (across all test processes sharing the
 * password file) performs the forced password change and the mandatory TOTP enrolment (secret
 * kept in `<file>.totp`); the session is shared by every caller (`<file>.session`) since each
 * TOTP code is accepted once: a new login happens only when that session has ended.
 * Tests must not log the admin client out: use a user of their own for that.
 */
export async function loginAdmin({ base = BASE, passwordFile = process.env.DTI_ADMIN_PASSWORD_FILE } = {}) {
  assert.ok(passwordFile, 'DTI_ADMIN_PASSWORD_FILE is not set');
  const currentFile = `${passwordFile}.current`, totpFile = `${passwordFile}.totp`;
  const sessionFile = `${passwordFile}.session`, stepFile = `${passwordFile}.step`;
  return withLock(`${passwordFile}.lock`, async () => {
    if (fs.existsSync(sessionFile)) {
      const c = new Client(base);
      Object.assign(c, JSON.parse(fs.readFileSync(sessionFile, 'utf8')));
      if ((await c.me()).status === 200) return c;
    }
    let c;
    if (fs.existsSync(currentFile)) {
      c = new Client(base);
      // the same known device each time: its own login budget (a test's wrong guesses at
      // `admin` from elsewhere cannot lock the suite out)
      if (fs.existsSync(sessionFile)) c.device = JSON.parse(fs.readFileSync(sessionFile, 'utf8')).device;
      const r = await c.login('admin', fs.readFileSync(currentFile, 'utf8').trim());
      expectStatus(r, 200, 'admin login');
      if (r.json.second_factor_required) {
        const code = await freshTotp(fs.readFileSync(totpFile, 'utf8').trim(), stepFile);
        expectStatus(await c.loginSecondFactor(r.json.pending_token, code), 200, 'admin TOTP');
      }
    } else {
      const otp = fs.readFileSync(passwordFile, 'utf8').trim();
      const { client, password } = await loginAs('admin', otp, base);
      fs.writeFileSync(`${currentFile}.tmp`, password, { mode: 0o600 });
      fs.renameSync(`${currentFile}.tmp`, currentFile);
      c = client;
    }
    if (!fs.existsSync(totpFile)) {
      const e = expectStatus(await c.post('/auth/totp/enrol', {}), 200, 'admin TOTP enrolment');
      const code = await freshTotp(e.secret, stepFile);
      expectStatus(await c.post('/auth/totp/confirm', { code }), 200, 'admin TOTP confirmation');
      fs.writeFileSync(totpFile, e.secret, { mode: 0o600 });
    }
    await c.me();
    fs.writeFileSync(sessionFile, JSON.stringify({ cookie: c.cookie, csrf: c.csrf, device: c.device }), { mode: 0o600 });
    return c;
  });
}

// ---- fixtures ------------------------------------------------------------------------------

/** The root of the unit tree (the one unit without a parent, of kind province). */
export async function rootUnit(admin) {
  const units = expectStatus(await admin.get('/units'), 200, 'list units').units;
  const root = units.find((u) => u.parent_id === null);
  assert.ok(root, 'the unit tree has a root');
  return root;
}

/** POST /units with a unique code (under the root unless a parent_id is given); returns the Unit. */
export async function createUnit(admin, fields = {}) {
  const parent_id = fields.parent_id ?? (await rootUnit(admin)).id;
  const body = { code: uniq('U'), name: `Đơn vị thử ${uniq('')}`, kind: 'department', parent_id, ...fields };
  return expectStatus(await admin.post('/units', body), 201, 'create unit');
}

/** POST /users in a (new, unless given) unit; returns {user, password: one-time password}. */
export async function createUser(admin, fields = {}) {
  const unitId = fields.unit_id ?? (await createUnit(admin)).id;
  const body = { username: uniq('u'), full_name: 'Người dùng thử', role: 'staff', ...fields, unit_id: unitId };
  const j = expectStatus(await admin.post('/users', body), 201, 'create user');
  assert.ok(j.one_time_password, 'one_time_password expected');
  return { user: j.user, password: j.one_time_password };
}

/** A logged-in client for a new user of the given role (password already changed; an admin
 * also enrolled in TOTP: then `secret` and `recovery_codes` too). */
export async function newUserClient(admin, fields = {}) {
  const { user, password } = await createUser(admin, fields);
  const { client, password: pw } = await loginAs(user.username, password);
  // TOTP is mandatory for admins: enrol, or the account can do nothing else
  if (user.role === 'admin') return { client, user, password: pw, ...(await enrolTotp(client)) };
  return { client, user, password: pw };
}

/** Waits until GET /health answers 200 (or throws after timeoutMs). */
export async function waitHealthy(base = BASE, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    try {
      const r = await fetch(`${base}${API}/health`);
      if (r.status === 200) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await sleep(100);
  }
  throw new Error(`server at ${base} not healthy after ${timeoutMs} ms (${last})`);
}

// ---- requests from a chosen loopback source address ----------------------------------------
// Login throttling counts failures per client address; tests that provoke it send from their
// own 127.0.0.x (Linux routes all of 127/8 to lo) so they never throttle other test files.
import http from 'node:http';

/** One request via node:http from `localAddress`; resolves {status, headers, json, text}
 * (headers: a plain object, set-cookie an array). */
export function requestFrom(localAddress, method, path, body, headers = {}) {
  const url = new URL(path.startsWith('http') ? path : BASE + (path.startsWith(API) ? path : API + path));
  const h = { ...headers };
  let data = null;
  if (body !== undefined) {
    data = Buffer.from(JSON.stringify(body));
    h['content-type'] = 'application/json';
    h['content-length'] = data.length;
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ method, hostname: url.hostname, port: url.port, path: url.pathname + url.search,
      headers: h, localAddress, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { json = null; }
        const out = { status: res.statusCode, headers: res.headers, json, text };
        try { checkExchange(method, url.href, body, false, out); } catch (e) { reject(e); return; }
        resolve(out);
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

/** POST /auth/login from a given source address (no client state kept). */
export function loginFrom(localAddress, username, password) {
  return requestFrom(localAddress, 'POST', '/auth/login', { username, password });
}

/** The unit with this code (retired ones included), via an admin client. */
export async function unitByCode(admin, code) {
  const r = await admin.get('/units?include_retired=1');
  return r.json.units.find((u) => u.code === code);
}

/** Audit entries newer than `afterId` (newest first, up to 200). */
export async function auditSince(admin, afterId) {
  const r = await admin.get('/audit?limit=200');
  return r.json.entries.filter((e) => e.id > afterId);
}

/** Id of the newest audit entry (0 if none). */
export async function auditHead(admin) {
  const r = await admin.get('/audit?limit=1');
  return r.json.entries[0]?.id ?? 0;
}

/**
 * Announces a body of `length` bytes and waits for the answer without sending it: the server
 * must refuse (413) from the headers alone. fetch() cannot do this — it streams the body and
 * gets a connection reset when the server answers early, which made such tests flaky.
 */
export function announceBody(client, method, path, length, contentType = 'application/json') {
  const url = new URL(client.base + (path.startsWith(API) ? path : API + path));
  const headers = { 'content-type': contentType, 'content-length': String(length) };
  if (client.cookie) headers.cookie = client.cookie;
  if (client.csrf) headers['x-csrf-token'] = client.csrf;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        req.destroy();
        let json = null;
        try { json = JSON.parse(text); } catch { json = null; }
        const out = { status: res.statusCode, json, text };
        try { checkExchange(method, url.href, undefined, true, out); } catch (e) { reject(e); return; }
        resolve(out);
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

// part: evidence — one value from the server's database (sqlite3 / psql), for tests that need
// an id no route lists yet (the tasks of a round).
export function sqlValue(q) {
  if (ENGINE === 'postgres') return execFileSync('psql', [DB_URL, '-XAtc', q], { encoding: 'utf8' }).trim();
  return execFileSync('sqlite3', [DB_URL.replace(/^sqlite:/, ''), q], { encoding: 'utf8' }).trim();
}
