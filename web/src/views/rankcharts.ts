// Charts of a ranking (uPlot, its own lazily loaded chunk; docs/dependencies.md): the ranking,
// a unit's pillar profile against the level's median, the distribution of a pillar across
// units. Each chart has its data as a table beside it (screen readers, copying).
import uPlot from 'uplot';
import { h, replace, uid } from '../dom';
import { num } from '../format';
import type { Rankings } from './rankings';
import { index4 } from './rankings';

type Row = (string | number)[];

/** A <figure>: the chart, a caption, and the same numbers as a table. */
function figure(title: string, cols: string[], rows: Row[], chart: HTMLElement, controls?: HTMLElement): HTMLElement {
  const cap = uid('chart');
  return h('figure', { class: 'chart', 'aria-labelledby': cap },
    h('figcaption', { id: cap }, title),
    controls ?? null,
    h('div', { class: 'chart-body' },
      h('div', { class: 'chart-canvas', role: 'img', 'aria-label': `${title} (số liệu trong bảng bên cạnh)` }, chart),
      // scrollable: reachable by keyboard, named for screen readers
      h('div', { class: 'chart-data table-wrap', tabindex: 0, role: 'region', 'aria-label': `Số liệu: ${title}` }, h('table', { class: 'data' },
        h('caption', { class: 'sr-only' }, `Số liệu: ${title}`),
        h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, rows.map((r) => h('tr', null, r.map((v, i) =>
          h('td', { class: typeof v === 'number' || (i > 0 && /^[\d,.]+$/.test(v)) ? 'num' : null }, typeof v === 'number' ? num(v) : v)))))))));
}

const pct = (p: number, m: number) => (m > 0 ? Math.round((p / m) * 10000) / 100 : 0);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return 0;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A category bar chart: labels on x, one or two series of bars. */
function bars(el: HTMLElement, labels: string[], series: { label: string; values: number[]; color: string }[],
  yMax: number, yFmt: (v: number) => string): void {
  const width = Math.max(320, Math.min(760, el.clientWidth || 640));
  const xs = labels.map((_, i) => i);
  const n = series.length;
  const opts: uPlot.Options = {
    width, height: 260,
    scales: { x: { time: false, range: [-0.5, Math.max(0.5, labels.length - 0.5)] }, y: { range: [0, yMax] } },
    axes: [
      { splits: () => xs, values: (_u, splits) => splits.map((i) => labels[i] ?? ''), rotate: labels.length > 8 ? -45 : 0, size: labels.length > 8 ? 70 : 40 } as uPlot.Axis,
      { values: (_u, splits) => splits.map(yFmt), size: 64 },
    ],
    series: [{ label: 'Hạng mục' }, ...series.map((s, i) => ({
      label: s.label, stroke: s.color, fill: s.color, width: 0,
      paths: uPlot.paths.bars!({ size: [n > 1 ? 0.4 : 0.7, 60], align: n > 1 ? (i === 0 ? -1 : 1) as -1 | 1 : 0 }),
      points: { show: false },
      value: (_u: uPlot, v: number | null) => (v === null ? '—' : yFmt(v)),
    }))],
    cursor: { drag: { x: false, y: false } },
    legend: { show: n > 1 },
  };
  new uPlot(opts, [xs, ...series.map((s) => s.values)], el);
}

function rankingChart(r: Rankings): HTMLElement {
  const top = r.units.slice(0, 30);
  const el = h('div', null);
  const fig = figure(`Xếp hạng theo chỉ số (${top.length} đơn vị đứng đầu)`, ['Hạng', 'Đơn vị', 'Chỉ số'],
    top.map((u) => [String(u.rank), u.unit_name, index4(u.index)]), el);
  requestAnimationFrame(() => bars(el, top.map((u) => `${u.rank}. ${u.unit_code}`),
    [{ label: 'Chỉ số', values: top.map((u) => u.index), color: '#1f5fa8' }],
    Math.min(1, Math.max(0.0001, ...top.map((u) => u.index)) * 1.15), (v) => index4(v)));
  return fig;
}

function profileChart(r: Rankings): HTMLElement {
  const pillars = r.units[0].pillars;
  const medians = pillars.map((_, i) => median(r.units.map((u) => pct(u.pillars[i].points, u.pillars[i].max_points))));
  const sel = h('select', { id: uid('unit') },
    r.units.map((u, i) => h('option', { value: String(i) }, `${u.rank}. ${u.unit_name}`)));
  const holder = h('div', null);
  const draw = () => {
    const u = r.units[Number(sel.value)];
    const mine = u.pillars.map((p) => pct(p.points, p.max_points));
    const chart = h('div', null);
    replace(holder, figure(`Điểm theo trụ cột của ${u.unit_name} so với trung vị của cấp (% điểm tối đa)`,
      ['Trụ cột', 'Đơn vị (%)', 'Trung vị (%)'], pillars.map((p, i) => [`${p.key.toUpperCase()}. ${p.title}`, mine[i], medians[i]]), chart));
    requestAnimationFrame(() => bars(chart, pillars.map((p) => p.key.toUpperCase()),
      [{ label: u.unit_code, values: mine, color: '#1f5fa8' }, { label: 'Trung vị', values: medians, color: '#c77c0e' }],
      100, (v) => `${num(v)} %`));
  };
  sel.addEventListener('change', draw);
  draw();
  return h('div', { class: 'chart-group' }, h('label', { for: sel.id }, 'Hồ sơ trụ cột của đơn vị: '), sel, holder);
}

function distributionChart(r: Rankings): HTMLElement {
  const pillars = r.units[0].pillars;
  const sel = h('select', { id: uid('pillar') },
    pillars.map((p, i) => h('option', { value: String(i) }, `${p.key.toUpperCase()}. ${p.title}`)));
  const holder = h('div', null);
  const BINS = ['0–10', '10–20', '20–30', '30–40', '40–50', '50–60', '60–70', '70–80', '80–90', '90–100'];
  const draw = () => {
    const i = Number(sel.value);
    const counts = BINS.map(() => 0);
    for (const u of r.units) counts[Math.min(9, Math.floor(pct(u.pillars[i].points, u.pillars[i].max_points) / 10))]++;
    const chart = h('div', null);
    replace(holder, figure(`Phân bố điểm trụ cột ${pillars[i].key.toUpperCase()} (${pillars[i].title}) giữa các đơn vị`,
      ['Khoảng (% điểm tối đa)', 'Số đơn vị'], BINS.map((b, k) => [`${b} %`, counts[k]]), chart));
    requestAnimationFrame(() => bars(chart, BINS, [{ label: 'Số đơn vị', values: counts, color: '#2e7d32' }],
      Math.max(1, ...counts), (v) => num(v)));
  };
  sel.addEventListener('change', draw);
  draw();
  return h('div', { class: 'chart-group' }, h('label', { for: sel.id }, 'Phân bố theo trụ cột: '), sel, holder);
}

export function renderRankCharts(el: HTMLElement, r: Rankings): void {
  replace(el, rankingChart(r), profileChart(r), distributionChart(r));
}
