// The unit's own page in a round (docs/results-api.md "Unit page and progress report"): where it
// can still gain points, sorted by points missing, with due dates and what full points need; a
// what-if panel whose figures (points, total, rank in the level) come from the server's engine
// and are never saved; a link to the progress report.
import { ApiError, get, post } from '../api';
import { h, replace, uid } from '../dom';
import { date, num } from '../format';
import type { Ctx } from '../main';
import type * as A from '../api-types';
import { inputLabel } from '../rtypes';
import { lbl, PHASE_LABELS, stateBadge, timeBadge } from '../wf';
import { control, inputHint, readInput, showValue } from './task';

type Gain = A.UnitGain;
type WhatIf = A.UnitWhatIf;

const LEVEL_LABELS: Record<string, string> = {
  province: 'cấp tỉnh', department: 'cấp sở', district: 'cấp huyện', commune: 'cấp xã', other: 'khác',
};

export async function renderUnitPage(ctx: Ctx, round: string, unit: string): Promise<void> {
  const g = await get<A.UnitGains>(`/rounds/${round}/units/${unit}/gains`);
  const base = `/rounds/${round}/units/${unit}`;
  // the changes tried so far, per task: {input: value}
  const changes = new Map<number, Record<string, unknown>>();
  const result = h('div', { class: 'whatif-result', role: 'status', 'aria-live': 'polite' });
  const panel = h('section', { class: 'whatif', 'aria-labelledby': 'whatif-title' },
    h('h2', { id: 'whatif-title' }, 'Tính thử: nếu thay đổi số liệu'),
    h('p', { class: 'muted' }, 'Chọn “Tính thử” ở một tiêu chí, sửa số liệu và xem điểm mới, tổng điểm và thứ hạng do máy chủ tính. Không có gì được lưu.'));
  const editor = h('div', { class: 'whatif-editor' });
  const reset = h('button', { type: 'button', class: 'whatif-reset' }, 'Bỏ mọi thay đổi');
  reset.addEventListener('click', () => { changes.clear(); replace(editor); replace(result); });
  panel.append(editor, result, h('div', { class: 'actions' }, reset));

  const showResult = (w: WhatIf) => {
    const rankText = (r: number) => (r ? `${r}/${w.units_in_level}` : '—');
    replace(result,
      h('table', { class: 'whatif-tasks' },
        h('caption', null, 'Kết quả tính thử (không lưu)'),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Tiêu chí'), h('th', { scope: 'col' }, 'Điểm hiện tại'),
          h('th', { scope: 'col' }, 'Điểm mới'), h('th', { scope: 'col' }, 'Cách tính'))),
        h('tbody', null, w.tasks.map((t) => h('tr', { 'data-task-id': t.task_id },
          h('td', null, t.code), h('td', null, num(t.points_before)),
          h('td', { class: 'new-points' }, t.points === null ? t.status_label : `${num(t.points)} / ${num(t.max_points)}`),
          h('td', null, t.explanation))))),
      h('dl', { class: 'facts' },
        h('dt', null, 'Tổng điểm'), h('dd', { class: 'whatif-total' }, `${num(w.before.points)} → ${num(w.points)} / ${num(w.max_points)}`),
        h('dt', null, 'Chỉ số'), h('dd', null, `${num4(w.before.index)} → ${num4(w.index)}`),
        h('dt', null, `Thứ hạng ${lbl(LEVEL_LABELS, w.level)}`), h('dd', { class: 'whatif-rank' }, `${rankText(w.before.rank)} → ${rankText(w.rank)}`)),
      h('p', { class: 'muted whatif-saved' }, 'Chỉ là tính thử: số liệu của đơn vị không thay đổi.'));
  };

  const run = async () => {
    const body = { changes: [...changes].map(([task_id, inputs]) => ({ task_id, inputs })) };
    try {
      showResult(await post<WhatIf>(`${base}/what-if`, body));
    } catch (e) {
      replace(result, h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? e.message : String(e)));
    }
  };

  const openEditor = (c: Gain) => {
    const mine = changes.get(c.task_id) ?? {};
    const cur = { ...(c.inputs as Record<string, unknown>), ...mine };
    const fields = c.criterion_inputs.map((i) => {
      const id = uid('wi');
      const ctl = control(i, cur[i.name]);
      ctl.id = id;
      ctl.name = i.name;
      const hint = inputHint(i);
      return { i, ctl, wrap: h('div', { class: 'field' }, h('label', { for: id }, inputLabel(i)), ctl, hint ? h('small', { class: 'muted' }, hint) : null) };
    });
    const err = h('p', { class: 'error', role: 'alert' });
    const go = h('button', { type: 'button', class: 'primary whatif-run' }, 'Tính thử');
    go.addEventListener('click', () => {
      const inputs: Record<string, unknown> = {};
      for (const f of fields) {
        const r = readInput(f.i, f.ctl.value);
        if (r.error) { err.textContent = `${inputLabel(f.i)}: ${r.error}`; f.ctl.focus(); return; }
        inputs[f.i.name] = r.value === undefined ? null : r.value;
      }
      err.textContent = '';
      changes.set(c.task_id, inputs);
      void run();
    });
    replace(editor,
      h('h3', null, `${c.pillar.code}.${c.code} ${c.title}`),
      h('p', { class: 'muted' }, `Cần để đủ điểm: ${c.needs || '—'}`),
      fields.map((f) => f.wrap), err, h('div', { class: 'actions' }, go));
    fields[0]?.ctl.focus();
  };

  const rows = g.criteria.map((c) => {
    const tryIt = h('button', { type: 'button', class: 'whatif-open', 'aria-label': `Tính thử tiêu chí ${c.pillar.code}.${c.code}` }, 'Tính thử');
    tryIt.disabled = c.not_applicable || c.criterion_inputs.length === 0;
    tryIt.addEventListener('click', () => openEditor(c));
    const inputsText = c.criterion_inputs.map((i) => `${inputLabel(i)}: ${showValue(i, (c.inputs as Record<string, unknown>)[i.name])}`).join('; ');
    return h('tr', { 'data-criterion': c.criterion_key, 'data-task-id': c.task_id },
      h('td', { 'data-label': 'Tiêu chí' }, h('a', { href: `/tasks/${c.task_id}` }, `${c.pillar.code}.${c.code} ${c.title}`),
        h('div', { class: 'muted' }, inputsText)),
      h('td', { 'data-label': 'Điểm' }, `${num(c.points)} / ${num(c.max_points)}`),
      h('td', { 'data-label': 'Còn thiếu', class: 'missing' }, c.not_applicable ? 'Không áp dụng' : num(c.missing_points)),
      h('td', { 'data-label': 'Hạn' }, c.due_at ? date(dayBefore(c.due_at)) : '—', ' ', timeBadge(c.time_state),
        c.window ? h('div', { class: 'muted' }, `${lbl(PHASE_LABELS, c.window.phase)}: đến ${c.window.ends_at ? date(dayBefore(c.window.ends_at)) : '—'}`) : null),
      h('td', { 'data-label': 'Trạng thái' }, stateBadge(c.state, c.state_label)),
      h('td', { 'data-label': 'Cần để đủ điểm', class: 'needs' }, c.needs || '—'),
      h('td', { class: 'row-actions' }, tryIt));
  });

  replace(ctx.main,
    h('h1', null, 'Nơi đơn vị còn có thể tăng điểm'),
    h('p', { class: 'subtitle' }, `${g.unit_name} · ${lbl(LEVEL_LABELS, g.level)}`),
    h('dl', { class: 'facts' },
      h('dt', null, 'Điểm hiện tại'), h('dd', { class: 'unit-points' }, `${num(g.points)} / ${num(g.max_points)}`),
      h('dt', null, 'Còn có thể tăng'), h('dd', { class: 'unit-missing' }, `${num(g.missing_points)} điểm`)),
    h('p', { class: 'muted' }, 'Điểm hiện tại: điểm phê duyệt khi nhiệm vụ đã được thẩm định, còn lại là điểm tự đánh giá do hệ thống tính.'),
    h('p', null, h('a', { href: `${base}/progress`, class: 'progress-link' }, 'Báo cáo tiến độ của đơn vị →')),
    panel,
    h('div', { class: 'table-wrap' }, h('table', { class: 'cards gains' },
      h('caption', null, 'Tiêu chí theo số điểm còn thiếu (nhiều nhất trước)'),
      h('thead', null, h('tr', null, ['Tiêu chí', 'Điểm', 'Còn thiếu', 'Hạn', 'Trạng thái', 'Cần để đủ điểm', 'Thao tác'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, rows))));
}

/** An exclusive end (ISO) shown as the last day it covers. */
function dayBefore(iso: string): string {
  return new Date(new Date(iso).getTime() - 1000).toISOString();
}

/** An index with 4 decimals and a decimal comma. */
function num4(x: number): string {
  return x.toFixed(4).replace('.', ',');
}
