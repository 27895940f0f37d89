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

// A coordinator imports many units' files at once: four files (two valid for two units, one of
// another round, one saved as .ods), every file dry-run with its unit and its errors, nothing
// saved until "Lưu các tệp hợp lệ", which saves the two valid ones and leaves the refused ones.
test('admin: many files — per-file dry run, then the valid ones saved', async ({ browser, baseURL }) => {
  const two = [];
  for (const n of ['X', 'Y']) two.push(await createUnit(admin, { name: `Sở nhập nhiều ${n} ` + Date.now() % 100000 }));
  const r2 = expectStatus(await admin.post('/rounds', {
    title: 'Đợt thử nhập nhiều tệp ' + Date.now() % 100000, year: new Date().getFullYear(),
    frameworks: [{ level: 'department', framework_id: 'hue-cap-so-2023', version: 3 }],
    units: { levels: [], include: two.map((u) => u.id) }, phases: phasesAt('self_assessment'),
  }), 201, 'round 2');
  const fetchTpl = async (rid, uid) => {
    const res = await fetch(`${admin.base}/api/v1/rounds/${rid}/units/${uid}/template`, { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    const p = join(dir, `tpl-${rid}-${uid}.xlsx`);
    (await import('node:fs')).writeFileSync(p, Buffer.from(await res.arrayBuffer()));
    return p;
  };
  const files = [];
  for (const [rid, u, name] of [[r2.id, two[0], 'don-vi-x.xlsx'], [r2.id, two[1], 'don-vi-y.xlsx'], [round.id, unit, 'dot-khac.xlsx']]) {
    const p = join(dir, name);
    execFileSync('/usr/bin/python3', [FILL, 'fill', await fetchTpl(rid, u.id), p, '2023', 'full']);
    files.push(p);
  }
  // a unit's file saved as .ods by LibreOffice (a user's "Save As" of the template): refused,
  // named, with the way back to .xlsx
  execFileSync('soffice', ['--headless', '--norestore', '--convert-to', 'ods', '--outdir', dir, files[0]],
    { env: { ...process.env, HOME: dir }, stdio: 'ignore', timeout: 120000 });
  files.push(join(dir, 'don-vi-x.ods'));
  // the admin's API session in the browser (qtv.excel has enrolled its second factor above)
  const ctx = await browser.newContext();
  await ctx.addCookies([{ name: 'dti_session', value: admin.cookie.replace(/^dti_session=/, ''), url: baseURL }]);
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => { problems.push('native dialog ' + d.message()); void d.dismiss(); });
  await page.goto(`/rounds/${r2.id}/excel`);
  await expect(page.getByRole('heading', { name: 'Nhập nhiều tệp của các đơn vị' })).toBeVisible();
  await page.locator('#excel-files').setInputFiles(files);
  await page.locator('#excel-batch-check').click();
  await expect(page.locator('#excel-batch-summary')).toHaveText('2 tệp hợp lệ, 2 tệp bị từ chối.');
  const row = (f) => page.locator(`table.excel-batch tr[data-file="${f}"]`);
  for (const [f, u] of [['don-vi-x.xlsx', two[0]], ['don-vi-y.xlsx', two[1]]]) {
    await expect(row(f)).toHaveAttribute('data-status', 'ok');
    await expect(row(f)).toContainText(`${u.code} — ${u.name}`);
    await expect(row(f)).toContainText('69');
  }
  await expect(row('dot-khac.xlsx')).toHaveAttribute('data-status', 'refused');
  await expect(row('dot-khac.xlsx')).toContainText(`Tệp này là mẫu của đợt đánh giá số ${round.id}, không phải đợt số ${r2.id}`);
  await expect(row('don-vi-x.ods')).toHaveAttribute('data-status', 'refused');
  await expect(row('don-vi-x.ods')).toContainText('Tệp là bảng tính OpenDocument (.ods) của LibreOffice, hệ thống chỉ đọc .xlsx');
  const tasksOf = async (u) => expectStatus(await admin.get(`/tasks?round_id=${r2.id}&unit_id=${u.id}&limit=500`), 200).tasks;
  for (const u of two) expect((await tasksOf(u)).every((t) => t.state === 'not_started')).toBe(true);

  await page.getByRole('button', { name: 'Lưu các tệp hợp lệ' }).click();
  await expect(page.locator('#excel-batch-summary')).toHaveText('2 tệp đã lưu, 0 tệp hợp lệ, 2 tệp bị từ chối.');
  await expect(row('don-vi-x.xlsx')).toHaveAttribute('data-status', 'saved');
  await expect(row('don-vi-y.xlsx')).toHaveAttribute('data-status', 'saved');
  await expect(page.locator('#excel-batch-save')).toBeHidden();
  for (const u of two) expect((await tasksOf(u)).every((t) => t.state === 'draft' && t.version === 2)).toBe(true);
  expect(problems).toEqual([]);
  await ctx.close();
});
