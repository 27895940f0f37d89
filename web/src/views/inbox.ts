// Việc cần làm (GET /inbox): what needs the caller — returned by the leader, explanation
// requested, deadlines within 7 days, reports waiting for the leader or for appraisal.
import { get } from '../api';
import { h, replace } from '../dom';
import type { Ctx } from '../main';
import type { Inbox } from '../rtypes';
import { INBOX_LABELS, lbl, stateBadge } from '../wf';
import { dueText } from './tasks';

export async function renderInbox(ctx: Ctx): Promise<void> {
  const inbox = await get<Inbox>('/inbox');
  const kinds = [...new Set(inbox.items.map((i) => i.kind))];
  const counts = inbox.counts ?? Object.fromEntries(kinds.map((k) => [k, inbox.items.filter((i) => i.kind === k).length]));
  replace(ctx.main,
    h('h1', null, 'Việc cần làm'),
    inbox.items.length ? [
      h('ul', { class: 'inbox-counts' }, Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) =>
        h('li', { 'data-kind': k }, h('strong', null, String(n)), ' ', lbl(INBOX_LABELS, k)))),
      kinds.map((k) => h('section', { class: 'inbox-kind', 'data-kind': k, 'aria-labelledby': `ib-${k}` },
        h('h2', { id: `ib-${k}` }, lbl(INBOX_LABELS, k)),
        h('ul', { class: 'inbox-list' }, inbox.items.filter((i) => i.kind === k).map((i) => h('li', { 'data-task-id': i.task_id ?? '' },
          i.task_id ? h('a', { href: `/tasks/${i.task_id}` }, `${i.code ?? ''} ${i.title ?? ''}`.trim() || `Nhiệm vụ #${i.task_id}`)
            : i.round_id ? h('a', { href: `/rounds/${i.round_id}/tasks` }, i.title ?? 'Đợt đánh giá') : (i.title ?? ''),
          i.unit_name ? h('span', { class: 'muted' }, ` · ${i.unit_name}`) : null,
          i.state ? [' ', stateBadge(i.state)] : null,
          i.due || i.due_at ? h('span', { class: 'muted' }, ` · hạn ${dueText(i, new Date().getFullYear())}`) : null,
          i.comment ? h('p', { class: 'pre-line muted' }, i.comment) : null))))),
    ] : h('p', null, 'Không có việc nào cần làm.'));
}

/** The total for the navigation ("Việc cần làm (3)"); 0 when the inbox cannot be read. */
export async function inboxCount(): Promise<number> {
  try {
    const inbox = await get<Inbox>('/inbox');
    return inbox.total ?? inbox.items.length;
  } catch {
    return 0;
  }
}
