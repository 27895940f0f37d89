// helpers.mjs — what every browser spec needs: the admins' TOTP codes, signing in, changing the
// one-time password, and failing a page on a CSP violation, a page error or a native dialog.
import { createHmac } from 'node:crypto';
import { expect } from '@playwright/test';

// RFC 6238 with node's crypto: HMAC-SHA1 over the 30-second step, 6 digits.
export function totp(secretB32, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretB32) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1e6).padStart(6, '0');
}

export async function login(page, username, password) {
  await page.goto('/');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

// Every page fails on a CSP violation, a page error or a native dialog (alert/confirm).
export function watch(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('dialog', (d) => { problems.push(`native dialog fired: ${d.type()} ${d.message()}`); void d.dismiss(); });
  return problems;
}

export async function changePassword(page, otp, pw) {
  await expect(page.getByRole('heading', { name: 'Đổi mật khẩu' })).toBeVisible();
  await page.getByLabel('Mật khẩu hiện tại').fill(otp);
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill(pw);
  await page.getByLabel('Nhập lại mật khẩu mới').fill(pw);
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
}

// An administrator's first sign-in: the one-time password, a password of its own, then the
// mandatory second factor (enrol TOTP, confirm a code, acknowledge the recovery codes). Ends on
// the main navigation; returns the TOTP secret for later sign-ins.
export async function firstAdminLogin(page, username, otp, pw) {
  await login(page, username, otp);
  await changePassword(page, otp, pw);
  await expect(page.getByRole('heading', { name: 'Bật xác thực hai bước' })).toBeVisible();
  await page.getByRole('button', { name: 'Tạo khoá bí mật' }).click();
  const secret = await page.locator('.totp-secret').getAttribute('data-secret');
  await page.getByLabel('Mã xác thực đang hiển thị trong ứng dụng').fill(totp(secret, Math.floor(Date.now() / 30000)));
  await page.getByRole('button', { name: 'Xác nhận và bật' }).click();
  await page.getByRole('button', { name: 'Tôi đã lưu các mã khôi phục' }).click();
  await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
  return secret;
}
