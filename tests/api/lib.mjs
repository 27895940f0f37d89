// lib.mjs — a tiny HTTP client for the API tests (node:http, no npm packages).
// Env: DTI_URL (e.g. http://127.0.0.1:18300), DTI_ADMIN_PASSWORD_FILE (the one-time admin
// password written by `dti init --admin-password-file`; the first admin login replaces it with
// a permanent password and writes that back, so later test files can sign in).
import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';

export const BASE = process.env.DTI_URL || 'http://127.0.0.1:18300';
const PWFILE = process.env.DTI_ADMIN_PASSWORD_FILE;

// One request. body: object (sent as JSON), string or Buffer (sent as is), or undefined.
// opts: { headers, localAddress, contentType }
export function request(method, path, body, opts = {}) {
  const url = new URL(path.startsWith('http') ? path : BASE + path);
  let data = null;
  const headers = { ...(opts.headers || {}) };
  if (body !== undefined) {
    data = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    headers['content-type'] = opts.contentType || 'application/json';
    headers['content-length'] = data.length;
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ method, hostname: url.hostname, port: url.port, path: url.pathname + url.search,
      headers, localAddress: opts.localAddress, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

// A signed-in browser-like client: keeps the session cookie and the CSRF token.
export class Client {
  constructor(opts = {}) { this.cookie = null; this.csrf = null; this.localAddress = opts.localAddress; this.bearer = opts.bearer; }
  async req(method, path, body, extra = {}) {
    const headers = { ...(extra.headers || {}) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.bearer) headers.authorization = 'Bearer ' + this.bearer;
    if (this.csrf && method !== 'GET' && !('noCsrf' in extra)) headers['x-csrf-token'] = extra.csrf ?? this.csrf;
    const r = await request(method, '/api/v1' + path, body, { ...extra, headers, localAddress: this.localAddress });
    const sc = r.headers['set-cookie'];
    if (sc) for (const c of sc) {
      const m = /^dti_session=([^;]*)/.exec(c);
      if (m) this.cookie = m[1] ? 'dti_session=' + m[1] : null;
    }
    return r;
  }
  get(p, e) { return this.req('GET', p, undefined, e); }
  post(p, b, e) { return this.req('POST', p, b ?? {}, e); }
  patch(p, b, e) { return this.req('PATCH', p, b, e); }
  async login(username, password) {
    const r = await this.req('POST', '/auth/login', { username, password });
    if (r.status === 200) this.csrf = r.json.csrf_token;
    return r;
  }
}

export function strongPassword() {
  return 'Thử-' + crypto.randomBytes(9).toString('base64url') + '-Huế';
}
export function uniq(prefix) { return prefix + crypto.randomBytes(4).toString('hex'); }

// The administrator, signed in with a permanent password.
export async function admin() {
  if (!PWFILE) throw new Error('DTI_ADMIN_PASSWORD_FILE not set');
  const pw = fs.readFileSync(PWFILE, 'utf8').trim();
  const c = new Client();
  const r = await c.login('admin', pw);
  if (r.status !== 200) throw new Error('admin login failed: ' + r.status + ' ' + r.text);
  if (r.json.user.must_change_password) {
    const np = strongPassword();
    const ch = await c.post('/auth/password', { current_password: pw, new_password: np });
    if (ch.status !== 204) throw new Error('admin password change failed: ' + ch.text);
    fs.writeFileSync(PWFILE + '.tmp', np + '\n', { mode: 0o600 });
    fs.renameSync(PWFILE + '.tmp', PWFILE);
  }
  return c;
}

export async function unitByCode(c, code) {
  const r = await c.get('/units?include_retired=1');
  return r.json.units.find((u) => u.code === code);
}

// Creates a user through the API and signs them in with a permanent password.
export async function newUser(adminClient, { role, unitCode, prefix = 'u' }) {
  const unit = await unitByCode(adminClient, unitCode);
  const username = uniq(prefix);
  const r = await adminClient.post('/users', { username, full_name: 'Người thử ' + username, role, unit_id: unit.id });
  if (r.status !== 201) throw new Error('user create failed: ' + r.text);
  const c = new Client();
  const l = await c.login(username, r.json.one_time_password);
  if (l.status !== 200) throw new Error('login failed: ' + l.text);
  const password = strongPassword();
  const ch = await c.post('/auth/password', { current_password: r.json.one_time_password, new_password: password });
  if (ch.status !== 204) throw new Error('password change failed: ' + ch.text);
  return { id: r.json.user.id, username, password, client: c, unit };
}

// A fingerprint of everything the tests could change: units, users, tokens, newest audit id.
export async function snapshot(adminClient) {
  const [u, us, t, a] = await Promise.all([
    adminClient.get('/units?include_retired=1'), adminClient.get('/users'),
    adminClient.get("/tokens"), adminClient.get("/audit?limit=1")]);
  return JSON.stringify([u.json, us.json.users.map(({ last_login_at, ...x }) => x),
    t.json.tokens.map(({ last_used_at, ...x }) => x),
    a.json.entries[0]?.id]);
}
