// Rounds and tasks in Vietnamese: phase, state, time-state and action labels (docs/rounds-api.md),
// the Đạt / Chưa đạt / Không đạt counts with their legend, and the inputs users type
// (decimal comma "8,5", dates dd/mm/yyyy).
import { h } from './dom';
import type { Counts, Phase, TaskRow } from './rtypes';

export const PHASES: Phase[] = ['trial', 'self_assessment', 'appraisal1', 'explanation', 'appraisal2', 'finalised'];

export const PHASE_LABELS: Record<string, string> = {
  trial: 'Thử nghiệm',
  self_assessment: 'Tự đánh giá chính thức (cập nhật số liệu)',
  appraisal1: 'Thẩm định lần 1',
  explanation: 'Giải trình, bổ sung',
  appraisal2: 'Thẩm định lần 2',
  finalised: 'Hoàn thành (kết quả cuối cùng)',
};

export const STATE_LABELS: Record<string, string> = {
  not_started: 'Chưa thực hiện',
  draft: 'Đang thực hiện (đã lưu)',
  submitted: 'Chờ lãnh đạo duyệt',
  returned: 'Lãnh đạo trả lại',
  in_appraisal: 'Chờ thẩm định',
  explanation_requested: 'Yêu cầu giải trình',
  explained: 'Đã giải trình',
  approved: 'Đã thẩm định',
};

export const TIME_LABELS: Record<string, string> = {
  on_time: 'Còn hạn',
  due_soon: 'Sắp đến hạn',
  overdue: 'Quá hạn',
  done: 'Đã gửi',
};

export const ACTION_LABELS: Record<string, string> = {
  save: 'Lưu nháp',
  submit: 'Trình lãnh đạo',
  return: 'Trả lại',
  send: 'Gửi thẩm định',
  approve: 'Duyệt điểm',
  request_explanation: 'Yêu cầu giải trình',
  explain: 'Gửi giải trình',
  reopen: 'Mở lại thẩm định',
  comment: 'Ý kiến',
};

export const INBOX_LABELS: Record<string, string> = {
  task_returned: 'Lãnh đạo trả lại',
  explanation_requested: 'Yêu cầu giải trình',
  due_soon: 'Sắp đến hạn (chưa trình)',
  awaiting_leader: 'Chờ lãnh đạo duyệt',
  awaiting_appraisal: 'Chờ thẩm định',
  phase_starts: 'Sắp bắt đầu giai đoạn',
  phase_ends: 'Sắp kết thúc giai đoạn',
  unit_not_reported: 'Đơn vị chưa báo cáo',
};

export const lbl = (map: Record<string, string>, key: string | null | undefined): string =>
  key ? map[key] ?? key : '—';

export function stateBadge(state: string, text?: string): HTMLElement {
  return h('span', { class: `badge st-${state}`, 'data-state': state }, text || lbl(STATE_LABELS, state));
}

export function timeBadge(t: string | undefined): HTMLElement | string {
  return t ? h('span', { class: `badge tm-${t}`, 'data-time': t }, lbl(TIME_LABELS, t)) : '—';
}

const REPORTED = new Set(['submitted', 'in_appraisal', 'explanation_requested', 'explained', 'draft']);

/** The dashboard's counts (docs/rounds-api.md): returned counts as not reported once the
 * self-assessment window is closed. */
export function countTasks(tasks: TaskRow[], windowOpen: boolean): Counts {
  const c: Counts = { dat: 0, chua_dat: 0, khong_dat: 0 };
  for (const t of tasks) {
    if (t.state === 'approved') {
      const p = Number(t.approved_points ?? 0);
      if (p <= 0) c.khong_dat++;
      else if (p >= Number(t.max_points)) c.dat++;
      else c.chua_dat++;
    } else if (REPORTED.has(t.state) || (t.state === 'returned' && windowOpen)) c.chua_dat++;
    else c.khong_dat++;
  }
  return c;
}

/** Counts with the legend, as everywhere counts appear. */
export function countsView(c: Counts): HTMLElement {
  return h('div', { class: 'counts' },
    h('ul', { class: 'count-list', 'aria-label': 'Số nhiệm vụ theo kết quả' },
      h('li', { class: 'c-dat', 'data-count': 'dat' }, h('strong', null, String(c.dat)), ' Đạt'),
      h('li', { class: 'c-chua', 'data-count': 'chua_dat' }, h('strong', null, String(c.chua_dat)), ' Chưa đạt'),
      h('li', { class: 'c-khong', 'data-count': 'khong_dat' }, h('strong', null, String(c.khong_dat)), ' Không đạt')),
    legend());
}

export function legend(): HTMLElement {
  return h('details', { class: 'legend' }, h('summary', null, 'Chú giải'),
    h('dl', null,
      h('dt', null, 'Đạt'), h('dd', null, 'đã thẩm định, đạt điểm tối đa.'),
      h('dt', null, 'Chưa đạt'), h('dd', null, 'đã báo cáo hoặc đang thẩm định, hoặc đã thẩm định nhưng chỉ đạt một phần điểm.'),
      h('dt', null, 'Không đạt'), h('dd', null, 'chưa báo cáo, hoặc đã thẩm định được 0 điểm.')));
}

/** "8,5" or "8.5" → 8.5; at most two decimals; null when it is not a number. */
export function parseDecimal(s: string): number | null {
  const t = s.trim().replace(/\s/g, '');
  if (!/^-?\d+([.,]\d{1,2})?$/.test(t)) return null;
  return Number(t.replace(',', '.'));
}

/** "05/03/2025" → "2025-03-05"; null when not a real date. */
export function parseDmy(s: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "2025-03-05" → "05/03/2025". */
export function isoToDmy(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/** Today in Asia/Ho_Chi_Minh, plus `days`, as yyyy-mm-dd. */
export function localDay(days = 0): string {
  const d = new Date(Date.now() + 7 * 3600e3 + days * 86400e3);
  return d.toISOString().slice(0, 10);
}

export function fileSize(n: number | undefined): string {
  if (n === undefined || n === null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1).replace('.', ',')} KB`;
  return `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}
