// Nhiệm vụ of a round: a unit's task list (staff, leader: number, task, due date, time state,
// state, action; filters; counts with the legend; "Chuẩn hoá dữ liệu", "Trình lãnh đạo") and the
// appraiser's (or admin's) queue with server-side filters (unit, level, pillar, state, overdue).
import { get, post } from '../api';
import { h, replace } from '../dom';
import { attempt, confirmDialog, openDialog } from '../dialog';
import { date, label, LEVEL_LABELS, num } from '../format';
import { select } from '../forms';
import type { Ctx } from '../main';
import { navigate } from '../router';
import type { Round, TaskRow } from '../rtypes';
import type { Framework, Unit } from '../types';
import { countsView, countTasks, lbl, PHASE_LABELS, STATE_LABELS, stateBadge, timeBadge, TIME_LABELS } from '../wf';

const PAGE = 50;

/** "31.10" of the round's year → "31/10/2025"; an ISO due date → dd/mm/yyyy. */
export function dueText(t: { due?: string | null; due_at?: string | null }, year: number): string {
  const m = /^(\d{1,2})\.(\d{1,2})$/.exec(t.due ?? '');
  if (m) return `${m[1].padStart(2, '0')}/${m[2].padStart(2, '0')}/${year}`;
  // due_at is the exclusive end (the next midnight, +07:00): the last day is the second before.
  const at = Date.parse(t.due_at ?? '');
  return Number.isNaN(at) ? '—' : date(new Date(at - 1000).toISOString());
}

export const isUnitRole = (ctx: Ctx) => ctx.me.user.role === 'staff' || ctx.me.user.role === 'leader';

export async function loadRound(id: string | number): Promise<Round> {
  return get<Round>(`/rounds/${id}`);
}

/** A filter re-renders the page: the keyboard user's focus goes back to the same filter. */
let refocus = '';
function filterSelect(id: string, text: string, opts: [string, string][], value: string, onChange: (v: string) => void): HTMLElement {
  const s = select(opts, value, { id });
  s.addEventListener('change', () => { refocus = id; onChange(s.value); });
  return h('div', { class: 'field' }, h('label', { for: id }, text), s);
}
function restoreFocus(): void {
  if (refocus) document.getElementById(refocus)?.focus();
  refocus = '';
}

export async function renderTasks(ctx: Ctx, id: string): Promise<void> {
  const round = await loadRound(id);
  if (isUnitRole(ctx)) return unitTasks(ctx, round);
  return queue(ctx, round);
}

async function unitTasks(ctx: Ctx, round: Round): Promise<void> {
  const unitId = ctx.me.user.unit_id;
  const q = new URLSearchParams(location.search);
  const all = (await get<{ tasks: TaskRow[] }>(`/tasks?round_id=${round.id}&unit_id=${unitId}&limit=500`)).tasks;
  const windowOpen = round.current_phase === 'trial' || round.current_phase === 'self_assessment';
  const state = q.get('state') ?? '';
  const time = q.get('time') ?? '';
  const tasks = all.filter((t) => (!state || t.state === state) && (!time || t.time_state === time));
  const setQ = (k: string, v: string) => {
    if (v) q.set(k, v); else q.delete(k);
    navigate(`/rounds/${round.id}/tasks${q.toString() ? '?' + q : ''}`, true);
  };
  const isStaff = ctx.me.user.role === 'staff';
  const tools = h('div', { class: 'actions unit-tools' });
  if (isStaff) {
    const std = h('button', { type: 'button' }, 'Chuẩn hoá dữ liệu');
    std.addEventListener('click', () => void standardise(ctx, round, unitId));
    const sub = h('button', { type: 'button', class: 'primary' }, 'Trình lãnh đạo');
    sub.addEventListener('click', async () => {
      const n = all.filter((t) => t.state === 'draft' || t.state === 'returned').length;
      if (!await confirmDialog('Trình lãnh đạo', `Trình lãnh đạo ${n} nhiệm vụ đã lưu hoặc bị trả lại? Sau khi trình, lãnh đạo sẽ duyệt và gửi thẩm định.`, 'Trình lãnh đạo')) return;
      if (await attempt(() => post(`/rounds/${round.id}/units/${unitId}/transitions`, { action: 'submit' }))) await unitTasks(ctx, round);
    });
    tools.append(std, sub, h('a', { href: `/rounds/${round.id}/excel`, class: 'button', id: 'excel-link' }, 'Nhập/xuất Excel'));
  } else {
    tools.append(h('a', { href: `/rounds/${round.id}/report`, class: 'button primary' }, 'Xem toàn bộ báo cáo'));
  }
  // The unit's own pages (where points can still be gained, progress): staff reach them here.
  tools.append(...unitLinks(round.id, unitId));
  const cols = ['STT', 'Nhiệm vụ', 'Thời hạn', 'Thời gian', 'Trạng thái', 'Điểm tự đánh giá', 'Điểm phê duyệt', 'Thao tác'];
  replace(ctx.main,
    h('p', null, h('a', { href: '/rounds' }, '← Đợt đánh giá')),
    h('h1', null, 'Nhiệm vụ của đơn vị'),
    h('p', { class: 'subtitle' }, `${round.title} · ${ctx.me.unit?.name ?? ''} · Giai đoạn: ${round.current_phase ? lbl(PHASE_LABELS, round.current_phase) : 'ngoài các giai đoạn'}`),
    // a round without the unit: no counts, buttons or filters that could only act on nothing
    all.length ? [countsView(countTasks(all, windowOpen)), tools] : null,
    all.length ? h('div', { class: 'filters' },
      filterSelect('f-state', 'Trạng thái', [['', 'Tất cả trạng thái'], ...Object.entries(STATE_LABELS)], state, (v) => setQ('state', v)),
      filterSelect('f-time', 'Thời gian', [['', 'Tất cả'], ...Object.entries(TIME_LABELS)], time, (v) => setQ('time', v))) : null,
    all.length ? h('p', { class: 'muted', role: 'status' }, `${tasks.length}/${all.length} nhiệm vụ.`) : null,
    taskTable(tasks, cols, round.year, ctx, false, noTasks(all.length > 0, () => navigate(`/rounds/${round.id}/tasks`, true),
      'Đơn vị của bạn không có nhiệm vụ nào trong đợt này: đơn vị không tham gia đợt. Nếu đơn vị cần tham gia, hãy báo quản trị viên để thêm đơn vị vào đợt.')));
  restoreFocus();
}

/** Links to a unit's page and its progress report (admins, appraisers: the unit filtered on). */
function unitLinks(roundId: number, unitId: number | null | undefined): HTMLElement[] {
  if (!unitId) return [];
  return [h('a', { href: `/rounds/${roundId}/units/${unitId}`, class: 'button' }, 'Nơi đơn vị còn có thể tăng điểm'),
    h('a', { href: `/rounds/${roundId}/units/${unitId}/progress`, class: 'button' }, 'Báo cáo tiến độ')];
}

/** No task to list: with filters, say so and offer to clear them; without, say why and what next. */
function noTasks(filtered: boolean, clear: () => void, why: string): HTMLElement {
  if (!filtered) return h('p', { class: 'empty-state no-tasks' }, why);
  const btn = h('button', { type: 'button' }, 'Bỏ lọc');
  btn.addEventListener('click', clear);
  return h('p', { class: 'empty-state no-tasks' }, 'Không có nhiệm vụ nào khớp bộ lọc. ', btn);
}

function taskTable(tasks: TaskRow[], cols: string[], year: number, ctx: Ctx, withUnit: boolean, empty: HTMLElement): HTMLElement {
  if (!tasks.length) return empty;
  const role = ctx.me.user.role;
  const verb = (t: TaskRow) => {
    if (role === 'staff' && ['not_started', 'draft', 'returned', 'explanation_requested'].includes(t.state)) return 'Báo cáo';
    if (role === 'appraiser' && ['in_appraisal', 'explained', 'explanation_requested', 'not_started', 'draft', 'returned', 'submitted'].includes(t.state)) return 'Thẩm định';
    return 'Xem';
  };
  let i = 0;
  return h('div', { class: 'table-wrap' }, h('table', { class: 'cards tasks' },
    h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, tasks.length ? tasks.map((t) => {
      i++;
      let c = 0;
      const cell = (...ch: (Node | string)[]) => h('td', { 'data-label': cols[c++] }, ...ch);
      return h('tr', { 'data-task-id': t.id, 'data-code': t.code ?? '', 'data-state': t.state },
        cell(t.code ?? String(t.seq ?? i)),
        withUnit ? cell(t.unit_name ?? String(t.unit_id)) : null,
        cell(h('a', { href: `/tasks/${t.id}` }, t.title ?? t.criterion_key)),
        cell(dueText(t, year)),
        cell(timeBadge(t.time_state)),
        cell(stateBadge(t.state, t.state_label)),
        h('td', { class: 'num', 'data-label': cols[c++] }, num(t.self_points)),
        h('td', { class: 'num', 'data-label': cols[c++] }, `${num(t.approved_points)}/${num(t.max_points)}`),
        h('td', { class: 'row-actions' }, h('a', { href: `/tasks/${t.id}`, class: 'button small', 'aria-label': `${verb(t)} ${t.code ?? ''} ${t.title ?? ''}` }, verb(t))));
    }) : null)));
}

async function standardise(ctx: Ctx, round: Round, unitId: number): Promise<void> {
  let res: { recomputed: number; missing: { task_id: number; code?: string; what: string }[] } | undefined;
  if (!await attempt(async () => { res = await post(`/rounds/${round.id}/units/${unitId}/standardise`); })) return;
  const r = res!;
  const close = h('button', { type: 'button', class: 'primary' }, 'Đóng');
  const d = openDialog('Chuẩn hoá dữ liệu', [
    h('p', { role: 'status' }, `Đã tính lại ${r.recomputed} nhiệm vụ.`),
    r.missing.length
      ? [h('p', null, `Còn thiếu ${r.missing.length} mục:`), h('ul', { class: 'missing-list' }, r.missing.map((m) =>
          h('li', null, h('a', { href: `/tasks/${m.task_id}` }, m.code ?? `#${m.task_id}`), ': ', m.what)))]
      : h('p', null, 'Không còn thiếu số liệu nào.'),
    h('div', { class: 'actions' }, close)], () => void unitTasks(ctx, round));
  close.addEventListener('click', () => d.close());
  d.body.querySelectorAll('a').forEach((a) => a.addEventListener('click', () => d.close()));
}

async function queue(ctx: Ctx, round: Round): Promise<void> {
  const q = new URLSearchParams(location.search);
  const offset = Math.max(0, Number(q.get('offset') ?? 0) || 0);
  const api = new URLSearchParams({ round_id: String(round.id), limit: String(PAGE), offset: String(offset) });
  for (const k of ['unit_id', 'level', 'pillar', 'state', 'overdue']) if (q.get(k)) api.set(k, q.get(k)!);
  const [res, units, fws] = await Promise.all([
    get<{ tasks: TaskRow[]; total?: number }>(`/tasks?${api}`),
    get<{ units: Unit[] }>('/units').then((r) => r.units),
    Promise.all((round.frameworks ?? []).map((f) => get<Framework>(`/frameworks/${encodeURIComponent(f.framework_id)}?version=${f.version}`).catch(() => null))),
  ]);
  const total = res.total ?? res.tasks.length;
  const setQ = (k: string, v: string) => {
    if (v) q.set(k, v); else q.delete(k);
    q.delete('offset');
    navigate(`/rounds/${round.id}/tasks${q.toString() ? '?' + q : ''}`, true);
  };
  const page = (o: number) => { if (o) q.set('offset', String(o)); else q.delete('offset'); navigate(`/rounds/${round.id}/tasks?${q}`); };
  const pillars = new Map<string, string>();
  for (const fw of fws) for (const p of fw?.pillars ?? []) if (!pillars.has(p.key)) pillars.set(p.key, `${p.code}. ${p.title}`);
  const prev = h('button', { type: 'button' }, '← Trang trước');
  const next = h('button', { type: 'button' }, 'Trang sau →');
  prev.disabled = offset === 0;
  next.disabled = offset + PAGE >= total;
  prev.addEventListener('click', () => page(Math.max(0, offset - PAGE)));
  next.addEventListener('click', () => page(offset + PAGE));
  const cols = ['STT', 'Đơn vị', 'Nhiệm vụ', 'Thời hạn', 'Thời gian', 'Trạng thái', 'Điểm tự đánh giá', 'Điểm phê duyệt', 'Thao tác'];
  const isAppraiser = ctx.me.user.role === 'appraiser';
  replace(ctx.main,
    h('p', null, h('a', { href: ctx.isAdmin ? `/rounds/${round.id}` : '/rounds' }, ctx.isAdmin ? `← ${round.title}` : '← Đợt đánh giá')),
    h('h1', null, isAppraiser ? 'Nhiệm vụ cần thẩm định' : 'Danh sách nhiệm vụ'),
    h('p', { class: 'subtitle' }, `${round.title} · Giai đoạn: ${round.current_phase ? lbl(PHASE_LABELS, round.current_phase) : 'ngoài các giai đoạn'}`),
    h('div', { class: 'filters' },
      filterSelect('q-unit', 'Đơn vị', [['', 'Tất cả đơn vị'], ...units.map((u) => [String(u.id), u.name] as [string, string])], q.get('unit_id') ?? '', (v) => setQ('unit_id', v)),
      filterSelect('q-level', 'Cấp', [['', 'Tất cả các cấp'], ...(round.frameworks ?? []).map((f) => [f.level, label(LEVEL_LABELS, f.level)] as [string, string])], q.get('level') ?? '', (v) => setQ('level', v)),
      filterSelect('q-pillar', 'Trụ cột', [['', 'Tất cả trụ cột'], ...pillars], q.get('pillar') ?? '', (v) => setQ('pillar', v)),
      filterSelect('q-state', 'Trạng thái', [['', 'Tất cả trạng thái'], ...Object.entries(STATE_LABELS)], q.get('state') ?? '', (v) => setQ('state', v)),
      filterSelect('q-overdue', 'Quá hạn', [['', 'Tất cả'], ['1', 'Chỉ nhiệm vụ quá hạn']], q.get('overdue') ?? '', (v) => setQ('overdue', v))),
    q.get('unit_id') ? h('div', { class: 'actions unit-tools' }, unitLinks(round.id, Number(q.get('unit_id')))) : null,
    h('p', { class: 'muted', role: 'status' }, total ? `${offset + 1}–${offset + res.tasks.length} trong ${total} nhiệm vụ.` : 'Không có nhiệm vụ nào.'),
    taskTable(res.tasks, cols, round.year, ctx, true, noTasks(['unit_id', 'level', 'pillar', 'state', 'overdue'].some((k) => q.get(k)),
      () => navigate(`/rounds/${round.id}/tasks`, true),
      isAppraiser ? 'Bạn chưa được phân công thẩm định nhiệm vụ nào trong đợt này. Quản trị viên phân công thẩm định ở trang của đợt đánh giá.'
        : 'Đợt này không có nhiệm vụ nào.')),
    total > PAGE ? h('div', { class: 'pager' }, prev, next) : null);
  restoreFocus();
}
