// Nhật ký (admin): audit entries newest first with paging (position in the URL), and the chain
// integrity check.
import { get } from '../api';
import { h, replace } from '../dom';
import { dateTime } from '../format';
import type { Ctx } from '../main';
import type { AuditEntry } from '../types';
import { actionLabel, entityLabel, fieldLabel, fieldValue, type Label } from '../auditlabels';

const PAGE = 50;

/** A label; one without a Vietnamese entry is marked, so a missing label shows in tests. */
function lbl(tag: 'span' | 'strong', l: Label, cls = ''): HTMLElement {
  const c = [cls, l.known ? '' : 'unlabelled'].filter(Boolean).join(' ');
  return h(tag, c ? { class: c } : null, l.text);
}

/** A stored value as an object of fields; `info` (a unit's general information) is opened into
 *  `info.<key>` so each of its fields gets its own label. */
function flat(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k === 'info' && x && typeof x === 'object' && !Array.isArray(x)) {
      for (const [ik, ix] of Object.entries(x as Record<string, unknown>)) out['info.' + ik] = ix;
    } else out[k] = x;
  }
  return out;
}

/** old → new, one line per field that differs, with Vietnamese labels; the stored objects with
 *  their codes only in the "JSON đầy đủ" disclosure. */
function changes(e: AuditEntry): HTMLElement {
  const o = flat(e.old);
  const n = flat(e.new);
  const keys = [...new Set([...Object.keys(o), ...Object.keys(n)])];
  const diff = keys.filter((k) => JSON.stringify(o[k]) !== JSON.stringify(n[k]));
  const lines = diff.map((k) => h('li', { 'data-field': k }, lbl('span', fieldLabel(k), 'audit-field'), ': ',
    e.old ? [h('span', { class: 'old' }, fieldValue(k, o[k])), ' → '] : null,
    h('span', { class: 'new' }, fieldValue(k, n[k]))));
  return h('div', { class: 'changes' },
    lines.length ? h('ul', null, lines) : h('span', { class: 'muted' }, 'Không có thay đổi dữ liệu.'),
    h('details', null, h('summary', null, 'JSON đầy đủ'),
      h('p', { class: 'muted' }, 'Mã thao tác: ', h('code', null, e.action), ' · đối tượng: ', h('code', null, e.entity)),
      e.old || e.new ? h('div', { class: 'json-pair' },
        h('div', null, h('p', null, 'Trước'), h('pre', null, JSON.stringify(e.old, null, 2))),
        h('div', null, h('p', null, 'Sau'), h('pre', null, JSON.stringify(e.new, null, 2)))) : null));
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
      lbl('strong', actionLabel(e.action)), ' · ',
      lbl('span', entityLabel(e.entity)), e.entity_id ? ` #${e.entity_id}` : null),
    changes(e)));

  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', null, 'Nhật ký'), verifyBtn),
    verifyOut,
    h('p', { class: 'muted' }, `${known ? `Trang ${stack.length}` : `Các bản ghi trước #${before}`}, mới nhất trước.`),
    rows.length ? h('ol', { class: 'audit-list' }, rows) : h('p', null, 'Chưa có bản ghi nào.'),
    h('nav', { class: 'pager', 'aria-label': 'Phân trang nhật ký' }, newer, older));
}
