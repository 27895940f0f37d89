// End-to-end tests of the web UI against a fresh database (see run.sh). The tests run in order
// and share the database: the admin's password changes in the first ones.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { totp, login } from './helpers.mjs';

test.describe.configure({ mode: 'serial' });

const ADMIN_OTP = readFileSync(process.env.DTI_ADMIN_PW_FILE, 'utf8').trim();
const ADMIN_PW = 'Hue-DTI-quan-tri-2026!';
const XSS_NAME = 'Xã Thử Nghiệm <script>alert(1)</script> & "Đông"';
const UNIT_CODE = 'XATHU_01';
const USER = 'canbo.thu';
const USER_PW = 'Can-bo-thu-nghiem-2026';
let userOtp = '';

// Every test fails on a CSP violation, a page error or a native dialog (alert/confirm).
test.beforeEach(async ({ page }) => {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('dialog', (d) => { problems.push(`native dialog fired: ${d.type()} ${d.message()}`); void d.dismiss(); });
  page.__problems = problems;
});
test.afterEach(async ({ page }) => {
  expect(page.__problems, 'no CSP violation, page error or native dialog').toEqual([]);
});


const stepNow = () => Math.floor(Date.now() / 30000);
let adminSecret = '';
let adminRecovery = [];
let lastStep = 0;
/** A code for a step the server has not accepted yet (each is accepted once, ±1 step). */
async function freshCode() {
  const step = Math.max(stepNow(), lastStep + 1);
  while (step > stepNow() + 1) await new Promise((r) => setTimeout(r, 500));
  lastStep = step;
  return totp(adminSecret, step);
}
async function answerSecondFactor(page, code) {
  await expect(page.getByRole('heading', { name: 'Xác thực hai bước' })).toBeVisible();
  await page.getByLabel('Mã xác thực').fill(code ?? await freshCode());
  await page.getByRole('button', { name: 'Xác nhận' }).click();
}

// The admin's session is shared by the tests (a TOTP code is accepted once, so a fresh login
// may wait for the next 30-second step); a test that logs it out makes the next one log in.
let adminCookie = null;
async function loginAdmin(page) {
  test.setTimeout(90_000);
  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
  if (adminCookie) {
    await page.context().addCookies([adminCookie]);
    if ((await page.request.get('/api/v1/me')).status() === 200) {
      await page.goto('/');
      await expect(nav).toBeVisible();
      return;
    }
    await page.context().clearCookies();
  }
  await login(page, 'admin', ADMIN_PW);
  await answerSecondFactor(page);
  await expect(nav).toBeVisible();
  adminCookie = (await page.context().cookies()).find((c) => c.name === 'dti_session');
}

test('wrong password shows the server’s Vietnamese message', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Tên đăng nhập').fill('admin');
  await page.getByLabel('Mật khẩu', { exact: true }).fill('sai-mat-khau-roi');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
    page.getByRole('button', { name: 'Đăng nhập' }).click(),
  ]);
  expect(res.status()).toBe(401);
  const { error } = await res.json();
  expect(error.code).toBe('invalid_credentials');
  const alert = page.getByRole('alert').filter({ hasText: error.message });
  await expect(alert).toBeVisible();
  expect(error.message).toMatch(/[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i);
  await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toHaveCount(0);
});

test('one-time password forces a change; a weak one is refused at the field', async ({ page }) => {
  await login(page, 'admin', ADMIN_OTP);
  await expect(page.getByRole('heading', { name: 'Đổi mật khẩu' })).toBeVisible();
  await expect(page.getByText('tối thiểu 10 ký tự')).toBeVisible();
  // The app frame is not reachable before the change.
  await page.goto('/units');
  await expect(page.getByRole('heading', { name: 'Đổi mật khẩu' })).toBeVisible();

  await page.getByLabel('Mật khẩu hiện tại').fill(ADMIN_OTP);
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill('abc@1234');
  await page.getByLabel('Nhập lại mật khẩu mới').fill('abc@1234');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/password')),
    page.getByRole('button', { name: 'Đổi mật khẩu' }).click(),
  ]);
  expect(res.status()).toBe(422);
  const { error } = await res.json();
  expect(error.field).toBe('new_password');
  const newPw = page.getByLabel('Mật khẩu mới', { exact: true });
  await expect(newPw).toHaveAttribute('aria-invalid', 'true');
  const errId = (await newPw.getAttribute('aria-describedby')).split(' ')[0];
  await expect(page.locator(`[id="${errId}"]`)).toHaveText(error.message);

  // Mismatched repeat is caught before the server.
  await newPw.fill(ADMIN_PW);
  await page.getByLabel('Nhập lại mật khẩu mới').fill(ADMIN_PW + 'x');
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await expect(page.getByText('Mật khẩu nhập lại không khớp')).toBeVisible();

  await page.getByLabel('Nhập lại mật khẩu mới').fill(ADMIN_PW);
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();

  // TOTP is mandatory for admins: enrol before anything else.
  await expect(page.getByRole('heading', { name: 'Bật xác thực hai bước' })).toBeVisible();
  await page.goto('/units');
  await expect(page.getByRole('heading', { name: 'Bật xác thực hai bước' })).toBeVisible();
  await page.getByRole('button', { name: 'Tạo khoá bí mật' }).click();
  const secretEl = page.locator('.totp-secret');
  await expect(secretEl).toBeVisible();
  adminSecret = await secretEl.getAttribute('data-secret');
  expect(adminSecret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.locator('.totp-uri')).toHaveText(`otpauth://totp/DTI:admin?secret=${adminSecret}&issuer=DTI&algorithm=SHA1&digits=6&period=30`);
  // a wrong code: the server's Vietnamese message at the field
  const wrongCode = String((Number(totp(adminSecret, stepNow())) + 7) % 1e6).padStart(6, '0');
  await page.getByLabel('Mã xác thực đang hiển thị trong ứng dụng').fill(wrongCode);
  await page.getByRole('button', { name: 'Xác nhận và bật' }).click();
  await expect(page.getByText('Mã xác thực không đúng')).toBeVisible();
  await page.getByLabel('Mã xác thực đang hiển thị trong ứng dụng').fill(await freshCode());
  await page.getByRole('button', { name: 'Xác nhận và bật' }).click();
  const codes = page.locator('.recovery-codes li');
  await expect(codes).toHaveCount(10);
  adminRecovery = await codes.allTextContents();
  await page.getByRole('button', { name: 'Tôi đã lưu các mã khôi phục' }).click();
  adminCookie = (await page.context().cookies()).find((c) => c.name === 'dti_session');

  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
  await expect(nav).toBeVisible();
  for (const name of ['Đơn vị', 'Người dùng', 'Bộ chỉ số', 'Nhật ký']) await expect(nav.getByRole('link', { name })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();
  const me = await (await page.request.get('/api/v1/me')).json();
  await expect(page.locator('.unit-name')).toHaveText(me.unit.name);
  await expect(page.locator('.user-name')).toHaveText(me.user.full_name || 'admin');
  expect(me.user.must_change_password).toBe(false);
});

test('keyboard-only login and skip link', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await page.keyboard.press('Tab');
  // Focus starts in the user name field (autofocus) or reaches it with Tab.
  const focusedLabel = () => page.evaluate(() => document.activeElement?.labels?.[0]?.textContent ?? document.activeElement?.tagName);
  for (let i = 0; i < 5 && !String(await focusedLabel()).startsWith('Tên đăng nhập'); i++) await page.keyboard.press('Tab');
  expect(String(await focusedLabel())).toContain('Tên đăng nhập');
  await page.keyboard.type('admin');
  await page.keyboard.press('Tab');
  expect(String(await focusedLabel())).toContain('Mật khẩu');
  await page.keyboard.type(ADMIN_PW);
  await page.keyboard.press('Enter');
  // the second step: focus lands in the code field
  await expect(page.getByRole('heading', { name: 'Xác thực hai bước' })).toBeVisible();
  expect(String(await focusedLabel())).toContain('Mã xác thực');
  await page.keyboard.type(await freshCode());
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
  // First Tab on the page reaches the skip link; Enter moves focus to the main content.
  await page.evaluate(() => (document.activeElement instanceof HTMLElement) && document.activeElement.blur());
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Chuyển đến nội dung chính' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
  // Log out with the keyboard too.
  await page.getByRole('button', { name: 'Đăng xuất' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Đăng nhập' })).toBeVisible();
});

test('admin login: a wrong code is refused at the field; a recovery code works once', async ({ page }) => {
  await login(page, 'admin', ADMIN_PW);
  await answerSecondFactor(page, '000000');
  const field = page.getByLabel('Mã xác thực');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Mã xác thực không đúng')).toBeVisible();
  await field.fill(adminRecovery[0]);
  await page.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
  // the account page says TOTP is on (and cannot be turned off for an admin)
  await page.getByRole('link', { name: 'Tài khoản' }).click();
  await expect(page.locator('.totp-status')).toContainText('Đang bật');
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  // the same recovery code again: refused
  await login(page, 'admin', ADMIN_PW);
  await answerSecondFactor(page, adminRecovery[0]);
  await expect(page.getByText('Mã xác thực không đúng')).toBeVisible();
});

test('admin adds a unit whose name holds markup: shown as text, no script runs', async ({ page }) => {
  await loginAdmin(page);
  await page.getByRole('link', { name: 'Đơn vị' }).click();
  await expect(page.getByRole('heading', { name: 'Đơn vị', level: 1 })).toBeVisible();
  await expect(page.locator('.badge', { hasText: 'Tỉnh' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
  const dlg = page.getByRole('dialog', { name: 'Thêm đơn vị' });
  await dlg.getByLabel('Mã đơn vị').fill('mã sai!');
  await dlg.getByLabel('Tên đơn vị').fill(XSS_NAME);
  await dlg.getByLabel('Loại').selectOption('commune');
  const districtOption = await dlg.getByLabel('Đơn vị cấp trên').locator('option', { hasText: 'Huyện' }).first().getAttribute('value');
  await dlg.getByLabel('Đơn vị cấp trên').selectOption(districtOption);
  await dlg.getByLabel('Số cán bộ, công chức').fill('12');
  await dlg.getByLabel('Địa chỉ liên hệ chính thức').fill('Thôn 1, xã Thử Nghiệm');
  const [bad] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/units') && r.request().method() === 'POST'),
    dlg.getByRole('button', { name: 'Thêm đơn vị' }).click(),
  ]);
  expect(bad.status()).toBeGreaterThanOrEqual(400);
  const { error } = await bad.json();
  // The server's message is shown next to the field it names.
  expect(error.field).toBe('code');
  await expect(dlg.getByLabel('Mã đơn vị')).toHaveAttribute('aria-invalid', 'true');
  await expect(dlg.locator('.field.invalid .field-error')).toHaveText(error.message);

  await dlg.getByLabel('Mã đơn vị').fill(UNIT_CODE);
  await dlg.getByRole('button', { name: 'Thêm đơn vị' }).click();
  await expect(dlg).toHaveCount(0);
  const item = page.locator(`li[data-unit-code="${UNIT_CODE}"]`);
  await expect(item.locator('.unit-title').first()).toHaveText(XSS_NAME);
  await expect(item.locator('.badge').first()).toHaveText('Cấp xã');
  // Nested under its district in the tree.
  await expect(page.locator('li', { has: page.locator('.badge', { hasText: 'Cấp huyện' }) }).locator(`li[data-unit-code="${UNIT_CODE}"]`)).toHaveCount(1);
  expect(await page.locator('main script').count()).toBe(0);

  // Edit it (info count), then it keeps its name as text after a reload.
  await item.getByRole('button', { name: /^Sửa/ }).first().click();
  const edit = page.getByRole('dialog');
  await expect(edit.getByLabel('Số cán bộ, công chức')).toHaveValue('12');
  await edit.getByLabel('Số máy chủ').fill('-3');
  await edit.getByRole('button', { name: 'Lưu thay đổi' }).click();
  await expect(edit.getByText('Phải là số nguyên không âm.')).toBeVisible();
  await edit.getByLabel('Số máy chủ').fill('2');
  await edit.getByRole('button', { name: 'Lưu thay đổi' }).click();
  await expect(edit).toHaveCount(0);
  await page.reload();
  await expect(page.locator(`li[data-unit-code="${UNIT_CODE}"] .unit-title`).first()).toHaveText(XSS_NAME);
});

test('admin adds a user: the one-time password is shown once; first login forces a change', async ({ page }) => {
  await loginAdmin(page);
  await page.getByRole('link', { name: 'Người dùng' }).click();
  await page.getByRole('button', { name: 'Thêm người dùng' }).click();
  const dlg = page.getByRole('dialog', { name: 'Thêm người dùng' });
  await dlg.getByLabel('Tên đăng nhập').fill(USER);
  await dlg.getByLabel('Họ và tên').fill('Nguyễn Văn Thử');
  await dlg.getByLabel('Thư điện tử').fill('thu@example.org');
  await dlg.getByLabel('Vai trò').selectOption({ label: 'Cán bộ nhập liệu' });
  const unitValue = await dlg.getByLabel('Đơn vị').locator('option', { hasText: 'Xã Thử Nghiệm' }).getAttribute('value');
  await dlg.getByLabel('Đơn vị').selectOption(unitValue);
  await dlg.getByRole('button', { name: 'Thêm người dùng' }).click();

  const secret = page.getByRole('dialog', { name: 'Đã tạo người dùng' });
  await expect(secret).toBeVisible();
  await expect(secret.getByText('chỉ hiển thị MỘT LẦN')).toBeVisible();
  await expect(secret.getByRole('button', { name: 'Sao chép' })).toBeVisible();
  userOtp = await secret.getByLabel('Mật khẩu dùng một lần').inputValue();
  expect(userOtp.length).toBeGreaterThanOrEqual(8);
  await secret.getByRole('button', { name: /đóng/i }).last().click();
  await expect(secret).toHaveCount(0);
  // Once closed, the password is nowhere on the page any more.
  expect(await page.content()).not.toContain(userOtp);
  const row = page.locator(`tr[data-username="${USER}"]`);
  await expect(row).toContainText('Nguyễn Văn Thử');
  await expect(row).toContainText('Cán bộ nhập liệu');
  await expect(row).toContainText(XSS_NAME);

  // Filter by role hides the admin and keeps the new user.
  await page.getByLabel('Vai trò').selectOption('staff');
  await expect(page.locator('tr[data-username="admin"]')).toHaveCount(0);
  await expect(page.locator(`tr[data-username="${USER}"]`)).toHaveCount(1);

  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await login(page, USER, userOtp);
  await expect(page.getByRole('heading', { name: 'Đổi mật khẩu' })).toBeVisible();
  await page.getByLabel('Mật khẩu hiện tại').fill(userOtp);
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill(USER_PW);
  await page.getByLabel('Nhập lại mật khẩu mới').fill(USER_PW);
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
  await expect(nav.getByRole('link', { name: 'Trang chủ' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Bộ chỉ số' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Người dùng' })).toHaveCount(0);
  await expect(page.locator('.unit-name')).toHaveText(XSS_NAME);
});

test('admin disables the user, who can no longer log in', async ({ page }) => {
  await loginAdmin(page);
  await page.goto('/users');
  const row = page.locator(`tr[data-username="${USER}"]`);
  await row.getByRole('button', { name: `Khoá tài khoản ${USER}` }).click();
  await page.getByRole('dialog', { name: 'Khoá tài khoản' }).getByRole('button', { name: 'Khoá' }).click();
  await expect(row).toContainText('Đã khoá');
  await expect(row.getByRole('button', { name: `Mở khoá tài khoản ${USER}` })).toBeVisible();

  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.getByLabel('Tên đăng nhập').fill(USER);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(USER_PW);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
    page.getByRole('button', { name: 'Đăng nhập' }).click(),
  ]);
  expect(res.ok()).toBe(false);
  const { error } = await res.json();
  await expect(page.getByRole('alert').filter({ hasText: error.message })).toBeVisible();
});

test('admin resets a password: a new one-time password is shown once', async ({ page }) => {
  await loginAdmin(page);
  await page.goto('/users');
  await page.locator(`tr[data-username="${USER}"]`).getByRole('button', { name: `Đặt lại mật khẩu ${USER}` }).click();
  await page.getByRole('dialog', { name: 'Đặt lại mật khẩu' }).getByRole('button', { name: 'Đặt lại' }).click();
  const secret = page.getByRole('dialog', { name: 'Mật khẩu mới' });
  const otp = await secret.getByLabel('Mật khẩu dùng một lần').inputValue();
  expect(otp.length).toBeGreaterThanOrEqual(8);
  expect(otp).not.toBe(userOtp);
  await secret.getByRole('button', { name: /đóng/i }).last().click();
  await expect(secret).toHaveCount(0);
  expect(await page.content()).not.toContain(otp);
});

test('admin retires a unit with a reason; it stays in the tree, marked', async ({ page }) => {
  await loginAdmin(page);
  await page.goto('/units');
  const item = page.locator('li[data-unit-code="KHETRE"]');
  await item.getByRole('button', { name: /^Ngừng hoạt động/ }).first().click();
  const dlg = page.getByRole('dialog', { name: 'Ngừng hoạt động đơn vị' });
  await dlg.getByRole('button', { name: 'Ngừng hoạt động' }).click();
  await expect(dlg.getByText('Vui lòng nhập lý do.')).toBeVisible();
  await dlg.getByLabel('Lý do').fill('Sáp nhập theo Nghị quyết năm 2025');
  await dlg.getByRole('button', { name: 'Ngừng hoạt động' }).click();
  await expect(dlg).toHaveCount(0);
  await expect(item).toHaveClass(/retired/);
  await expect(item.locator('.retired-badge').first()).toContainText(/Ngừng hoạt động từ \d{2}\/\d{2}\/\d{4}/);
  await expect(item.getByRole('button', { name: /^Ngừng hoạt động/ })).toHaveCount(0);
});

test('audit log lists the changes newest first and verifies the chain', async ({ page }) => {
  await loginAdmin(page);
  await page.getByRole('link', { name: 'Nhật ký' }).click();
  await expect(page.getByRole('heading', { name: 'Nhật ký' })).toBeVisible();
  const entries = page.locator('.audit-entry');
  await expect(entries.first()).toBeVisible();
  // The unit creation with its name as text, the user creation and the disabling are there.
  await expect(entries.filter({ hasText: UNIT_CODE }).first()).toBeVisible();
  await expect(entries.filter({ hasText: XSS_NAME }).first()).toBeVisible();
  await expect(entries.filter({ hasText: USER }).first()).toBeVisible();
  await expect(entries.filter({ hasText: 'Khoá tài khoản' }).first()).toBeVisible();
  // dd/mm/yyyy HH:mm, newest first.
  const whens = await page.locator('.audit-when').allTextContents();
  for (const w of whens) expect(w).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  const key = (w) => w.replace(/^(\d{2})\/(\d{2})\/(\d{4}) (.*)$/, '$3$2$1 $4');
  expect([...whens].map(key)).toEqual([...whens].map(key).sort().reverse());
  await page.getByRole('button', { name: 'Kiểm tra tính toàn vẹn' }).click();
  await expect(page.locator('.verify.ok')).toContainText('Toàn vẹn');
});

test('audit entries show Vietnamese labels, not codes; the codes stay in "JSON đầy đủ"', async ({ page }) => {
  await loginAdmin(page);
  const all = (await (await page.request.get('/api/v1/audit?limit=200')).json()).entries;
  // Codes the server writes; none may show outside the JSON view.
  const CODES = /\b(session|user|unit|api_token|framework)\.[a-z_]+\b|\b[a-z]+_[a-z_]+\b|\b(username|role|email|kind|disabled)\b/;
  const cases = [
    ['user.change_password', 'Đổi mật khẩu', ['Phải đổi mật khẩu: Không', 'Số phiên khác đã kết thúc']],
    ['user.create', 'Tạo người dùng', ['Tên đăng nhập: ' + USER, 'Họ và tên', 'Vai trò', 'Đơn vị', 'Phải đổi mật khẩu: Có', 'Bị khoá: Không']],
    ['user.disable', 'Khoá tài khoản', ['Bị khoá: Không → Có']],
    ['unit.create', 'Tạo đơn vị', ['Mã đơn vị: ' + UNIT_CODE, 'Loại đơn vị']],
    ['unit.retire', 'Ngừng hoạt động đơn vị', ['Lý do ngừng hoạt động', 'Thời điểm ngừng hoạt động']],
    ['session.login', 'Đăng nhập', []],
  ];
  for (const [action, label, lines] of cases) {
    const e = all.find((x) => x.action === action);
    expect(e, `an audit entry ${action}`).toBeTruthy();
    await page.goto(`/audit?before_id=${e.id + 1}`);
    const entry = page.locator('.audit-entry').first();
    await expect(entry).toHaveAttribute('data-id', String(e.id));
    await expect(entry.locator('.audit-what strong')).toHaveText(label);
    const shown = await entry.innerText(); // a closed <details> is not rendered: the JSON view is out
    for (const l of lines) expect(shown).toContain(l);
    expect(shown).not.toMatch(CODES);
    expect(await entry.locator('.unlabelled').count()).toBe(0);
    await entry.getByText('JSON đầy đủ').click();
    const json = await entry.locator('details').innerText();
    expect(json).toContain(action);
    if (action === 'user.create') expect(json).toContain('"must_change_password": true');
  }

  // A code without a label (a later server, say) is shown in words and marked, never raw.
  await page.route('**/api/v1/audit?*', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({
    next_before_id: null,
    entries: [{ id: 9, at: '2026-12-03T10:00:00Z', actor: { user_id: 1, username: 'admin' }, client_addr: null,
      action: 'user.webauthn_enable', entity: 'user', entity_id: '1', old: null,
      new: { webauthn_enabled: true, must_change_password: false, info: { website: 'https://hue.gov.vn' } } }],
  }) }));
  await page.goto('/audit');
  const forged = page.locator('.audit-entry').first();
  await expect(forged.locator('.audit-what strong.unlabelled')).toHaveText('Người dùng: webauthn enable');
  await expect(forged.locator('li[data-field="webauthn_enabled"] .audit-field.unlabelled')).toHaveText('Webauthn enabled');
  await expect(forged.locator('li[data-field="must_change_password"]')).toHaveText('Phải đổi mật khẩu: Không');
  await expect(forged.locator('li[data-field="info.website"]')).toHaveText('Cổng/Trang thông tin điện tử: https://hue.gov.vn');
  expect(await forged.innerText()).not.toMatch(/totp_enable|must_change_password|info\.website/);
  await page.unroute('**/api/v1/audit?*');
});

test('index sets: hue-cap-so-2023 shows 500 điểm and 69 tiêu chí', async ({ page }) => {
  await loginAdmin(page);
  const list = await (await page.request.get('/api/v1/frameworks')).json().catch(() => ({}));
  const has = Array.isArray(list.frameworks) && list.frameworks.some((f) => f.id === 'hue-cap-so-2023');
  test.skip(!has, 'hue-cap-so-2023 is not served by GET /api/v1/frameworks on this build (endpoint or shipped set missing)');
  await page.getByRole('link', { name: 'Bộ chỉ số' }).click();
  const row = page.locator('tr[data-framework-id="hue-cap-so-2023"]');
  await expect(row).toContainText('500');
  await expect(row).toContainText('69');
  await expect(row).toContainText('Cấp sở');
  await row.getByRole('link').click();
  await expect(page.locator('.fw-total')).toHaveText('500 điểm');
  await expect(page.locator('.fw-count')).toHaveText('69 tiêu chí');
  await expect(page.locator('table.totals tfoot')).toContainText('500');
  await expect(page.locator('details.criterion')).toHaveCount(69);
  // Open the first criterion: its rule is written out in Vietnamese.
  const first = page.locator('details.criterion').first();
  await first.locator('summary').click();
  await expect(first.locator('dd.rule')).toContainText(/điểm/i);
});

test('uploading a broken index set lists every error by its place', async ({ page }) => {
  await loginAdmin(page);
  const probe = await page.request.get('/api/v1/frameworks');
  test.skip(probe.status() === 404, 'the /api/v1/frameworks endpoints are not on this build yet');
  await page.goto('/frameworks');
  const broken = { format: 'dti-framework/1', id: 'thu-loi', version: 1, title: 'Thử lỗi', level: 'department', year: 2026,
    status: 'official', source: 'kiểm thử', max_points: 10,
    pillars: [{ key: 'p1', code: 'I', title: 'Trụ cột', max_points: 10, groups: [{ key: 'g1', code: '1', title: 'Nhóm',
      criteria: [{ key: 'c1', code: '1.1', title: 'Tiêu chí', max_points: -5, inputs: [], rule: { type: 'manual', input: 'x' }, examples: [] }] }] }] };
  await page.getByLabel(/Tệp bộ chỉ số/).setInputFiles({ name: 'thu.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/frameworks') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Tải lên' }).click(),
  ]);
  test.skip(res.status() === 404 || res.status() === 405, 'POST /api/v1/frameworks is not implemented on this build');
  expect(res.status()).toBe(422);
  const { error } = await res.json();
  expect(error.errors.length).toBeGreaterThan(0);
  const items = page.locator('.error-list li');
  await expect(items).toHaveCount(error.errors.length);
  await expect(items.first()).toContainText(error.errors[0].message);
  if (error.errors[0].field) await expect(items.first().locator('code')).toHaveText(error.errors[0].field);
});

test('index-set errors name their place by pillar, group and criterion before the JSON path', async ({ page }) => {
  await loginAdmin(page);
  await page.goto('/frameworks');
  const crit = (key, code, maxPoints, inputType = 'points') => ({ key, code, title: `Tiêu chí ${code}`, max_points: maxPoints,
    inputs: [{ name: 'a', label: 'Điểm chấm', type: inputType }], rule: { type: 'manual', input: 'a' },
    examples: [{ inputs: { a: 1 }, points: 1 }] });
  const pillar = (key, code, groups) => ({ key, code, title: `Trụ cột ${code}`, max_points: 10, groups });
  const file = { format: 'dti-framework/1', id: 'thu-vi-tri', version: 1, title: 'Thử vị trí lỗi', level: 'department',
    year: 'năm nay', status: 'official', source: 'kiểm thử', max_points: 30,
    pillars: [
      pillar('i', 'I', [{ key: 'i-1', code: '1', title: 'Nhóm', criteria: [crit('i-1-1', '1.1', -5)] }]),
      pillar('ii', 'II', [{ key: 'ii-1', code: '1', title: 'Nhóm', criteria: [crit('ii-1-1', '1.1', 10)] }]),
      pillar('iii', 'III', [{ key: 'iii-1', code: '1', title: 'Nhóm', criteria: [crit('iii-1-1', '1.1', 10)] },
        { key: 'iii-2', code: '2', title: 'Nhóm', criteria: [crit('iii-2-1', '2.1', -1, 'bogus')] }]),
    ] };
  await page.getByLabel(/Tệp bộ chỉ số/).setInputFiles({ name: 'vitri.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file, null, 2)) });
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/frameworks') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Tải lên' }).click(),
  ]);
  expect(res.status()).toBe(422);
  const { error } = await res.json();
  const fields = error.errors.map((e) => e.field);
  const item = (path) => page.locator('.error-list li').filter({ has: page.getByText(path, { exact: true }) });
  for (const [path, place] of [
    ['pillars[0].groups[0].criteria[0].max_points', 'Trụ cột I › Nhóm 1 › Tiêu chí 1.1 (khoá i-1-1) › max_points'],
    ['pillars[2].groups[1].criteria[0].max_points', 'Trụ cột III › Nhóm 2 › Tiêu chí 2.1 (khoá iii-2-1) › max_points'],
    ['pillars[2].groups[1].criteria[0].inputs[0].type', 'Trụ cột III › Nhóm 2 › Tiêu chí 2.1 (khoá iii-2-1) › inputs[0].type'],
  ]) {
    expect(fields, 'the server reports it').toContain(path);
    await expect(item(path)).toHaveCount(1);
    await expect(item(path).locator('.err-place')).toHaveText(place);
    await expect(item(path).locator('code')).toHaveText(path);  // the exact path stays
  }
  // An error outside the pillars has its path only.
  expect(fields).toContain('year');
  await expect(item('year')).toHaveCount(1);
  await expect(item('year').locator('.err-place')).toHaveCount(0);
  await expect(page.locator('.error-list li')).toHaveCount(error.errors.length);
});

test('360 px wide: nothing overflows horizontally', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await loginAdmin(page);
  for (const path of ['/units', '/users', '/audit', '/frameworks']) {
    await page.goto(path);
    await expect(page.locator('main h1').first()).toBeVisible();
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(scroll, `${path} overflows: ${scroll} > ${client}`).toBeLessThanOrEqual(client);
  }
  // The add-unit dialog fits too.
  await page.goto('/units');
  await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
  const box = await page.getByRole('dialog').boundingBox();
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(360);
});

// ---- QA pass (issues 3 and 4 as their users meet them) ----

async function api(page, method, path, data) {
  const me = await (await page.request.get('/api/v1/me')).json();
  const res = await page.request.fetch('/api/v1' + path, { method, data, headers: { 'X-CSRF-Token': me.csrf_token } });
  return { status: res.status(), body: res.status() === 204 ? null : await res.json() };
}

async function unitByCode(page, code) {
  const { units } = await (await page.request.get('/api/v1/units?include_retired=1')).json();
  return units.find((u) => u.code === code);
}

test('360 px: the users and index-set tables become cards, words are not split letter by letter', async ({ page }) => {
  await loginAdmin(page);
  // At 1280 px a year stays on one line ("2023", not "202|3").
  await page.goto('/frameworks');
  const yearLines = await page.locator('tr[data-framework-id="hue-cap-so-2023"] td').nth(2).evaluate((td) => {
    const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length;
  });
  expect(yearLines).toBe(1);
  await page.setViewportSize({ width: 360, height: 740 });
  for (const [path, row] of [['/users', 'tr[data-username="admin"]'], ['/frameworks', 'tr[data-framework-id="hue-cap-so-2023"]']]) {
    await page.goto(path);
    const cells = page.locator(`${row} td[data-label]`);
    await expect(cells.first()).toBeVisible();
    for (const td of await cells.all()) {
      const box = await td.boundingBox();
      if (!box) continue;  // an empty cell is hidden
      expect(box.width, `${path}: a cell spans the card`).toBeGreaterThan(300);
      const before = await td.evaluate((el) => getComputedStyle(el, '::before').content);
      expect(before).toBe(`"${await td.getAttribute('data-label')}"`);
    }
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(scroll).toBeLessThanOrEqual(client);
  }
});

test('editing a unit: an emptied general-information field is cleared; a new unit goes under the province', async ({ page }) => {
  await loginAdmin(page);
  const before = await unitByCode(page, UNIT_CODE);
  expect(before.info.servers_count).toBe(2);
  await page.goto('/units');
  const item = page.locator(`li[data-unit-code="${UNIT_CODE}"]`);
  await item.getByRole('button', { name: /^Sửa/ }).first().click();
  const dlg = page.getByRole('dialog');
  await dlg.getByLabel('Số máy chủ').fill('');
  await dlg.getByLabel('Địa chỉ liên hệ chính thức').fill('');
  await dlg.getByLabel('Số máy trạm').fill('7');
  await dlg.getByRole('button', { name: 'Lưu thay đổi' }).click();
  await expect(dlg).toHaveCount(0);
  // Focus comes back to the same unit's "Sửa" button, drawn anew.
  await expect(page.getByRole('button', { name: `Sửa ${XSS_NAME}` })).toBeFocused();
  const after = await unitByCode(page, UNIT_CODE);
  expect(after.info.servers_count ?? null).toBeNull();
  expect(after.info.address ?? null).toBeNull();
  expect(after.info.workstations_count).toBe(7);
  expect(after.info.civil_servants_count).toBe(12);

  await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
  const province = await unitByCode(page, 'HUE');
  await expect(page.getByRole('dialog').getByLabel('Đơn vị cấp trên')).toHaveValue(String(province.id));
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Thêm đơn vị' })).toBeFocused();
});

test('double-clicking "Thêm đơn vị" on a slow network creates one unit', async ({ page }) => {
  await loginAdmin(page);
  await page.goto('/units');
  let posts = 0;
  await page.route('**/api/v1/units', async (route) => {
    if (route.request().method() === 'POST') { posts++; await new Promise((r) => setTimeout(r, 700)); }
    await route.continue();
  });
  await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
  const dlg = page.getByRole('dialog', { name: 'Thêm đơn vị' });
  await dlg.getByLabel('Mã đơn vị').fill('NHAPDOI');
  await dlg.getByLabel('Tên đơn vị').fill('Sở Thử Nhấp Đôi');
  await dlg.getByRole('button', { name: 'Thêm đơn vị' }).dblclick();
  await dlg.locator('form').evaluate((f) => { f.requestSubmit(); f.requestSubmit(); });
  await expect(dlg).toHaveCount(0);
  expect(posts).toBe(1);
  await expect(page.locator('li[data-unit-code="NHAPDOI"]')).toHaveCount(1);
  await expect(page.locator('li[data-unit-code="NHAPDOI"] .form-alert')).toHaveCount(0);
});

test('slow network shows "Đang tải…"; a server error or a lost connection shows Vietnamese and "Thử lại" recovers', async ({ page }) => {
  await loginAdmin(page);
  await page.route('**/api/v1/users*', async (route) => { await new Promise((r) => setTimeout(r, 1200)); await route.continue(); });
  await page.getByRole('link', { name: 'Người dùng' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Đang tải…' })).toBeVisible();
  await expect(page.locator('main#main')).toHaveAttribute('aria-busy', 'true');
  await expect(page.getByRole('heading', { name: 'Người dùng', level: 1 })).toBeVisible();
  await expect(page.locator('main#main')).not.toHaveAttribute('aria-busy', 'true');
  await page.unroute('**/api/v1/users*');

  await page.route('**/api/v1/audit?*', (route) => route.fulfill({ status: 500, contentType: 'text/html', body: '<h1>Internal Server Error</h1> at src/http/server.c:42' }));
  await page.getByRole('link', { name: 'Nhật ký' }).click();
  await expect(page.getByRole('alert')).toHaveText('Máy chủ gặp lỗi. Vui lòng thử lại sau.');
  await expect(page.locator('main')).not.toContainText('server.c');
  await page.unroute('**/api/v1/audit?*');
  await page.route('**/api/v1/audit?*', (route) => route.abort('failed'));
  await page.getByRole('button', { name: 'Thử lại' }).click();
  await expect(page.getByRole('alert')).toContainText('Không kết nối được máy chủ');
  await page.unroute('**/api/v1/audit?*');
  await page.getByRole('button', { name: 'Thử lại' }).click();
  await expect(page.locator('.audit-entry').first()).toBeVisible();
});

test('audit paging with the keyboard keeps focus on the pager', async ({ page }) => {
  await loginAdmin(page);
  await page.goto('/audit');
  const older = page.getByRole('button', { name: 'Cũ hơn →' });
  await expect(older).toBeEnabled();  // the demo province alone writes more than one page
  const firstId = await page.locator('.audit-entry').first().textContent();
  await older.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Trang 2, mới nhất trước.')).toBeVisible();
  expect(await page.locator('.audit-entry').first().textContent()).not.toBe(firstId);
  await expect(page.locator('.pager button:focus')).toHaveCount(1);
  await page.getByRole('button', { name: '← Mới hơn' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Trang 1, mới nhất trước.')).toBeVisible();
  await expect(page.locator('.pager button:focus')).toHaveCount(1);
});

test('audit paging: the page is in the URL, so reload, Back and Forward keep it', async ({ page }) => {
  await loginAdmin(page);
  await page.goto('/audit');
  const topId = () => page.locator('.audit-entry').first().getAttribute('data-id');
  const label = page.locator('main p.muted').filter({ hasText: 'mới nhất trước' });
  await expect(label).toHaveText('Trang 1, mới nhất trước.');
  const top1 = await topId();
  await page.getByRole('button', { name: 'Cũ hơn →' }).click();
  await expect(label).toHaveText('Trang 2, mới nhất trước.');
  await expect(page).toHaveURL(/\/audit\?before_id=\d+$/);
  const url2 = page.url();
  const before = Number(new URL(url2).searchParams.get('before_id'));
  const top2 = await topId();
  expect(Number(top2)).toBeLessThan(before);
  expect(Number(top1)).toBeGreaterThanOrEqual(before);

  await page.reload();
  await expect(label).toHaveText('Trang 2, mới nhất trước.');
  expect(page.url()).toBe(url2);
  expect(await topId()).toBe(top2);

  await page.goBack();
  await expect(label).toHaveText('Trang 1, mới nhất trước.');
  await expect(page).toHaveURL(/\/audit$/);
  expect(await topId()).toBe(top1);
  await page.goForward();
  await expect(label).toHaveText('Trang 2, mới nhất trước.');
  expect(page.url()).toBe(url2);
  expect(await topId()).toBe(top2);

  // "Mới hơn" is a step of its own in the history too.
  await page.getByRole('button', { name: '← Mới hơn' }).click();
  await expect(label).toHaveText('Trang 1, mới nhất trước.');
  await expect(page).toHaveURL(/\/audit$/);
  await page.goBack();
  await expect(label).toHaveText('Trang 2, mới nhất trước.');
  expect(await topId()).toBe(top2);

  // The address opened afresh (a bookmark) shows the same entries; its way back leads to the newest.
  await page.goto('/frameworks');
  await page.goto(url2);
  await expect(label).toHaveText(`Các bản ghi trước #${before}, mới nhất trước.`);
  expect(await topId()).toBe(top2);
  await page.getByRole('button', { name: '← Mới nhất' }).click();
  await expect(label).toHaveText('Trang 1, mới nhất trước.');
  expect(await topId()).toBe(top1);
});

test('index sets: set notes, the general-information form, drafts, demo data and the agency assignment', async ({ page }) => {
  await loginAdmin(page);
  const so = await (await page.request.get('/api/v1/frameworks/hue-cap-so-2023')).json();
  await page.goto('/frameworks/hue-cap-so-2023');
  await expect(page.locator('.facts')).toContainText(so.notes.slice(0, 60));
  const info = page.locator('section.info-fields li');
  await expect(info).toHaveCount(so.info_fields.length);
  await expect(info.nth(2)).toContainText(so.info_fields[2].label);
  // Examples speak in input labels, not internal names.
  const c = so.pillars[0].groups[0].criteria[0];
  const first = page.locator(`details.criterion[data-key="${c.key}"]`);
  await first.locator('summary').click();
  await expect(first).toContainText(`${c.inputs[0].label}: `);
  await expect(first).not.toContainText(`${c.inputs[0].name} =`);
  // source_issue notes are shown to admins.
  const withIssue = so.pillars.flatMap((p) => p.groups.flatMap((g) => g.criteria)).find((x) => x.source_issue);
  const issue = page.locator(`details.criterion[data-key="${withIssue.key}"]`);
  await issue.locator('summary').click();
  await expect(issue.locator('dd.source-issue')).toHaveText(withIssue.source_issue);

  await page.goto('/frameworks/hue-cap-huyen-2024');
  await expect(page.locator('dd.draft-note')).toContainText('THIẾU');

  await page.goto('/frameworks/national-province-demo');
  await expect(page.locator('dd.draft-note')).toContainText('DỮ LIỆU MẪU');
  await expect(page.locator('details.criterion .demo-badge')).toHaveCount(42);
  const table = page.locator('table.assignment');
  for (const [code, name, tasks, points] of [['CTK', 'Cục Thống kê tỉnh', '4', '50'], ['STC', 'Sở Tài chính', '13', '85'], ['VPUBND', 'Văn phòng', '10', '95']]) {
    const row = table.locator(`tr[data-unit-code="${code}"]`);
    await expect(row.locator('th')).toContainText(name);
    await expect(row.locator('td').nth(0)).toHaveText(tasks);
    await expect(row.locator('td').nth(1)).toHaveText(points);
  }
  // A group without a display code is not shown as "—. …".
  await expect(page.locator('.group h4').first()).not.toHaveText(/^—\./);
});

test('uploading a valid new version of an index set stores it; the same version again is refused', async ({ page }) => {
  await loginAdmin(page);
  const so = await (await page.request.get('/api/v1/frameworks/hue-cap-so-2023')).json();
  const file = {};
  for (const k of Object.keys(so)) if (!['max_points', 'criteria_count', 'totals', 'sha256', 'created_at', 'versions'].includes(k) || k === 'max_points') file[k] = so[k];
  const raw = JSON.parse(JSON.stringify(file));
  raw.version = so.version + 1;
  raw.title = so.title + ' (bản sửa đổi)';
  await page.goto('/frameworks');
  const upload = async () => {
    await page.getByLabel(/Tệp bộ chỉ số/).setInputFiles({ name: 'so.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(raw)) });
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/frameworks') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Tải lên' }).click(),
    ]);
    return res;
  };
  const res = await upload();
  const body = await res.json();
  expect(res.status(), JSON.stringify(body).slice(0, 400)).toBe(201);
  await expect(page).toHaveURL(/\/frameworks\/hue-cap-so-2023$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(raw.title);
  await expect(page.locator('.facts')).toContainText(`phiên bản ${raw.version}`);
  await page.goto('/frameworks');
  await expect(page.locator('tr[data-framework-id="hue-cap-so-2023"]').first()).toContainText(raw.title);
  const again = await upload();
  expect(again.status()).toBe(409);
  const { error } = await again.json();
  await expect(page.locator('#fw-errors')).toContainText(error.message);
});

test('staff and leader: only their navigation; admin pages refused in Vietnamese; session expiry brings back the login', async ({ page, context }) => {
  await loginAdmin(page);
  const stc = await unitByCode(page, 'STC');
  const made = {};
  for (const [username, role] of [['nv.taichinh', 'staff'], ['ld.taichinh', 'leader']]) {
    const r = await api(page, 'POST', '/users', { username, full_name: `Người ${role}`, role, unit_id: stc.id });
    expect(r.status).toBe(201);
    made[username] = r.body.one_time_password;
  }
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  for (const [username, otp] of Object.entries(made)) {
    await login(page, username, otp);
    await expect(page.getByText('không chứa tên đăng nhập')).toBeVisible();
    await page.getByLabel('Mật khẩu hiện tại').fill(otp);
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('Bien-Xanh-Song-Huong-2026');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('Bien-Xanh-Song-Huong-2026');
    await page.keyboard.press('Enter');
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    await expect(nav.getByRole('link')).toHaveText(username.startsWith('ld.')
      ? ['Trang chủ', 'Việc cần làm', 'Đợt đánh giá', 'Người dùng của đơn vị', 'Bộ chỉ số', 'Tài khoản']
      : ['Trang chủ', 'Việc cần làm', 'Đợt đánh giá', 'Bộ chỉ số', 'Tài khoản']);
    await expect(page.locator('.unit-name')).toHaveText('Sở Tài chính');
    for (const path of ['/units', '/users', '/audit']) {
      await page.goto(path);
      await expect(page.locator('main .notice')).toHaveText('Bạn không có quyền xem trang này.');
    }
    expect((await page.request.get('/api/v1/audit')).status()).toBe(403);
    // Source notes are for admins only.
    await page.goto('/frameworks/hue-cap-so-2023');
    await expect(page.locator('.fw-total')).toHaveText('500 điểm');
    await expect(page.locator('.issue-badge, .source-issue')).toHaveCount(0);
    // The cookie goes away (expiry): the next step shows the login page with a message.
    await context.clearCookies();
    await page.getByRole('link', { name: '← Danh sách bộ chỉ số' }).click();
    await expect(page.getByRole('heading', { name: 'Đăng nhập' })).toBeVisible();
    await expect(page.getByRole('status')).toHaveText('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.');
  }
});

async function firstLogin(page, username, otp, password) {
  await login(page, username, otp);
  await expect(page.getByRole('heading', { name: 'Đổi mật khẩu' })).toBeVisible();
  await page.getByLabel('Mật khẩu hiện tại').fill(otp);
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill(password);
  await page.getByLabel('Nhập lại mật khẩu mới').fill(password);
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
}

test('a leader sees the users of their own unit, read only; staff do not get the page', async ({ page }) => {
  await loginAdmin(page);
  const province = await unitByCode(page, 'HUE');
  const dep = await api(page, 'POST', '/units', { code: 'SOTHU_LD', name: 'Sở Thử Lãnh Đạo', kind: 'department', parent_id: province.id });
  expect(dep.status).toBe(201);
  const otp = {};
  for (const [username, role, fullName] of [['ld.sothu', 'leader', 'Trần Thị Lãnh Đạo'], ['nv.sothu', 'staff', 'Lê Văn Nhân Viên']]) {
    const r = await api(page, 'POST', '/users', { username, full_name: fullName, role, unit_id: dep.body.id });
    expect(r.status).toBe(201);
    otp[username] = r.body.one_time_password;
  }
  await page.getByRole('button', { name: 'Đăng xuất' }).click();

  await firstLogin(page, 'ld.sothu', otp['ld.sothu'], 'Song-Huong-Nui-Ngu-2026');
  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
  await nav.getByRole('link', { name: 'Người dùng của đơn vị' }).click();
  await expect(page).toHaveURL(/\/unit-users$/);
  await expect(page.getByRole('heading', { name: 'Người dùng của đơn vị', level: 1 })).toBeVisible();
  await expect(page.locator('main tbody tr')).toHaveCount(2);  // only this unit's accounts
  await expect(page.locator('tr[data-username="ld.sothu"]')).toContainText('Trần Thị Lãnh Đạo');
  await expect(page.locator('tr[data-username="nv.sothu"]')).toContainText('Lê Văn Nhân Viên');
  await expect(page.locator('tr[data-username="nv.sothu"]')).toContainText('Chờ đổi mật khẩu');
  // Read only: none of the admin's actions.
  await expect(page.locator('main button')).toHaveCount(0);
  for (const name of ['Thêm người dùng', 'Sửa', 'Khoá', 'Mở khoá', 'Đặt lại mật khẩu']) {
    await expect(page.getByRole('button', { name: new RegExp(`^${name}`) })).toHaveCount(0);
  }
  await page.getByRole('button', { name: 'Đăng xuất' }).click();

  await firstLogin(page, 'nv.sothu', otp['nv.sothu'], 'Song-Huong-Nui-Ngu-2026');
  await expect(nav.getByRole('link', { name: 'Người dùng của đơn vị' })).toHaveCount(0);
  await page.goto('/unit-users');
  await expect(page.locator('main .notice')).toHaveText('Bạn không có quyền xem trang này.');
});

test('browser back and forward move between screens', async ({ page }) => {
  await loginAdmin(page);
  await page.getByRole('link', { name: 'Người dùng' }).click();
  await expect(page.getByRole('heading', { name: 'Người dùng', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Bộ chỉ số' }).click();
  await page.locator('tr[data-framework-id="hue-cap-huyen-2024"] a').click();
  await expect(page.locator('.fw-count')).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Bộ chỉ số', level: 1 })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Người dùng', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Người dùng — DTI');
  await page.goForward();
  await page.goForward();
  await expect(page).toHaveURL(/\/frameworks\/hue-cap-huyen-2024$/);
  await expect(page.locator('.fw-count')).toBeVisible();
});

test('a staff user enrols in TOTP on the account page and logs in with a code; the admin resets it', async ({ page, browser }) => {
  await loginAdmin(page);
  const me = await (await page.request.get('/api/v1/me')).json();
  const created = await page.request.post('/api/v1/users', { headers: { 'x-csrf-token': me.csrf_token },
    data: { username: 'hai.buoc', full_name: 'Thử Hai Bước', role: 'staff', unit_id: me.unit.id } });
  expect(created.status()).toBe(201);
  const otp = (await created.json()).one_time_password;
  const pw = 'Hai-buoc-thu-nghiem-2026';

  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await login(p, 'hai.buoc', otp);
  await p.getByLabel('Mật khẩu hiện tại').fill(otp);
  await p.getByLabel('Mật khẩu mới', { exact: true }).fill(pw);
  await p.getByLabel('Nhập lại mật khẩu mới').fill(pw);
  await p.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  const nav = p.getByRole('navigation', { name: 'Điều hướng chính' });
  await nav.getByRole('link', { name: 'Tài khoản' }).click();
  await p.getByRole('button', { name: 'Tạo khoá bí mật' }).click();
  const secret = await p.locator('.totp-secret').getAttribute('data-secret');
  let step = stepNow();
  await p.getByLabel('Mã xác thực đang hiển thị trong ứng dụng').fill(totp(secret, step));
  await p.getByRole('button', { name: 'Xác nhận và bật' }).click();
  await expect(p.locator('.recovery-codes li')).toHaveCount(10);
  await p.getByRole('button', { name: 'Tôi đã lưu các mã khôi phục' }).click();
  await expect(p.locator('.totp-status')).toContainText('Đang bật');
  await p.getByRole('button', { name: 'Đăng xuất' }).click();
  // next login: password, then a code of a later step (each step is accepted once)
  await login(p, 'hai.buoc', pw);
  await expect(p.getByRole('heading', { name: 'Xác thực hai bước' })).toBeVisible();
  await p.getByLabel('Mã xác thực').fill(totp(secret, step + 1));
  await p.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(nav).toBeVisible();
  await ctx.close();

  // the admin clears it (lost phone): the button is on that user's row only
  await page.goto('/users');
  const row = page.locator('tr[data-username="hai.buoc"]');
  await row.getByRole('button', { name: 'Xoá xác thực hai bước của hai.buoc' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Xoá' }).click();
  await expect(row.getByRole('button', { name: 'Xoá xác thực hai bước của hai.buoc' })).toHaveCount(0);
  await expect(page.locator('tr[data-username="admin"]').getByRole('button', { name: /Xoá xác thực hai bước/ })).toHaveCount(0);
  const users = await (await page.request.get('/api/v1/users')).json();
  expect(users.users.find((u) => u.username === 'hai.buoc').totp_enabled).toBe(false);
});

test('too many failed logins: the 429 message is shown', async ({ page }) => {
  await page.goto('/');
  let last = null;
  for (let i = 0; i < 22; i++) {  // 5 per (account, address)
    await page.getByLabel('Tên đăng nhập').fill('khong.ton.tai');
    await page.getByLabel('Mật khẩu', { exact: true }).fill(`sai-${i}-mat-khau`);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
      page.getByRole('button', { name: 'Đăng nhập' }).click(),
    ]);
    last = res;
    if (res.status() === 429) break;
  }
  expect(last.status()).toBe(429);
  const { error } = await last.json();
  expect(error.code).toBe('too_many_attempts');
  await expect(page.getByRole('alert').filter({ hasText: error.message })).toBeVisible();
});
