// Rankings screen (part: rank, issue 9): a round of four departments whose tasks are put into the
// approved state directly in the database (as the API tests' fixture does): the table ranks
// ties together (1, 2, 2, 4), shows the index with 4 decimals and a decimal comma, the rank
// range "hạng 2 (1–2 tùy cách hiểu)" with the criterion that moves it; three charts each with a
// data table; no serious or critical axe-core violation. Its own administrator (run.sh).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { firstAdminLogin } from './helpers.mjs';

test.describe.configure({ mode: 'serial' });

const ADMIN = 'qtv.xephang';
const ADMIN_OTP = readFileSync(process.env.DTI_RANK_ADMIN_PW_FILE, 'utf8').trim();
const ADMIN_PW = 'Xep-hang-quan-tri-2026!';
const DB = process.env.DTI_BROWSER_DB;
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 20000', DB, q], { encoding: 'utf8' });


let page;
let roundId;
const problems = [];
test.afterAll(async () => { if (page) await page.context().close(); });

async function api(method, path, data) {
  const me = await (await page.request.get('/api/v1/me')).json();
  const res = await page.request.fetch('/api/v1' + path, { method, data, headers: { 'X-CSRF-Token': me.csrf_token } });
  const text = await res.text();
  return { status: res.status(), body: text ? JSON.parse(text) : null };
}

test('rankings: ties, index with a decimal comma, rank range, charts with tables, axe', async ({ browser }) => {
  test.setTimeout(120_000);
  page = await (await browser.newContext()).newPage();
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  // first login of this file's administrator: its own password, then the second factor
  await firstAdminLogin(page, ADMIN, ADMIN_OTP, ADMIN_PW);

  // four departments of the demo province in a round of their own
  const { units } = await (await page.request.get('/api/v1/units')).json();
  const depts = units.filter((u) => u.kind === 'department').slice(0, 4);
  expect(depts.length).toBe(4);
  const made = await api('POST', '/rounds', {
    title: 'Đợt thử giao diện bảng xếp hạng', year: 2090,
    frameworks: [{ level: 'department', framework_id: 'hue-cap-so-2023', version: 3 }],
    units: { levels: [], include: depts.map((u) => u.id) },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const id = made.body.id;
  roundId = id;
  const [A, B, C, D] = depts;
  // A 10, B 8, C 8 (+3,75 under the other reading of V.3.1), D 4 points
  sql(`UPDATE tasks SET state = 'approved', approved_points = 0 WHERE round_id = ${id};` +
    [[A, 1000], [B, 800], [C, 800], [D, 400]].map(([u, p]) =>
      `UPDATE tasks SET approved_points = ${p} WHERE round_id = ${id} AND subject_unit_id = ${u.id} AND criterion_key = 'i-1-1';`).join('') +
    `UPDATE tasks SET inputs = '{"infected_handled": 3, "infected": 4}' WHERE round_id = ${id} AND subject_unit_id = ${C.id} AND criterion_key = 'v-3-1';`);

  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Đợt đánh giá' }).click();
  await page.locator(`tr[data-round-id="${id}"]`).getByRole('link', { name: 'Xếp hạng', exact: true }).click();
  await expect(page.getByRole('heading', { name: /Xếp hạng — Đợt thử giao diện bảng xếp hạng/ })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Cấp sở' })).toHaveAttribute('aria-selected', 'true');
  const rows = page.locator('table.rankings tbody tr');
  await expect(rows).toHaveCount(4);
  await expect(rows.locator('td.rank')).toHaveText(['1', '2', '2', '4']);
  await expect(rows.nth(0)).toContainText(A.name);
  await expect(rows.nth(3)).toContainText(D.name);
  // the index: 4 decimals with a decimal comma
  for (const t of await rows.locator('td.index').allTextContents()) expect(t).toMatch(/^0,\d{4}$/);
  const cRow = page.locator(`tr[data-unit-id="${C.id}"]`);
  await expect(cRow.locator('td.range')).toContainText('hạng 2 (1–2 tùy cách hiểu)');
  await expect(cRow.locator('td.range')).toContainText('V.3.1');
  await expect(page.locator(`tr[data-unit-id="${B.id}"] td.range`)).toContainText('hạng 2 (2–3 tùy cách hiểu)');
  await expect(page.locator(`tr[data-unit-id="${D.id}"] td.range`)).toContainText('hạng 4 (không đổi theo cách hiểu)');

  // three charts, each a canvas with its data table beside it
  const figs = page.locator('figure.chart');
  await expect(figs).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await expect(figs.nth(i).locator('canvas').first()).toBeVisible();
    await expect(figs.nth(i).locator('table.data tbody tr').first()).toBeVisible();
  }
  await expect(figs.nth(0).locator('table.data tbody tr')).toHaveCount(4);
  await expect(figs.nth(0).locator('table.data tbody tr').first()).toContainText(A.name);
  // another unit's profile redraws the chart and its table
  await page.getByLabel('Hồ sơ trụ cột của đơn vị').selectOption({ label: `4. ${D.name}` });
  await expect(figs.nth(1).locator('figcaption')).toContainText(D.name);

  // accessibility: no serious or critical violation (axe-core, evaluated outside the page's CSP)
  const axeSrc = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSrc);
  const res = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  expect(bad).toEqual([]);
  expect(problems).toEqual([]);
});

// Band thresholds (admins, while the round is open): a bad value is named under its field and
// nothing is saved; good values are saved (audited) and the table shows the new bands at once.
test('band thresholds: bad values refused in the form, good ones saved and the bands change', async () => {
  test.setTimeout(60_000);
  const rows = page.locator('table.rankings tbody tr');
  const bands = () => rows.locator('td span.band').allTextContents();
  expect(await bands()).toEqual(['Trung bình', 'Trung bình', 'Trung bình', 'Trung bình']);
  const idx = (await rows.locator('td.index').allTextContents()).map((t) => Number(t.replace(',', '.')));
  // between A and B, between B/C and D, below D (4 decimals, decimal comma)
  const mid = (x, y) => ((x + y) / 2).toFixed(4).replace('.', ',');
  const [xs, tot, kha] = [mid(idx[0], idx[1]), mid(idx[2], idx[3]), (idx[3] / 2).toFixed(4).replace('.', ',')];
  expect(new Set([xs, tot, kha]).size).toBe(3);

  await page.getByText('Sửa ngưỡng xếp loại (cấp sở)').click();
  const fXs = page.getByLabel('Xuất sắc: chỉ số từ');
  const fTot = page.getByLabel('Tốt: chỉ số từ');
  const fKha = page.getByLabel('Khá: chỉ số từ');
  await expect(fXs).toHaveValue('0,9');
  const save = page.getByRole('button', { name: 'Lưu ngưỡng xếp loại' });
  // out of range, too many decimals, not decreasing: each under its own field, nothing saved
  await fXs.fill('1,5');
  await fTot.fill('0,12345');
  await save.click();
  await expect(fXs).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field', { has: fXs }).locator('.field-error')).toHaveText('Ngưỡng phải nằm trong khoảng từ 0 đến 1.');
  await expect(page.locator('.field', { has: fTot }).locator('.field-error')).toHaveText('Ngưỡng có tối đa 4 chữ số thập phân.');
  await fXs.fill(kha);
  await fTot.fill(tot);
  await fKha.fill(xs);
  await save.click();
  await expect(page.locator('.field', { has: fTot }).locator('.field-error')).toHaveText('Ngưỡng Tốt phải nhỏ hơn ngưỡng Xuất sắc.');
  await expect(page.locator('.field', { has: fXs }).locator('.field-error')).toHaveText('');
  await fXs.fill('abc');
  await save.click();
  await expect(page.locator('.field', { has: fXs }).locator('.field-error')).toHaveText('Ngưỡng phải là một số, ví dụ 0,85.');
  const still = await api('GET', `/rounds/${roundId}/bands?level=department`);
  expect(still.body.custom).toBe(false);
  expect(await bands()).toEqual(['Trung bình', 'Trung bình', 'Trung bình', 'Trung bình']);

  // good values: saved, audited, and the ranking shows the new bands without a reload
  await fXs.fill(xs);
  await fTot.fill(tot);
  await fKha.fill(kha);
  await save.click();
  await expect(page.getByRole('status').filter({ hasText: 'Đã lưu ngưỡng xếp loại cấp sở.' })).toBeVisible();
  await expect(rows.locator('td span.band')).toHaveText(['Xuất sắc', 'Tốt', 'Tốt', 'Khá']);
  await expect(page.locator('.bands-note')).toContainText(`Xuất sắc từ ${xs}`);
  await expect(fXs).not.toHaveAttribute('aria-invalid', 'true');
  const saved = await api('GET', `/rounds/${roundId}/bands?level=department`);
  expect(saved.body.custom).toBe(true);
  expect(saved.body.bands.map((b) => b.min_index)).toEqual([xs, tot, kha, '0'].map((t) => Number(t.replace(',', '.'))));
  const audit = await api('GET', `/audit?entity=round&entity_id=${roundId}`);
  expect(audit.status).toBe(200);
  expect(audit.body.entries.filter((e) => e.action === 'round.bands').length).toBe(1);

  // the form open: every input labelled, no serious or critical axe violation
  const res = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  expect(res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  expect(problems).toEqual([]);
});
