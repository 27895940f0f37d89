import { post, setCsrf } from '../api';
import { h, replace } from '../dom';
import { Form, input, submit } from '../forms';
import type { User } from '../types';
import { renderSecondFactor } from './totp';

export function renderLogin(root: HTMLElement, notice: string | undefined, done: () => Promise<void>): void {
  const form = new Form(async (f) => {
    const username = f.value('username');
    const password = f.rawValue('password');
    let missing = false;
    if (!username) missing = f.fieldError('username', 'Vui lòng nhập tên đăng nhập.');
    if (!password) missing = f.fieldError('password', 'Vui lòng nhập mật khẩu.', !missing) || missing;
    if (missing) return;
    const res = await post<{ user: User; csrf_token: string; second_factor_required?: boolean; pending_token?: string }>(
      '/auth/login', { username, password });
    if (res.second_factor_required && res.pending_token) {
      renderSecondFactor(root, res.pending_token, done, () => renderLogin(root, undefined, done));
      return;
    }
    setCsrf(res.csrf_token);
    await done();
  }, { class: 'card narrow', 'aria-labelledby': 'login-title' });
  form.el.append(
    form.field('username', 'Tên đăng nhập', input('text', { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' }), { required: true }).wrap,
    form.field('password', 'Mật khẩu', input('password', { autocomplete: 'current-password' }), { required: true }).wrap,
    h('div', { class: 'actions' }, submit('Đăng nhập')),
  );
  replace(root,
    h('main', { id: 'main', class: 'center' },
      h('h1', { id: 'login-title' }, 'Đăng nhập'),
      h('p', { class: 'subtitle' }, 'Hệ thống đánh giá, xếp hạng chuyển đổi số (DTI)'),
      notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
      form.el,
      // part: pub — the published results need no account
      h('p', { class: 'public-link' }, h('a', { href: '/cong-khai' }, 'Xem kết quả đánh giá đã công bố'))));
  form.fields.get('username')!.control.focus();
}
