// One task (seed 000): guidance, conditions, evidence required, maximum, self-assessed and approved
// points, dates, state, the round's reading; the report form (typed inputs, content, note, live
// self-assessed points from POST /tasks/{id}/preview, save with a version, 409 shown with what
// changed), evidence (upload with progress, earlier versions, downloads), the comment thread, the
// workflow actions the caller may take now, and for appraisers the appraisal desk.
import { ApiError, del, get, post, put, upload } from '../api';
import { h, replace, uid, type Child } from '../dom';
import { attempt, confirmDialog, openDialog } from '../dialog';
import { date, dateTime, num } from '../format';
import { Form, input, select, submit, textarea } from '../forms';
import type { Ctx } from '../main';
import { inputLabel, type Comment, type Evidence, type Preview, type ReadingRow, type Task, type InputLike as Input } from '../rtypes';
import { ACTION_LABELS, fileSize, isoToDmy, lbl, parseDecimal, parseDmy, PHASE_LABELS, stateBadge, timeBadge } from '../wf';
import { dueText } from './tasks';
import { sigBadge, sigDetails } from '../sigview';

const NEEDS_COMMENT = new Set(['return', 'explain', 'reopen', 'request_explanation']);

/** What the last action did, announced at the top of the re-rendered task (focus goes there). */
let flash = '';
const done = (action: string) => { flash = `Đã thực hiện: ${ACTION_LABELS[action] ?? action}.`; };

/** The actions the server says the caller may take; a table by role and state if it says nothing. */
function actionsOf(t: Task, role: string): string[] {
  if (Array.isArray(t.actions)) return t.actions.map((a) => typeof a === 'string' ? a : a.action);
  const table: Record<string, Record<string, string[]>> = {
    staff: { not_started: ['save'], draft: ['save', 'submit'], returned: ['save', 'submit'], explanation_requested: ['save', 'explain'] },
    leader: { not_started: ['save'], draft: ['save'], returned: ['save'], submitted: ['send', 'return'], explanation_requested: ['save', 'explain'] },
    appraiser: { in_appraisal: ['approve', 'request_explanation'], explained: ['approve'], explanation_requested: ['approve'],
      not_started: ['approve'], draft: ['approve'], returned: ['approve'], submitted: ['approve'] },
    admin: { approved: ['reopen'] },
  };
  return table[role]?.[t.state] ?? [];
}

function row(term: string, value: Child, attrs: Record<string, string> = {}): Child[] {
  if (value === undefined || value === null || value === '') return [];
  return [h('dt', null, term), h('dd', attrs, value)];
}

/** The round's reading of the criterion: the main rule, or the alternative's label and rule. */
async function readingText(t: Task): Promise<string> {
  const name = t.criterion.reading;
  if (!name || name === 'main') return 'Cách tính chính của bộ chỉ số';
  try {
    const rows = (await get<{ readings: ReadingRow[] }>(`/rounds/${t.round_id}/readings`)).readings;
    const o = rows.find((r) => r.criterion_key === t.criterion.key && r.framework_id === t.framework_id)?.readings.find((x) => x.name === name);
    return o ? `${o.label}: ${o.rule_text}` : name;
  } catch {
    return name;
  }
}

/** A value as the unit typed it (Có/Không, the choice's label, dd/mm/yyyy, decimal comma). */
export function showValue(inp: Input | undefined, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'Có' : 'Không';
  const opt = inp?.options?.find((o) => o.value === v);
  if (opt) return opt.label;
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return isoToDmy(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** {name: value} as "label: value; …" (a lone value as itself). */
export function valuesText(inputs: Input[], v: unknown): string {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => {
      const i = inputs.find((n) => n.name === k);
      return `${i?.label ?? k}: ${showValue(i, x)}`;
    }).join('; ') || '—';
  }
  return showValue(undefined, v);
}

/** The control for one input, typed by its kind; its text as the form shows it. */
export function control(inp: Input, v: unknown): HTMLInputElement | HTMLSelectElement {
  if (inp.type === 'bool') return select([['', '— Chưa chọn —'], ['true', 'Có'], ['false', 'Không']], v === true ? 'true' : v === false ? 'false' : '');
  if (inp.type === 'choice') return select([['', '— Chưa chọn —'], ...(inp.options ?? []).map((o) => [o.value, o.label] as [string, string])], typeof v === 'string' ? v : '');
  if (inp.type === 'date') return input('text', { value: typeof v === 'string' ? isoToDmy(v) : '', placeholder: 'dd/mm/yyyy', inputmode: 'numeric', autocomplete: 'off' });
  const text = typeof v === 'number' ? String(v).replace('.', ',') : typeof v === 'string' ? v : '';
  return input('text', { value: text, inputmode: inp.type === 'count' ? 'numeric' : 'decimal', autocomplete: 'off' });
}

export function inputHint(inp: Input): string {
  const range = inp.min != null && inp.max != null ? `từ ${num(inp.min)} đến ${num(inp.max)}`
    : inp.min != null ? `tối thiểu ${num(inp.min)}` : inp.max != null ? `tối đa ${num(inp.max)}` : '';
  const kind: Record<string, string> = { count: 'Số nguyên', number: 'Số (dùng dấu phẩy cho phần thập phân, ví dụ 8,5)', ratio: 'Tỷ lệ (ví dụ 0,85)',
    points: 'Điểm (ví dụ 8,5)', date: 'Ngày dd/mm/yyyy' };
  return [kind[inp.type] ?? '', range].filter(Boolean).join(', ');
}

/** Parses one input's text; an error message instead when it is not acceptable. */
export function readInput(inp: Input, raw: string): { value?: unknown; error?: string } {
  const s = raw.trim();
  if (!s) return {};
  let v: unknown;
  if (inp.type === 'bool') v = s === 'true';
  else if (inp.type === 'choice') v = s;
  else if (inp.type === 'date') {
    v = parseDmy(s);
    if (!v) return { error: 'Ngày không hợp lệ (dd/mm/yyyy).' };
  } else if (inp.type === 'count') {
    if (!/^\d+$/.test(s)) return { error: 'Phải là số nguyên không âm.' };
    v = Number(s);
  } else if (['number', 'ratio', 'points'].includes(inp.type)) {
    v = parseDecimal(s);
    if (v === null) return { error: 'Phải là số, tối đa 2 chữ số thập phân (ví dụ 8,5).' };
  } else v = s;
  if (typeof v === 'number' && ((inp.min != null && v < inp.min) || (inp.max != null && v > inp.max))) {
    return { error: `Giá trị phải ${inputHint(inp).split(', ').pop()}.` };
  }
  return { value: v };
}

export async function renderTask(ctx: Ctx, id: string): Promise<void> {
  const t = await get<Task>(`/tasks/${id}`);
  const dates = t.dates;
  const reading = await readingText(t);
  const phase = t.current_phase;
  const role = ctx.me.user.role;
  const acts = actionsOf(t, role);
  const rerender = async () => {
    await renderTask(ctx, id);
    (ctx.main.querySelector<HTMLElement>('.flash') ?? ctx.main).focus();
  };
  const note = flash;
  flash = '';
  const c = t.criterion;
  const approved = t.approval?.approved_points ?? t.approved_points;
  const lastOf = (kind: string) => [...(t.comments ?? [])].reverse().find((x) => x.kind === kind);
  const returned = t.state === 'returned' ? (t.leader_comment ?? lastOf('return')?.body) : null;
  const askExplain = t.state === 'explanation_requested' ? lastOf('request_explanation')?.body : null;
  // A result taken from another index (CCHC) is shown with its source instead of a form.
  const canSave = acts.includes('save') && (role === 'staff' || role === 'leader') && !t.external_value;
  const desk = role === 'appraiser' && (acts.includes('approve') || acts.includes('request_explanation'));

  const evidenceBox = h('div', { class: 'evidence-box' });
  const commentsBox = h('div', { class: 'comments-box' });

  replace(ctx.main,
    h('p', null, h('a', { href: `/rounds/${t.round_id}/tasks` }, '← Danh sách nhiệm vụ')),
    h('h1', { class: 'task-title' }, h('span', { class: 'c-code' }, c.code), ' ', c.title),
    note ? h('p', { class: 'flash', role: 'status', tabindex: '-1' }, note) : null,
    h('p', { class: 'subtitle' }, `${t.round_title ?? ''} · Giai đoạn: ${phase ? lbl(PHASE_LABELS, phase) : 'ngoài các giai đoạn'}${t.round_status === 'finalised' ? ' · Đợt đánh giá đã hoàn thành' : ''}`),
    returned ? h('div', { class: 'notice returned-note', role: 'note' }, h('strong', null, 'Lãnh đạo trả lại: '), returned) : null,
    askExplain ? h('div', { class: 'notice explain-note', role: 'note' }, h('strong', null, 'Yêu cầu giải trình: '), askExplain) : null,
    h('dl', { class: 'facts task-facts' },
      row('Đơn vị', t.unit_name ?? ''),
      row('Trạng thái', stateBadge(t.state, t.state_label), { class: 'task-state' }),
      row('Thời gian', timeBadge(t.time_state)),
      row('Thời hạn', dueText({ due_at: t.due_at, due: t.due_at ? null : c.due }, new Date().getFullYear())),
      row('Điểm tối đa', num(c.max_points ?? t.max_points), { class: 'max-points' }),
      row('Điểm tự đánh giá', num(t.report?.self_points ?? t.self_points), { class: 'self-points' }),
      row('Điểm phê duyệt', approved === null || approved === undefined ? 'Chưa thẩm định'
        : `${num(approved)}${t.approval?.appraisal_round ? ` (thẩm định lần ${t.approval.appraisal_round})` : ''}`, { class: 'approved-points' }),
      row('Ý kiến thẩm định', t.approval?.approval_comment ?? ''),
      row('Ngày trình lãnh đạo', dates.submitted_at ? dateTime(dates.submitted_at) : ''),
      row('Ngày gửi thẩm định', dates.sent_at ? dateTime(dates.sent_at) : ''),
      row('Ngày thẩm định', dates.approved_at ? dateTime(dates.approved_at) : ''),
      row('Cách hiểu áp dụng', reading, { class: 'reading' })),
    h('section', { class: 'guidance', 'aria-labelledby': 'g-h' }, h('h2', { id: 'g-h' }, 'Hướng dẫn thực hiện'),
      h('ol', null,
        h('li', null, h('strong', null, 'Nội dung thực hiện: '), h('span', { class: 'pre-line' }, c.guidance || '—')),
        h('li', null, h('strong', null, 'Điều kiện đảm bảo: '), h('span', { class: 'pre-line' }, c.conditions || '—')),
        h('li', null, h('strong', null, 'Tài liệu kiểm chứng: '), h('span', { class: 'pre-line' }, c.evidence || '—'),
          c.signed_evidence ? h('span', { class: 'badge' }, 'Yêu cầu ký số') : null)),
    ),
    externalView(t),
    appraiserValuesView(t, role),
    desk ? appraisalDesk(t, acts, evidenceBox, rerender) : canSave ? reportForm(t, acts, rerender) : reportView(t),
    desk ? null : h('section', { class: 'evidence', 'aria-labelledby': 'ev-h' }, h('h2', { id: 'ev-h' }, 'Tài liệu kiểm chứng'), evidenceBox),
    actionBar(t, acts.filter((a) => !['save', 'approve', 'request_explanation'].includes(a) && !(canSave && a === 'submit')), rerender),
    h('section', { class: 'thread', 'aria-labelledby': 'th-h' }, h('h2', { id: 'th-h' }, 'Trao đổi, giải trình'), commentsBox));
  renderEvidence(t, evidenceBox, canSave);
  renderComments(t, t.comments, commentsBox, t.round_status !== 'finalised');
}

function externalView(t: Task): HTMLElement | null {
  const ev = t.external_value as { value?: unknown; source?: string } | null;
  if (!ev) return null;
  return h('section', { class: 'external-value notice', 'aria-labelledby': 'xv-h' },
    h('h2', { id: 'xv-h' }, 'Kết quả lấy từ chỉ số khác'),
    h('p', null, valuesText(t.criterion.inputs ?? [], ev.value)),
    h('p', null, 'Nguồn: ', ev.source ?? '—'));
}

function appraiserValuesView(t: Task, role: string): HTMLElement | null {
  const av = t.appraiser_inputs;
  if (!av || !Object.keys(av).length || role === 'appraiser') return null;
  const byName = new Map((t.criterion.inputs ?? []).map((i) => [i.name, i]));
  return h('section', { class: 'appraiser-values notice', 'aria-labelledby': 'av-h' },
    h('h2', { id: 'av-h' }, 'Số liệu do cán bộ thẩm định thu thập'),
    h('ul', null, Object.entries(av).map(([k, v]) => h('li', null, `${byName.get(k)?.label ?? k}: ${showValue(byName.get(k), v.value)}`,
      h('span', { class: 'muted' }, ` (nguồn: ${v.source})`)))));
}

/** The unit's report, read only (leader reviewing, appraiser, admin, or a locked task). */
function reportView(t: Task): HTMLElement {
  const r = t.report ?? {};
  const inputs = t.criterion.inputs ?? [];
  return h('section', { class: 'report-view', 'aria-labelledby': 'rv-h' }, h('h2', { id: 'rv-h' }, 'Báo cáo của đơn vị'),
    h('dl', { class: 'facts' },
      inputs.flatMap((i) => [h('dt', null, i.label), h('dd', { 'data-input': i.name }, showValue(i, r.inputs?.[i.name]))]),
      h('dt', null, 'Nội dung'), h('dd', { class: 'pre-line report-content' }, r.content || '—'),
      h('dt', null, 'Ghi chú'), h('dd', { class: 'pre-line' }, r.note || '—'),
      h('dt', null, 'Điểm tự đánh giá'), h('dd', { class: 'report-self-points' }, num(r.self_points ?? t.self_points)),
      h('dt', null, 'Diễn giải'), h('dd', { class: 'pre-line' }, r.self_explanation || '—')));
}

interface InputsPart { el: HTMLElement; read: (f: Form) => Record<string, unknown> | null; readLoose: () => Record<string, unknown> }

/** The criterion's inputs as form fields (named inputs.NAME: the server's errors land there). */
function inputsPart(form: Form, inputs: Input[], values: Record<string, unknown>): InputsPart {
  const el = h('fieldset', { class: 'inputs-fields' }, h('legend', null, 'Số liệu'),
    inputs.length ? inputs.map((i) => form.field(`inputs.${i.name}`, inputLabel(i), control(i, values[i.name]), { hint: inputHint(i) || undefined }).wrap)
      : h('p', { class: 'muted' }, 'Tiêu chí này không có số liệu cần nhập.'));
  const read = (f: Form) => {
    const out: Record<string, unknown> = {};
    let bad = false;
    for (const i of inputs) {
      const r = readInput(i, f.rawValue(`inputs.${i.name}`));
      if (r.error) bad = f.fieldError(`inputs.${i.name}`, r.error, !bad) || bad;
      else if (r.value !== undefined) out[i.name] = r.value;
    }
    return bad ? null : out;
  };
  const readLoose = () => {
    const out: Record<string, unknown> = {};
    for (const i of inputs) {
      const r = readInput(i, form.rawValue(`inputs.${i.name}`));
      if (r.value !== undefined && !r.error) out[i.name] = r.value;
    }
    return out;
  };
  return { el, read, readLoose };
}

/** Live self-assessed points: POST /tasks/{id}/preview, debounced, latest answer wins. */
function livePreview(taskId: number, max: number, readLoose: () => Record<string, unknown>, into: HTMLElement, initial: Preview | null): () => void {
  let timer = 0;
  let seq = 0;
  const show = (p: Preview | null, pending = false) => replace(into,
    h('p', { class: 'preview-points' }, 'Điểm tự đánh giá (tạm tính): ',
      h('strong', { class: 'preview-value' }, p && p.points !== null && p.points !== undefined ? `${num(p.points)} / ${num(max)}` : '—'),
      pending ? h('span', { class: 'muted' }, ' (đang tính…)') : null),
    p?.explanation ? h('p', { class: 'preview-explanation pre-line' }, p.explanation) : null);
  let last = initial;
  show(initial);
  return () => {
    clearTimeout(timer);
    show(last, true);
    timer = window.setTimeout(async () => {
      const mine = ++seq;
      try {
        const p = await post<Preview>(`/tasks/${taskId}/preview`, { inputs: readLoose() });
        if (mine !== seq) return;
        last = p;
        show(p);
      } catch (err) {
        if (mine !== seq) return;
        show(last);
        into.append(h('p', { class: 'field-error' }, err instanceof ApiError ? err.message : 'Không tính được điểm.'));
      }
    }, 350);
  };
}

function reportForm(t: Task, acts: string[], rerender: () => Promise<void>): HTMLElement {
  const r = t.report ?? {};
  const inputs = t.criterion.inputs ?? [];
  let version = t.version ?? 1;
  let base = t; // what the form was loaded from: a conflict is shown against it
  const conflictBox = h('div', { class: 'conflict', role: 'alert' });
  const saved = h('p', { class: 'saved-status', role: 'status', 'aria-live': 'polite' });
  const previewBox = h('div', { class: 'preview', 'aria-live': 'polite' });
  let intent: 'save' | 'submit' = 'save';

  const body = (f: Form) => {
    let bad = false;
    const vals = part.read(f);
    if (!vals) bad = true;
    const content = f.value('content');
    if (!content) bad = f.fieldError('content', 'Vui lòng nhập nội dung thực hiện.', !bad) || bad;
    return bad ? null : { inputs: vals!, content, note: f.value('note') };
  };
  const save = async (f: Form, b: { inputs: Record<string, unknown>; content: string; note: string }, v: number): Promise<Task | null> => {
    try {
      const res = await put<Task>(`/tasks/${t.id}/report`, { ...b, version: v });
      version = res.version ?? v + 1;
      base = res;
      replace(conflictBox);
      return res;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'version_conflict' && err.detail.current) {
        const cur = err.detail.current as Task;
        const diffs = differences(base, cur);
        // The version moved without a change to the report (e.g. a file was added): save again.
        if (!diffs.length && cur.version !== undefined && cur.version !== v) return save(f, b, cur.version);
        showConflict(cur, diffs, f, b);
        return null;
      }
      throw err;
    }
  };
  const showConflict = (cur: Task, diffs: [string, string, string][], f: Form, b: { inputs: Record<string, unknown>; content: string; note: string }) => {
    const reload = h('button', { type: 'button' }, 'Tải bản mới nhất (bỏ thay đổi của tôi)');
    reload.addEventListener('click', () => void rerender());
    const keep = h('button', { type: 'button', class: 'danger' }, 'Giữ bản của tôi và lưu đè');
    keep.addEventListener('click', async () => {
      base = cur;
      if (await save(f, b, cur.version ?? version)) { saved.textContent = `Đã lưu lúc ${dateTime(new Date().toISOString())}.`; }
    });
    replace(conflictBox,
      h('p', null, h('strong', null, 'Báo cáo vừa được người khác lưu'),
        cur.updated_at ? ` (lúc ${dateTime(cur.updated_at)})` : '',
        '. Thay đổi của bạn CHƯA được lưu. Những gì đã thay đổi:'),
      diffs.length ? h('ul', { class: 'conflict-list' }, diffs.map(([what, was, now]) =>
        h('li', null, h('strong', null, what), ': ', h('span', { class: 'old' }, was), ' → ', h('span', { class: 'new' }, now))))
        : h('p', null, 'Trạng thái hoặc tài liệu của nhiệm vụ đã thay đổi.'),
      h('div', { class: 'actions' }, reload, keep));
    conflictBox.scrollIntoView?.({ block: 'center' });
    reload.focus();
  };

  const form = new Form(async (f) => {
    const b = body(f);
    if (!b) return;
    const res = await save(f, b, version);
    if (!res) return;
    if (intent === 'submit') {
      await post(`/tasks/${t.id}/transitions`, { action: 'submit', version });
      done('submit');
      await rerender();
      return;
    }
    saved.textContent = `Đã lưu nháp lúc ${dateTime(new Date().toISOString())}.`;
    const st = document.querySelector('.task-state');
    if (st && res.state) replace(st, stateBadge(res.state, res.state_label));
    // The first save makes a draft, which may be submitted: the button appears next to "Lưu
    // nháp" (where the keyboard is), without reloading the page.
    if (!submitBtn && Array.isArray(res.actions) && actionsOf(res, '').includes('submit')) {
      submitBtn = submitButton();
      saveBtn.after(submitBtn);
    }
  }, { class: 'report-form' });
  const part = inputsPart(form, inputs, r.inputs ?? {});
  const refresh = livePreview(t.id, t.criterion.max_points ?? t.max_points, part.readLoose, previewBox,
    r.self_points !== undefined && r.self_points !== null ? { points: r.self_points, explanation: r.self_explanation ?? '' } : null);
  part.el.addEventListener('input', refresh);
  part.el.addEventListener('change', refresh);
  const saveBtn = submit('Lưu nháp', '');
  saveBtn.addEventListener('click', () => (intent = 'save'));
  const submitButton = () => {
    const b = submit('Trình lãnh đạo');
    b.addEventListener('click', () => (intent = 'submit'));
    return b;
  };
  let submitBtn: HTMLButtonElement | null = acts.includes('submit') ? submitButton() : null;
  form.el.append(
    part.el, previewBox,
    form.field('content', 'Nội dung thực hiện', textarea({ rows: 4, value: r.content ?? '' }), { required: true,
      hint: 'Mô tả việc đơn vị đã thực hiện (bắt buộc).' }).wrap,
    form.field('note', 'Ghi chú', textarea({ rows: 2, value: r.note ?? '' })).wrap,
    conflictBox,
    h('div', { class: 'actions' }, saveBtn, submitBtn), saved);
  // textarea's value attribute is its initial text only through .value
  (form.fields.get('content')!.control as HTMLTextAreaElement).value = r.content ?? '';
  (form.fields.get('note')!.control as HTMLTextAreaElement).value = r.note ?? '';
  return h('section', { class: 'report', 'aria-labelledby': 'rf-h' }, h('h2', { id: 'rf-h' }, 'Báo cáo'), form.el);
}

/** What differs between the report the form was loaded from and the one now stored. */
function differences(a: Task, b: Task): [string, string, string][] {
  const out: [string, string, string][] = [];
  const ra = a.report ?? {};
  const rb = b.report ?? {};
  for (const i of a.criterion.inputs ?? []) {
    const x = ra.inputs?.[i.name];
    const y = rb.inputs?.[i.name];
    if (JSON.stringify(x ?? null) !== JSON.stringify(y ?? null)) out.push([inputLabel(i), showValue(i, x), showValue(i, y)]);
  }
  if ((ra.content ?? '') !== (rb.content ?? '')) out.push(['Nội dung thực hiện', ra.content || '—', rb.content || '—']);
  if ((ra.note ?? '') !== (rb.note ?? '')) out.push(['Ghi chú', ra.note || '—', rb.note || '—']);
  if (a.state !== b.state) out.push(['Trạng thái', lbl({}, a.state_label ?? a.state), b.state_label ?? b.state]);
  return out;
}

function evidenceItem(e: EvidenceShown, canEdit: boolean, onRemove: () => void): HTMLElement {
  const rm = canEdit && !e.superseded_at && !e.removed_at
    ? h('button', { type: 'button', class: 'small danger', 'aria-label': `Gỡ tệp ${e.file_name}` }, 'Gỡ') : null;
  rm?.addEventListener('click', async () => {
    if (!await confirmDialog('Gỡ tệp kiểm chứng', `Gỡ tệp “${e.file_name}” khỏi nhiệm vụ? Tệp vẫn được lưu trong lịch sử.`, 'Gỡ tệp', true)) return;
    if (await attempt(() => del(`/evidence/${e.id}`))) onRemove();
  });
  return h('li', { class: 'evidence-item', 'data-evidence-id': e.id },
    h('a', { href: `/api/v1/evidence/${e.id}/download`, download: e.file_name }, e.file_name),
    h('span', { class: 'muted' }, ` ${fileSize(e.size)}${e.uploaded_at ? ` · ${dateTime(e.uploaded_at)}` : ''}${e.uploaded_by_name ? ` · ${e.uploaded_by_name}` : ''}`),
    e.removed_at ? h('span', { class: 'badge retired-badge' }, `Đã gỡ ${date(e.removed_at)}`) : null, rm,
    e.signature !== undefined ? sigDetails(e) : sigBadge(e.signature_verdict, e.signer));
}

/** Current files first, then each one's earlier versions and removed files. */
type EvidenceShown = Pick<Evidence, 'id' | 'file_name' | 'size' | 'uploaded_at' | 'superseded_at' | 'removed_at'>
  & Partial<Pick<Evidence, 'uploaded_by_name' | 'signature' | 'signature_warning'>>
  & { signature_verdict?: string | null; signer?: string | null };

function evidenceList(list: EvidenceShown[], canEdit: boolean, reload: () => void): HTMLElement {
  const current = list.filter((e) => !e.superseded_at && !e.removed_at);
  const older = list.filter((e) => e.superseded_at || e.removed_at);
  return h('div', null,
    current.length ? h('ul', { class: 'evidence-list' }, current.map((e) => evidenceItem(e, canEdit, reload)))
      : h('p', { class: 'muted no-evidence' }, 'Chưa có tệp kiểm chứng.'),
    older.length ? h('details', { class: 'older' }, h('summary', null, `Phiên bản trước và tệp đã gỡ (${older.length})`),
      h('ul', { class: 'evidence-list' }, older.map((e) => evidenceItem(e, false, reload)))) : null);
}

function renderEvidence(t: Task, box: HTMLElement, canEdit: boolean): void {
  const listBox = h('div');
  const reload = async () => {
    try {
      const res = await get<{ evidence: Evidence[] }>(`/tasks/${t.id}/evidence`);
      replace(listBox, evidenceList(res.evidence, canEdit, () => void reload()));
      if (canEdit) fillReplace(res.evidence);
    } catch (err) {
      replace(listBox, h('p', { class: 'form-alert' }, err instanceof ApiError ? err.message : 'Không tải được danh sách tệp.'));
    }
  };
  // The detail lists the current files; the list (earlier versions too) follows at once.
  replace(listBox, evidenceList(t.evidence.map((e) => ({ ...e, superseded_at: null, removed_at: null })), canEdit, () => void reload()));
  void reload(); // the detail lists current files; the list has earlier versions too
  if (!canEdit) { replace(box, listBox); return; }
  const fid = uid('file');
  const file = h('input', { type: 'file', id: fid, accept: '.pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg,.zip' });
  const rsel = h('select', { id: uid('rep') });
  const fillReplace = (list: EvidenceShown[]) => replace(rsel, h('option', { value: '' }, '— Thêm tệp mới —'),
    list.filter((e) => !e.superseded_at && !e.removed_at).map((e) => h('option', { value: String(e.id) }, `Thay thế “${e.file_name}”`)));
  fillReplace(t.evidence.map((e) => ({ ...e, superseded_at: null, removed_at: null })));
  const prog = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': 'Tiến độ tải lên' });
  const status = h('p', { class: 'upload-status', role: 'status', 'aria-live': 'polite' });
  const btn = h('button', { type: 'submit' }, 'Tải lên');
  const form = h('form', { class: 'evidence-upload' },
    h('div', { class: 'field' }, h('label', { for: fid }, 'Chọn tệp (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, ZIP; tối đa 20 MB)'), file),
    h('div', { class: 'field' }, h('label', { for: rsel.id }, 'Tệp mới hay thay thế'), rsel),
    h('div', { class: 'actions' }, btn), prog, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = file.files?.[0];
    if (!f) { status.textContent = 'Vui lòng chọn tệp.'; file.focus(); return; }
    const fd = new FormData();
    if (rsel.value) fd.append('replaces', rsel.value);
    fd.append('file', f, f.name);
    btn.disabled = true;
    prog.hidden = false;
    prog.value = 0;
    status.textContent = `Đang tải lên ${f.name}…`;
    try {
      const ev = await upload<Evidence>(`/tasks/${t.id}/evidence`, fd, (done, total) => {
        if (total) { prog.value = Math.round((done / total) * 100); status.textContent = `Đang tải lên ${f.name}: ${prog.value}%`; }
      });
      // part: pdfsig — the unit is warned at once when a signed file is required and this is not one
      status.textContent = `Đã tải lên ${f.name}.${ev?.signature_warning ? ` Cảnh báo: ${ev.signature_warning}` : ''}`;
      if (ev?.signature_warning) status.classList.add('form-alert');
      file.value = '';
      await reload();
    } catch (err) {
      status.textContent = err instanceof ApiError ? err.message : 'Không tải lên được.';
      status.classList.add('form-alert');
    } finally {
      btn.disabled = false;
      prog.hidden = true;
    }
  });
  file.addEventListener('change', () => status.classList.remove('form-alert'));
  replace(box, listBox, form);
}

function renderComments(t: Task, list: Comment[] | undefined, box: HTMLElement, canWrite = true): void {
  const items = list ?? [];
  const form = new Form(async (f) => {
    const body = f.value('body');
    if (!body) { f.fieldError('body', 'Vui lòng nhập nội dung.'); return; }
    await post(`/tasks/${t.id}/comments`, { body });
    const res = await get<{ comments: Comment[] }>(`/tasks/${t.id}/comments`);
    renderComments(t, res.comments, box, canWrite);
    box.querySelector<HTMLElement>('.comment-list li:last-child')?.focus();
  });
  form.el.append(form.field('body', 'Ý kiến mới', textarea({ rows: 2 })).wrap, h('div', { class: 'actions' }, submit('Gửi ý kiến', '')));
  replace(box,
    items.length ? h('ol', { class: 'comment-list' }, items.map((c) => h('li', { tabindex: '-1', 'data-kind': c.kind },
      h('div', { class: 'comment-meta' }, h('strong', null, c.author_name), ' · ', lbl(ACTION_LABELS, c.kind), ' · ', dateTime(c.at)),
      h('p', { class: 'pre-line' }, c.body)))) : h('p', { class: 'muted' }, 'Chưa có trao đổi nào.'),
    canWrite ? form.el : null);
}

/** The remaining workflow actions as buttons; those that need a comment ask for it. */
function actionBar(t: Task, acts: string[], rerender: () => Promise<void>): HTMLElement | null {
  if (!acts.length) return null;
  const buttons = acts.map((a) => {
    const b = h('button', { type: 'button', class: a === 'return' ? 'danger' : 'primary', 'data-action': a }, ACTION_LABELS[a] ?? a);
    b.addEventListener('click', () => void transition(t, a, rerender));
    return b;
  });
  return h('section', { class: 'task-actions', 'aria-label': 'Thao tác' }, h('div', { class: 'actions' }, buttons));
}

async function transition(t: Task, action: string, rerender: () => Promise<void>): Promise<void> {
  const name = ACTION_LABELS[action] ?? action;
  if (!NEEDS_COMMENT.has(action)) {
    if (!await confirmDialog(name, `${name} nhiệm vụ “${t.criterion.code} ${t.criterion.title}”?`, name)) return;
    if (await attempt(() => post(`/tasks/${t.id}/transitions`, { action, version: t.version }))) { done(action); await rerender(); }
    return;
  }
  const form = new Form(async (f) => {
    const comment = f.value('comment');
    if (!comment) { f.fieldError('comment', action === 'explain' ? 'Vui lòng nhập nội dung giải trình.' : 'Vui lòng nhập ý kiến.'); return; }
    await post(`/tasks/${t.id}/transitions`, { action, comment, version: t.version });
    d.close();
    done(action);
    await rerender();
  });
  form.el.append(form.field('comment', action === 'explain' ? 'Nội dung giải trình' : 'Ý kiến (bắt buộc)', textarea({ rows: 4 }), { required: true }).wrap,
    h('div', { class: 'actions' }, submit(name, action === 'return' ? 'danger' : 'primary')));
  const d = openDialog(name, form.el);
}

/** The appraiser's desk: the unit's report and evidence beside the engine's proposal, the
 * approval (0…max, "8,5" accepted) or a request for an explanation, and values the appraiser
 * collects for a unit that did not report. */
function appraisalDesk(t: Task, acts: string[], evidenceBox: HTMLElement, rerender: () => Promise<void>): HTMLElement {
  const max = t.criterion.max_points ?? t.max_points;
  const inputs = t.criterion.inputs ?? [];
  const proposal = t.proposal?.points ?? t.report?.self_points ?? t.self_points ?? null;
  const proposalBox = h('div', { class: 'proposal', 'aria-live': 'polite' },
    h('p', null, 'Điểm theo số liệu (máy tính đề xuất): ', h('strong', { class: 'proposal-value' }, proposal === null ? '—' : `${num(proposal)} / ${num(max)}`)),
    t.proposal?.explanation ? h('p', { class: 'pre-line muted' }, t.proposal.explanation) : null);

  const approve = new Form(async (f) => {
    const raw = f.value('points');
    const p = parseDecimal(raw);
    if (p === null) { f.fieldError('points', 'Nhập số điểm, ví dụ 8,5.'); return; }
    if (p < 0 || p > max) { f.fieldError('points', `Điểm phải từ 0 đến ${num(max)}.`); return; }
    const body: Record<string, unknown> = { action: 'approve', points: p, version: t.version };
    if (f.value('comment')) body.comment = f.value('comment');
    await post(`/tasks/${t.id}/transitions`, body);
    done('approve');
    await rerender();
  }, { class: 'approve-form' });
  approve.el.append(
    approve.field('points', `Điểm phê duyệt (0 – ${num(max)})`, input('text', { inputmode: 'decimal', autocomplete: 'off',
      value: proposal === null ? '' : String(proposal).replace('.', ',') }), { required: true, hint: 'Dùng dấu phẩy cho phần thập phân, ví dụ 8,5.' }).wrap,
    approve.field('comment', 'Ý kiến thẩm định', textarea({ rows: 2 })).wrap,
    h('div', { class: 'actions' }, submit('Duyệt điểm')));

  let ask: HTMLElement | null = null;
  if (acts.includes('request_explanation')) {
    const f2 = new Form(async (f) => {
      const comment = f.value('comment');
      if (!comment) { f.fieldError('comment', 'Vui lòng nêu nội dung cần giải trình.'); return; }
      await post(`/tasks/${t.id}/transitions`, { action: 'request_explanation', comment, version: t.version });
      done('request_explanation');
      await rerender();
    }, { class: 'explain-form' });
    f2.el.append(f2.field('comment', 'Nội dung yêu cầu giải trình', textarea({ rows: 3 }), { required: true }).wrap,
      h('div', { class: 'actions' }, submit('Yêu cầu giải trình', 'danger')));
    ask = h('div', null, h('h3', null, 'Yêu cầu giải trình'), f2.el);
  }

  // Values from shared systems or other sources, each with its source.
  const notReported = ['not_started', 'draft', 'returned', 'submitted'].includes(t.state);
  const av = t.appraiser_inputs ?? {};
  const avForm = new Form(async (f) => {
    const vals: Record<string, { value: unknown; source: string }> = {};
    let bad = false;
    for (const i of inputs) {
      const r = readInput(i, f.rawValue(`inputs.${i.name}`));
      const src = f.value(`source.${i.name}`);
      if (r.error) { bad = f.fieldError(`inputs.${i.name}`, r.error, !bad) || bad; continue; }
      if (r.value === undefined) continue;
      if (!src) { bad = f.fieldError(`source.${i.name}`, 'Vui lòng ghi nguồn của số liệu.', !bad) || bad; continue; }
      vals[i.name] = { value: r.value, source: src };
    }
    if (bad) return;
    await put(`/tasks/${t.id}/appraiser-inputs`, { inputs: vals });
    flash = 'Đã lưu số liệu thu thập.';
    await rerender();
  }, { class: 'appraiser-inputs-form' });
  avForm.el.append(...inputs.flatMap((i) => [
    avForm.field(`inputs.${i.name}`, inputLabel(i), control(i, av[i.name]?.value), { hint: inputHint(i) || undefined }).wrap,
    avForm.field(`source.${i.name}`, `Nguồn: ${inputLabel(i)}`, input('text', { value: av[i.name]?.source ?? '', placeholder: 'Ví dụ: Hệ thống quản lý văn bản của tỉnh' })).wrap]),
    h('div', { class: 'actions' }, submit('Lưu số liệu thu thập', '')));
  const avSection = inputs.length ? h('details', { class: 'appraiser-values-edit', open: notReported },
    h('summary', null, 'Số liệu do cán bộ thẩm định thu thập (đơn vị không báo cáo)'),
    Object.keys(av).length ? h('ul', null, Object.entries(av).map(([k, v]) => h('li', null,
      `${inputs.find((i) => i.name === k)?.label ?? k}: ${showValue(inputs.find((i) => i.name === k), v.value)}`, h('span', { class: 'muted' }, ` (nguồn: ${v.source})`)))) : null,
    avForm.el) : null;

  return h('section', { class: 'desk', 'aria-label': 'Bàn thẩm định' },
    h('div', { class: 'desk-grid' },
      h('div', { class: 'desk-col' }, reportView(t),
        h('section', { class: 'evidence', 'aria-labelledby': 'ev-h' }, h('h2', { id: 'ev-h' }, 'Tài liệu kiểm chứng'), evidenceBox)),
      h('div', { class: 'desk-col' }, h('h2', null, 'Thẩm định'), proposalBox, approve.el, ask, avSection)));
}
