// The unit's own page (issue 9, part unitpage): a staff member of Sở Giao thông Vận tải sees
// where the unit can still gain points, tries a change in the what-if panel and sees the
// server's new points, total and rank — nothing is saved — then opens the progress report
// (printable: the navigation is hidden in print). axe-core finds no serious or critical
// violation on either page. Its own administrator (created by run.sh: qtv.unitpage).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { firstAdminLogin, login, changePassword } from './helpers.mjs';

test.describe.configure({ mode: 'serial' });

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const ADMIN = 'qtv.unitpage';
const ADMIN_OTP = readFileSync(process.env.DTI_UNITPAGE_ADMIN_PW_FILE, 'utf8').trim();
const ADMIN_PW = 'Trang-don-vi-quan-tri-2026!';
const PW = 'Song-Huong-Nui-Ngu-2026';
const PHASES = ['trial', 'self_assessment', 'appraisal1', 'explanation', 'appraisal2', 'finalised'];
const localDay = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const phasesAt = (current) => PHASES.map((phase, i) => {
  const d = localDay(3 * (i - PHASES.indexOf(current)));
  return { phase, starts: d, ends: localDay(3 * (i - PHASES.indexOf(current)) + 2) };
});


async function api(page, method, path, data) {
  const me = await (await page.request.get('/api/v1/me')).json();
  const res = await page.request.fetch('/api/v1' + path, { method, data, headers: { 'X-CSRF-Token': me.csrf_token } });
  const text = await res.text();
  return { status: res.status(), body: text ? JSON.parse(text) : null };
}
async function axeCheck(page) {
  // axe's source evaluated through the DevTools protocol (an injected <script> would be refused
  // by the page's CSP, as it should be)
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

let staff; // the staff member's page
let roundId = 0;
let unitId = 0;
let taskId = 0;
let version = 0;
const problems = [];

test.afterAll(async () => { await staff?.context().close(); });

test('set-up: a round of two departments; staff report III.1.1 as 921/968', async ({ browser }) => {
  test.setTimeout(90_000);
  const ctx = await browser.newContext();
  const admin = await ctx.newPage();
  await firstAdminLogin(admin, ADMIN, ADMIN_OTP, ADMIN_PW);

  const { units } = await (await admin.request.get('/api/v1/units')).json();
  const a = units.find((u) => u.code === 'SGTVT');
  const b = units.find((u) => u.kind === 'department' && u.code !== 'SGTVT');
  unitId = a.id;
  const round = await api(admin, 'POST', '/rounds', {
    title: `Trang đơn vị ${Date.now() % 100000}`, year: Number(localDay(0).slice(0, 4)),
    frameworks: [{ level: 'department', framework_id: 'hue-cap-so-2023', version: 3 }],
    units: { levels: [], include: [a.id, b.id] }, phases: phasesAt('self_assessment'),
  });
  expect(round.status, JSON.stringify(round.body)).toBe(201);
  roundId = round.body.id;
  const user = await api(admin, 'POST', '/users', { username: `canbo.unitpage${Date.now() % 100000}`, full_name: 'Cán bộ trang đơn vị', role: 'staff', unit_id: a.id });
  expect(user.status).toBe(201);
  await ctx.close();

  staff = await (await browser.newContext()).newPage();
  staff.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  staff.on('dialog', (d) => { problems.push('native dialog: ' + d.message()); void d.dismiss(); });
  await login(staff, user.body.user.username, user.body.one_time_password);
  await changePassword(staff, user.body.one_time_password, PW);
  await expect(staff.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
  const tasks = (await api(staff, 'GET', `/tasks?round_id=${roundId}&unit_id=${unitId}&limit=1000`)).body.tasks;
  taskId = tasks.find((t) => t.criterion_key === 'iii-1-1').id;
  const cur = (await api(staff, 'GET', `/tasks/${taskId}`)).body;
  const saved = await api(staff, 'PUT', `/tasks/${taskId}/report`, { inputs: { staff_with_hues: 921, staff_total: 968 }, content: '921/968 tài khoản', version: cur.version });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  version = saved.body.version;
  expect(saved.body.report.self_points).toBe(4.76);
});

test('gains: sorted by points missing, what full points need; the what-if panel shows the server\'s figures and saves nothing', async () => {
  await staff.goto(`/rounds/${roundId}/units/${unitId}`);
  await expect(staff.getByRole('heading', { name: 'Nơi đơn vị còn có thể tăng điểm', level: 1 })).toBeVisible();
  const row = staff.locator('tr[data-criterion="iii-1-1"]');
  await expect(row).toContainText('4,76 / 5');
  await expect(row.locator('td.missing')).toHaveText('0,24');
  await expect(row.locator('td.needs')).toContainText('còn thiếu 47');
  // the first rows miss the most
  const missing = await staff.locator('table.gains td.missing').allTextContents();
  const nums = missing.filter((t) => /\d/.test(t)).map((t) => Number(t.replace(/\./g, '').replace(',', '.')));
  for (let i = 1; i < nums.length; i++) expect(nums[i - 1]).toBeGreaterThanOrEqual(nums[i]);

  await row.getByRole('button', { name: /Tính thử/ }).click();
  const editor = staff.locator('.whatif-editor');
  await expect(editor.locator('input[name="staff_with_hues"]')).toHaveValue('921');
  await editor.locator('input[name="staff_with_hues"]').fill('968');
  const [res] = await Promise.all([
    staff.waitForResponse((r) => r.url().endsWith('/what-if') && r.request().method() === 'POST'),
    editor.getByRole('button', { name: 'Tính thử' }).click(),
  ]);
  expect(res.status()).toBe(200);
  const body = await res.json();
  const result = staff.locator('.whatif-result');
  await expect(result.locator(`tr[data-task-id="${taskId}"] .new-points`)).toHaveText('5 / 5');
  const fmt = (x) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(x);
  await expect(result.locator('.whatif-total')).toHaveText(`${fmt(body.before.points)} → ${fmt(body.points)} / ${fmt(body.max_points)}`);
  await expect(result.locator('.whatif-rank')).toHaveText(`${body.before.rank}/2 → ${body.rank}/2`);
  expect(Math.round((body.points - body.before.points) * 100)).toBe(24);
  await expect(result.locator('.whatif-saved')).toBeVisible();
  // nothing saved
  const after = (await api(staff, 'GET', `/tasks/${taskId}`)).body;
  expect(after.version).toBe(version);
  expect(after.report.self_points).toBe(4.76);
  expect(after.report.inputs.staff_with_hues).toBe(921);
  // a value the form refuses never reaches the server
  await editor.locator('input[name="staff_with_hues"]').fill('nhiều');
  await editor.getByRole('button', { name: 'Tính thử' }).click();
  await expect(editor.locator('.error')).toContainText('Phải là số nguyên');
  expect(await axeCheck(staff)).toEqual([]);
  expect(problems).toEqual([]);
});

test('progress report: counts and measured values, a period, the .xlsx link, print layout', async () => {
  await staff.goto(`/rounds/${roundId}/units/${unitId}`);
  await staff.getByRole('link', { name: /Báo cáo tiến độ của đơn vị/ }).click();
  await expect(staff.getByRole('heading', { name: 'Báo cáo tiến độ thực hiện tiêu chí chuyển đổi số', level: 1 })).toBeVisible();
  await expect(staff.locator('.progress-summary')).toHaveText('Đang thực hiện 1/69 tiêu chí, chưa thực hiện 68/69 tiêu chí.');
  await expect(staff.locator('tr[data-criterion="iii-1-1"] .measured')).toContainText('921/968');
  await expect(staff.locator('tr[data-criterion="iii-1-1"] .measured')).toContainText('(95,14 %)');
  await expect(staff.locator('tr[data-criterion="iii-1-1"]')).toContainText('Đang thực hiện');
  await expect(staff.locator('a.xlsx-link')).toHaveAttribute('href', `/api/v1/rounds/${roundId}/units/${unitId}/progress.xlsx`);
  expect(await axeCheck(staff)).toEqual([]);
  // a quarter of last year: nothing had started, from the audit trail
  const y = Number(localDay(0).slice(0, 4)) - 1;
  await staff.goto(`/rounds/${roundId}/units/${unitId}/progress?period=${y}-Q4`);
  await expect(staff.locator('.progress-summary')).toHaveText('Chưa thực hiện 69/69 tiêu chí.');
  await expect(staff.locator('.progress-period')).toContainText('theo nhật ký thay đổi');
  // print: A4 layout without the navigation and the buttons
  await staff.emulateMedia({ media: 'print' });
  await expect(staff.getByRole('navigation', { name: 'Điều hướng chính' })).toBeHidden();
  await expect(staff.locator('.print-button')).toBeHidden();
  await expect(staff.locator('.progress-report h1')).toBeVisible();
  await staff.emulateMedia({ media: 'screen' });
  expect(problems).toEqual([]);
});
