// Bộ chỉ số: the list, one index set's tree (pillar → group → criterion), and the admin upload.
import { ApiError, get, request } from '../api';
import { h, replace, type Child } from '../dom';
import { date, dayMonth, KIND_LABELS, label, LEVEL_LABELS, num, STATUS_LABELS } from '../format';
import type { Ctx } from '../main';
import { errorPlace } from '../errplace';
import type { Criterion, Framework, FrameworkSummary, Pillar, Unit } from '../types';
import { navigate } from '../router';

const INFO_TYPES: Record<string, string> = { text: 'văn bản', url: 'địa chỉ trang web', count: 'số lượng' };

const INPUT_TYPES: Record<string, string> = {
  bool: 'có/không', count: 'số đếm', number: 'số', ratio: 'tỷ lệ', choice: 'lựa chọn',
  date: 'ngày', points: 'điểm chấm tay',
};

const LIST_COLUMNS = ['Tên bộ chỉ số', 'Cấp', 'Năm', 'Trạng thái', 'Điểm tối đa', 'Số tiêu chí'];

export async function renderFrameworkList(ctx: Ctx): Promise<void> {
  const list = (await get<{ frameworks: FrameworkSummary[] }>('/frameworks')).frameworks;
  replace(ctx.main,
    h('h1', null, 'Bộ chỉ số'),
    list.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'frameworks cards' },
          h('thead', null, h('tr', null, LIST_COLUMNS.map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, list.map((f) => h('tr', { 'data-framework-id': f.id },
            h('td', { 'data-label': LIST_COLUMNS[0] }, h('div', null, h('a', { href: `/frameworks/${encodeURIComponent(f.id)}` }, f.title),
              h('div', { class: 'muted' }, `${f.id} · phiên bản ${f.version}`))),
            h('td', { 'data-label': LIST_COLUMNS[1] }, label(LEVEL_LABELS, f.level)),
            h('td', { 'data-label': LIST_COLUMNS[2] }, String(f.year)),
            h('td', { 'data-label': LIST_COLUMNS[3] }, h('span', null, h('span', { class: `badge status-${f.status}` }, label(STATUS_LABELS, f.status)))),
            h('td', { class: 'num', 'data-label': LIST_COLUMNS[4] }, num(f.max_points)),
            h('td', { class: 'num', 'data-label': LIST_COLUMNS[5] }, num(f.criteria_count)))))))
      : h('p', null, 'Chưa có bộ chỉ số nào.'),
    ctx.isAdmin ? uploadForm(ctx) : null);
}

function uploadForm(ctx: Ctx): HTMLElement {
  const fileInput = h('input', { type: 'file', id: 'fw-file', accept: '.json,application/json', 'aria-describedby': 'fw-file-hint fw-errors' });
  const out = h('div', { id: 'fw-errors', class: 'upload-result', role: 'alert', 'aria-live': 'assertive' });
  const btn = h('button', { type: 'submit', class: 'primary' }, 'Tải lên');
  const form = h('form', { class: 'card upload', 'aria-labelledby': 'fw-upload-title' },
    h('h2', { id: 'fw-upload-title' }, 'Tải lên bộ chỉ số mới'),
    h('div', { class: 'field' },
      h('label', { for: 'fw-file' }, 'Tệp bộ chỉ số (JSON, định dạng dti-framework/1)'),
      fileInput,
      h('div', { class: 'field-hint', id: 'fw-file-hint' }, 'Bộ chỉ số đã dùng cho một đợt đánh giá không sửa được: thay đổi là một phiên bản mới.')),
    h('div', { class: 'actions' }, btn),
    out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(out);
    out.className = 'upload-result';
    const file = fileInput.files?.[0];
    if (!file) { replace(out, h('p', null, 'Vui lòng chọn tệp.')); fileInput.focus(); return; }
    btn.disabled = true;
    let doc: unknown;  // the parsed file: errors are placed in it by pillar, group and criterion
    try {
      const text = await file.text();
      try { doc = JSON.parse(text); } catch (e) {
        replace(out, h('p', null, `Tệp không phải JSON hợp lệ: ${e instanceof Error ? e.message : ''}`));
        return;
      }
      const res = await request<FrameworkSummary>('POST', '/frameworks', undefined, text);
      out.className = 'upload-result ok';
      replace(out, h('p', null, `Đã tải lên “${res.title}” (${num(res.max_points)} điểm, ${num(res.criteria_count)} tiêu chí).`));
      setTimeout(() => navigate(`/frameworks/${encodeURIComponent(res.id)}`), 0);
    } catch (err) {
      out.className = 'upload-result bad';
      if (err instanceof ApiError) {
        replace(out, h('p', null, err.message),
          err.errors.length ? h('ul', { class: 'error-list' }, err.errors.map((e) =>
            h('li', null, e.field ? [placeOf(doc, e.field), h('code', null, e.field), ': '] : null, e.message))) : null);
      } else replace(out, h('p', null, 'Không tải lên được.'));
    } finally {
      btn.disabled = false;
    }
    void ctx;
  });
  return form;
}

function placeOf(doc: unknown, path: string): HTMLElement | null {
  const place = errorPlace(doc, path);
  return place ? h('span', { class: 'err-place' }, place) : null;
}

function exampleValue(c: Criterion, name: string, v: unknown): string {
  const opt = c.inputs?.find((i) => i.name === name)?.options?.find((o) => o.value === v);
  if (opt) return opt.label;
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return v ? 'có' : 'không';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return date(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** An example names its inputs by their label, as the unit official sees them. */
function inputName(c: Criterion, name: string): string {
  return c.inputs?.find((i) => i.name === name)?.label ?? name;
}

function criterionSum(cs: Criterion[]): number {
  // Sum in hundredths: points have at most two decimals, so this is exact.
  return cs.reduce((s, c) => s + Math.round(Number(c.max_points) * 100), 0) / 100;
}

const pillarCriteria = (p: Pillar) => p.groups.flatMap((g) => g.criteria);

function row(term: string, value: Child, cls?: string): Child[] {
  if (value === undefined || value === null || value === '') return [];
  return [h('dt', null, term), h('dd', { class: cls ?? null }, value)];
}

/** criterion key → the server's Vietnamese rule text (one writer of rule texts: the server). */
function ruleTexts(fw: Framework): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of fw.totals?.pillars ?? []) for (const g of p.groups) for (const c of g.criteria) m.set(c.key, c.rule_text);
  return m;
}

function criterionView(c: Criterion, ruleText: string | undefined, isAdmin: boolean, unitName: (code: string) => string): HTMLElement {
  const src = c.data_source?.kind === 'shared_system'
    ? `Hệ thống dùng chung${c.data_source.system ? `: ${c.data_source.system}` : ''}` : 'Đơn vị tự báo cáo';
  return h('details', { class: 'criterion', 'data-key': c.key },
    h('summary', null,
      h('span', { class: 'c-code' }, c.code),
      h('span', { class: 'c-title' }, c.title),
      h('span', { class: 'c-max' }, `${num(c.max_points)} điểm`),
      c.demo ? h('span', { class: 'badge demo-badge' }, 'Dữ liệu mẫu') : null,
      isAdmin && c.source_issue ? h('span', { class: 'badge issue-badge' }, 'Cần lưu ý') : null),
    h('dl', { class: 'criterion-body' },
      row('Điểm tối đa', `${num(c.max_points)} điểm`),
      row('Hạn hoàn thành', c.due ? dayMonth(c.due) : ''),
      row('Nội dung thực hiện', c.guidance, 'pre-line'),
      row('Điều kiện đảm bảo', c.conditions, 'pre-line'),
      row('Tài liệu kiểm chứng', c.evidence, 'pre-line'),
      row('Yêu cầu ký số', c.signed_evidence ? 'Có: tài liệu kiểm chứng phải được ký số' : 'Không bắt buộc'),
      row('Ghi chú', c.notes, 'pre-line'),
      row('Áp dụng cho', c.applies_to?.length ? c.applies_to.map((k) => label(KIND_LABELS, k)).join(', ') : ''),
      row('Không áp dụng khi', c.na_allowed),
      row('Nguồn dữ liệu', src),
      row('Đơn vị phụ trách', c.responsible_unit ? unitName(c.responsible_unit) : ''),
      row('Số liệu cần nhập', c.inputs?.length ? h('ul', { class: 'inputs' }, c.inputs.map((i) =>
        h('li', null, i.label, ' ', h('span', { class: 'muted' }, `(${INPUT_TYPES[i.type] ?? i.type}; mã `, h('code', null, i.name), ')')))) : ''),
      row('Cách tính điểm', ruleText ?? 'Chưa có cách tính điểm.', 'rule'),
      row('Ví dụ', c.examples?.length ? h('ul', null, c.examples.map((e) =>
        h('li', null, `${Object.entries(e.inputs ?? {}).map(([k, v]) => `${inputName(c, k)}: ${exampleValue(c, k, v)}`).join('; ')} → ${num(e.points)} điểm`,
          e.note ? h('span', { class: 'muted' }, ` (${e.note})`) : null))) : ''),
      c.demo ? row('Dữ liệu mẫu', 'Nội dung tiêu chí là dữ liệu minh hoạ, không phải văn bản chính thức.') : [],
      isAdmin && c.source_issue ? row('Lưu ý về văn bản gốc', c.source_issue, 'source-issue') : []));
}

/** Province-level sets assign criteria to agencies: tasks and points per agency. */
function assignmentTable(all: Criterion[], unitName: (code: string) => string): HTMLElement | null {
  const per = new Map<string, Criterion[]>();
  for (const c of all) if (c.responsible_unit) per.set(c.responsible_unit, [...(per.get(c.responsible_unit) ?? []), c]);
  if (!per.size) return null;
  const cols = ['Cơ quan phụ trách', 'Số nhiệm vụ', 'Điểm tối đa'];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'assignment' },
    h('caption', null, 'Phân công nhiệm vụ theo cơ quan'),
    h('thead', null, h('tr', null, cols.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, [...per].map(([code, cs]) => h('tr', { 'data-unit-code': code },
      h('th', { scope: 'row' }, unitName(code)),
      h('td', { class: 'num' }, num(cs.length)),
      h('td', { class: 'num' }, num(criterionSum(cs))))))));
}

const groupTitle = (g: { code: string; title: string }) =>
  /^[\s—-]*$/.test(g.code ?? '') ? g.title : `${g.code}. ${g.title}`;

export async function renderFramework(ctx: Ctx, id: string): Promise<void> {
  const fw = await get<Framework>(`/frameworks/${encodeURIComponent(id)}`);
  const all = fw.pillars.flatMap(pillarCriteria);
  const texts = ruleTexts(fw);
  // Criteria name their responsible agency by unit code: show the unit's name.
  const names = new Map<string, string>();
  if (all.some((c) => c.responsible_unit)) {
    try {
      for (const u of (await get<{ units: Unit[] }>('/units')).units) names.set(u.code, u.name);
    } catch {
      // The codes are still meaningful without the names.
    }
  }
  const unitName = (code: string) => names.has(code) ? `${names.get(code)} (${code})` : code;
  const total = criterionSum(all);
  const issues = all.filter((c) => c.source_issue).length;
  const expand = h('button', { type: 'button' }, 'Mở tất cả');
  expand.addEventListener('click', () => {
    const open = expand.textContent === 'Mở tất cả';
    ctx.main.querySelectorAll('details.criterion').forEach((d) => ((d as HTMLDetailsElement).open = open));
    expand.textContent = open ? 'Thu gọn tất cả' : 'Mở tất cả';
  });

  replace(ctx.main,
    h('p', null, h('a', { href: '/frameworks' }, '← Danh sách bộ chỉ số')),
    h('h1', null, fw.title),
    h('dl', { class: 'facts' },
      row('Mã', `${fw.id} (phiên bản ${fw.version})`),
      row('Cấp', label(LEVEL_LABELS, fw.level)),
      row('Năm', String(fw.year)),
      row('Trạng thái', label(STATUS_LABELS, fw.status)),
      row('Nguồn', fw.source),
      row('Ghi chú dự thảo', fw.draft_note, 'pre-line draft-note'),
      row('Ghi chú', fw.notes, 'pre-line'),
      row('Tổng điểm tối đa', h('strong', { class: 'fw-total' }, `${num(fw.max_points ?? total)} điểm`)),
      row('Số tiêu chí', h('strong', { class: 'fw-count' }, `${num(fw.criteria_count ?? all.length)} tiêu chí`))),
    ctx.isAdmin && issues ? h('p', { class: 'source-issue' }, `${issues} tiêu chí có điểm chưa thống nhất trong văn bản gốc (đánh dấu “Cần lưu ý”).`) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'totals' },
      h('caption', null, 'Điểm tối đa theo trụ cột'),
      h('thead', null, h('tr', null, ['Trụ cột', 'Số tiêu chí', 'Điểm tối đa'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, fw.pillars.map((p) => h('tr', null,
        h('th', { scope: 'row' }, `${p.code}. ${p.title}`),
        h('td', { class: 'num' }, num(pillarCriteria(p).length)),
        h('td', { class: 'num' }, num(criterionSum(pillarCriteria(p))))))),
      h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, 'Tổng'), h('td', { class: 'num' }, num(all.length)), h('td', { class: 'num' }, num(total)))))),
    assignmentTable(all, unitName),
    fw.info_fields?.length ? h('section', { class: 'info-fields', 'aria-labelledby': 'fw-info' },
      h('h2', { id: 'fw-info' }, 'Thông tin chung đơn vị phải kê khai'),
      h('ol', null, fw.info_fields.map((f) => h('li', null, f.label, ' ',
        h('span', { class: 'muted' }, `(${INFO_TYPES[f.type] ?? f.type})`))))) : null,
    h('div', { class: 'page-head' }, h('h2', null, 'Chi tiết tiêu chí'), expand),
    fw.pillars.map((p) => h('section', { class: 'pillar', 'aria-labelledby': `p-${p.key}` },
      h('h3', { id: `p-${p.key}` }, `${p.code}. ${p.title}`, ' ',
        h('span', { class: 'muted' }, `— ${num(criterionSum(pillarCriteria(p)))} điểm, ${pillarCriteria(p).length} tiêu chí`)),
      p.notes ? h('p', { class: 'muted pre-line' }, p.notes) : null,
      p.groups.map((g) => h('div', { class: 'group' },
        h('h4', null, groupTitle(g), ' ', h('span', { class: 'muted' }, `— ${num(criterionSum(g.criteria))} điểm`)),
        g.notes ? h('p', { class: 'muted pre-line' }, g.notes) : null,
        g.criteria.map((c) => criterionView(c, texts.get(c.key), ctx.isAdmin, unitName)))))));
}
