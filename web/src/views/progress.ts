// The unit's progress report for a period (seed 001): criteria done / in progress / not started
// per pillar and overall, with the measured values; printable on A4 (style.css "@media print")
// and downloadable as .xlsx. The period is in the URL (?period=2024-Q2 or a date).
import { get } from '../api';
import { h, replace, uid } from '../dom';
import { date, num } from '../format';
import type { Ctx } from '../main';
import { navigate } from '../router';
import type * as A from '../api-types';

const LEVEL_LABELS: Record<string, string> = {
  province: 'Cấp tỉnh', department: 'Cấp sở', district: 'Cấp huyện', commune: 'Cấp xã', other: 'Khác',
};

/** The quarters of a year, and "now". */
function periods(year: number): [string, string][] {
  return [['', 'Hiện tại'], ...[1, 2, 3, 4].map((q) => [`${year}-Q${q}`, `Quý ${q}/${year}`] as [string, string])];
}

export async function renderProgress(ctx: Ctx, round: string, unit: string): Promise<void> {
  const period = new URLSearchParams(location.search).get('period') ?? '';
  const base = `/rounds/${round}/units/${unit}/progress`;
  const q = period ? `?period=${encodeURIComponent(period)}` : '';
  const [p, r] = await Promise.all([get<A.UnitProgress>(base + q), get<A.Round>(`/rounds/${round}`)]);

  const selId = uid('period');
  const sel = h('select', { id: selId }, periods(r.year).map(([v, t]) => h('option', { value: v }, t)));
  if (![...sel.options].some((o) => o.value === period)) sel.append(h('option', { value: period }, period));
  sel.value = period;
  sel.addEventListener('change', () => navigate(base + (sel.value ? `?period=${encodeURIComponent(sel.value)}` : '')));
  const print = h('button', { type: 'button', class: 'print-button' }, 'In báo cáo');
  print.addEventListener('click', () => window.print());

  replace(ctx.main,
    h('div', { class: 'no-print' }, h('a', { href: `/rounds/${round}/units/${unit}` }, '← Nơi đơn vị còn có thể tăng điểm')),
    h('article', { class: 'progress-report' },
      h('h1', null, 'Báo cáo tiến độ thực hiện tiêu chí chuyển đổi số'),
      h('p', { class: 'subtitle' }, `${p.unit_name} · ${LEVEL_LABELS[p.level] ?? p.level} · ${r.title}`),
      h('p', { class: 'progress-period' }, p.as_of ? `Số liệu đến hết ngày ${date(new Date(new Date(p.as_of).getTime() - 1000).toISOString())} (theo nhật ký thay đổi)` : 'Số liệu hiện tại'),
      h('div', { class: 'actions no-print' },
        h('label', { for: selId }, 'Kỳ báo cáo '), sel, print,
        h('a', { href: `/api/v1${base}.xlsx${q}`, download: '', class: 'button xlsx-link' }, 'Tải tệp Excel (.xlsx)')),
      h('p', { class: 'progress-summary' }, h('strong', null, p.summary)),
      h('table', { class: 'progress-counts' },
        h('caption', null, 'Số tiêu chí theo trụ cột'),
        h('thead', null, h('tr', null, ['Trụ cột', 'Đã hoàn thành', 'Đang thực hiện', 'Chưa thực hiện', 'Tổng'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, p.pillars.map((x) => h('tr', null, h('th', { scope: 'row' }, `${x.code}. ${x.title}`),
          h('td', null, x.counts.done), h('td', null, x.counts.in_progress), h('td', null, x.counts.not_started), h('td', null, x.counts.total)))),
        h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, 'Tổng cộng'), h('td', null, p.counts.done),
          h('td', null, p.counts.in_progress), h('td', null, p.counts.not_started), h('td', null, p.counts.total)))),
      p.pillars.map((x) => h('section', { class: 'progress-pillar', 'data-pillar': x.key },
        h('h2', null, `${x.code}. ${x.title}`),
        h('p', { class: 'pillar-summary' }, x.summary),
        h('table', null,
          h('caption', { class: 'visually-hidden' }, `Tiêu chí của trụ cột ${x.code}`),
          h('thead', null, h('tr', null, ['TT', 'Tiêu chí', 'Tiến độ', 'Kết quả đo được', 'Điểm'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, x.criteria.map((c) => h('tr', { 'data-criterion': c.criterion_key, 'data-progress': c.progress },
            h('td', null, c.code), h('td', null, c.title), h('td', null, c.progress_label),
            h('td', { class: 'measured' }, c.measured || '—'),
            h('td', null, `${num(c.points)} / ${num(c.max_points)}`)))))))));
}
