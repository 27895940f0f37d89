// Nhập/xuất Excel (issue 10, docs/excel.md): the unit's template of a round to download, a filled
// file uploaded for a dry run (every criterion old → new with its points, every error and
// warning with its sheet and cell), then "Xác nhận lưu" sends the same file again to save it.
// Admins choose the unit (?unit=ID) and may download every unit's templates as one zip; they
// also import many units' files at once: every file is dry-run first (the unit comes from the
// file), a per-file report is shown, then "Lưu các tệp hợp lệ" saves the valid ones, one request
// (one transaction) per file.
import { ApiError, get, postBytes } from '../api';
import { h, replace } from '../dom';
import { num } from '../format';
import type { Ctx } from '../main';
import type { Round } from '../rtypes';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Issue { sheet: string | null; cell: string | null; criterion: string | null; code: string; message: string }
interface Side { inputs: Record<string, unknown>; content: string | null; note: string | null; points: number | null }
interface Crit { task_id: number; cell: string; code: string; title: string; changed: boolean; old: Side; new: Side & { status: string | null } }
interface Report { ok: boolean; dry_run: boolean; saved: boolean; unit_code: string | null; unit_name: string | null; changed: number; errors: Issue[]; warnings: Issue[]; criteria: Crit[] }

const pts = (p: number | null) => (p === null ? '—' : num(p));

function values(s: Side): string {
  const v = Object.entries(s.inputs).map(([k, x]) => `${k}: ${typeof x === 'boolean' ? (x ? 'Có' : 'Không') : typeof x === 'number' ? num(x) : String(x)}`);
  return v.length ? v.join('; ') : '—';
}

function issues(list: Issue[], cls: string, title: string): HTMLElement | null {
  if (!list.length) return null;
  return h('div', { class: cls, role: cls === 'form-alert' ? 'alert' : 'status' },
    h('p', null, h('strong', null, `${title} (${list.length})`)),
    h('ul', { class: 'excel-issues' }, list.map((e) => h('li', { 'data-code': e.code, 'data-cell': e.cell ?? '' }, e.message))));
}

function reportView(rep: Report): HTMLElement {
  const changed = rep.criteria.filter((c) => c.changed);
  const cols = ['Mã', 'Tiêu chí', 'Ô', 'Số liệu cũ → mới', 'Điểm cũ → mới'];
  return h('div', { class: 'excel-report' },
    issues(rep.errors, 'form-alert', 'Lỗi — tệp bị từ chối, chưa lưu gì'),
    issues(rep.warnings, 'notice', 'Cảnh báo'),
    h('p', { class: 'muted', role: 'status', id: 'excel-summary' },
      rep.saved ? `Đã lưu ${rep.changed} tiêu chí thay đổi và chuẩn hoá dữ liệu.`
        : `${rep.changed} tiêu chí thay đổi${rep.dry_run ? ' (chạy thử, chưa lưu)' : ''}.`),
    changed.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'cards excel-diff' },
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, changed.map((c) => h('tr', { 'data-task-id': c.task_id },
        h('td', { 'data-label': cols[0] }, c.code),
        h('td', { 'data-label': cols[1] }, c.title),
        h('td', { 'data-label': cols[2] }, c.cell),
        h('td', { 'data-label': cols[3] }, `${values(c.old)} → ${values(c.new)}`),
        h('td', { 'data-label': cols[4], class: 'num' }, `${pts(c.old.points)} → ${pts(c.new.points)}`)))))) : null);
}

interface Batch { file: File; rep: Report | null; failure: string | null; tr: HTMLElement }

function batchRow(b: Batch): void {
  const cols = ['Tệp', 'Đơn vị', 'Kết quả', 'Thay đổi', 'Lỗi'];
  const rep = b.rep;
  const status = b.failure ? 'failed' : !rep ? 'pending' : rep.saved ? 'saved' : rep.ok ? 'ok' : 'refused';
  const label = { failed: 'Không gửi được', pending: 'Đang kiểm tra…', saved: 'Đã lưu', ok: 'Hợp lệ (chưa lưu)', refused: 'Bị từ chối' }[status];
  const errs = b.failure ? [b.failure] : rep ? rep.errors.map((e) => e.message) : [];
  const tr = h('tr', { 'data-file': b.file.name, 'data-status': status },
    h('td', { 'data-label': cols[0] }, b.file.name),
    h('td', { 'data-label': cols[1] }, rep?.unit_code ? `${rep.unit_code} — ${rep.unit_name ?? ''}` : '—'),
    h('td', { 'data-label': cols[2], class: `excel-status-${status}` }, label),
    h('td', { 'data-label': cols[3], class: 'num' }, rep ? num(rep.changed) : '—'),
    h('td', { 'data-label': cols[4] }, errs.length ? h('ul', { class: 'excel-issues' }, errs.map((m) => h('li', null, m))) : '—'));
  b.tr.replaceWith(tr);
  b.tr = tr;
}

async function batchSend(roundId: number, b: Batch, dry: boolean): Promise<void> {
  try {
    b.rep = await postBytes<Report>(`/rounds/${roundId}/import${dry ? '?dry_run=1' : ''}`, b.file, XLSX);
    b.failure = null;
  } catch (err) {
    b.failure = err instanceof ApiError ? err.message : 'Không gửi được tệp.';
  }
  batchRow(b);
}

// Admins: many files of the round's units at once.
function batchSection(roundId: number): HTMLElement {
  const files = h('input', { type: 'file', id: 'excel-files', multiple: true, accept: `.xlsx,${XLSX}` }) as HTMLInputElement;
  const check = h('button', { type: 'button', class: 'primary', id: 'excel-batch-check' }, 'Kiểm tra các tệp (chạy thử)');
  const save = h('button', { type: 'button', class: 'primary', id: 'excel-batch-save', hidden: true }, 'Lưu các tệp hợp lệ') as HTMLButtonElement;
  const summary = h('p', { class: 'muted', role: 'status', id: 'excel-batch-summary' });
  const tbody = h('tbody');
  const cols = ['Tệp', 'Đơn vị', 'Kết quả', 'Thay đổi', 'Lỗi (trang, ô)'];
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'cards excel-batch' },
    h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))), tbody));
  let batch: Batch[] = [];
  const valid = () => batch.filter((b) => b.rep?.ok && !b.rep.saved && b.rep.dry_run && b.rep.changed > 0);
  const tally = (): void => {
    const n = (s: string) => batch.filter((b) => b.tr.dataset.status === s).length;
    const parts = [`${n('ok')} tệp hợp lệ`, `${n('refused') + n('failed')} tệp bị từ chối`];
    if (n('saved')) parts.unshift(`${n('saved')} tệp đã lưu`);
    summary.textContent = parts.join(', ') + '.';
    save.hidden = valid().length === 0;
  };
  check.addEventListener('click', async () => {
    const list = Array.from(files.files ?? []);
    if (!list.length) {
      summary.textContent = 'Hãy chọn các tệp Excel đã điền.';
      return;
    }
    check.disabled = true;
    save.hidden = true;
    batch = list.map((file) => ({ file, rep: null, failure: null, tr: h('tr') }));
    replace(tbody, ...batch.map((b) => b.tr));
    batch.forEach(batchRow);
    summary.textContent = 'Đang kiểm tra…';
    for (const b of batch) await batchSend(roundId, b, true);
    check.disabled = false;
    tally();
  });
  save.addEventListener('click', async () => {
    save.disabled = check.disabled = true;
    summary.textContent = 'Đang lưu…';
    for (const b of valid()) await batchSend(roundId, b, false);
    save.disabled = check.disabled = false;
    tally();
  });
  return h('section', { class: 'excel excel-batch-section' },
    h('h2', null, 'Nhập nhiều tệp của các đơn vị'),
    h('p', null, 'Chọn các tệp mẫu đã điền của các đơn vị trong đợt (đơn vị lấy từ tệp). Mỗi tệp được chạy thử trước; chỉ các tệp hợp lệ được lưu, mỗi tệp riêng một lần, tệp bị từ chối không thay đổi gì.'),
    h('div', { class: 'field' }, h('label', { for: 'excel-files' }, 'Các tệp Excel (.xlsx, mỗi tệp tối đa 4 MB)'), files),
    h('div', { class: 'actions' }, check, save),
    summary, table);
}

export async function renderExcel(ctx: Ctx, id: string): Promise<void> {
  const round = await get<Round>(`/rounds/${id}`);
  const q = new URLSearchParams(location.search);
  const unitId = ctx.isAdmin ? Number(q.get('unit') ?? 0) : ctx.me.user.unit_id;
  const base = `/api/v1/rounds/${round.id}`;
  const out = h('div', { id: 'excel-result', 'aria-live': 'polite' });
  const file = h('input', { type: 'file', id: 'excel-file', accept: `.xlsx,${XLSX}` }) as HTMLInputElement;
  const check = h('button', { type: 'button', class: 'primary', id: 'excel-check' }, 'Kiểm tra tệp (chạy thử)');
  const send = async (dry: boolean): Promise<void> => {
    const f = file.files?.[0];
    if (!f) {
      replace(out, h('p', { class: 'form-alert', role: 'alert' }, 'Hãy chọn tệp Excel đã điền.'));
      return;
    }
    replace(out, h('p', { class: 'loading', role: 'status' }, dry ? 'Đang kiểm tra…' : 'Đang lưu…'));
    try {
      const rep = await postBytes<Report>(`/rounds/${round.id}/units/${unitId}/import${dry ? '?dry_run=1' : ''}`, f, XLSX);
      const view = reportView(rep);
      if (dry && rep.ok && rep.changed > 0) {
        const ok = h('button', { type: 'button', class: 'primary', id: 'excel-confirm' }, 'Xác nhận lưu');
        ok.addEventListener('click', () => void send(false));
        view.append(h('div', { class: 'actions' }, ok));
      }
      if (rep.saved) view.append(h('p', null, h('a', { href: `/rounds/${round.id}/tasks` }, 'Về danh sách nhiệm vụ')));
      replace(out, view);
    } catch (err) {
      replace(out, h('p', { class: 'form-alert', role: 'alert' }, err instanceof ApiError ? err.message : 'Không gửi được tệp.'));
    }
  };
  check.addEventListener('click', () => void send(true));
  replace(ctx.main,
    h('p', null, h('a', { href: `/rounds/${round.id}/tasks` }, '← Nhiệm vụ')),
    h('h1', null, 'Nhập/xuất Excel'),
    h('p', { class: 'subtitle' }, round.title),
    ctx.isAdmin ? h('p', null, h('a', { href: `${base}/templates.zip`, download: '', class: 'button' }, 'Tải mẫu của mọi đơn vị (zip)')) : null,
    unitId ? h('section', { class: 'excel' },
      h('h2', null, '1. Tải mẫu'),
      h('p', null, 'Mẫu đã điền sẵn đơn vị, đợt và các tiêu chí. Chỉ nhập vào ô màu vàng; số thập phân nhập 8,5. Không sửa cấu trúc, không nhập cột «Điểm thẩm định».'),
      h('p', null, h('a', { href: `${base}/units/${unitId}/template`, download: '', class: 'button', id: 'excel-download' }, 'Tải mẫu Excel của đơn vị')),
      h('h2', null, '2. Tải lên tệp đã điền'),
      h('div', { class: 'field' }, h('label', { for: 'excel-file' }, 'Tệp Excel (.xlsx, tối đa 4 MB)'), file),
      h('div', { class: 'actions' }, check),
      out)
      : h('p', { class: 'notice' }, 'Chọn đơn vị: thêm ?unit=<mã số đơn vị> vào địa chỉ, hoặc mở từ trang đợt đánh giá.'),
    ctx.isAdmin ? batchSection(round.id) : null);
}
