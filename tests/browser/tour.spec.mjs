// The whole product walked as each kind of user — admin, unit staff, unit leader, appraiser and
// nobody (the public pages) — on a phone (390×844) and a desktop (1366×768), with a round in
// progress. The screens are found, not listed: from the navigation (or, for a visitor, the login
// page) every link inside the page is followed, one page per route shape (/tasks/12 and /tasks/57
// are the same screen), so a new screen is walked as soon as something links to it. On every
// screen: no console error, no failed request, no horizontal scrolling on the phone, no serious
// or critical axe-core violation (WCAG 2.0/2.1 A and AA), and no code or English shown to the
// user (state keys, "undefined", ISO dates…). Every finding of a walk is listed before it fails.
// Its own administrator (qtv.tour, created by run.sh).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { firstAdminLogin, login, changePassword } from './helpers.mjs';

test.describe.configure({ mode: 'serial' });

const AXE_SRC = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ADMIN = 'qtv.tour';
const ADMIN_OTP = readFileSync(process.env.DTI_TOUR_ADMIN_PW_FILE, 'utf8').trim();
const ADMIN_PW = 'Tham-quan-toan-bo-2026!';
const PW = 'Tham-quan-Song-Huong-2026';
const TAG = Date.now() % 100000;
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 768 } };
const MAX_PAGES = 40; // per walk: a runaway crawl fails instead of eating the suite's time

// What a user must never read: codes, programming values, machine dates, English UI words.
const FORBIDDEN = [
  [/\bundefined\b/, 'undefined'], [/\bnull\b/, 'null'], [/\bNaN\b/, 'NaN'], [/\[object \w+\]/, '[object …]'],
  [/\b(true|false|Infinity)\b/, 'a raw value'],
  [/\d{4}-\d{2}-\d{2}T\d{2}/, 'an ISO time'], [/(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])/, 'an ISO date (not dd/mm/yyyy)'],
  [/(?<![\w.@/-])[a-z]+_[a-z0-9_]+(?![\w.@-])/, 'a snake_case code'],
  [/\b(draft|submitted|returned|approved|not_started|official|self_assessment|appraisal[12])\b/, 'a state or phase key'],
  [/\b(Error|Failed|Invalid|Not Found|Forbidden|Unauthorized|Loading|Submit|Cancel|Save|Delete|Edit|Search|Close|Download|Upload|Unknown|Bad Request|Internal Server)\b/i, 'an English word'],
];

let admin;         // the admin's page (one context, kept)
const axed = new Set(); // screens (route shape + text) axe has checked
let roundId = 0;
let deptFw = null;  // the department index set (id, version)
let deptUnit = 0;   // a department in the round
const accounts = {}; // role → { username, password }

async function api(page, method, path, data, extra = {}) {
  const me = await (await page.request.get('/api/v1/me')).json();
  const res = await page.request.fetch('/api/v1' + path, { method, data, headers: { 'X-CSRF-Token': me.csrf_token }, ...extra });
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  return { status: res.status(), body };
}
const localDay = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const PHASES = ['trial', 'self_assessment', 'appraisal1', 'explanation', 'appraisal2', 'finalised'];
// The official self-assessment open for two weeks, the rest after it.
const phasesNow = () => PHASES.map((phase, i) => {
  const s = i === 0 ? -10 : i === 1 ? -2 : 12 + (i - 2) * 5;
  const e = i === 0 ? -3 : i === 1 ? 11 : s + 4;
  return { phase, starts: localDay(s), ends: localDay(e) };
});

/** A route's shape: an id (a segment with a digit: 12, hue-cap-so-2023; an index set's id, which
 *  is a free slug) becomes N; the query is ignored (a filter is the same screen). */
const shape = (href) => new URL(href, 'http://x').pathname
  .replace(/^\/frameworks\/[^/]+/, '/frameworks/N').replace(/\/[^/]*\d[^/]*(?=\/|$)/g, '/N');

/** Per page: console errors, failed requests; the in-flight count tells when the page is quiet. */
function instrument(page, allowed) {
  const st = { events: [], inflight: 0 };
  page.on('console', (m) => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) st.events.push('console error: ' + m.text()); });
  page.on('pageerror', (e) => st.events.push('page error: ' + e.message));
  page.on('dialog', (d) => { st.events.push(`native dialog: ${d.type()} ${d.message()}`); void d.dismiss(); });
  page.on('request', () => { st.inflight++; });
  page.on('requestfinished', () => { st.inflight--; });
  page.on('requestfailed', (r) => {
    st.inflight--;
    if (!/ERR_ABORTED/.test(r.failure()?.errorText ?? '')) st.events.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() >= 400 && !allowed(r.status(), path)) st.events.push(`HTTP ${r.status()}: ${r.request().method()} ${path}`);
  });
  return st;
}

/** Quiet: the screen has rendered (main not busy) and no request was in flight for 200 ms. */
async function settle(page, st) {
  await page.waitForFunction(() => !document.querySelector('main[aria-busy]') && !document.querySelector('.loading'), null, { timeout: 10_000 });
  let quiet = 0;
  for (let i = 0; i < 100 && quiet < 4; i++) { await page.waitForTimeout(50); quiet = st.inflight <= 0 ? quiet + 1 : 0; }
}

/** Everything one screen must satisfy; returns the findings as sentences. On the phone also no
 *  horizontal scrolling and axe-core; on the desktop the text again (the wide layout differs). */
async function inspect(page, phone) {
  const out = [];
  // Closed disclosures hide text and controls a user will open: check them too.
  await page.evaluate(() => { for (const d of document.querySelectorAll('details:not([open])')) d.open = true; });
  if (phone) {
    const wide = await page.evaluate(() => {
      const w = window.innerWidth;
      if (document.scrollingElement.scrollWidth <= w) return null;
      // the deepest elements sticking out, so the report says what to fix
      const culprits = [...document.querySelectorAll('body *')].filter((el) => {
        const r = el.getBoundingClientRect();
        if (r.right <= w + 1 || r.width === 0) return false;
        return ![...el.children].some((c) => c.getBoundingClientRect().right > w + 1);
      }).slice(0, 4).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ` (${Math.round(el.getBoundingClientRect().right)}px)`);
      return `${document.scrollingElement.scrollWidth}px > ${w}px: ${culprits.join(', ')}`;
    });
    if (wide) out.push('horizontal overflow: ' + wide);
  }
  // What is shown as code on purpose (<code>, <pre>: the audit's full JSON, a file's checksum)
  // is left out; every other visible text node is read.
  const text = await page.evaluate(() => {
    const parts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.data.trim() || el.closest('code, pre, script, style') || !el.checkVisibility()) continue;
      parts.push(n.data);
    }
    return parts.join(' ');
  });
  for (const [re, what] of FORBIDDEN) {
    const m = re.exec(text);
    if (m) out.push(`shows ${what}: "…${text.slice(Math.max(0, m.index - 30), m.index + m[0].length + 30).replace(/\s+/g, ' ')}…"`);
  }
  // axe's source evaluated through the DevTools protocol (the CSP rightly refuses a <script>);
  // once per screen, on the phone (the narrower layout; it is the slow check)
  if (!phone) return out;
  // a screen every role sees alike (an index set, the account page) is checked once
  const mainText = await page.evaluate(() => document.querySelector('main')?.innerText ?? document.body.innerText);
  const key = shape(page.url()) + ' ' + createHash('sha1').update(mainText).digest('hex');
  if (axed.has(key)) return out;
  axed.add(key);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SRC);
  const res = await page.evaluate(async () => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }));
  for (const v of res.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
    out.push(`axe ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }
  return out;
}

/**
 * Walks every screen reachable from `startLinks` (the navigation, then each page's own links),
 * one page per route shape. Each page is opened on the phone, inspected, then widened to the
 * desktop and inspected again (one load, both layouts). Returns { findings, seen }.
 */
async function walk(page, st, { startLinks, linkScope }) {
  const findings = [];
  const seen = new Map(); // shape → href
  const queue = [];
  const add = (href, from) => {
    const u = new URL(href, 'http://x');
    if (u.pathname.startsWith('/api/') || /\.\w+$/.test(u.pathname)) return;
    const s = shape(href);
    if (!seen.has(s)) { seen.set(s, u.pathname + u.search); queue.push([u.pathname + u.search, from]); }
  };
  for (const href of startLinks) add(href, 'navigation');
  while (queue.length) {
    const [href, from] = queue.shift();
    expect(seen.size, `walk stays under ${MAX_PAGES} screens: ${[...seen.keys()].join(' ')}`).toBeLessThanOrEqual(MAX_PAGES);
    st.events.length = 0;
    await page.setViewportSize(VIEWPORTS.phone);
    await page.goto(href);
    await settle(page, st);
    const found = (await inspect(page, true)).map((f) => 'phone: ' + f);
    await page.setViewportSize(VIEWPORTS.desktop);
    await settle(page, st);
    found.push(...(await inspect(page, false)).map((f) => 'desktop: ' + f), ...st.events);
    if (found.length) findings.push(`${href} (linked from ${from}; "${await page.title()}"):\n    ` + [...new Set(found)].join('\n    '));
    const links = await page.locator(`${linkScope} a[href^="/"]:not([download])`).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const l of links) add(l, href);
  }
  return { findings, seen };
}

async function navLinks(page) {
  await page.goto('/');
  await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
  return ['/', ...(await page.getByRole('navigation', { name: 'Điều hướng chính' }).locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))];
}

function report(findings) {
  expect(findings, findings.join('\n')).toEqual([]);
}

test.afterAll(async () => { if (admin) await admin.context().close(); });

test('set up: a round in self-assessment with a reported, submitted task and evidence', async ({ browser }) => {
  test.setTimeout(60_000);
  admin = await (await browser.newContext()).newPage();
  await firstAdminLogin(admin, ADMIN, ADMIN_OTP, ADMIN_PW);
  const { units } = (await api(admin, 'GET', '/units')).body;
  const unit = (code) => units.find((u) => u.code === code);
  const { frameworks } = (await api(admin, 'GET', '/frameworks')).body;
  const fw = frameworks.find((f) => f.level === 'department');
  deptFw = fw;
  deptUnit = unit('SCT').id;
  const made = await api(admin, 'POST', '/rounds', {
    title: `Đợt tham quan giao diện ${TAG}`, year: new Date().getFullYear(),
    frameworks: [{ level: 'department', framework_id: fw.id, version: fw.version }],
    units: { levels: [], include: [unit('SCT').id, unit('SKHDT').id], exclude: [] }, phases: phasesNow(),
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  roundId = made.body.id;
  for (const [role, code, name] of [['staff', 'SCT', 'Nguyễn Văn Nhập'], ['leader', 'SCT', 'Lê Thị Lãnh Đạo'], ['appraiser', 'SNV', 'Phạm Thẩm Định'],
    ['outsider', 'SGTVT', 'Trần Ngoài Đợt']]) {
    const username = `tour${TAG}.${role}`;
    const r = await api(admin, 'POST', '/users', { username, full_name: name, role: role === 'outsider' ? 'staff' : role, unit_id: unit(code).id });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    accounts[role] = { username, otp: r.body.one_time_password };
  }
  // The appraiser is assigned the whole department level.
  const appr = (await api(admin, 'GET', '/users?unit_id=' + unit('SNV').id)).body.users.find((u) => u.username === accounts.appraiser.username);
  const as = await api(admin, 'POST', `/rounds/${roundId}/appraisers`, { level: 'department', appraiser_user_id: appr.id });
  expect(as.status, JSON.stringify(as.body)).toBe(201);
  // Staff sign in once (own password), report one task with a file and submit it.
  const staffCtx = await browser.newContext();
  const staff = await staffCtx.newPage();
  await login(staff, accounts.staff.username, accounts.staff.otp);
  await changePassword(staff, accounts.staff.otp, PW);
  await expect(staff.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
  const { tasks } = (await api(staff, 'GET', `/tasks?round_id=${roundId}&limit=200`)).body;
  const task = tasks.find((t) => t.criterion_key === 'i-1-1');
  const t = (await api(staff, 'GET', `/tasks/${task.id}`)).body;
  const rep = await api(staff, 'PUT', `/tasks/${task.id}/report`, { inputs: { signer: 'head' }, content: 'Quyết định số 5/QĐ-SCT thành lập Ban chỉ đạo.', note: '', version: t.version });
  expect(rep.status, JSON.stringify(rep.body)).toBe(200);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  const ev = await api(staff, 'POST', `/tasks/${task.id}/evidence`, undefined, { multipart: { file: { name: 'Quyết định.pdf', mimeType: 'application/pdf', buffer: pdf } } });
  expect(ev.status, JSON.stringify(ev.body)).toBe(201);
  const sub = await api(staff, 'POST', `/tasks/${task.id}/transitions`, { action: 'submit', version: rep.body.version });
  expect(sub.status, JSON.stringify(sub.body)).toBe(200);
  await staffCtx.close();
  accounts.staff.password = PW;
  for (const role of ['leader', 'appraiser', 'outsider']) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await login(p, accounts[role].username, accounts[role].otp);
    await changePassword(p, accounts[role].otp, PW);
    await expect(p.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
    await ctx.close();
    accounts[role].password = PW;
  }
});

test('the admin walks every screen', async () => {
  test.setTimeout(60_000);
  const st = instrument(admin, () => false);
  const { findings, seen } = await walk(admin, st, { startLinks: await navLinks(admin), linkScope: 'main' });
  expect(seen.size, [...seen.keys()].join(' ')).toBeGreaterThan(8);
  report(findings);
});

for (const role of ['staff', 'leader', 'appraiser']) {
  test(`the ${role} walks every screen`, async ({ browser }) => {
    test.setTimeout(60_000);
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const st = instrument(page, () => false);
    await login(page, accounts[role].username, accounts[role].password);
    await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
    const { findings, seen } = await walk(page, st, { startLinks: await navLinks(page), linkScope: 'main' });
    await ctx.close();
    expect(seen.size, [...seen.keys()].join(' ')).toBeGreaterThan(4);
    // the unit's own page and progress report are reachable by the unit's people (staff had no
    // link to them)
    if (role !== 'appraiser') expect([...seen.keys()]).toEqual(expect.arrayContaining(['/rounds/N/units/N', '/rounds/N/units/N/progress']));
    report(findings);
  });
}

test('a visitor walks the public pages', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  // nobody is signed in: the app asks who is (401) before showing the login page
  const st = instrument(page, (status, path) => status === 401 && path === '/api/v1/me');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Đăng nhập' })).toBeVisible();
  const { findings, seen } = await walk(page, st, { startLinks: ['/'], linkScope: 'body' });
  await ctx.close();
  expect([...seen.keys()], 'the login page links to the public results').toContain('/cong-khai');
  report(findings);
});

/** A signed-in page for a role (its own context). */
async function signIn(browser, role) {
  const page = await (await browser.newContext({ viewport: VIEWPORTS.phone })).newPage();
  await login(page, accounts[role].username, accounts[role].password);
  await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
  return page;
}

test('empty lists say why and what to do next', async ({ browser }) => {
  // a unit outside the round: no blank table, no buttons acting on nothing
  const out = await signIn(browser, 'outsider');
  await out.goto(`/rounds/${roundId}/tasks`);
  await expect(out.locator('.no-tasks')).toContainText('không tham gia đợt');
  await expect(out.locator('.no-tasks')).toContainText('báo quản trị viên');
  await expect(out.locator('table')).toHaveCount(0);
  await expect(out.getByRole('button', { name: 'Trình lãnh đạo' })).toHaveCount(0);
  await out.context().close();
  // filters that match nothing offer to clear them
  const staff = await signIn(browser, 'staff');
  await staff.goto(`/rounds/${roundId}/tasks?state=approved`);
  await expect(staff.locator('.no-tasks')).toContainText('Không có nhiệm vụ nào khớp bộ lọc.');
  await staff.locator('.no-tasks').getByRole('button', { name: 'Bỏ lọc' }).click();
  await expect(staff).toHaveURL(new RegExp(`/rounds/${roundId}/tasks$`));
  await expect(staff.locator('tbody tr')).toHaveCount(69);
  await staff.context().close();
  // the appraiser's queue of a round where nothing is assigned to them: said, with who assigns
  const made = await api(admin, 'POST', '/rounds', { title: `Đợt chưa phân công ${TAG}`, year: new Date().getFullYear(),
    frameworks: [{ level: 'department', framework_id: deptFw.id, version: deptFw.version }],
    units: { levels: [], include: [deptUnit], exclude: [] }, phases: phasesNow() });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const appraiser = await signIn(browser, 'appraiser');
  await appraiser.goto(`/rounds/${made.body.id}/tasks`);
  await expect(appraiser.locator('.no-tasks')).toContainText('Bạn chưa được phân công thẩm định nhiệm vụ nào trong đợt này.');
  await expect(appraiser.locator('table')).toHaveCount(0);
  await appraiser.context().close();
});

test('Back and reload return to the same place in a long list', async ({ browser }) => {
  const staff = await signIn(browser, 'staff');
  await staff.goto(`/rounds/${roundId}/tasks`);
  await expect(staff.locator('tbody tr')).toHaveCount(69);
  const link = staff.locator('tbody tr').nth(40).getByRole('link').first();
  await link.scrollIntoViewIfNeeded();
  await staff.waitForTimeout(400); // the position is saved when scrolling stops
  const y = await staff.evaluate(() => window.scrollY);
  expect(y).toBeGreaterThan(1000);
  await link.click();
  await expect(staff).toHaveURL(/\/tasks\/\d+$/);
  await staff.goBack();
  await expect(staff.locator('tbody tr')).toHaveCount(69);
  await expect.poll(() => staff.evaluate(() => window.scrollY)).toBe(y);
  await staff.reload();
  await expect(staff.locator('tbody tr')).toHaveCount(69);
  await expect.poll(() => staff.evaluate(() => window.scrollY)).toBe(y);
  await staff.context().close();
});

test('a missing value is named by its label, not the index set author\'s code', async ({ browser }) => {
  const staff = await signIn(browser, 'staff');
  const { tasks } = (await api(staff, 'GET', `/tasks?round_id=${roundId}&limit=200`)).body;
  await staff.goto(`/tasks/${tasks.find((t) => t.criterion_key === 'i-2-1').id}`);
  const expl = staff.locator('.preview-explanation');
  const meetings = staff.locator('[name="inputs.meetings"]');
  await meetings.fill('1');
  await expect(staff.locator('.preview-value')).toHaveText('0,5 / 2');
  await meetings.fill('');
  await expect(expl).toContainText('“Số phiên họp BCĐ CĐS của tỉnh (huyện) đã tham gia trong năm”: chưa nhập giá trị');
  await expect(expl).not.toContainText('meetings');
  await staff.context().close();
});

test('an API error is shown at the field that caused it, without its code path', async () => {
  await admin.setViewportSize(VIEWPORTS.phone);
  await admin.goto(`/rounds/${roundId}`);
  await admin.locator('.edit-phases summary').click();
  const start = admin.getByLabel('Tự đánh giá chính thức (cập nhật số liệu): từ ngày');
  const before = await start.inputValue();
  await start.fill('01/01/2020'); // before the trial ends: the server refuses (phases[1])
  await admin.getByRole('button', { name: 'Lưu các giai đoạn' }).click();
  await expect(start).toHaveAttribute('aria-invalid', 'true');
  await expect(admin.locator('.edit-phases')).toContainText('các giai đoạn phải theo thứ tự và không chồng lên nhau');
  await expect(admin.locator('.edit-phases')).not.toContainText('phases[');
  await expect(start).toBeFocused();
  // nothing changed
  await admin.reload();
  await expect(admin.locator('tr[data-phase="self_assessment"]')).toContainText(before);
  // a new round with no unit: said under the units, in words (it named the API's `levels`)
  await admin.goto('/rounds/new');
  await admin.getByLabel('Tên đợt đánh giá').fill(`Đợt không có đơn vị ${TAG}`);
  await admin.getByLabel('Cấp sở', { exact: true }).selectOption({ index: 1 });
  await admin.getByRole('button', { name: 'Tạo đợt đánh giá' }).click();
  await expect(admin.locator('fieldset.round-units + .error-only')).toContainText('Chưa có đơn vị nào tham gia đợt đánh giá: chọn cả một cấp hoặc đánh dấu từng đơn vị.');
  await expect(admin.locator('main')).not.toContainText('levels');
  await expect(admin).toHaveURL(/\/rounds\/new$/);
});
