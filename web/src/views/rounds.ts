// Đợt đánh giá: the list (everyone) and the admin's form creating a round: index set per level,
// participating units by level with exceptions, the six dated phases (dd/mm/yyyy).
import { get, post } from '../api';
import { h, replace, uid } from '../dom';
import { date, KIND_LABELS, label, LEVEL_LABELS } from '../format';
import { Form, input, submit } from '../forms';
import type { Ctx } from '../main';
import { navigate } from '../router';
import type { Round } from '../rtypes';
import type { FrameworkSummary, Unit } from '../types';
import { isoToDmy, lbl, localDay, parseDmy, PHASE_LABELS, PHASES } from '../wf';

const COLS = ['Đợt đánh giá', 'Năm', 'Giai đoạn hiện tại', 'Trạng thái'];

export const roundLink = (ctx: Ctx, r: { id: number }) => ctx.isAdmin ? `/rounds/${r.id}` : `/rounds/${r.id}/tasks`;

export function roundStatus(r: Round): string {
  return r.status === 'finalised' ? `Đã hoàn thành${r.finalised_at ? ` (${date(r.finalised_at)})` : ''}` : 'Đang diễn ra';
}

export async function renderRounds(ctx: Ctx): Promise<void> {
  const rounds = (await get<{ rounds: Round[] }>('/rounds')).rounds;
  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', null, 'Đợt đánh giá'),
      ctx.isAdmin ? h('a', { href: '/rounds/new', class: 'button primary' }, 'Tạo đợt đánh giá') : null),
    rounds.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'cards rounds' },
      h('thead', null, h('tr', null, COLS.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rounds.map((r) => h('tr', { 'data-round-id': r.id },
        h('td', { 'data-label': COLS[0] }, h('a', { href: roundLink(ctx, r) }, r.title),
          // part: rank — staff and leaders see a ranking once the round is finalised
          ctx.isAdmin || ctx.me.user.role === 'appraiser' || r.status === 'finalised'
            ? [' · ', h('a', { href: `/rounds/${r.id}/rankings`, class: 'rank-link' }, 'Xếp hạng')] : null),
        h('td', { 'data-label': COLS[1] }, String(r.year)),
        h('td', { 'data-label': COLS[2] }, r.current_phase ? lbl(PHASE_LABELS, r.current_phase) : 'Ngoài các giai đoạn'),
        h('td', { 'data-label': COLS[3] }, roundStatus(r)))))))
      : emptyRounds(ctx));
}

/** No round yet: what each role does next (an empty table says nothing). */
function emptyRounds(ctx: Ctx): HTMLElement {
  if (ctx.isAdmin) {
    return h('p', { class: 'empty-state' }, 'Chưa có đợt đánh giá nào. Bấm ', h('a', { href: '/rounds/new' }, 'Tạo đợt đánh giá'),
      ' để chọn bộ chỉ số, các đơn vị tham gia và thời gian từng giai đoạn; nhiệm vụ được giao cho các đơn vị ngay khi tạo.');
  }
  return h('p', { class: 'empty-state' }, ctx.me.user.role === 'appraiser'
    ? 'Chưa có đợt đánh giá nào. Khi quản trị viên phân công bạn thẩm định, các nhiệm vụ sẽ hiện ở đây và trong “Việc cần làm”.'
    : 'Chưa có đợt đánh giá nào. Khi quản trị viên tạo đợt đánh giá có đơn vị của bạn, các nhiệm vụ sẽ hiện ở đây và trong “Việc cần làm”.');
}

const FW_LEVELS = ['province', 'department', 'district', 'commune'];
const UNIT_LEVELS = ['province', 'department', 'other', 'district', 'commune'];

/** A default timetable from today: trial 7 days, self-assessment 30, appraisal 1 14,
 * explanation 7, appraisal 2 7, finalised 30. */
function defaultPhases(): [string, string][] {
  const lens = [7, 30, 14, 7, 7, 30];
  let at = 0;
  return lens.map((n) => { const w: [string, string] = [localDay(at), localDay(at + n - 1)]; at += n; return w; });
}

/** The six phase rows: start and end dates typed dd/mm/yyyy. */
export function phaseFields(form: Form, values: [string, string][]): HTMLElement {
  return h('fieldset', { class: 'phases' }, h('legend', null, 'Các giai đoạn (ngày theo giờ Việt Nam, dd/mm/yyyy)'),
    PHASES.map((p, i) => h('div', { class: 'phase-row', 'data-phase': p },
      h('p', { class: 'phase-name' }, `${i + 1}. ${PHASE_LABELS[p]}`),
      form.field(`phases[${i}].starts`, 'Từ ngày', input('text', { value: isoToDmy(values[i]?.[0]), inputmode: 'numeric',
        placeholder: 'dd/mm/yyyy', autocomplete: 'off', 'aria-label': `${PHASE_LABELS[p]}: từ ngày` })).wrap,
      form.field(`phases[${i}].ends`, 'Đến hết ngày', input('text', { value: isoToDmy(values[i]?.[1]), inputmode: 'numeric',
        placeholder: 'dd/mm/yyyy', autocomplete: 'off', 'aria-label': `${PHASE_LABELS[p]}: đến hết ngày` })).wrap)));
}

/** Reads the phase rows; marks a bad date at its field and returns null. */
export function readPhases(form: Form): { phase: string; starts: string; ends: string }[] | null {
  const out: { phase: string; starts: string; ends: string }[] = [];
  let bad = false;
  PHASES.forEach((p, i) => {
    const s = parseDmy(form.value(`phases[${i}].starts`));
    const e = parseDmy(form.value(`phases[${i}].ends`));
    if (!s) bad = form.fieldError(`phases[${i}].starts`, 'Ngày không hợp lệ (dd/mm/yyyy).', !bad) || bad;
    if (!e) bad = form.fieldError(`phases[${i}].ends`, 'Ngày không hợp lệ (dd/mm/yyyy).', !bad) || bad;
    if (s && e && e < s) bad = form.fieldError(`phases[${i}].ends`, 'Ngày kết thúc phải sau ngày bắt đầu.', !bad) || bad;
    if (s && e) out.push({ phase: p, starts: s, ends: e });
  });
  return bad ? null : out;
}

export async function renderRoundNew(ctx: Ctx): Promise<void> {
  const [fws, units] = await Promise.all([
    get<{ frameworks: FrameworkSummary[] }>('/frameworks').then((r) => r.frameworks),
    get<{ units: Unit[] }>('/units').then((r) => r.units.filter((u) => !u.retired_at)),
  ]);
  const year = new Date().getFullYear();
  const form = new Form(async (f) => {
    let bad = false;
    const title = f.value('title');
    if (!title) bad = f.fieldError('title', 'Vui lòng nhập tên đợt đánh giá.') || bad;
    const y = Number(f.value('year'));
    if (!/^\d{4}$/.test(f.value('year'))) bad = f.fieldError('year', 'Năm gồm 4 chữ số.', !bad) || bad;
    const frameworks = FW_LEVELS.flatMap((lv) => {
      const v = f.value(`fw.${lv}`);
      if (!v) return [];
      const at = v.lastIndexOf('@');
      return [{ level: lv, framework_id: v.slice(0, at), version: Number(v.slice(at + 1)) }];
    });
    if (!frameworks.length) bad = f.fieldError('frameworks', 'Chọn ít nhất một bộ chỉ số.', !bad) || bad;
    const phases = readPhases(f);
    if (bad || !phases) return;
    // Levels ticked = every unit of that kind; a unit ticked outside them is included, a unit
    // unticked inside them excluded.
    const levels = UNIT_LEVELS.filter((k) => levelBoxes.get(k)?.checked);
    const include: number[] = [];
    const exclude: number[] = [];
    for (const [u, box] of unitBoxes) {
      const inLevel = levels.includes(u.kind);
      if (box.checked && !inLevel) include.push(u.id);
      if (!box.checked && inLevel) exclude.push(u.id);
    }
    const r = await post<Round>('/rounds', { title, year: y, frameworks, units: { levels, include, exclude }, phases });
    navigate(`/rounds/${r.id}`);
  }, { class: 'round-form' });

  const fwField = h('fieldset', null, h('legend', null, 'Bộ chỉ số áp dụng theo cấp'),
    FW_LEVELS.map((lv) => {
      const opts = fws.filter((fw) => fw.level === lv);
      return form.field(`fw.${lv}`, label(LEVEL_LABELS, lv), h('select', null,
        h('option', { value: '' }, '— Không áp dụng —'),
        opts.map((fw) => h('option', { value: `${fw.id}@${fw.version}` }, `${fw.title} (${fw.id}, phiên bản ${fw.version})`)))).wrap;
    }));
  // A hidden anchor for the "no index set" error.
  const fwErr = form.field('frameworks', 'Bộ chỉ số', h('input', { type: 'hidden' }));
  fwErr.wrap.classList.add('error-only');

  const levelBoxes = new Map<string, HTMLInputElement>();
  const unitBoxes = new Map<Unit, HTMLInputElement>();
  const unitField = h('fieldset', { class: 'round-units' }, h('legend', null, 'Đơn vị tham gia'),
    h('p', { class: 'field-hint' }, 'Chọn theo cấp; bỏ chọn từng đơn vị để loại trừ, hoặc chọn thêm đơn vị ngoài các cấp đã chọn.'),
    UNIT_LEVELS.map((kind) => {
      const of = units.filter((u) => u.kind === kind).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
      if (!of.length) return null;
      const lid = uid('lv');
      const lvBox = h('input', { type: 'checkbox', id: lid, 'data-level': kind });
      levelBoxes.set(kind, lvBox);
      const boxes = of.map((u) => {
        const id = uid('u');
        const b = h('input', { type: 'checkbox', id, 'data-unit-code': u.code });
        unitBoxes.set(u, b);
        return h('li', null, b, h('label', { for: id }, u.name));
      });
      lvBox.addEventListener('change', () => { for (const u of of) unitBoxes.get(u)!.checked = lvBox.checked; });
      return h('div', { class: 'unit-level' },
        h('div', { class: 'check' }, lvBox, h('label', { for: lid }, `${KIND_LABELS[kind] ?? kind} (${of.length} đơn vị)`)),
        h('details', null, h('summary', null, 'Từng đơn vị'), h('ul', { class: 'checks' }, boxes)));
    }));

  // The same for "no unit takes part" (the server names `units`).
  const unitsErr = form.field('units', 'Đơn vị tham gia', h('input', { type: 'hidden' }));
  unitsErr.wrap.classList.add('error-only');

  form.el.append(
    form.field('title', 'Tên đợt đánh giá', input('text', { maxlength: 200, placeholder: `Đánh giá DTI năm ${year}` }), { required: true }).wrap,
    form.field('year', 'Năm đánh giá', input('text', { value: year, inputmode: 'numeric', maxlength: 4 }), { required: true }).wrap,
    fwField, fwErr.wrap, unitField, unitsErr.wrap,
    phaseFields(form, defaultPhases()),
    h('p', { class: 'field-hint' }, 'Khi tạo đợt, hệ thống sinh toàn bộ nhiệm vụ cho mọi đơn vị tham gia.'),
    h('div', { class: 'actions' }, submit('Tạo đợt đánh giá')));
  replace(ctx.main,
    h('p', null, h('a', { href: '/rounds' }, '← Danh sách đợt đánh giá')),
    h('h1', null, 'Tạo đợt đánh giá'), form.el);
}
