// "Báo cáo chỉ số DTI" in the browser (issue 9, part dash): the level tabs, the four search cases
// (no diacritics, upper case, decomposed input, d finds đ), sortable headers with aria-sort, the
// drill-down unit → task list → task and Back to the same tab, search, sort and scroll position;
// axe-core finds no serious or critical violation. Its own administrator (created by run.sh).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { firstAdminLogin } from './helpers.mjs';

test.describe.configure({ mode: 'serial' });

const ADMIN = 'qtv.dash';
const ADMIN_OTP = readFileSync(process.env.DTI_DASH_ADMIN_PW_FILE, 'utf8').trim();
const ADMIN_PW = 'Bao-cao-chi-so-quan-tri-2026!';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const localDay = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const PHASES = ['trial', 'self_assessment', 'appraisal1', 'explanation', 'appraisal2', 'finalised'];
const phasesAt = (current) => PHASES.map((phase, i) => {
  const d = localDay(i - PHASES.indexOf(current));
  return { phase, starts: d, ends: d };
});

let page;
let roundId = 0;
const problems = [];
async function api(method, path, data) {
  const me = await (await page.request.get('/api/v1/me')).json();
  const res = await page.request.fetch('/api/v1' + path, { method, data, headers: { 'X-CSRF-Token': me.csrf_token } });
  const text = await res.text();
  return { status: res.status(), body: text ? JSON.parse(text) : null };
}
const rows = () => page.locator('#dash-table tbody tr');
const rowNames = () => page.locator('#dash-table tbody th[scope=row]').allTextContents();
const search = () => page.getByLabel('Tìm cơ quan, đơn vị');
async function searchFor(text) {
  // the reply to THIS search (a tab click just before may still be answering the previous one)
  const answered = page.waitForResponse((r) => r.url().includes('/dashboard?') &&
    (new URL(r.url()).searchParams.get('q') ?? '') === text);
  await search().fill(text);
  await answered;
}

test.beforeAll(async ({ browser }) => {
  // a short window so the table scrolls
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 520 } });
  page = await ctx.newPage();
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
});
test.afterAll(async () => { await page.context().close(); });
test.afterEach(() => expect(problems, 'no CSP violation or page error').toEqual([]));

test('the admin opens the dashboard from the navigation; the level tabs', async () => {
  test.setTimeout(90_000);
  await firstAdminLogin(page, ADMIN, ADMIN_OTP, ADMIN_PW);
  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
  await expect(nav.getByRole('link', { name: 'Báo cáo chỉ số DTI' })).toBeVisible();

  // a round of departments and districts, in self-assessment
  const { frameworks } = (await api('GET', '/frameworks')).body;
  const stc = (await api('GET', '/units')).body.units.find((u) => u.code === 'STC');
  const fw = (level) => frameworks.find((f) => f.level === level);
  const made = await api('POST', '/rounds', { title: `Báo cáo chỉ số thử ${Date.now() % 100000}`, year: new Date().getFullYear(),
    frameworks: [{ level: 'department', framework_id: fw('department').id, version: fw('department').version },
      { level: 'district', framework_id: fw('district').id, version: fw('district').version }],
    // Sở Tài chính stays out: its staff's inbox is checked by dti.spec.mjs (run after this file)
    units: { levels: ['department', 'district'], include: [], exclude: [stc.id] }, phases: phasesAt('self_assessment') });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  roundId = made.body.id;

  await nav.getByRole('link', { name: 'Báo cáo chỉ số DTI' }).click();
  await expect(page).toHaveURL(new RegExp(`/rounds/${roundId}/dashboard`));
  await expect(page.getByRole('heading', { name: 'Báo cáo chỉ số DTI', level: 1 })).toBeVisible();
  const tabs = page.getByRole('tab');
  await expect(tabs).toHaveText(['Cấp tỉnh (quốc gia)', 'Cấp sở', 'Cấp huyện', 'Cấp xã']);
  await expect(page.getByRole('tab', { name: 'Cấp sở' })).toHaveAttribute('aria-selected', 'true');
  await expect(rows().first()).toBeVisible();
  expect(await rowNames()).toContain('Sở Kế hoạch và Đầu tư');
  expect(await rowNames()).not.toContain('Sở Tài chính');
  await expect(page.locator('#dash-table thead th')).toHaveText([/Cơ quan/, /Nhiệm vụ/, /Điểm tự đánh giá/, /phê duyệt/, /^Đạt/, /Chưa đạt/, /Không đạt/]);
  await expect(page.locator('details.legend')).toContainText('Chưa đạt');

  await page.getByRole('tab', { name: 'Cấp huyện' }).click();
  await expect(page).toHaveURL(/level=district/);
  await expect(page.getByRole('tab', { name: 'Cấp huyện' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#dash-table tbody th[scope=row]').first()).toHaveText(/Huyện|Thị xã|Thành phố/);
  expect(await rowNames()).not.toContain('Sở Kế hoạch và Đầu tư');
  await page.getByRole('tab', { name: 'Cấp xã' }).click();
  await expect(page.locator('.dash-status')).toHaveText('Cấp này không có đơn vị nào trong đợt.');
  await page.getByRole('tab', { name: 'Cấp sở' }).click();
  await expect(page).toHaveURL(/level=department/);
});

test('search ignores case and diacritics in every form, on the server', async () => {
  await searchFor('so ke hoach');
  await expect(rows()).toHaveCount(1);
  await expect(page.locator('#dash-table tbody th[scope=row]')).toHaveText(['Sở Kế hoạch và Đầu tư']);
  await expect(page).toHaveURL(/q=so\+ke\+hoach/);
  await searchFor('SỞ KẾ HOẠCH');
  await expect(page.locator('#dash-table tbody th[scope=row]')).toHaveText(['Sở Kế hoạch và Đầu tư']);
  await searchFor('Sở Kế hoạch'.normalize('NFD'));
  await expect(page.locator('#dash-table tbody th[scope=row]')).toHaveText(['Sở Kế hoạch và Đầu tư']);
  await searchFor('dau tu'); // d finds Đ
  await expect(page.locator('#dash-table tbody th[scope=row]')).toHaveText(['Sở Kế hoạch và Đầu tư']);
  await searchFor('không có đơn vị này');
  await expect(rows()).toHaveCount(0);
  await expect(page.locator('.dash-status')).toContainText('Không có đơn vị nào khớp');
  // d finds đ on the districts' tab too
  await page.getByRole('tab', { name: 'Cấp huyện' }).click();
  await searchFor('nam dong');
  await expect(page.locator('#dash-table tbody th[scope=row]')).toHaveText(['Huyện Nam Đông']);
  await searchFor('');
  await page.getByRole('tab', { name: 'Cấp sở' }).click();
  await expect(rows().nth(3)).toBeVisible();
});

test('sortable headers announce their order (aria-sort)', async () => {
  const nameTh = page.locator('#dash-table thead th').nth(0);
  const tasksTh = page.locator('#dash-table thead th').nth(1);
  await expect(nameTh).toHaveAttribute('aria-sort', 'ascending');
  await expect(tasksTh).toHaveAttribute('aria-sort', 'none');
  const names = await rowNames();
  const folded = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  expect(names.map(folded)).toEqual([...names.map(folded)].sort());
  await page.getByRole('button', { name: 'Cơ quan, đơn vị' }).click();
  await expect(nameTh).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/dir=desc/);
  const desc = await rowNames();
  expect(desc[0]).toBe(names[names.length - 1]);
  await page.getByRole('button', { name: 'Không đạt' }).click();
  await expect(page.locator('#dash-table thead th').nth(6)).toHaveAttribute('aria-sort', 'descending');
  await expect(nameTh).toHaveAttribute('aria-sort', 'none');
  const kd = (await page.locator('#dash-table tbody td.c-khong').allTextContents()).map((t) => Number(t.replace(/\./g, '')));
  expect(kd).toEqual([...kd].sort((a, b) => b - a));
  await page.getByRole('button', { name: 'Cơ quan, đơn vị' }).click();
  await expect(nameTh).toHaveAttribute('aria-sort', 'ascending');
});

test('drill-down: a unit → its tasks → a task, and Back to the same tab, search, sort and scroll', async () => {
  await page.getByRole('tab', { name: 'Cấp sở' }).click();
  await searchFor('so');
  await page.getByRole('button', { name: 'Nhiệm vụ' }).click();
  await expect(page).toHaveURL(/sort=tasks/);
  const url = page.url();
  const n = await rows().count();
  expect(n).toBeGreaterThan(6);
  const target = rows().nth(n - 1).locator('a');
  const name = await target.textContent();
  await target.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 40));
  const y = await page.evaluate(() => window.scrollY);
  expect(y).toBeGreaterThan(100);
  await target.click();
  await expect(page).toHaveURL(new RegExp(`/rounds/${roundId}/tasks\\?unit_id=\\d+`));
  await expect(page.getByLabel('Đơn vị', { exact: true })).toHaveValue(/\d+/);
  const taskLink = page.locator('table.tasks tbody tr a').first();
  await expect(taskLink).toBeVisible();
  const unitCells = await page.locator('table.tasks tbody td[data-label="Đơn vị"]').allTextContents();
  expect(new Set(unitCells)).toEqual(new Set([name]));
  await taskLink.click();
  await expect(page).toHaveURL(/\/tasks\/\d+$/);
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/rounds/${roundId}/tasks\\?unit_id=`));
  await page.goBack();
  await expect(page).toHaveURL(url);
  await expect(page.getByRole('tab', { name: 'Cấp sở' })).toHaveAttribute('aria-selected', 'true');
  await expect(search()).toHaveValue('so');
  await expect(page.locator('#dash-table thead th').nth(1)).toHaveAttribute('aria-sort', 'descending');
  await expect(rows()).toHaveCount(n);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(y);
});

test('axe-core: no serious or critical violation on the dashboard', async () => {
  await page.goto(`/rounds/${roundId}/dashboard?level=department`);
  await expect(rows().first()).toBeVisible();
  // axe's source evaluated through the DevTools protocol (an injected <script> would be refused
  // by the page's CSP, as it should be)
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
});
