import { post } from '../api';
import { h, replace } from '../dom';
import { Form, input, submit } from '../forms';
import type { Me } from '../types';

export function renderPasswordChange(root: HTMLElement, me: Me, done: () => Promise<void>, logout: () => Promise<void>): void {
  const policyId = 'pw-policy';
  const form = new Form(async (f) => {
    const current = f.rawValue('current_password');
    const next = f.rawValue('new_password');
    const repeat = f.rawValue('repeat_password');
    if (!current) { f.fieldError('current_password', 'Vui lòng nhập mật khẩu hiện tại.'); return; }
    if (!next) { f.fieldError('new_password', 'Vui lòng nhập mật khẩu mới.'); return; }
    if (next !== repeat) { f.fieldError('repeat_password', 'Mật khẩu nhập lại không khớp với mật khẩu mới.'); return; }
    await post('/auth/password', { current_password: current, new_password: next });
    await done();
  }, { class: 'card narrow', 'aria-labelledby': 'pw-title' });
  form.el.append(
    // For password managers: which account this new password belongs to.
    h('input', { type: 'text', class: 'visually-hidden', autocomplete: 'username', value: me.user.username,
      readonly: true, tabindex: '-1', 'aria-hidden': 'true' }),
    form.field('current_password', 'Mật khẩu hiện tại', input('password', { autocomplete: 'current-password' }), { required: true }).wrap,
    form.field('new_password', 'Mật khẩu mới', input('password', { autocomplete: 'new-password' }), { required: true, hint: 'Xem yêu cầu ở trên.' }).wrap,
    form.field('repeat_password', 'Nhập lại mật khẩu mới', input('password', { autocomplete: 'new-password' }), { required: true }).wrap,
    h('div', { class: 'actions' }, submit('Đổi mật khẩu')),
  );
  form.fields.get('new_password')!.control.setAttribute('aria-describedby',
    form.fields.get('new_password')!.control.getAttribute('aria-describedby') + ' ' + policyId);
  const out = h('button', { type: 'button', class: 'link-button' }, 'Đăng xuất');
  out.addEventListener('click', () => void logout());
  replace(root,
    h('main', { id: 'main', class: 'center' },
      h('h1', { id: 'pw-title' }, 'Đổi mật khẩu'),
      h('p', null, 'Xin chào ', h('strong', null, me.user.full_name || me.user.username),
        '. Bạn cần đổi mật khẩu trước khi sử dụng hệ thống.'),
      h('div', { class: 'policy', id: policyId },
        h('p', null, 'Mật khẩu mới phải:'),
        h('ul', null,
          h('li', null, 'có tối thiểu 10 ký tự;'),
          h('li', null, 'không chứa tên đăng nhập;'),
          h('li', null, 'khó đoán: không là từ thông dụng, tên người, tên đơn vị, dãy số hay hàng phím (0123456789, qwertyuiop), ngày tháng, chuỗi lặp lại, hay ghép từ những thứ đó (như “Matkhau@2024”).'),
          h('li', null, 'Gợi ý: một câu dài gồm nhiều từ không liên quan, như “Trời xanh mây trắng bên sông Hương”.'))),
      form.el,
      h('p', null, out)));
  form.fields.get('current_password')!.control.focus();
}
