// Nhật ký (admin): audit entries newest first with paging (position in the URL), and the chain
// integrity check.
import { get } from '../api';
import { h, replace } from '../dom';
import { dateTime } from '../format';
import type { Ctx } from '../main';
import type { AuditEntry } from '../types';

const ACTIONS: Record<string, string> = {
  'session.login': 'Đăng nhập',
  'session.logout': 'Đăng xuất',
  'session.login_failed': 'Đăng nhập thất bại',
  'user.create': 'Tạo người dùng',
  'user.update': 'Sửa người dùng',
  'user.disable': 'Khoá tài khoản',
  'user.enable': 'Mở khoá tài khoản',
  'user.reset_password': 'Đặt lại mật khẩu',
  'user.password_change': 'Đổi mật khẩu',
  'user.change_password': 'Đổi mật khẩu',
  'unit.create': 'Tạo đơn vị',
  'unit.update': 'Sửa đơn vị',
  'unit.retire': 'Ngừng hoạt động đơn vị',
  'framework.create': 'Tải lên bộ chỉ số',
  'framework.import': 'Nhập bộ chỉ số',
  'api_token.create': 'Tạo khoá API',
  'api_token.revoke': 'Thu hồi khoá API',
  'token.create': 'Tạo khoá API',
  'token.revoke': 'Thu hồi khoá API',
};

const ENTITIES: Record<string, string> = {
  unit: 'Đơn vị', user: 'Người dùng', framework: 'Bộ chỉ số', api_token: 'Khoá API', session: 'Phiên',
};

const PAGE = 50;

function show(v: unknown): string {
  if (v === null || v === undefined) return '∅';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** old → new, one line per key that differs; the whole objects in a disclosure. */
function changes(e: AuditEntry): HTMLElement {
  const o = (e.old && typeof e.old === 'object' ? e.old : {}) as Record<string, unknown>;
  const n = (e.new && typeof e.new === 'object' ? e.new : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(o), ...Object.keys(n)])];
  const diff = keys.filter((k) => JSON.stringify(o[k]) !== JSON.stringify(n[k]));
  const lines = diff.map((k) => h('li', null, h('code', null, k), ': ',
    e.old ? [h('span', { class: 'old' }, show(o[k])), ' → '] : null,
    h('span', { class: 'new' }, show(n[k]))));
  return h('div', { class: 'changes' },
    lines.length ? h('ul', null, lines) : h('span', { class: 'muted' }, 'Không có thay đổi dữ liệu.'),
    e.old || e.new ? h('details', null, h('summary', null, 'JSON đầy đủ'),
      h('div', { class: 'json-pair' },
        h('div', null, h('p', null, 'Trước'), h('pre', null, JSON.stringify(e.old, null, 2))),
        h('div', null, h('p', null, 'Sau'), h('pre', null, JSON.stringify(e.new, null, 2))))) : null);
}

/** The position is in the URL (?before_id=N, reload and Back/Forward keep it); the trail of newer
 *  pages ([null, …, N], page 1 first) in the history entry. A URL opened afresh has no trail: [N]. */
function position(): (number | null)[] {
  const raw = new URLSearchParams(location.search).get('before_id');
  const before = raw && /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
  if (before === null) return [null];
  const trail = (history.state as { auditTrail?: unknown } | null)?.auditTrail;
  return Array.isArray(trail) && trail[0] === null && trail[trail.length - 1] === before ? trail : [before];
}

export function renderAudit(ctx: Ctx): Promise<void> {
  return draw(ctx, position());
}

async function draw(ctx: Ctx, stack: (number | null)[]): Promise<void> {
  const before = stack[stack.length - 1];
  const known = stack[0] === null;
  const q = new URLSearchParams({ limit: String(PAGE) });
  if (before !== null) q.set('before_id', String(before));
  const res = await get<{ entries: AuditEntry[]; next_before_id: number | null }>('/audit?' + q);

  const verifyBtn = h('button', { type: 'button' }, 'Kiểm tra tính toàn vẹn');
  const verifyOut = h('div', { class: 'verify', role: 'status', 'aria-live': 'polite' });
  verifyBtn.addEventListener('click', async () => {
    verifyBtn.disabled = true;
    replace(verifyOut, 'Đang kiểm tra…');
    try {
      const v = await get<{ ok: boolean; entries?: number; first_bad_id?: number; reason?: string }>('/audit/verify');
      verifyOut.className = v.ok ? 'verify ok' : 'verify bad';
      replace(verifyOut, v.ok
        ? `Toàn vẹn: đã kiểm tra ${v.entries ?? 0} bản ghi, không phát hiện sửa đổi.`
        : `Phát hiện sai lệch tại bản ghi #${v.first_bad_id}: ${v.reason ?? ''}`);
    } catch (err) {
      verifyOut.className = 'verify bad';
      replace(verifyOut, err instanceof Error ? err.message : 'Không kiểm tra được.');
    } finally {
      verifyBtn.disabled = false;
    }
  });

  const newer = h('button', { type: 'button', disabled: before === null }, known ? '← Mới hơn' : '← Mới nhất');
  const older = h('button', { type: 'button', disabled: !res.next_before_id }, 'Cũ hơn →');
  // Paging re-draws the page: keep keyboard focus on the pager (or the list's start).
  const page = async (next: (number | null)[], which: 'newer' | 'older', btn: HTMLButtonElement) => {
    btn.disabled = true;
    try {
      await draw(ctx, next);
      const at = next[next.length - 1];
      history.pushState(at === null ? null : { auditTrail: next }, '', at === null ? '/audit' : `/audit?before_id=${at}`);
    } catch (err) {
      btn.disabled = false;
      replace(verifyOut, err instanceof Error ? err.message : 'Không tải được trang nhật ký.');
      verifyOut.className = 'verify bad';
      return;
    }
    const pager = ctx.main.querySelectorAll<HTMLButtonElement>('.pager button');
    const target = pager[which === 'newer' ? 0 : 1];
    (target && !target.disabled ? target : pager[which === 'newer' ? 1 : 0])?.focus();
  };
  newer.addEventListener('click', () => void page(known ? stack.slice(0, -1) : [null], 'newer', newer));
  older.addEventListener('click', () => void page([...stack, res.next_before_id!], 'older', older));

  const rows = res.entries.map((e) => h('li', { class: 'audit-entry', 'data-action': e.action, 'data-id': e.id },
    h('div', { class: 'audit-meta' },
      h('span', { class: 'audit-when' }, dateTime(e.at)),
      h('span', { class: 'audit-who' }, e.actor?.username ?? 'hệ thống'),
      e.client_addr ? h('span', { class: 'muted' }, e.client_addr) : null),
    h('div', { class: 'audit-what' },
      h('strong', null, ACTIONS[e.action] ?? e.action), ' ',
      h('code', { class: 'muted' }, e.action), ' · ',
      h('span', null, `${ENTITIES[e.entity] ?? e.entity}${e.entity_id ? ' #' + e.entity_id : ''}`)),
    changes(e)));

  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', null, 'Nhật ký'), verifyBtn),
    verifyOut,
    h('p', { class: 'muted' }, `${known ? `Trang ${stack.length}` : `Các bản ghi trước #${before}`}, mới nhất trước.`),
    rows.length ? h('ol', { class: 'audit-list' }, rows) : h('p', null, 'Chưa có bản ghi nào.'),
    h('nav', { class: 'pager', 'aria-label': 'Phân trang nhật ký' }, newer, older));
}
