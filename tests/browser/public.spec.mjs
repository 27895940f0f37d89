// The public results page (issue 9, part pub): reachable from the login screen without an
// account; before publication a finalised round shows nowhere; the admin publishes it from the
// round page and sees the SHA-256 receipt, which equals sha256 of the JSON export downloaded
// here; after publication the public page shows the ranking, the methodology and the receipt.
// Accessibility (TT 32/2017/TT-BTTTT, WCAG 2.0 AA): axe-core (web/node_modules) injected into
// each public page, no serious or critical violation; the print stylesheet hides the navigation.
// Its own administrator (qtv.congbo, created by run.sh).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { firstAdminLogin, watch } from './helpers.mjs';

test.describe.configure({ mode: 'serial' });

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const ADMIN = 'qtv.congbo';
const ADMIN_OTP = readFileSync(process.env.DTI_PUB_ADMIN_PW_FILE, 'utf8').trim();
const ADMIN_PW = 'Cong-bo-ket-qua-quan-tri-2026!';
const TITLE = `Đánh giá DTI công bố thử ${Date.now() % 100000}`;



/** axe-core on the current page: no serious or critical WCAG 2.0 A/AA violation. */
async function expectAccessible(page, what) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async () => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(bad, `${what}: axe serious/critical violations`).toEqual([]);
  expect(res.passes.length, `${what}: axe ran`).toBeGreaterThan(5);
}

let admin; // the admin's page
let adminProblems;
let roundId = 0;
let receipt = '';
const unitNames = [];

async function api(page, method, path, data) {
  const me = await (await page.request.get('/api/v1/me')).json();
  const res = await page.request.fetch('/api/v1' + path, { method, data, headers: { 'X-CSRF-Token': me.csrf_token } });
  const text = await res.text();
  return { status: res.status(), body: text ? JSON.parse(text) : null };
}

/** A visitor: a fresh context, no cookie; CSP bypassed only so axe can be injected. */
async function visitor(browser) {
  const ctx = await browser.newContext({ bypassCSP: true });
  const page = await ctx.newPage();
  return { page, problems: watch(page) };
}

test.afterAll(async () => { if (admin) await admin.context().close(); });

test('the admin signs in and finalises a round (not published yet)', async ({ browser }) => {
  test.setTimeout(60_000);
  const ctx = await browser.newContext();
  admin = await ctx.newPage();
  adminProblems = watch(admin);
  await firstAdminLogin(admin, ADMIN, ADMIN_OTP, ADMIN_PW);

  const { units } = await (await admin.request.get('/api/v1/units')).json();
  const picked = units.filter((u) => ['STC', 'SCT'].includes(u.code));
  expect(picked.length).toBe(2);
  unitNames.push(...picked.map((u) => u.name));
  const made = await api(admin, 'POST', '/rounds', {
    title: TITLE, year: 2026, frameworks: [{ level: 'department', framework_id: 'hue-cap-so-2023', version: 3 }],
    units: { levels: [], include: picked.map((u) => u.id) },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  roundId = made.body.id;
  expect((await api(admin, 'POST', `/rounds/${roundId}/finalise`, {})).status).toBe(200);
});

test('before publication: the public page is reachable from login and shows nothing of the round', async ({ browser }) => {
  const { page, problems } = await visitor(browser);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Đăng nhập' })).toBeVisible();
  await page.getByRole('link', { name: 'Xem kết quả đánh giá đã công bố' }).click();
  await expect(page).toHaveURL(/\/cong-khai$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Kết quả đánh giá chuyển đổi số đã công bố' })).toBeVisible();
  await expect(page.getByText(TITLE)).toHaveCount(0);
  await expectAccessible(page, 'list (empty)');
  await page.goto(`/cong-khai/${roundId}`);
  await expect(page.getByRole('alert')).toHaveText('Không tìm thấy kết quả đã công bố của đợt đánh giá này.');
  await expect(page.getByText(TITLE)).toHaveCount(0);
  for (const n of unitNames) await expect(page.getByText(n)).toHaveCount(0);
  expect(problems).toEqual([]);
  await page.context().close();
});

test('the admin publishes from the round page and sees the receipt = sha256 of the JSON export', async () => {
  await admin.goto(`/rounds/${roundId}`);
  const section = admin.locator('section#publish');
  await expect(section.getByText('chưa công bố')).toBeVisible();
  await section.getByRole('button', { name: 'Công bố kết quả' }).click();
  await admin.getByRole('dialog').getByRole('button', { name: 'Công bố', exact: true }).click();
  const sha = section.locator('.receipt-sha');
  await expect(sha).toHaveText(/^[0-9a-f]{64}$/);
  receipt = (await sha.textContent()).trim();
  const res = await admin.request.get(`/api/v1/public/rounds/${roundId}/export.json`);
  expect(res.status()).toBe(200);
  expect(createHash('sha256').update(await res.body()).digest('hex')).toBe(receipt);
  // a correction needs a reason: refused at its field when nothing changed
  await section.getByLabel('Lý do công bố lại (bản đính chính)').fill('Thử công bố lại');
  await section.getByRole('button', { name: 'Công bố phiên bản mới' }).click();
  await expect(section.getByRole('alert').first()).toContainText('không thay đổi');
  // the audit entry reads in Vietnamese (action and every field of it)
  await admin.goto('/audit');
  const entry = admin.locator('.audit-entry', { hasText: 'Công bố kết quả đợt đánh giá' }).first();
  await expect(entry).toBeVisible();
  expect(await admin.locator('.audit-entry .unlabelled').allInnerTexts()).toEqual([]);
  expect(adminProblems).toEqual([]);
});

test('after publication: the public list and round page show the ranking, methodology and receipt; accessible; printable', async ({ browser }) => {
  const { page, problems } = await visitor(browser);
  await page.goto('/cong-khai');
  await page.getByRole('link', { name: TITLE }).click();
  await expect(page).toHaveURL(new RegExp(`/cong-khai/${roundId}$`));
  await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
  const table = page.locator('table.public-ranking');
  await expect(table.locator('caption')).toContainText('2 đơn vị');
  for (const n of unitNames) await expect(table.getByRole('rowheader', { name: n })).toBeVisible();
  await expect(table.locator('tbody tr').first().locator('td').nth(3)).toHaveText(/^0,\d{4}$/); // index, 4 decimals, decimal comma
  await expect(page.getByRole('heading', { name: 'Phương pháp' })).toBeVisible();
  await expect(page.getByText('hue-cap-so-2023', { exact: false }).first()).toBeVisible();
  await expect(page.locator('table.public-bands tbody tr')).toHaveCount(4);
  await expect(page.getByRole('heading', { name: 'Cách hiểu được chọn cho các tiêu chí chưa rõ' })).toBeVisible();
  await expect(page.locator('section.receipt code.sha256')).toHaveText(receipt);
  await expect(page.getByRole('link', { name: /Tải bản công bố \(JSON/ })).toHaveAttribute('href', new RegExp(`/api/v1/public/rounds/${roundId}/export\\.json`));
  await expectAccessible(page, 'round page');
  // print: navigation and downloads hidden, the ranking kept
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.public-header nav')).toBeHidden();
  await expect(page.locator('.downloads')).toBeHidden();
  await expect(table).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await page.goto('/cong-khai');
  await expect(page.getByRole('link', { name: TITLE })).toBeVisible();
  await expectAccessible(page, 'list');
  expect(problems).toEqual([]);
  await page.context().close();
});
