import { h, replace } from '../dom';
import { KIND_LABELS, label, ROLE_LABELS } from '../format';
import type { Ctx } from '../main';

export function renderHome(ctx: Ctx): void {
  const { user, unit } = ctx.me;
  replace(ctx.main,
    h('h1', null, 'Trang chủ'),
    h('p', null, 'Xin chào ', h('strong', null, user.full_name || user.username), '.'),
    h('dl', { class: 'facts' },
      h('dt', null, 'Vai trò'), h('dd', null, label(ROLE_LABELS, user.role)),
      h('dt', null, 'Đơn vị'), h('dd', null, unit ? `${unit.name} (${label(KIND_LABELS, unit.kind)})` : '—')),
    h('ul', null,
      h('li', null, h('a', { href: '/inbox' }, 'Việc cần làm'), ': những nhiệm vụ đang chờ bạn.'),
      h('li', null, h('a', { href: '/rounds' }, 'Đợt đánh giá'), user.role === 'appraiser' ? ': nhiệm vụ được giao thẩm định.' : ': nhiệm vụ và báo cáo của đơn vị.'),
      h('li', null, 'Các ', h('a', { href: '/frameworks' }, 'bộ chỉ số'), ' đang áp dụng.')));
}
