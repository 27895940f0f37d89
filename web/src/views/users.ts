// Người dùng (admin): list with filters, add (one-time password shown once), edit,
// disable/enable, reset password.
import { get, patch, post } from '../api';
import { h, replace, type Child } from '../dom';
import { confirmDialog, openDialog, secretDialog } from '../dialog';
import { dateTime, label, ROLE_LABELS } from '../format';
import { Form, input, select, submit } from '../forms';
import type { Ctx } from '../main';
import type { Unit, User } from '../types';
import { loadUnits, unitOptions } from './units';

const COLUMNS = ['Tên đăng nhập', 'Họ và tên', 'Thư điện tử', 'Vai trò', 'Đơn vị', 'Trạng thái', 'Đăng nhập gần nhất'];
const HUMAN_ROLES: [string, string][] = ['admin', 'appraiser', 'staff', 'leader'].map((r) => [r, ROLE_LABELS[r]]);

export async function renderUsers(ctx: Ctx, filter = { unit: '', role: '' }): Promise<void> {
  const units = await loadUnits(true);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const q = filter.unit ? `?unit_id=${encodeURIComponent(filter.unit)}` : '';
  const users = (await get<{ users: User[] }>('/users' + q)).users
    .filter((u) => !filter.role || u.role === filter.role)
    .sort((a, b) => a.username.localeCompare(b.username));

  const unitSel = select(unitOptions(units, 'Tất cả đơn vị'), filter.unit, { id: 'filter-unit' });
  const roleSel = select([['', 'Tất cả vai trò'], ...HUMAN_ROLES], filter.role, { id: 'filter-role' });
  const reload = () => void renderUsers(ctx, { unit: unitSel.value, role: roleSel.value });
  unitSel.addEventListener('change', reload);
  roleSel.addEventListener('change', reload);

  const addBtn = h('button', { type: 'button', class: 'primary' }, 'Thêm người dùng');
  addBtn.addEventListener('click', () => userDialog(ctx, units, null, filter));

  const rows = users.map((u) => {
    const toggle = h('button', { type: 'button', class: u.disabled ? 'small toggle' : 'small danger toggle',
      'aria-label': `${u.disabled ? 'Mở khoá' : 'Khoá'} tài khoản ${u.username}` }, u.disabled ? 'Mở khoá' : 'Khoá');
    toggle.addEventListener('click', async () => {
      const ok = await confirmDialog(u.disabled ? 'Mở khoá tài khoản' : 'Khoá tài khoản',
        u.disabled ? `Cho phép ${u.username} đăng nhập trở lại?`
          : `Khoá tài khoản ${u.username}? Mọi phiên đăng nhập và khoá API của người này sẽ bị thu hồi.`,
        u.disabled ? 'Mở khoá' : 'Khoá', !u.disabled);
      if (!ok) return;
      await act(() => post(`/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`));
      await renderUsers(ctx, filter);
      // The row was re-drawn: keep the keyboard where it was (the same row's toggle).
      ctx.main.querySelector<HTMLButtonElement>(`tr[data-username="${CSS.escape(u.username)}"] button.toggle`)?.focus();
    });
    const reset = h('button', { type: 'button', class: 'small', 'aria-label': `Đặt lại mật khẩu ${u.username}` }, 'Đặt lại mật khẩu');
    reset.addEventListener('click', async () => {
      const ok = await confirmDialog('Đặt lại mật khẩu',
        `Tạo mật khẩu dùng một lần mới cho ${u.username}? Mọi phiên đăng nhập hiện có sẽ bị thu hồi.`, 'Đặt lại');
      if (!ok) return;
      const res = await act(() => post<{ one_time_password: string }>(`/users/${u.id}/reset-password`));
      if (res) await secretDialog('Mật khẩu mới', ['Mật khẩu dùng một lần mới của ', h('strong', null, u.username), ':'], res.one_time_password);
    });
    // Lost phone and recovery codes: the user enrols again (an admin must, before anything else).
    let totpReset: HTMLButtonElement | null = null;
    if (u.totp_enabled && u.id !== ctx.me.user.id) {
      totpReset = h('button', { type: 'button', class: 'small', 'aria-label': `Xoá xác thực hai bước của ${u.username}` }, 'Xoá xác thực hai bước');
      totpReset.addEventListener('click', async () => {
        const ok = await confirmDialog('Xoá xác thực hai bước',
          `Xoá xác thực hai bước và mã khôi phục của ${u.username}? Mọi phiên đăng nhập của người này sẽ bị thu hồi; họ cần đăng ký lại.`, 'Xoá', true);
        if (!ok) return;
        await act(() => post(`/users/${u.id}/totp-reset`));
        await renderUsers(ctx, filter);
      });
    }
    const edit = h('button', { type: 'button', class: 'small', 'aria-label': `Sửa ${u.username}` }, 'Sửa');
    edit.addEventListener('click', () => userDialog(ctx, units, u, filter));
    const cell = (i: number, ...c: Child[]) => h('td', { 'data-label': COLUMNS[i] }, ...c);
    return h('tr', { 'data-username': u.username, class: u.disabled ? 'disabled' : null },
      cell(0, u.username),
      cell(1, u.full_name),
      cell(2, u.email ?? ''),
      cell(3, label(ROLE_LABELS, u.role)),
      cell(4, unitName.get(u.unit_id) ?? '—'),
      h('td', { class: 'state', 'data-label': COLUMNS[5] }, userState(u)),
      cell(6, dateTime(u.last_login_at)),
      h('td', { class: 'row-actions' }, edit, toggle, reset, totpReset));
  });

  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', null, 'Người dùng'), addBtn),
    h('div', { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'filter-unit' }, 'Đơn vị'), unitSel),
      h('div', { class: 'field' }, h('label', { for: 'filter-role' }, 'Vai trò'), roleSel)),
    h('p', { class: 'muted', role: 'status' }, `${users.length} người dùng.`),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'cards' },
        h('thead', null, h('tr', null, [...COLUMNS, 'Thao tác'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: 8 }, 'Không có người dùng nào.'))))));
}

/** An account's state as a badge (locked, waiting for the first password change) or text. */
export function userState(u: User): Child {
  return u.disabled ? h('span', { class: 'badge retired-badge' }, 'Đã khoá')
    : u.must_change_password ? h('span', { class: 'badge' }, 'Chờ đổi mật khẩu') : 'Đang hoạt động';
}

/** Runs an action from a row button and reports its error in a dialog. */
async function act<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    const msg = err instanceof Error ? err.message : 'Đã xảy ra lỗi.';
    const ok = h('button', { type: 'button', class: 'primary' }, 'Đóng');
    const d = openDialog('Không thực hiện được', [h('p', { role: 'alert' }, msg), h('div', { class: 'actions' }, ok)]);
    ok.addEventListener('click', () => d.close());
    return undefined;
  }
}

function userDialog(ctx: Ctx, units: Unit[], user: User | null, filter: { unit: string; role: string }): void {
  const active = units.filter((u) => !u.retired_at || u.id === user?.unit_id);
  const form = new Form(async (f) => {
    const body: Record<string, unknown> = {
      full_name: f.value('full_name'),
      role: f.value('role'),
      unit_id: f.value('unit_id') ? Number(f.value('unit_id')) : null,
    };
    const email = f.value('email');
    let bad = false;
    if (!user && !f.value('username')) bad = f.fieldError('username', 'Vui lòng nhập tên đăng nhập.') || bad;
    if (!body.full_name) bad = f.fieldError('full_name', 'Vui lòng nhập họ và tên.', !bad) || bad;
    if (!body.unit_id) bad = f.fieldError('unit_id', 'Vui lòng chọn đơn vị.', !bad) || bad;
    if (bad) return;
    if (user) {
      if (email || user.email) body.email = email || null;
      await patch(`/users/${user.id}`, body);
      try { await renderUsers(ctx, filter); } finally { d.close(); }
      return;
    }
    body.username = f.value('username');
    if (email) body.email = email;
    const res = await post<{ user: User; one_time_password: string }>('/users', body);
    try { await renderUsers(ctx, filter); } finally { d.close(); }
    await secretDialog('Đã tạo người dùng',
      ['Mật khẩu dùng một lần của ', h('strong', null, res.user.username), ':'], res.one_time_password);
  }, { class: 'grid-form' });
  form.el.append(
    user ? h('p', null, 'Tên đăng nhập: ', h('strong', null, user.username))
      : form.field('username', 'Tên đăng nhập', input('text', { autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' }), { required: true }).wrap,
    form.field('full_name', 'Họ và tên', input('text', { value: user?.full_name ?? '' }), { required: true }).wrap,
    form.field('email', 'Thư điện tử', input('email', { value: user?.email ?? '' })).wrap,
    form.field('role', 'Vai trò', select(HUMAN_ROLES, user?.role ?? 'staff'), { required: true }).wrap,
    form.field('unit_id', 'Đơn vị', select(unitOptions(active, '— Chọn đơn vị —'), user ? String(user.unit_id) : filter.unit), { required: true }).wrap,
    h('div', { class: 'actions' }, submit(user ? 'Lưu thay đổi' : 'Thêm người dùng')),
  );
  const d = openDialog(user ? `Sửa người dùng ${user.username}` : 'Thêm người dùng', form.el);
}
