// The unit's whole report for the leader (seed 004): every task with its points, inputs and
// evidence; "Gửi thẩm định" sends it all, "Trả lại" returns it with a comment staff see on each task.
import { get, post } from '../api';
import { h, replace } from '../dom';
import { attempt, confirmDialog, openDialog } from '../dialog';
import { dateTime, num } from '../format';
import { Form, submit, textarea } from '../forms';
import type { Ctx } from '../main';
import type { Task, TaskRow } from '../rtypes';
import { countsView, countTasks, fileSize, lbl, PHASE_LABELS, stateBadge } from '../wf';
import { loadRound } from './tasks';
import { showValue } from './task';
import { sigBadge } from '../sigview';

/** Up to `n` requests at a time. */
async function pool<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i]); }
  }));
  return out;
}

export async function renderReport(ctx: Ctx, id: string): Promise<void> {
  const round = await loadRound(id);
  const unitId = ctx.me.user.unit_id;
  const rows = (await get<{ tasks: TaskRow[] }>(`/tasks?round_id=${round.id}&unit_id=${unitId}&limit=500`)).tasks;
  const reported = rows.filter((t) => t.state !== 'not_started');
  const details = await pool(reported, 4, (t) => get<Task>(`/tasks/${t.id}`).catch(() => null));
  const byId = new Map(details.filter((d): d is Task => !!d).map((d) => [d.id, d]));
  const waiting = rows.filter((t) => t.state === 'submitted').length;
  const windowOpen = round.current_phase === 'trial' || round.current_phase === 'self_assessment';
  const total = (k: 'self_points' | 'approved_points') => rows.reduce((s, t) => s + Math.round(Number(t[k] ?? 0) * 100), 0) / 100;
  const max = rows.reduce((s, t) => s + Math.round(Number(t.max_points) * 100), 0) / 100;

  const isLeader = ctx.me.user.role === 'leader';
  const send = h('button', { type: 'button', class: 'primary' }, 'Gửi thẩm định');
  const ret = h('button', { type: 'button', class: 'danger' }, 'Trả lại');
  send.disabled = ret.disabled = !waiting;
  send.addEventListener('click', async () => {
    if (!await confirmDialog('Gửi thẩm định', `Gửi ${waiting} nhiệm vụ đang chờ duyệt đến cán bộ thẩm định?`, 'Gửi thẩm định')) return;
    if (await attempt(() => post(`/rounds/${round.id}/units/${unitId}/transitions`, { action: 'send' }))) await renderReport(ctx, id);
  });
  ret.addEventListener('click', () => {
    const form = new Form(async (f) => {
      const comment = f.value('comment');
      if (!comment) { f.fieldError('comment', 'Vui lòng nhập ý kiến trả lại.'); return; }
      await post(`/rounds/${round.id}/units/${unitId}/transitions`, { action: 'return', comment });
      d.close();
      await renderReport(ctx, id);
    });
    form.el.append(form.field('comment', 'Ý kiến trả lại (cán bộ nhập liệu thấy trên từng nhiệm vụ)', textarea({ rows: 4 }), { required: true }).wrap,
      h('div', { class: 'actions' }, submit('Trả lại', 'danger')));
    const d = openDialog('Trả lại báo cáo', form.el);
  });

  replace(ctx.main,
    h('p', null, h('a', { href: `/rounds/${round.id}/tasks` }, '← Danh sách nhiệm vụ'), ' · ',
      h('a', { href: `/rounds/${round.id}/units/${unitId}` }, 'Nơi đơn vị còn có thể tăng điểm'), ' · ',
      h('a', { href: `/rounds/${round.id}/units/${unitId}/progress` }, 'Báo cáo tiến độ')),
    h('h1', null, 'Báo cáo của đơn vị'),
    h('p', { class: 'subtitle' }, `${round.title} · ${ctx.me.unit?.name ?? ''} · Giai đoạn: ${round.current_phase ? lbl(PHASE_LABELS, round.current_phase) : 'ngoài các giai đoạn'}`),
    countsView(countTasks(rows, windowOpen)),
    h('dl', { class: 'facts' },
      h('dt', null, 'Tổng điểm tự đánh giá'), h('dd', { class: 'total-self' }, `${num(total('self_points'))} / ${num(max)}`),
      h('dt', null, 'Tổng điểm phê duyệt'), h('dd', { class: 'total-approved' }, `${num(total('approved_points'))} / ${num(max)}`),
      h('dt', null, 'Chờ lãnh đạo duyệt'), h('dd', { class: 'waiting' }, `${waiting} nhiệm vụ`)),
    isLeader ? h('div', { class: 'actions report-actions' }, send, ret) : null,
    h('ol', { class: 'report-list' }, rows.map((r) => {
      const t = byId.get(r.id);
      const ev = t?.evidence ?? []; // the current files
      return h('li', { class: 'report-item', 'data-task-id': r.id, 'data-state': r.state },
        h('div', { class: 'report-head' },
          h('a', { href: `/tasks/${r.id}` }, `${r.code ?? ''} ${r.title ?? r.criterion_key}`),
          stateBadge(r.state, r.state_label),
          h('span', { class: 'points' }, `Tự đánh giá ${num(r.self_points)} · Phê duyệt ${num(r.approved_points)} / ${num(r.max_points)}`)),
        t ? h('div', { class: 'report-body' },
          (t.criterion.inputs ?? []).length ? h('ul', { class: 'plain' }, (t.criterion.inputs ?? []).map((i) =>
            h('li', null, `${i.label}: `, h('strong', null, showValue(i, t.report?.inputs?.[i.name]))))) : null,
          t.report?.content ? h('p', { class: 'pre-line' }, h('strong', null, 'Nội dung: '), t.report.content) : null,
          t.report?.note ? h('p', { class: 'pre-line' }, h('strong', null, 'Ghi chú: '), t.report.note) : null,
          t.report?.self_explanation ? h('p', { class: 'pre-line muted' }, t.report.self_explanation) : null,
          ev.length ? h('ul', { class: 'evidence-list' }, ev.map((e) => h('li', null,
            h('a', { href: `/api/v1/evidence/${e.id}/download`, download: e.file_name }, e.file_name),
            h('span', { class: 'muted' }, ` ${fileSize(e.size)}${e.uploaded_at ? ` · ${dateTime(e.uploaded_at)}` : ''}`),
            sigBadge(e.signature_verdict, e.signer)))) // part: pdfsig
            : h('p', { class: 'muted' }, 'Chưa có tệp kiểm chứng.')) : null);
    })));
}
