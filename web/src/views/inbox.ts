// Việc cần làm (GET /inbox): what needs the caller — returned by the leader, explanation
// requested, deadlines within 7 days, reports waiting for the leader or for appraisal, phases
// starting or ending, units that have not reported. Items name a task by id: the task list of
// each round involved gives their code and title.
import { get } from '../api';
import { h, replace } from '../dom';
import { dateTime } from '../format';
import type { Ctx } from '../main';
import type { Inbox, TaskRow } from '../rtypes';
import type { Unit } from '../types';
import { INBOX_LABELS, lbl, PHASE_LABELS, stateBadge } from '../wf';

export async function renderInbox(ctx: Ctx): Promise<void> {
  const inbox = await get<Inbox>('/inbox');
  const kinds = [...new Set(inbox.items.map((i) => i.kind))];
  const counts = inbox.counts ?? Object.fromEntries(kinds.map((k) => [k, inbox.items.filter((i) => i.kind === k).length]));
  const labelOf = (k: string) => inbox.items.find((i) => i.kind === k)?.label ?? lbl(INBOX_LABELS, k);
  const rounds = [...new Set(inbox.items.filter((i) => i.task_id).map((i) => i.round_id!))].slice(0, 5);
  const tasks = new Map<number, TaskRow>();
  await Promise.all(rounds.map(async (r) => {
    try {
      for (const t of (await get<{ tasks: TaskRow[] }>(`/tasks?round_id=${r}&limit=1000`)).tasks) tasks.set(t.id, t);
    } catch { /* the item still links to its task */ }
  }));
  const units = new Map<number, string>();
  if (inbox.items.some((i) => i.unit_id && !i.task_id)) {
    try { for (const u of (await get<{ units: Unit[] }>('/units')).units) units.set(u.id, u.name); } catch { /* ids then */ }
  }
  replace(ctx.main,
    h('h1', null, 'Việc cần làm'),
    inbox.items.length ? [
      h('ul', { class: 'inbox-counts' }, Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) =>
        h('li', { 'data-kind': k }, h('strong', null, String(n)), ' ', labelOf(k)))),
      (inbox.total ?? 0) > inbox.items.length ? h('p', { class: 'muted' }, `Hiển thị ${inbox.items.length}/${inbox.total} việc.`) : null,
      kinds.map((k) => h('section', { class: 'inbox-kind', 'data-kind': k, 'aria-labelledby': `ib-${k}` },
        h('h2', { id: `ib-${k}` }, labelOf(k)),
        h('ul', { class: 'inbox-list' }, inbox.items.filter((i) => i.kind === k).map((i) => {
          const t = i.task_id ? tasks.get(i.task_id) : undefined;
          const what = i.task_id
            ? h('a', { href: `/tasks/${i.task_id}` }, t ? `${t.code ?? ''} ${t.title ?? ''}`.trim() : `Nhiệm vụ ${i.criterion_key ?? i.task_id}`)
            : h('a', { href: ctx.isAdmin ? `/rounds/${i.round_id}` : `/rounds/${i.round_id}/tasks` },
              i.phase ? `Giai đoạn “${lbl(PHASE_LABELS, i.phase)}”` : i.unit_id ? (units.get(i.unit_id) ?? `Đơn vị #${i.unit_id}`) : 'Đợt đánh giá');
          return h('li', { 'data-task-id': i.task_id ?? '' }, what,
            t && (ctx.isAdmin || ctx.me.user.role === 'appraiser') ? h('span', { class: 'muted' }, ` · ${t.unit_name ?? ''}`) : null,
            t ? [' ', stateBadge(t.state, t.state_label)] : null,
            i.due ? h('span', { class: 'muted' }, ` · ${i.phase ? 'lúc' : 'hạn'} ${dateTime(i.due)}`) : null);
        })))),
    ] : h('p', { class: 'empty-state' }, 'Không có việc nào cần làm. Nhiệm vụ bị trả lại, sắp đến hạn hoặc đang chờ bạn sẽ hiện ở đây; toàn bộ nhiệm vụ có trong ',
      h('a', { href: '/rounds' }, 'Đợt đánh giá'), '.'));
}
