// "Báo cáo chỉ số DTI" (seed 000, docs/results-api.md "Dashboard"): a round's units per level
// (tabs), tasks, self-assessed points, approved points / maximum and the Đạt / Chưa đạt /
// Không đạt counts; server-side search that ignores case and diacritics, sortable headers,
// paging. The URL holds tab, search, sort and page (replaced as they change), and the scroll
// position is kept per URL, so Back from a unit's task list lands on the same rows.
import { get } from '../api';
import { h, replace } from '../dom';
import { num } from '../format';
import type { Ctx } from '../main';
import { navigate } from '../router';
import type { Round, SummaryUnit } from '../rtypes';
import type * as A from '../api-types';
import { legend } from '../wf';

type Dashboard = A.ApiResponses['GET /api/v1/rounds/{id}/dashboard'][200];

const PAGE = 50;
const LEVELS: [string, string][] = [
  ['province', 'Cấp tỉnh (quốc gia)'], ['department', 'Cấp sở'], ['district', 'Cấp huyện'], ['commune', 'Cấp xã'],
];
type SortKey = Dashboard['sort'];
// [sort key, header]; the points column sorts by the approved points
const COLS: [SortKey, string][] = [
  ['name', 'Cơ quan, đơn vị'], ['tasks', 'Nhiệm vụ'], ['self_points', 'Điểm tự đánh giá'],
  ['approved_points', 'Tổng điểm phê duyệt / điểm tối đa'], ['dat', 'Đạt'], ['chua_dat', 'Chưa đạt'], ['khong_dat', 'Không đạt'],
];
const SORTS = new Set<string>([...COLS.map(([k]) => k), 'code', 'max_points']);

interface State { level: string; q: string; sort: SortKey; dir: 'asc' | 'desc'; page: number }

const scrollKey = () => `dash-scroll:${location.pathname}${location.search}`;

function readState(round: Round | null): State {
  const p = new URLSearchParams(location.search);
  const have = new Set<string>((round?.frameworks ?? []).map((f) => f.level));
  const first = LEVELS.find(([l]) => have.has(l))?.[0] ?? 'department';
  const level = LEVELS.some(([l]) => l === p.get('level')) ? p.get('level')! : first;
  const sort = SORTS.has(p.get('sort') ?? '') ? (p.get('sort') as SortKey) : 'name';
  return {
    level, q: p.get('q') ?? '', sort, dir: p.get('dir') === 'desc' ? 'desc' : 'asc',
    page: Math.max(0, Math.floor(Number(p.get('page') ?? 0)) || 0),
  };
}

function urlOf(roundId: number, s: State): string {
  const p = new URLSearchParams({ level: s.level });
  if (s.q) p.set('q', s.q);
  if (s.sort !== 'name') p.set('sort', s.sort);
  if (s.dir !== 'asc') p.set('dir', s.dir);
  if (s.page) p.set('page', String(s.page));
  return `/rounds/${roundId}/dashboard?${p}`;
}

/** /dashboard (the navigation link): the newest open round's dashboard, or the newest round's. */
export async function renderDashboardHome(ctx: Ctx): Promise<void> {
  const rounds = (await get<{ rounds: Round[] }>('/rounds')).rounds;
  const r = rounds.find((x) => x.status === 'open') ?? rounds[0];
  if (!r) {
    replace(ctx.main, h('h1', null, 'Báo cáo chỉ số DTI'), h('p', { class: 'empty-state' }, 'Chưa có đợt đánh giá nào, nên chưa có số liệu để báo cáo. ',
      ctx.isAdmin ? ['Bấm ', h('a', { href: '/rounds/new' }, 'Tạo đợt đánh giá'), ' để bắt đầu.'] : 'Báo cáo sẽ hiện khi có đợt đánh giá.'));
    return;
  }
  navigate(`/rounds/${r.id}/dashboard`, true);
}

const apiQuery = (s: State) => {
  const api = new URLSearchParams({ level: s.level, sort: s.sort, dir: s.dir, offset: String(s.page * PAGE), limit: String(PAGE) });
  if (s.q.trim()) api.set('q', s.q);
  return api;
};

export async function renderDashboard(ctx: Ctx, id: string): Promise<void> {
  // When the URL names the level, the table is asked for together with the round.
  const named = new URLSearchParams(location.search).get('level');
  const early = LEVELS.some(([l]) => l === named) ? get<Dashboard>(`/rounds/${id}/dashboard?${apiQuery(readState(null))}`) : null;
  early?.catch(() => {}); // awaited below; a failure then is reported by the page
  // ... and then the round (title, levels) is not waited for: it fills the heading when it comes.
  const roundP = get<Round>(`/rounds/${id}`);
  const round = early ? null : await roundP;
  const roundId = Number(id);
  const s = readState(round);
  const back = h('a', { href: ctx.isAdmin ? `/rounds/${roundId}` : '/rounds' }, `← ${round?.title ?? 'Đợt đánh giá'}`);
  const subtitle = h('p', { class: 'subtitle' }, round?.title ?? '');
  if (!round) void roundP.then((r) => { back.textContent = `← ${r.title}`; subtitle.textContent = r.title; }, () => {});
  const status = h('p', { class: 'muted dash-status', role: 'status', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const tfoot = h('tfoot');
  const prev = h('button', { type: 'button' }, '← Trang trước');
  const next = h('button', { type: 'button' }, 'Trang sau →');
  const pager = h('div', { class: 'pager' }, prev, next);
  const search = h('input', { type: 'search', id: 'dash-q', name: 'q', autocomplete: 'off', value: s.q, placeholder: 'Nhập tên cơ quan', 'aria-describedby': 'dash-q-hint' });
  const headers = new Map<SortKey, HTMLTableCellElement>();
  const tabs = LEVELS.map(([level, text]) => {
    const b = h('button', { type: 'button', role: 'tab', id: `tab-${level}`, 'data-level': level, 'aria-controls': 'dash-panel' }, text);
    b.addEventListener('click', () => { s.level = level; s.page = 0; void load(false); });
    b.addEventListener('keydown', (ev: KeyboardEvent) => {
      const i = LEVELS.findIndex(([l]) => l === level);
      const j = ev.key === 'ArrowRight' ? (i + 1) % LEVELS.length : ev.key === 'ArrowLeft' ? (i + LEVELS.length - 1) % LEVELS.length : -1;
      if (j < 0) return;
      ev.preventDefault();
      tabs[j].focus();
      tabs[j].click();
    });
    return b;
  });
  const headRow = h('tr', null, COLS.map(([key, text]) => {
    const btn = h('button', { type: 'button', class: 'sort-button', 'data-sort': key }, text, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }));
    btn.addEventListener('click', () => {
      s.dir = s.sort === key && s.dir === 'asc' ? 'desc' : s.sort === key ? 'asc' : key === 'name' ? 'asc' : 'desc';
      s.sort = key;
      s.page = 0;
      void load(false);
    });
    const th = h('th', { scope: 'col', class: key === 'name' ? null : 'num' }, btn);
    headers.set(key, th);
    return th;
  }));
  const table = h('table', { class: 'cards dashboard', id: 'dash-table' },
    h('caption', { class: 'visually-hidden' }, 'Kết quả theo đơn vị; bấm tiêu đề cột để sắp xếp'),
    h('thead', null, headRow), tbody, tfoot);
  replace(ctx.main,
    h('p', null, back),
    h('h1', null, 'Báo cáo chỉ số DTI'),
    subtitle,
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Cấp áp dụng bộ chỉ số' }, tabs),
    h('div', { id: 'dash-panel', role: 'tabpanel' },
      h('div', { class: 'field dash-search' },
        h('label', { for: 'dash-q' }, 'Tìm cơ quan, đơn vị'), search,
        h('span', { id: 'dash-q-hint', class: 'hint' }, 'Gõ có dấu hoặc không dấu, ví dụ “so tai chinh”.')),
      status,
      h('div', { class: 'table-wrap' }, table),
      pager,
      legend()));
  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => { s.q = search.value; s.page = 0; void load(false); }, 250);
  });
  prev.addEventListener('click', () => { s.page = Math.max(0, s.page - 1); void load(false); });
  next.addEventListener('click', () => { s.page += 1; void load(false); });
  // Leaving for a unit's tasks: remember where the table was scrolled.
  table.addEventListener('click', (ev) => {
    if ((ev.target as Element).closest('a')) sessionStorage.setItem(scrollKey(), String(window.scrollY));
  }, true);

  let seq = 0;
  async function load(first: boolean): Promise<void> {
    const mine = ++seq;
    const d = first && early ? await early : await get<Dashboard>(`/rounds/${roundId}/dashboard?${apiQuery(s)}`);
    if (mine !== seq || !table.isConnected) return; // a newer request answered, or the page is gone
    if (!first) history.replaceState(null, '', urlOf(roundId, s));
    for (const b of tabs) {
      const on = b.dataset.level === s.level;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.tabIndex = on ? 0 : -1;
      const n = d.levels.find((l) => l.level === b.dataset.level)?.units;
      b.dataset.units = String(n ?? 0);
    }
    for (const [key, th] of headers) {
      const on = key === s.sort;
      th.setAttribute('aria-sort', on ? (s.dir === 'asc' ? 'ascending' : 'descending') : 'none');
      th.querySelector('.sort-mark')!.textContent = on ? (s.dir === 'asc' ? ' ▲' : ' ▼') : '';
    }
    const from = d.total ? d.offset + 1 : 0;
    status.textContent = d.total
      ? `${num(from)}–${num(d.offset + d.units.length)} trong ${num(d.total)} đơn vị${s.q.trim() ? ` khớp “${s.q.trim()}”` : ''}.`
      : s.q.trim() ? `Không có đơn vị nào khớp “${s.q.trim()}”.` : 'Cấp này không có đơn vị nào trong đợt.';
    replace(tbody, d.units.map((u) => row(roundId, u)));
    replace(tfoot, d.total ? h('tr', { class: 'totals' },
      h('th', { scope: 'row' }, 'Tổng cộng'),
      h('td', { class: 'num', 'data-label': COLS[1][1] }, num(d.totals.tasks)),
      h('td', { class: 'num', 'data-label': COLS[2][1] }, num(d.totals.self_points)),
      h('td', { class: 'num', 'data-label': COLS[3][1] }, `${num(d.totals.approved_points)}/${num(d.totals.max_points)}`),
      h('td', { class: 'num', 'data-label': COLS[4][1] }, num(d.totals.counts.dat)),
      h('td', { class: 'num', 'data-label': COLS[5][1] }, num(d.totals.counts.chua_dat)),
      h('td', { class: 'num', 'data-label': COLS[6][1] }, num(d.totals.counts.khong_dat))) : null);
    prev.disabled = s.page === 0;
    next.disabled = d.offset + d.units.length >= d.total;
    pager.hidden = d.total <= PAGE;
    performance.mark('dti-dashboard-table');
    if (first) {
      const y = Number(sessionStorage.getItem(scrollKey()) ?? '');
      if (y > 0) window.scrollTo(0, y);
    }
  }
  await load(true);
}

function row(roundId: number, u: SummaryUnit): HTMLElement {
  // a province is assessed on tasks its agencies report: its drill-down is the level's tasks
  const href = u.level === 'province' ? `/rounds/${roundId}/tasks?level=province` : `/rounds/${roundId}/tasks?unit_id=${u.unit_id}`;
  return h('tr', { 'data-unit-id': u.unit_id },
    h('th', { scope: 'row', 'data-label': COLS[0][1] }, h('a', { href }, u.name)),
    h('td', { class: 'num', 'data-label': COLS[1][1] }, num(u.tasks)),
    h('td', { class: 'num', 'data-label': COLS[2][1] }, num(u.self_points)),
    h('td', { class: 'num', 'data-label': COLS[3][1] }, `${num(u.approved_points)}/${num(u.max_points)}`),
    h('td', { class: 'num c-dat', 'data-label': COLS[4][1] }, num(u.counts.dat)),
    h('td', { class: 'num c-chua', 'data-label': COLS[5][1] }, num(u.counts.chua_dat)),
    h('td', { class: 'num c-khong', 'data-label': COLS[6][1] }, num(u.counts.khong_dat)));
}
