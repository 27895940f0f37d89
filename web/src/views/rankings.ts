// Xếp hạng: a round's ranking per level (tabs; the level is in the URL, ?level=), with rank,
// unit, points, index (4 decimals, decimal comma), band, change against the previous round and
// how robust the rank is under the alternative readings ("hạng 4 (3–6 tùy cách hiểu)" and the
// criteria that move it). The charts (uPlot) are a separate chunk loaded after the table.
import { ApiError, get } from '../api';
import type * as A from '../api-types';
import { h, replace } from '../dom';
import { label, LEVEL_LABELS, num } from '../format';
import type { Ctx } from '../main';
import type { Round } from '../rtypes';
import { bandsForm } from './bandsform';

export interface Rankings {
  round_id: number;
  level: string;
  framework: { id: string; version: number } | null;
  bands: A.RankBand[];
  units: A.RankUnit[];
  ranges?: { exact: boolean; combinations: number; ambiguous_criteria: number };
}

const LEVEL_ORDER = ['province', 'department', 'district', 'commune', 'other'];
const idxFmt = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 4, maximumFractionDigits: 4 });

/** 0.8123 → "0,8123" (always 4 decimals, as the national DTI publishes it). */
export const index4 = (v: number): string => idxFmt.format(v);

/** "hạng 4 (3–6 tùy cách hiểu)"; "hạng 4 (không đổi theo cách hiểu)" when it cannot move. */
export function rangeText(u: A.RankUnit): string {
  const r = u.rank_range;
  if (!r) return `hạng ${u.rank}`;
  if (r.best === r.worst) return `hạng ${u.rank} (không đổi theo cách hiểu)`;
  return `hạng ${u.rank} (${r.best}–${r.worst} tùy cách hiểu${r.exact ? '' : ', ước lượng'})`;
}

function changeText(u: A.RankUnit): string {
  if (u.new_unit) return 'Đơn vị mới trong đợt này';
  const p = u.previous;
  if (!p) return '—';
  const pts = p.points_change > 0 ? `+${num(p.points_change)}` : num(p.points_change);
  const rk = p.rank_change > 0 ? `lên ${p.rank_change} bậc` : p.rank_change < 0 ? `xuống ${-p.rank_change} bậc` : 'giữ hạng';
  return `${pts} điểm; ${rk} (hạng ${p.rank} đợt trước)`;
}

const COLS = ['Hạng', 'Đơn vị', 'Điểm', 'Chỉ số', 'Xếp loại', 'So với đợt trước', 'Độ vững của hạng'];

function table(r: Rankings): HTMLElement {
  const bandLabel = (b: string) => r.bands.find((x) => x.band === b)?.label ?? b;
  return h('div', { class: 'table-wrap' }, h('table', { class: 'cards rankings' },
    h('caption', null, `Xếp hạng ${label(LEVEL_LABELS, r.level).toLowerCase()} (${r.units.length} đơn vị)`),
    h('thead', null, h('tr', null, COLS.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, r.units.map((u) => h('tr', { 'data-unit-id': u.unit_id },
      h('td', { 'data-label': COLS[0], class: 'num rank' }, String(u.rank)),
      h('td', { 'data-label': COLS[1] }, u.unit_name, h('span', { class: 'muted' }, ` (${u.unit_code})`)),
      h('td', { 'data-label': COLS[2], class: 'num' }, `${num(u.points)} / ${num(u.max_points)}`),
      h('td', { 'data-label': COLS[3], class: 'num index' }, index4(u.index)),
      h('td', { 'data-label': COLS[4] }, h('span', { class: `band band-${u.band}` }, bandLabel(u.band))),
      h('td', { 'data-label': COLS[5] }, changeText(u)),
      h('td', { 'data-label': COLS[6], class: 'range' }, rangeText(u),
        u.rank_range && u.rank_range.criteria.length
          ? h('span', { class: 'moves' }, ' — tiêu chí ảnh hưởng nhiều nhất: ',
            u.rank_range.criteria.map((c) => `${c.code} (±${c.swing} hạng)`).join(', '))
          : null))))));
}

function bandsNote(r: Rankings): HTMLElement {
  return h('p', { class: 'muted bands-note' }, 'Xếp loại theo chỉ số: ',
    r.bands.map((b, i) => `${b.label} từ ${index4(b.min_index)}${i < r.bands.length - 1 ? '; ' : '.'}`).join(''),
    r.ranges ? ` Khoảng hạng xét ${r.ranges.ambiguous_criteria} tiêu chí có nhiều cách hiểu (${r.ranges.exact
      ? `tính chính xác trên ${num(r.ranges.combinations)} tổ hợp cách hiểu` : 'ước lượng: quá nhiều tổ hợp để tính hết'}).` : '');
}

export async function renderRankings(ctx: Ctx, id: string): Promise<void> {
  const round = await get<Round>(`/rounds/${id}`);
  const levels = LEVEL_ORDER.filter((l) => round.frameworks.some((f) => f.level === l));
  const asked = new URLSearchParams(location.search).get('level');
  const level = asked && levels.includes(asked) ? asked : levels.includes('department') ? 'department' : levels[0];
  const head = h('div', { class: 'page-head' }, h('h1', null, `Xếp hạng — ${round.title}`),
    h('a', { href: `/api/v1/rounds/${id}/rankings.xlsx`, class: 'button', download: '' }, 'Tải Excel (mọi cấp)'));
  if (!level) {
    replace(ctx.main, head, h('p', null, 'Đợt đánh giá chưa có bộ chỉ số nào.'));
    return;
  }
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Cấp đơn vị' },
    levels.map((l) => h('a', {
      role: 'tab', href: `/rounds/${id}/rankings?level=${l}`, 'aria-selected': l === level ? 'true' : 'false',
      class: l === level ? 'tab active' : 'tab', id: `tab-${l}`,
    }, label(LEVEL_LABELS, l))));
  const panel = h('div', { role: 'tabpanel', 'aria-labelledby': `tab-${level}`, class: 'rank-panel' }, h('p', null, 'Đang tải…'));
  replace(ctx.main, head, tabs, panel);
  const url = `/rounds/${id}/rankings?level=${level}&ranges=1`;
  let r: Rankings;
  try {
    r = await get<Rankings>(url);
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      replace(panel, h('p', { class: 'notice' }, err.message));
      return;
    }
    throw err;
  }
  if (!r.units.length) {
    replace(panel, h('p', null, 'Không có đơn vị nào để xếp hạng ở cấp này.'));
    return;
  }
  // Admins set the thresholds while the round is open; a save re-renders note, table and charts.
  const note = h('div', null, bandsNote(r));
  const body = h('div', null);
  const edit = ctx.isAdmin && round.status === 'open'
    ? bandsForm(round.id, level, r.bands, async () => { await show(await get<Rankings>(url)); })
    : null;
  replace(panel, note, edit, body);
  await show(r);

  async function show(rk: Rankings): Promise<void> {
    const charts = h('section', { class: 'rank-charts', 'aria-label': 'Biểu đồ' }, h('p', null, 'Đang tải biểu đồ…'));
    replace(note, bandsNote(rk));
    replace(body, table(rk), h('h2', null, 'Biểu đồ'), charts);
    try {
      (await import('./rankcharts')).renderRankCharts(charts, rk);
    } catch (err) {
      replace(charts, h('p', { class: 'notice' }, 'Không tải được biểu đồ.'));
      throw err;
    }
  }
}
