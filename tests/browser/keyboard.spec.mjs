// A keyboard-only walk of the rounds story (issue 8 part perf, D7): staff sign in, change their
// one-time password, open their round and the task, fill the report, save and submit it; the
// leader signs in and sends the report to appraisal — every control reached with Tab and
// operated with Enter, Space, arrows or typing, never a mouse click. Reaching a control by
// Tab fails the test when the control is unreachable or focus is trapped (tabTo gives up after
// a full cycle of the page). The round itself, a unit of its own and the accounts are set up
// through the API by this file's administrator (created by run.sh: qtv.banphim), since the
// admin screens are not what is walked here.
import { test, expect, request as pwRequest } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { totp } from './helpers.mjs';

test.describe.configure({ mode: 'serial' });

const ADMIN = 'qtv.banphim';
const ADMIN_OTP = readFileSync(process.env.DTI_KEYBOARD_ADMIN_PW_FILE, 'utf8').trim();
const PW = 'Ban-phim-khong-chuot-2026';
const ROUND_TITLE = `Đợt thử bàn phím ${Date.now() % 100000}`;
const CRITERION = 'i-1-1';
const PHASES = ['trial', 'self_assessment', 'appraisal1', 'explanation', 'appraisal2', 'finalised'];
const localDay = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);


/** Presses Tab until `target` has the focus. Fails, naming the stops, when a whole cycle of
 * the page's focus order (back to the first stop) never reaches it: unreachable, or focus
 * trapped in a part of the page that does not hold it. */
async function tabTo(page, target, max = 300) {
  await target.waitFor();
  const el = await target.elementHandle();
  const seen = [];
  let first = null;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const [hit, stop, same] = await page.evaluate(([t, f]) => {
      const e = document.activeElement;
      const name = e ? `${e.tagName.toLowerCase()}:${(e.getAttribute('aria-label') || e.textContent || e.getAttribute('name') || '').trim().slice(0, 25)}` : 'none';
      return [e === t, name, f !== null && e === f];
    }, [el, first]);
    if (hit) return;
    seen.push(stop);
    if (same) break; // a whole cycle
    if (!first) first = await page.evaluateHandle(() => document.activeElement);
  }
  throw new Error(`not reachable by Tab: ${target}; stops: ${seen.join(' | ').slice(-1500)}`);
}
/** Tab to a text field and type into it. */
async function typeInto(page, field, text) {
  await tabTo(page, field);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

let roundId = 0, taskId = 0;
const accounts = {};

test('setup through the API: a unit, a round in self-assessment, its staff and leader accounts', async () => {
  const api = await pwRequest.newContext({ baseURL: process.env.DTI_BASE_URL });
  let csrf = '';
  const call = async (method, path, data) => {
    const res = await api.fetch('/api/v1' + path, { method, data, headers: csrf ? { 'X-CSRF-Token': csrf } : {} });
    const text = await res.text();
    return { status: res.status(), body: text ? JSON.parse(text) : null };
  };
  let r = await call('POST', '/auth/login', { username: ADMIN, password: ADMIN_OTP });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  csrf = r.body.csrf_token;
  r = await call('POST', '/auth/password', { current_password: ADMIN_OTP, new_password: PW + '-qtv' });
  expect(r.status, JSON.stringify(r.body)).toBe(204);
  const me = await call('GET', '/me');
  csrf = me.body.csrf_token ?? csrf;
  const enrol = await call('POST', '/auth/totp/enrol', {});
  expect(enrol.status, JSON.stringify(enrol.body)).toBe(200);
  r = await call('POST', '/auth/totp/confirm', { code: totp(enrol.body.secret, Math.floor(Date.now() / 30000)) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  csrf = (await call('GET', '/me')).body.csrf_token ?? csrf;
  const { units } = (await call('GET', '/units')).body;
  const province = units.find((u) => u.kind === 'province');
  const code = `BP${Date.now() % 100000}`;
  const unit = await call('POST', '/units', { code, name: `Sở Bàn Phím ${code}`, kind: 'department', parent_id: province.id });
  expect(unit.status, JSON.stringify(unit.body)).toBe(201);
  const round = await call('POST', '/rounds', {
    title: ROUND_TITLE, year: Number(localDay(0).slice(0, 4)),
    frameworks: [{ level: 'department', framework_id: 'hue-cap-so-2023', version: 3 }],
    units: { levels: [], include: [unit.body.id] },
    phases: PHASES.map((phase, i) => ({ phase, starts: localDay(i - 1), ends: localDay(i - 1) })),
  });
  expect(round.status, JSON.stringify(round.body)).toBe(201);
  roundId = round.body.id;
  expect(round.body.current_phase).toBe('self_assessment');
  const acc = await call('POST', `/rounds/${roundId}/accounts`, { format: 'json' });
  expect(acc.status, JSON.stringify(acc.body)).toBe(201);
  for (const a of acc.body.accounts) accounts[a.role] = a;
  const tasks = (await call('GET', `/tasks?round_id=${roundId}&limit=200`)).body.tasks;
  taskId = tasks.find((t) => t.criterion_key === CRITERION).id;
  await api.dispose();
});

/** Sign in and change the one-time password, by keyboard only. */
async function firstLogin(page, account) {
  await page.goto('/');
  await typeInto(page, page.getByLabel('Tên đăng nhập'), account.username);
  await typeInto(page, page.getByLabel('Mật khẩu', { exact: true }), account.password ?? account.one_time_password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Đổi mật khẩu' })).toBeVisible();
  await typeInto(page, page.getByLabel('Mật khẩu hiện tại'), account.password ?? account.one_time_password);
  await typeInto(page, page.getByLabel('Mật khẩu mới', { exact: true }), PW);
  await typeInto(page, page.getByLabel('Nhập lại mật khẩu mới'), PW);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
}

test('staff: report, save and submit with the keyboard only', async ({ page }) => {
  test.setTimeout(120_000);
  await firstLogin(page, accounts.staff);
  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
  await tabTo(page, nav.getByRole('link', { name: 'Đợt đánh giá' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('link', { name: ROUND_TITLE }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Nhiệm vụ của đơn vị' })).toBeVisible();
  await tabTo(page, page.locator(`tr[data-task-id="${taskId}"]`).getByRole('link', { name: /^Báo cáo/ }));
  await page.keyboard.press('Enter');
  await expect(page.locator('.task-title')).toContainText('Ban hành Quyết định thành lập BCĐ CĐS');

  // a choice by arrow keys: the live points follow
  const signer = page.getByLabel('Người làm Trưởng Ban chỉ đạo CĐS theo Quyết định thành lập');
  await tabTo(page, signer);
  for (let i = 0; i < 5 && (await signer.inputValue()) !== 'head'; i++) await page.keyboard.press('ArrowDown');
  await expect(signer).toHaveValue('head');
  await expect(page.locator('.preview-value')).toHaveText('10 / 10');
  await typeInto(page, page.getByLabel('Nội dung thực hiện'),
    'Quyết định số 15/QĐ: Giám đốc Sở làm Trưởng Ban chỉ đạo chuyển đổi số.');

  // evidence: the file input opened from the keyboard, uploaded with Enter
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  await tabTo(page, page.getByLabel(/Chọn tệp/));
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles({ name: 'Quyết định.pdf', mimeType: 'application/pdf', buffer: pdf });
  await tabTo(page, page.getByRole('button', { name: 'Tải lên' }));
  await page.keyboard.press('Enter');
  await expect(page.locator('.evidence-list a', { hasText: 'Quyết định.pdf' })).toBeVisible();

  await tabTo(page, page.getByRole('button', { name: 'Lưu nháp' }));
  await page.keyboard.press('Enter');
  await expect(page.locator('.saved-status')).toContainText('Đã lưu');
  await expect(page.locator('dd.task-state')).toHaveText('Đang thực hiện (đã lưu)');
  await tabTo(page, page.getByRole('button', { name: 'Trình lãnh đạo' }));
  await page.keyboard.press('Space');
  await expect(page.locator('dd.task-state')).toHaveText('Chờ lãnh đạo duyệt');
  await expect(page.locator('.flash')).toBeFocused(); // the result is where the keyboard is
});

test('leader: send the report to appraisal with the keyboard only', async ({ page }) => {
  test.setTimeout(120_000);
  await firstLogin(page, accounts.leader);
  await page.goto(`/rounds/${roundId}/report`);
  const item = page.locator(`.report-item[data-task-id="${taskId}"]`);
  await expect(item).toContainText('Chờ lãnh đạo duyệt');
  await tabTo(page, page.getByRole('button', { name: 'Gửi thẩm định' }));
  await page.keyboard.press('Enter');
  const dlg = page.getByRole('dialog', { name: 'Gửi thẩm định' });
  await expect(dlg).toBeVisible();
  // focus moved into the dialog, and its confirm button is a few Tabs away
  await expect.poll(() => dlg.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await tabTo(page, dlg.getByRole('button', { name: 'Gửi thẩm định' }), 20);
  await page.keyboard.press('Enter');
  await expect(item).toContainText('Chờ thẩm định');
  await expect(dlg).toHaveCount(0);
});
