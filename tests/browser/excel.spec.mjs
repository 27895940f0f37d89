// Excel round-trip in the browser (issue 10): a unit's staff opens "Nhập/xuất Excel" from the
// task list, downloads the template, fills it (openpyxl, as a user would: "8,5" as text),
// uploads it → the dry run lists every change and saves nothing → "Xác nhận lưu" saves; a file
// with the appraisal column filled shows the error with its cell. Its own administrator
// (qtv.excel, created by run.sh) sets up the round through the API.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

process.env.DTI_URL = process.env.DTI_BASE_URL;
process.env.DTI_BIN ??= resolve('../build/dti');
const { loginAs, enrolTotp, createUnit, createUser, expectStatus } = await import('../api/lib.mjs');
const { phasesAt } = await import('../api/tasks_fixture.mjs');

test.describe.configure({ mode: 'serial' });
const PW = 'Song-Huong-Nui-Ngu-2026';
const FILL = resolve('../tests/cli/excel_fill.py');
const dir = mkdtempSync(join(tmpdir(), 'dti-excel-browser-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

let admin, round, unit, staff;
test('set-up: a round with one department and its staff (API)', async () => {
  const otp = readFileSync(process.env.DTI_EXCEL_ADMIN_PW_FILE, 'utf8').trim();
  admin = (await loginAs('qtv.excel', otp)).client;
  await enrolTotp(admin);
  unit = await createUnit(admin, { name: 'Sở thử Excel ' + Date.now() % 100000 });
  round = expectStatus(await admin.post('/rounds', {
    title: 'Đợt thử Excel ' + Date.now() % 100000, year: new Date().getFullYear(),
    frameworks: [{ level: 'department', framework_id: 'hue-cap-so-2023', version: 3 }],
    units: { levels: [], include: [unit.id] }, phases: phasesAt('self_assessment'),
  }), 201, 'round');
  staff = await createUser(admin, { role: 'staff', unit_id: unit.id });
});

test('staff: download → fill → dry run → confirm; a refused file shows its cell', async ({ page }) => {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => { problems.push('native dialog ' + d.message()); void d.dismiss(); });
  await page.goto('/');
  await page.getByLabel('Tên đăng nhập').fill(staff.user.username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(staff.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByLabel('Mật khẩu hiện tại').fill(staff.password);
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill(PW);
  await page.getByLabel('Nhập lại mật khẩu mới').fill(PW);
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();

  await page.goto(`/rounds/${round.id}/tasks`);
  await page.locator('#excel-link').click();
  await expect(page.getByRole('heading', { name: 'Nhập/xuất Excel' })).toBeVisible();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#excel-download').click()]);
  expect(dl.suggestedFilename()).toMatch(/^mau-\d+-.+\.xlsx$/);
  const tpl = join(dir, 'tpl.xlsx');
  await dl.saveAs(tpl);

  // a refused file: the appraisal column filled
  execFileSync('/usr/bin/python3', [FILL, 'fill', tpl, join(dir, 'bad.xlsx'), '2023', 'appraisal']);
  await page.locator('#excel-file').setInputFiles(join(dir, 'bad.xlsx'));
  await page.locator('#excel-check').click();
  await expect(page.locator('li[data-code="appraisal_filled"]')).toContainText('Trang CDS_CAPSO, ô J5:');
  await expect(page.locator('#excel-confirm')).toHaveCount(0);

  // the good file: dry run, nothing saved, then confirm
  const info = JSON.parse(execFileSync('/usr/bin/python3', [FILL, 'fill', tpl, join(dir, 'good.xlsx'), '2023', 'full'], { encoding: 'utf8' }));
  await page.locator('#excel-file').setInputFiles(join(dir, 'good.xlsx'));
  await page.locator('#excel-check').click();
  await expect(page.locator('#excel-summary')).toHaveText('69 tiêu chí thay đổi (chạy thử, chưa lưu).');
  await expect(page.locator('table.excel-diff tbody tr')).toHaveCount(69);
  const [key, pts] = Object.entries(info.manual)[0];
  const tasks = async () => expectStatus(await admin.get(`/tasks?round_id=${round.id}&unit_id=${unit.id}&limit=500`), 200).tasks;
  expect((await tasks()).every((t) => t.state === 'not_started')).toBe(true);
  await page.locator('#excel-confirm').click();
  await expect(page.locator('#excel-summary')).toHaveText('Đã lưu 69 tiêu chí thay đổi và chuẩn hoá dữ liệu.');
  const after = await tasks();
  expect(after.every((t) => t.state === 'draft')).toBe(true);
  expect(after.find((t) => t.criterion_key === key).self_points).toBe(pts);
  expect(problems).toEqual([]);
});
