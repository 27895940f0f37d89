// Nhập/xuất Excel (issue 10, docs/excel.md): the unit's template of a round to download, a filled
// file uploaded for a dry run (every criterion old → new with its points, every error and
// warning with its sheet and cell), then "Xác nhận lưu" sends the same file again to save it.
// Admins choose the unit (?unit=ID) and may download every unit's templates as one zip.
import { ApiError, get, postBytes } from '../api';
import { h, replace } from '../dom';
import { num } from '../format';
import type { Ctx } from '../main';
import type { Round } from '../rtypes';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Issue { sheet: string | null; cell: string | null; criterion: string | null; code: string; message: string }
interface Side { inputs: Record<string, unknown>; content: string | null; note: string | null; points: number | null }
interface Crit { task_id: number; cell: string; code: string; title: string; changed: boolean; old: Side; new: Side & { status: string | null } }
interface Report { ok: boolean; dry_run: boolean; saved: boolean; changed: number; errors: Issue[]; warnings: Issue[]; criteria: Crit[] }

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
      : h('p', { class: 'notice' }, 'Chọn đơn vị: thêm ?unit=<mã số đơn vị> vào địa chỉ, hoặc mở từ trang đợt đánh giá.'));
}
