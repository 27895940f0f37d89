// Second factor (TOTP): the login's second step, enrolment (secret and otpauth URI shown as
// text, confirmed with a code, recovery codes shown once) and the account page.
import { post, setCsrf } from '../api';
import { h, replace } from '../dom';
import { Form, input, submit } from '../forms';
import type { Me } from '../types';

const CODE_HINT = 'Mã 6 chữ số trong ứng dụng xác thực (Google Authenticator, Microsoft Authenticator, FreeOTP…), hoặc một mã khôi phục.';

/** The login's second step: a pending login completed with a TOTP or recovery code. */
export function renderSecondFactor(root: HTMLElement, pendingToken: string, done: () => Promise<void>, restart: () => void): void {
  const form = new Form(async (f) => {
    const code = f.value('code');
    if (!code) { f.fieldError('code', 'Vui lòng nhập mã xác thực.'); return; }
    const res = await post<{ csrf_token: string }>('/auth/login/second-factor', { pending_token: pendingToken, code });
    setCsrf(res.csrf_token);
    await done();
  }, { class: 'card narrow', 'aria-labelledby': 'mfa-title' });
  form.el.append(
    form.field('code', 'Mã xác thực', input('text', { autocomplete: 'one-time-code', inputmode: 'numeric', autocapitalize: 'none', spellcheck: 'false' }),
      { required: true, hint: CODE_HINT }).wrap,
    h('div', { class: 'actions' }, submit('Xác nhận')),
  );
  const back = h('button', { type: 'button', class: 'link-button' }, 'Đăng nhập lại');
  back.addEventListener('click', restart);
  replace(root,
    h('main', { id: 'main', class: 'center' },
      h('h1', { id: 'mfa-title' }, 'Xác thực hai bước'),
      h('p', null, 'Mật khẩu đúng. Nhập mã xác thực để hoàn tất đăng nhập (mã có hiệu lực trong 5 phút).'),
      form.el,
      h('p', null, back)));
  form.fields.get('code')!.control.focus();
}

/** Enrolment inside `box`: create a secret, show it, confirm with a code, show recovery codes once. */
export function totpEnrolment(box: HTMLElement, done: () => Promise<void> | void): void {
  const start = h('button', { type: 'button', class: 'primary' }, 'Tạo khoá bí mật');
  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const e = await post<{ secret: string; otpauth_uri: string }>('/auth/totp/enrol');
      showSecret(box, e.secret, e.otpauth_uri, done);
    } catch (err) {
      start.disabled = false;
      replace(box, h('p', { class: 'form-alert', role: 'alert' }, err instanceof Error ? err.message : 'Lỗi'), start);
    }
  });
  replace(box,
    h('p', null, 'Cài một ứng dụng xác thực trên điện thoại, rồi bấm nút dưới đây để tạo khoá bí mật cho tài khoản.'),
    start);
}

function showSecret(box: HTMLElement, secret: string, uri: string, done: () => Promise<void> | void): void {
  const form = new Form(async (f) => {
    const code = f.value('code');
    if (!code) { f.fieldError('code', 'Vui lòng nhập mã xác thực.'); return; }
    const r = await post<{ recovery_codes: string[] }>('/auth/totp/confirm', { code });
    showRecoveryCodes(box, r.recovery_codes, done);
  });
  form.el.append(
    form.field('code', 'Mã xác thực đang hiển thị trong ứng dụng', input('text', { autocomplete: 'one-time-code', inputmode: 'numeric' }), { required: true }).wrap,
    h('div', { class: 'actions' }, submit('Xác nhận và bật')),
  );
  replace(box,
    h('p', null, 'Trong ứng dụng xác thực, chọn thêm tài khoản bằng khoá nhập tay và nhập khoá bí mật sau (loại: theo thời gian, 6 chữ số, 30 giây):'),
    h('p', null, h('code', { class: 'totp-secret', 'data-secret': secret }, secret.replace(/(.{4})/g, '$1 ').trim())),
    h('p', null, 'Hoặc dùng địa chỉ sau (ứng dụng nào nhận địa chỉ otpauth):'),
    h('p', null, h('code', { class: 'totp-uri' }, uri)),
    form.el);
  form.fields.get('code')!.control.focus();
}

function showRecoveryCodes(box: HTMLElement, codes: string[], done: () => Promise<void> | void): void {
  const cont = h('button', { type: 'button', class: 'primary' }, 'Tôi đã lưu các mã khôi phục');
  cont.addEventListener('click', () => void done());
  replace(box,
    h('p', { role: 'status' }, 'Đã bật xác thực hai bước.'),
    h('p', null, h('strong', null, 'Mã khôi phục (chỉ hiển thị một lần):'),
      ' mỗi mã dùng được một lần thay cho mã xác thực khi không có điện thoại. Hãy in hoặc lưu ở nơi an toàn.'),
    h('ul', { class: 'recovery-codes' }, codes.map((c) => h('li', null, h('code', null, c)))),
    cont);
  cont.focus();
}

/** The page an admin without TOTP sees after login: enrol before anything else. */
export function renderTotpRequired(root: HTMLElement, me: Me, done: () => Promise<void>, logout: () => Promise<void>): void {
  const box = h('div', { class: 'card narrow' });
  const out = h('button', { type: 'button', class: 'link-button' }, 'Đăng xuất');
  out.addEventListener('click', () => void logout());
  replace(root,
    h('main', { id: 'main', class: 'center' },
      h('h1', null, 'Bật xác thực hai bước'),
      h('p', null, 'Xin chào ', h('strong', null, me.user.full_name || me.user.username),
        '. Tài khoản quản trị bắt buộc dùng xác thực hai bước trước khi sử dụng hệ thống.'),
      box,
      h('p', null, out)));
  totpEnrolment(box, done);
}

/** Account page: TOTP status, enrol, or turn off (not for admins). */
export function renderAccount(main: HTMLElement, me: Me, reload: () => Promise<void>): void {
  const box = h('div', { class: 'card' });
  replace(main, h('h1', null, 'Tài khoản'),
    h('p', null, 'Tên đăng nhập: ', h('strong', null, me.user.username)),
    h('h2', null, 'Xác thực hai bước'), box);
  if (!me.user.totp_enabled) {
    totpEnrolment(box, reload);
    return;
  }
  if (me.user.role === 'admin') {
    replace(box, h('p', { class: 'totp-status' }, 'Đang bật (bắt buộc với tài khoản quản trị).'));
    return;
  }
  const form = new Form(async (f) => {
    const code = f.value('code');
    if (!code) { f.fieldError('code', 'Vui lòng nhập mã xác thực.'); return; }
    await post('/auth/totp/disable', { code });
    await reload();
  });
  form.el.append(
    form.field('code', 'Mã xác thực hoặc mã khôi phục', input('text', { autocomplete: 'one-time-code' }), { required: true }).wrap,
    h('div', { class: 'actions' }, submit('Tắt xác thực hai bước', 'danger')),
  );
  replace(box, h('p', { class: 'totp-status' }, 'Đang bật.'), form.el);
}
