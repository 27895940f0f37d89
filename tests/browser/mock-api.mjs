// A stand-in for `dti serve` that follows docs/api.md closely enough to develop and test the web
// UI before (or without) the C server: `node tests/browser/mock-api.mjs PORT build/web PWFILE`.
// It serves build/web with the real server's CSP, so CSP violations show up in tests too.
// Not used by run.sh when build/dti exists.
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { extname, join, normalize } from 'node:path';

const [port = '18611', webDir = 'build/web', pwFile] = process.argv.slice(2);
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:";
const now = () => new Date(Date.now() + 7 * 3600e3).toISOString().replace(/\.\d+Z$/, '+07:00');
const rnd = (n) => randomBytes(n).toString('base64url');

const units = [];
const addUnit = (code, name, kind, parentCode) => units.push({
  id: units.length + 1, code, name, kind, official_code: null, info: {}, created_at: now(), retired_at: null,
  parent_id: parentCode ? units.find((u) => u.code === parentCode).id : null });
addUnit('HUE', 'Tỉnh Thừa Thiên Huế', 'province');
addUnit('STC', 'Sở Tài chính', 'department', 'HUE');
addUnit('STTTT', 'Sở Thông tin và Truyền thông', 'department', 'HUE');
addUnit('CTK', 'Cục Thống kê tỉnh', 'other', 'HUE');
addUnit('NAMDONG', 'Huyện Nam Đông', 'district', 'HUE');
addUnit('KHETRE', 'Thị trấn Khe Tre', 'commune', 'NAMDONG');

const adminPw = rnd(12);
if (pwFile) await writeFile(pwFile, adminPw + '\n');
const users = [{ id: 1, username: 'admin', full_name: 'Quản trị hệ thống', email: null, role: 'admin', unit_id: 1,
  disabled: false, must_change_password: true, created_at: now(), last_login_at: null, password: adminPw }];
const sessions = new Map();
const audit = [];
const frameworks = [];
const failures = new Map();

const pub = (u) => { const { password, ...rest } = u; return rest; };
const log = (s, action, entity, id, oldV, newV) => audit.push({ id: audit.length + 1, at: now(),
  actor: s ? { user_id: s.user.id, username: s.user.username } : { user_id: null, username: 'system' },
  client_addr: '127.0.0.1', action, entity, entity_id: id == null ? null : String(id), old: oldV ?? null, new: newV ?? null });

class HttpErr { constructor(status, code, message, field, errors) { Object.assign(this, { status, code, message, field, errors }); } }
const fail = (...a) => { throw new HttpErr(...a); };

function policy(pw, username) {
  if (pw.length < 10) return 'Mật khẩu phải có tối thiểu 10 ký tự.';
  if (pw.toLowerCase() === username.toLowerCase()) return 'Mật khẩu không được trùng tên đăng nhập.';
  if (['matkhau1234', 'password123', '1234567890'].includes(pw.toLowerCase())) return 'Mật khẩu quá phổ biến, dễ đoán.';
  return null;
}

function checkUnit(b, partial) {
  for (const k of Object.keys(b)) if (!['code', 'name', 'kind', 'parent_id', 'official_code', 'info'].includes(k)) fail(400, 'unknown_field', 'Trường không được hỗ trợ.', k);
  if ((!partial || 'code' in b) && !/^[A-Za-z0-9._-]{1,32}$/.test(b.code ?? '')) fail(400, 'invalid_code', 'Mã đơn vị chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới (tối đa 32 ký tự).', 'code');
  if ((!partial || 'name' in b) && !(b.name && b.name.length <= 200)) fail(400, 'invalid_name', 'Tên đơn vị phải có từ 1 đến 200 ký tự.', 'name');
  if ('info' in b) for (const [k, v] of Object.entries(b.info ?? {})) {
    if (k.endsWith('_count') && !(Number.isInteger(v) && v >= 0)) fail(400, 'invalid_info', 'Phải là số nguyên không âm.', 'info.' + k);
  }
}

async function api(method, path, body, s, req) {
  const seg = path.split('/').filter(Boolean);
  const admin = () => { if (s.user.role !== 'admin') fail(403, 'forbidden', 'Bạn không có quyền thực hiện thao tác này.'); };
  if (method === 'GET' && path === '/health') return [200, { status: 'ok', database: 'ok' }];
  if (method === 'POST' && path === '/auth/login') {
    const u = users.find((x) => x.username === body.username);
    const n = failures.get(body.username) ?? 0;
    if (n >= 5) fail(429, 'too_many_attempts', 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.');
    if (!u || u.password !== body.password) { failures.set(body.username, n + 1); fail(401, 'invalid_credentials', 'Tên đăng nhập hoặc mật khẩu không đúng.'); }
    if (u.disabled) fail(403, 'account_disabled', 'Tài khoản đã bị khoá.');
    const token = rnd(24); const csrf = rnd(24);
    sessions.set(token, { user: u, csrf });
    u.last_login_at = now();
    log({ user: u }, 'session.login', 'user', u.id);
    return [200, { user: pub(u), csrf_token: csrf }, { 'Set-Cookie': `dti_session=${token}; HttpOnly; SameSite=Strict; Path=/` }];
  }
  if (!s) fail(401, 'not_logged_in', 'Vui lòng đăng nhập.');
  if (method !== 'GET' && req.headers['x-csrf-token'] !== s.csrf) fail(403, 'csrf_invalid', 'Phiên làm việc không hợp lệ, vui lòng tải lại trang.');
  if (method === 'GET' && path === '/me') return [200, { user: pub(s.user), unit: units.find((u) => u.id === s.user.unit_id) ?? null, csrf_token: s.csrf }];
  if (method === 'POST' && path === '/auth/logout') { sessions.delete(s.token); return [204, null, { 'Set-Cookie': 'dti_session=; Max-Age=0; Path=/' }]; }
  if (method === 'POST' && path === '/auth/password') {
    if (body.current_password !== s.user.password) fail(400, 'wrong_password', 'Mật khẩu hiện tại không đúng.', 'current_password');
    const p = policy(body.new_password ?? '', s.user.username);
    if (p) fail(422, 'weak_password', p, 'new_password');
    s.user.password = body.new_password; s.user.must_change_password = false;
    for (const [t, x] of sessions) if (x.user === s.user && t !== s.token) sessions.delete(t);
    log(s, 'user.password_change', 'user', s.user.id);
    return [204, null];
  }
  if (s.user.must_change_password) fail(403, 'password_change_required', 'Bạn cần đổi mật khẩu trước.');
  if (seg[0] === 'units') {
    if (method === 'GET' && seg.length === 1) return [200, { units: units.filter((u) => !u.retired_at || req.url.includes('include_retired=1')) }];
    admin();
    if (method === 'POST' && seg.length === 1) {
      checkUnit(body, false);
      if (units.some((u) => u.code === body.code)) fail(409, 'unit_exists', 'Mã đơn vị đã tồn tại.', 'code');
      const u = { id: units.length + 1, official_code: null, info: {}, parent_id: null, ...body, created_at: now(), retired_at: null };
      units.push(u); log(s, 'unit.create', 'unit', u.id, null, body);
      return [201, u];
    }
    const u = units.find((x) => x.id === Number(seg[1])) ?? fail(404, 'not_found', 'Không tìm thấy đơn vị.');
    if (method === 'PATCH') { checkUnit(body, true); const old = { ...u }; Object.assign(u, body); log(s, 'unit.update', 'unit', u.id, old, u); return [200, u]; }
    if (method === 'POST' && seg[2] === 'retire') {
      if (!body.reason) fail(400, 'missing_reason', 'Vui lòng nhập lý do.', 'reason');
      u.retired_at = now(); log(s, 'unit.retire', 'unit', u.id, null, { reason: body.reason }); return [200, u];
    }
  }
  if (seg[0] === 'users') {
    admin();
    if (method === 'GET') { const m = /unit_id=(\d+)/.exec(req.url); return [200, { users: users.filter((u) => !m || u.unit_id === Number(m[1])).map(pub) }]; }
    if (method === 'POST' && seg.length === 1) {
      if (!/^[a-z0-9._-]{3,64}$/.test(body.username ?? '')) fail(400, 'invalid_username', 'Tên đăng nhập gồm 3–64 chữ thường, số, dấu chấm, gạch ngang.', 'username');
      if (users.some((u) => u.username === body.username)) fail(409, 'user_exists', 'Tên đăng nhập đã tồn tại.', 'username');
      const u = { id: users.length + 1, email: null, ...body, disabled: false, must_change_password: true, created_at: now(), last_login_at: null, password: rnd(12) };
      users.push(u); log(s, 'user.create', 'user', u.id, null, pub(u));
      return [201, { user: pub(u), one_time_password: u.password }];
    }
    const u = users.find((x) => x.id === Number(seg[1])) ?? fail(404, 'not_found', 'Không tìm thấy người dùng.');
    if (method === 'PATCH') { const old = pub(u); Object.assign(u, body); log(s, 'user.update', 'user', u.id, old, pub(u)); return [200, pub(u)]; }
    if (seg[2] === 'disable' || seg[2] === 'enable') {
      const old = pub(u); u.disabled = seg[2] === 'disable';
      if (u.disabled) for (const [t, x] of sessions) if (x.user === u) sessions.delete(t);
      log(s, 'user.' + seg[2], 'user', u.id, { disabled: old.disabled }, { disabled: u.disabled }); return [200, pub(u)];
    }
    if (seg[2] === 'reset-password') { u.password = rnd(12); u.must_change_password = true; log(s, 'user.reset_password', 'user', u.id); return [200, { one_time_password: u.password }]; }
  }
  if (seg[0] === 'audit') {
    admin();
    if (seg[1] === 'verify') return [200, { ok: true, entries: audit.length }];
    const q = new URL(req.url, 'http://x').searchParams;
    const limit = Math.min(Number(q.get('limit') ?? 50), 200);
    const before = q.get('before_id') ? Number(q.get('before_id')) : Infinity;
    const list = audit.filter((e) => e.id < before).reverse().slice(0, limit);
    const last = list[list.length - 1];
    return [200, { entries: list, next_before_id: last && last.id > 1 ? last.id : null }];
  }
  if (seg[0] === 'frameworks') {
    if (method === 'GET' && seg.length === 1) return [200, { frameworks: frameworks.map(({ pillars, ...f }) => f) }];
    if (method === 'GET') return [200, frameworks.find((f) => f.id === seg[1]) ?? fail(404, 'not_found', 'Không tìm thấy bộ chỉ số.')];
    admin();
    const errors = [];
    if (body.format !== 'dti-framework/1') errors.push({ field: 'format', message: 'Phải là "dti-framework/1".' });
    (body.pillars ?? []).forEach((p, i) => (p.groups ?? []).forEach((g, j) => (g.criteria ?? []).forEach((c, k) => {
      if (!(c.max_points >= 0)) errors.push({ field: `pillars[${i}].groups[${j}].criteria[${k}].max_points`, message: 'Điểm tối đa phải là số không âm.' });
    })));
    if (errors.length) fail(422, 'invalid_framework', `Bộ chỉ số có ${errors.length} lỗi.`, undefined, errors);
    const crit = body.pillars.flatMap((p) => p.groups.flatMap((g) => g.criteria));
    const f = { ...body, criteria_count: crit.length };
    frameworks.push(f); log(s, 'framework.create', 'framework', f.id, null, { id: f.id, version: f.version });
    const { pillars, ...summary } = f;
    return [201, summary];
  }
  fail(404, 'not_found', 'Không tìm thấy.');
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };
createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname.startsWith('/api/v1/')) {
    const chunks = []; for await (const c of req) chunks.push(c);
    const text = Buffer.concat(chunks).toString('utf8');
    const token = /(?:^|;\s*)dti_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const s = token && sessions.get(token) ? { ...sessions.get(token), token } : null;
    try {
      const body = text ? JSON.parse(text) : {};
      const [status, data, headers = {}] = await api(req.method, url.pathname.slice(7), body, s, req);
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(data === null ? undefined : JSON.stringify(data));
    } catch (e) {
      if (!(e instanceof HttpErr)) { console.error(e); e = new HttpErr(e instanceof SyntaxError ? 400 : 500, 'bad', 'Lỗi.'); }
      const error = { code: e.code, message: e.message };
      if (e.field) error.field = e.field; if (e.errors) error.errors = e.errors;
      res.writeHead(e.status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify({ error }));
    }
    return;
  }
  const file = url.pathname.startsWith('/assets/') ? normalize(url.pathname).replace(/^\/+/, '') : 'index.html';
  try {
    const data = await readFile(join(webDir, file));
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP });
    res.end(data);
  } catch { res.writeHead(404); res.end(); }
}).listen(Number(port), '127.0.0.1', () => console.log(`mock api on 127.0.0.1:${port}`));
