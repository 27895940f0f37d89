// The public results (no login; part: pub, issue 9): /cong-khai lists the published rounds,
// /cong-khai/{round}?cap={level}&v={version} shows one publication — the ranking of a level, the
// methodology (index set, readings chosen for ambiguous criteria, bands), the downloads and the
// SHA-256 receipt with how to check it. Everything comes from the frozen snapshots of
// /api/v1/public/… (never a live figure). Accessible (TT 32/2017/TT-BTTTT, WCAG 2.0 AA): real
// tables with captions and header scopes, a skip link, one h1, text alternatives for symbols.
// Printable (print CSS in style.css, block "part: pub").
import { ApiError, get } from '../api';
import { h, replace, type Child } from '../dom';
import { dateTime, num } from '../format';
import type { Methodology, MethodologyLevel, Publication, PublicationVersion, PublishedRound, PublishedUnit } from '../api-types';

interface PublicRound {
  round: { id: number; title: string; year: number; finalised_at: string | null };
  publication: Publication;
  versions: PublicationVersion[];
  methodology: Methodology;
}

interface PublicRanking {
  level: string;
  level_label: string;
  units: PublishedUnit[];
}

const indexFmt = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 4, maximumFractionDigits: 4 });
/** 0.8123 → "0,8123" (the index is published to 4 decimals). */
const idx = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : indexFmt.format(n));

function frame(root: HTMLElement, ...content: Child[]): HTMLElement {
  const main = h('main', { id: 'main', tabindex: '-1', class: 'public-main' }, ...content);
  const skip = h('a', { class: 'skip-link', href: '#main' }, 'Chuyển đến nội dung chính');
  skip.addEventListener('click', (ev) => { ev.preventDefault(); main.focus(); });
  replace(root,
    skip,
    h('header', { class: 'app-header public-header' },
      h('div', { class: 'brand' },
        h('span', { class: 'app-name' }, 'DTI'),
        h('span', { class: 'unit-name' }, 'Kết quả đánh giá, xếp hạng chuyển đổi số')),
      h('nav', { 'aria-label': 'Liên kết' },
        h('ul', { class: 'public-links' },
          h('li', null, h('a', { href: '/cong-khai' }, 'Các đợt đã công bố')),
          h('li', null, h('a', { href: '/' }, 'Đăng nhập'))))),
    main);
  return main;
}

export async function renderPublic(root: HTMLElement, path: string): Promise<void> {
  const m = /^\/cong-khai\/(\d+)\/?$/.exec(path);
  try {
    if (m) await renderRound(root, m[1]);
    else await renderList(root);
  } catch (err) {
    document.title = 'Kết quả công bố — DTI';
    frame(root,
      h('h1', null, 'Kết quả đánh giá đã công bố'),
      h('p', { class: 'form-alert', role: 'alert' },
        err instanceof ApiError && err.status === 404 ? 'Không tìm thấy kết quả đã công bố của đợt đánh giá này.'
          : err instanceof ApiError ? err.message : 'Không tải được trang.'),
      h('p', null, h('a', { href: '/cong-khai' }, 'Xem các đợt đã công bố')));
  }
}

async function renderList(root: HTMLElement): Promise<void> {
  const { rounds } = await get<{ rounds: PublishedRound[] }>('/public/rounds');
  document.title = 'Kết quả đã công bố — DTI';
  frame(root,
    h('h1', null, 'Kết quả đánh giá chuyển đổi số đã công bố'),
    h('p', null, 'Chỉ các kết quả đã được công bố chính thức mới hiển thị ở đây. Mỗi bản công bố có mã kiểm tra SHA-256 để bất kỳ ai cũng kiểm tra được tệp tải về.'),
    rounds.length === 0
      ? h('p', { class: 'notice public-empty' }, 'Chưa có kết quả nào được công bố.')
      : h('ul', { class: 'public-rounds' }, rounds.map((r) =>
        h('li', null,
          h('h2', null, h('a', { href: `/cong-khai/${r.round_id}` }, r.title)),
          h('p', null, `Năm ${r.year} · công bố lúc ${dateTime(r.published_at)} · phiên bản ${r.version}`,
            r.versions.length > 1 ? ` (có ${r.versions.length} phiên bản)` : ''),
          h('p', null, r.levels.map((l) => `${l.level_label}: ${num(l.units)} đơn vị`).join(' · '))))));
}

async function renderRound(root: HTMLElement, id: string): Promise<void> {
  const q = new URLSearchParams(location.search);
  const v = q.get('v');
  const vq = v && /^\d+$/.test(v) ? `?version=${v}` : '';
  const data = await get<PublicRound>(`/public/rounds/${id}${vq}`);
  const levels = data.methodology.levels;
  const level = levels.find((l) => l.level === q.get('cap'))?.level ?? levels[0]?.level;
  const ranking = level
    ? await get<PublicRanking>(`/public/rounds/${id}/rankings?level=${level}${vq ? '&' + vq.slice(1) : ''}`)
    : null;
  const pub = data.publication;
  document.title = `${data.round.title} — Kết quả công bố — DTI`;
  const link = (l: string) => `/cong-khai/${id}?cap=${l}${v ? `&v=${v}` : ''}`;
  const meta = levels.find((l) => l.level === level);
  frame(root,
    h('p', { class: 'no-print' }, h('a', { href: '/cong-khai' }, '← Các đợt đã công bố')),
    h('h1', null, data.round.title),
    pub.current ? null : h('p', { class: 'notice', role: 'note' },
      `Đây là phiên bản ${pub.version}, đã được thay bằng phiên bản mới hơn. `,
      h('a', { href: `/cong-khai/${id}` }, 'Xem phiên bản hiện hành')),
    h('dl', { class: 'facts public-facts' },
      h('dt', null, 'Năm'), h('dd', null, String(data.round.year)),
      h('dt', null, 'Công bố lúc'), h('dd', null, dateTime(pub.published_at)),
      h('dt', null, 'Phiên bản'), h('dd', { class: 'pub-version' }, String(pub.version)),
      pub.note ? [h('dt', null, 'Lý do công bố lại'), h('dd', null, pub.note)] : null),
    levels.length > 1
      ? h('nav', { 'aria-label': 'Cấp đánh giá', class: 'level-tabs no-print' },
        h('ul', null, levels.map((l) => h('li', null,
          h('a', { href: link(l.level), 'aria-current': l.level === level ? 'page' : null }, l.level_label)))))
      : null,
    ranking && meta ? rankingSection(ranking, meta) : h('p', null, 'Bản công bố không có bảng xếp hạng.'),
    methodologySection(data.methodology, meta),
    receiptSection(pub),
    versionsSection(id, data.versions));
}

function rankingSection(r: PublicRanking, meta: MethodologyLevel): HTMLElement {
  const hasRange = r.units.some((u) => u.rank_range);
  const hasPrev = r.units.some((u) => u.previous);
  const pillars = r.units[0]?.pillars ?? [];
  const head = h('tr', null,
    h('th', { scope: 'col' }, 'Hạng'),
    h('th', { scope: 'col' }, 'Đơn vị'),
    h('th', { scope: 'col', class: 'num' }, 'Điểm'),
    h('th', { scope: 'col', class: 'num' }, 'Điểm tối đa'),
    h('th', { scope: 'col', class: 'num' }, 'Chỉ số'),
    h('th', { scope: 'col' }, 'Xếp loại'),
    hasRange ? h('th', { scope: 'col' }, 'Khoảng hạng theo cách hiểu') : null,
    hasPrev ? h('th', { scope: 'col' }, 'So với đợt trước') : null);
  const rows = r.units.map((u) => h('tr', null,
    h('td', { class: 'num rank' }, u.rank ?? '—'),
    h('th', { scope: 'row' }, u.unit_name),
    h('td', { class: 'num' }, num(u.points)),
    h('td', { class: 'num' }, num(u.max_points)),
    h('td', { class: 'num' }, idx(u.index)),
    h('td', null, u.band_label ?? '—'),
    hasRange ? h('td', null, rangeText(u)) : null,
    hasPrev ? h('td', null, prevText(u)) : null));
  const pillarTable = pillars.length
    ? h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'pillars-cap' },
      h('table', { class: 'data public-pillars' },
        h('caption', { id: 'pillars-cap' }, `Điểm theo trụ cột — ${r.level_label}`),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Đơn vị'),
          pillars.map((p) => h('th', { scope: 'col', class: 'num' }, `${p.title} (tối đa ${num(p.max_points)})`)))),
        h('tbody', null, r.units.map((u) => h('tr', null, h('th', { scope: 'row' }, u.unit_name),
          u.pillars.map((p) => h('td', { class: 'num' }, num(p.points))))))))
    : null;
  return h('section', { class: 'public-section', 'aria-labelledby': 'ranking-h' },
    h('h2', { id: 'ranking-h' }, `Bảng xếp hạng ${r.level_label.toLowerCase()}`),
    h('p', null, `Bộ chỉ số: ${meta.framework.title ?? meta.framework.id} (${meta.framework.id}, phiên bản ${meta.framework.version}).`),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'ranking-cap' },
      h('table', { class: 'data public-ranking' },
        h('caption', { id: 'ranking-cap' }, `Xếp hạng ${r.level_label.toLowerCase()}: ${r.units.length} đơn vị`),
        h('thead', null, head), h('tbody', null, rows))),
    pillarTable);
}

function rangeText(u: PublishedUnit): string {
  const rr = u.rank_range;
  if (!rr || rr.best === null || rr.worst === null) return '—';
  if (rr.best === rr.worst) return `Không đổi (hạng ${rr.best})`;
  const crit = rr.criteria.map((c) => c.code).filter(Boolean).join(', ');
  return `${rr.best}–${rr.worst}${crit ? ` (tiêu chí ${crit})` : ''}`;
}

function prevText(u: PublishedUnit): string {
  if (u.new_unit) return 'Đơn vị mới';
  const p = u.previous;
  if (!p) return '—';
  const sign = (n: number | null | undefined, unit: string) =>
    n === null || n === undefined ? '' : n > 0 ? `tăng ${num(n)} ${unit}` : n < 0 ? `giảm ${num(-n)} ${unit}` : `không đổi ${unit}`;
  return [sign(p.points_change, 'điểm'), sign(p.rank_change, 'bậc')].filter(Boolean).join(', ') || '—';
}

function methodologySection(m: Methodology, meta: MethodologyLevel | undefined): HTMLElement {
  return h('section', { class: 'public-section', 'aria-labelledby': 'method-h' },
    h('h2', { id: 'method-h' }, 'Phương pháp'),
    h('ul', null, h('li', null, m.points), h('li', null, m.index), h('li', null, m.ties), h('li', null, m.rank_range)),
    meta ? [
      h('h3', null, `Bộ chỉ số ${meta.level_label.toLowerCase()}`),
      h('p', null, `${meta.framework.title ?? meta.framework.id} — mã ${meta.framework.id}, phiên bản ${meta.framework.version}.`),
      h('table', { class: 'data public-bands' },
        h('caption', null, 'Ngưỡng xếp loại (theo chỉ số)'),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Xếp loại'), h('th', { scope: 'col', class: 'num' }, 'Chỉ số từ'))),
        h('tbody', null, meta.bands.map((b) => h('tr', null, h('th', { scope: 'row' }, b.label), h('td', { class: 'num' }, idx(b.min_index)))))),
      h('h3', null, 'Cách hiểu được chọn cho các tiêu chí chưa rõ'),
      meta.readings.length === 0
        ? h('p', null, 'Bộ chỉ số không có tiêu chí nào có nhiều cách hiểu.')
        : h('ul', { class: 'public-readings' }, meta.readings.map((r) => h('li', null,
          h('strong', null, `${r.code} ${r.title}`), ': ',
          `áp dụng «${r.chosen_label ?? r.chosen}»`,
          r.chosen_rule_text ? ` — ${r.chosen_rule_text}` : '',
          r.alternatives.length > 1 ? ` (các cách hiểu: ${r.alternatives.map((a) => a.label).join('; ')})` : ''))),
    ] : null);
}

function receiptSection(pub: Publication): HTMLElement {
  return h('section', { class: 'public-section receipt', 'aria-labelledby': 'receipt-h' },
    h('h2', { id: 'receipt-h' }, 'Tải về và kiểm tra'),
    h('ul', { class: 'plain downloads no-print' },
      h('li', null, h('a', { href: pub.json_url, download: '' }, `Tải bản công bố (JSON, ${num(pub.size)} byte)`)),
      h('li', null, h('a', { href: pub.csv_url, download: '' }, `Tải bảng xếp hạng (CSV, ${num(pub.csv_size)} byte)`))),
    h('p', null, 'Mã kiểm tra SHA-256 của tệp JSON:'),
    h('p', null, h('code', { class: 'sha256' }, pub.sha256)),
    h('p', null, 'Cách kiểm tra: tải tệp JSON về rồi chạy ', h('code', null, 'sha256sum tên-tệp.json'),
      ' (Linux, macOS: ', h('code', null, 'shasum -a 256'), '; Windows: ', h('code', null, 'certutil -hashfile tên-tệp.json SHA256'),
      '). Kết quả phải trùng với mã trên. Tệp JSON ghi cả mã SHA-256 của tệp CSV (trường ',
      h('code', null, 'csv_sha256'), ').'));
}

function versionsSection(id: string, versions: PublicationVersion[]): HTMLElement | null {
  if (versions.length < 2) return null;
  return h('section', { class: 'public-section', 'aria-labelledby': 'versions-h' },
    h('h2', { id: 'versions-h' }, 'Các phiên bản công bố'),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'versions-cap' },
      h('table', { class: 'data public-versions' },
        h('caption', { id: 'versions-cap' }, 'Mọi phiên bản đã công bố của đợt (phiên bản cũ vẫn giữ nguyên)'),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Phiên bản'), h('th', { scope: 'col' }, 'Công bố lúc'),
          h('th', { scope: 'col' }, 'Lý do'), h('th', { scope: 'col' }, 'Mã SHA-256'))),
        h('tbody', null, versions.map((x) => h('tr', null,
          h('th', { scope: 'row' }, h('a', { href: `/cong-khai/${id}?v=${x.version}` }, `Phiên bản ${x.version}`), x.current ? ' (hiện hành)' : ''),
          h('td', null, dateTime(x.published_at)),
          h('td', null, x.note ?? '—'),
          h('td', null, h('code', { class: 'sha256' }, x.sha256))))))));
}
