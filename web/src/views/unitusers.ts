// Người dùng của đơn vị (leader): the accounts of the leader's own unit, read only. Creating,
// editing and locking accounts stay with the admin (the API refuses them to a leader).
import { get } from '../api';
import { h, replace } from '../dom';
import { dateTime, label, ROLE_LABELS } from '../format';
import type { Ctx } from '../main';
import type { User } from '../types';
import { userState } from './users';

const COLUMNS = ['Tên đăng nhập', 'Họ và tên', 'Thư điện tử', 'Vai trò', 'Trạng thái', 'Đăng nhập gần nhất'];

export async function renderUnitUsers(ctx: Ctx): Promise<void> {
  const { user, unit } = ctx.me;
  const users = (await get<{ users: User[] }>(`/users?unit_id=${user.unit_id}`)).users
    .sort((a, b) => a.username.localeCompare(b.username));
  const rows = users.map((u) => h('tr', { 'data-username': u.username, class: u.disabled ? 'disabled' : null },
    [u.username, u.full_name, u.email ?? '', label(ROLE_LABELS, u.role), userState(u), dateTime(u.last_login_at)]
      .map((c, i) => h('td', { 'data-label': COLUMNS[i] }, c))));
  replace(ctx.main,
    h('h1', null, 'Người dùng của đơn vị'),
    h('p', { class: 'muted' }, `${unit?.name ?? ''}: ${users.length} người dùng. `,
      'Việc thêm, sửa hoặc khoá tài khoản do quản trị viên thực hiện.'),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'cards' },
        h('thead', null, h('tr', null, COLUMNS.map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: COLUMNS.length }, 'Không có người dùng nào.'))))));
}
