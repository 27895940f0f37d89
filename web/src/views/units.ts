// Đơn vị (admin): the unit tree with kind labels, retired units marked; add, edit, retire.
import { get, patch, post } from '../api';
import { h, replace } from '../dom';
import { openDialog } from '../dialog';
import { date, KIND_LABELS } from '../format';
import { Form, input, select, submit, textarea } from '../forms';
import type { Ctx } from '../main';
import type { Unit, UnitInfo } from '../types';

const KIND_ORDER = ['province', 'department', 'other', 'district', 'commune'];

export const INFO_FIELDS: [string, string, 'text' | 'url' | 'count'][] = [
  ['address', 'Địa chỉ liên hệ chính thức', 'text'],
  ['website', 'Cổng/Trang thông tin điện tử', 'url'],
  ['subunits_count', 'Số đơn vị trực thuộc', 'count'],
  ['civil_servants_count', 'Số cán bộ, công chức', 'count'],
  ['public_employees_count', 'Số viên chức', 'count'],
  ['servers_count', 'Số máy chủ', 'count'],
  ['workstations_count', 'Số máy trạm', 'count'],
  ['information_systems_count', 'Số hệ thống thông tin', 'count'],
  ['admin_procedures_count', 'Số thủ tục hành chính', 'count'],
];

export async function loadUnits(includeRetired: boolean): Promise<Unit[]> {
  const res = await get<{ units: Unit[] }>('/units' + (includeRetired ? '?include_retired=1' : ''));
  return res.units;
}

function sortUnits(a: Unit, b: Unit): number {
  const k = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  return k || a.name.localeCompare(b.name, 'vi');
}

/** Units in tree order (parents before children) with their depth. */
export function treeOrder(units: Unit[]): { unit: Unit; depth: number }[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<number | null, Unit[]>();
  for (const u of units) {
    const p = u.parent_id !== null && ids.has(u.parent_id) ? u.parent_id : null;
    if (!children.has(p)) children.set(p, []);
    children.get(p)!.push(u);
  }
  const out: { unit: Unit; depth: number }[] = [];
  const walk = (p: number | null, depth: number) => {
    for (const u of (children.get(p) ?? []).sort(sortUnits)) {
      out.push({ unit: u, depth });
      if (depth < 16) walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Options for a unit <select>, indented by depth with a text prefix (no markup). */
export function unitOptions(units: Unit[], empty: string | null): [string, string][] {
  const opts: [string, string][] = empty !== null ? [['', empty]] : [];
  for (const { unit, depth } of treeOrder(units)) {
    opts.push([String(unit.id), `${'— '.repeat(depth)}${unit.name}${unit.retired_at ? ' (ngừng hoạt động)' : ''}`]);
  }
  return opts;
}

export async function renderUnits(ctx: Ctx): Promise<void> {
  const units = await loadUnits(true);
  const addBtn = h('button', { type: 'button', class: 'primary' }, 'Thêm đơn vị');
  addBtn.addEventListener('click', () => unitDialog(ctx, units, null));
  const active = units.filter((u) => !u.retired_at).length;

  const children = new Map<number | null, Unit[]>();
  const ids = new Set(units.map((u) => u.id));
  for (const u of units) {
    const p = u.parent_id !== null && ids.has(u.parent_id) ? u.parent_id : null;
    if (!children.has(p)) children.set(p, []);
    children.get(p)!.push(u);
  }
  const list = (p: number | null, depth: number): HTMLUListElement | null => {
    const kids = (children.get(p) ?? []).sort(sortUnits);
    if (!kids.length || depth > 16) return null;
    return h('ul', { class: depth ? 'tree' : 'tree root' }, kids.map((u) => {
      const edit = h('button', { type: 'button', class: 'small', 'aria-label': `Sửa ${u.name}` }, 'Sửa');
      edit.addEventListener('click', () => unitDialog(ctx, units, u));
      let retire: HTMLButtonElement | null = null;
      if (!u.retired_at) {
        retire = h('button', { type: 'button', class: 'small danger', 'aria-label': `Ngừng hoạt động ${u.name}` }, 'Ngừng hoạt động');
        retire.addEventListener('click', () => retireDialog(ctx, u));
      }
      return h('li', { class: u.retired_at ? 'retired' : null, 'data-unit-code': u.code },
        h('div', { class: 'unit-row' },
          h('div', { class: 'unit-main' },
            h('span', { class: 'unit-title' }, u.name),
            h('span', { class: `badge kind-${u.kind}` }, KIND_LABELS[u.kind] ?? u.kind),
            u.retired_at ? h('span', { class: 'badge retired-badge' }, `Ngừng hoạt động từ ${date(u.retired_at)}`) : null,
            h('span', { class: 'unit-code' }, `Mã: ${u.code}${u.official_code ? ` · Mã định danh: ${u.official_code}` : ''}`)),
          h('div', { class: 'row-actions' }, edit, retire)),
        list(u.id, depth + 1));
    }));
  };

  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', null, 'Đơn vị'), addBtn),
    h('p', { class: 'muted' }, `${active} đơn vị đang hoạt động, ${units.length - active} đã ngừng hoạt động.`),
    list(null, 0) ?? h('p', null, 'Chưa có đơn vị nào.'));
}

function unitDialog(ctx: Ctx, units: Unit[], unit: Unit | null): void {
  const info: UnitInfo = unit?.info ?? {};
  const parents = units.filter((u) => !u.retired_at && u.id !== unit?.id);
  const form = new Form(async (f) => {
    const body: Record<string, unknown> = {
      code: f.value('code'),
      name: f.value('name'),
      kind: f.value('kind'),
    };
    let bad = false;
    if (!body.code) bad = f.fieldError('code', 'Vui lòng nhập mã đơn vị.') || bad;
    if (!body.name) bad = f.fieldError('name', 'Vui lòng nhập tên đơn vị.', !bad) || bad;
    const parent = f.value('parent_id');
    body.parent_id = parent ? Number(parent) : null;
    body.official_code = f.value('official_code') || null;
    const newInfo: Record<string, string | number> = {};
    for (const [key, , type] of INFO_FIELDS) {
      const v = f.value('info.' + key);
      if (!v) continue;
      if (type === 'count') {
        if (!/^\d+$/.test(v)) { bad = f.fieldError('info.' + key, 'Phải là số nguyên không âm.', !bad) || bad; continue; }
        newInfo[key] = Number(v);
      } else newInfo[key] = v;
    }
    body.info = newInfo;
    if (bad) return;
    if (unit) {
      // PATCH takes a partial UnitInput: send what changed. `info` is merged by the server, so
      // a field the user emptied is sent as null (cleared), not left out (kept).
      const changed: Record<string, unknown> = {};
      const old: Record<string, unknown> = { code: unit.code, name: unit.name, kind: unit.kind,
        parent_id: unit.parent_id, official_code: unit.official_code || null };
      for (const k of Object.keys(old)) {
        if (JSON.stringify(body[k]) !== JSON.stringify(old[k])) changed[k] = body[k];
      }
      const infoPatch: Record<string, string | number | null> = {};
      for (const [key] of INFO_FIELDS) {
        const was = info[key] ?? null;
        const now = newInfo[key] ?? null;
        if (now !== was && !(now === null && was === '')) infoPatch[key] = now;
      }
      if (Object.keys(infoPatch).length) changed.info = infoPatch;
      if (Object.keys(changed).length) await patch(`/units/${unit.id}`, changed);
    } else {
      if (body.official_code === null) delete body.official_code;
      if (body.parent_id === null) delete body.parent_id;
      await post('/units', body);
    }
    // Re-render under the dialog, then close it: focus goes back to the new page's button.
    try { await renderUnits(ctx); } finally { d.close(); }
  }, { class: 'grid-form' });
  form.el.append(
    form.field('code', 'Mã đơn vị', input('text', { value: unit?.code ?? '', maxlength: 32, autocomplete: 'off', spellcheck: 'false' }),
      { required: true, hint: 'Chữ, số, dấu chấm, gạch ngang, gạch dưới; tối đa 32 ký tự.' }).wrap,
    form.field('name', 'Tên đơn vị', input('text', { value: unit?.name ?? '', maxlength: 200 }), { required: true }).wrap,
    form.field('kind', 'Loại', select(Object.entries(KIND_LABELS), unit?.kind ?? 'department'), { required: true }).wrap,
    form.field('parent_id', 'Đơn vị cấp trên', select(unitOptions(parents, '— Không có —'), unit ? (unit.parent_id ? String(unit.parent_id) : '') : defaultParent(parents))).wrap,
    form.field('official_code', 'Mã định danh chính thức', input('text', { value: unit?.official_code ?? '' }),
      { hint: 'Mã hành chính chính thức, nếu có.' }).wrap,
    h('fieldset', null, h('legend', null, 'Thông tin chung'),
      INFO_FIELDS.map(([key, text, type]) => form.field('info.' + key, text,
        type === 'count'
          ? input('text', { inputmode: 'numeric', pattern: '[0-9]*', value: info[key] ?? '' })
          : input(type === 'url' ? 'url' : 'text', { value: info[key] ?? '' })).wrap)),
    h('div', { class: 'actions' }, submit(unit ? 'Lưu thay đổi' : 'Thêm đơn vị')),
  );
  const d = openDialog(unit ? `Sửa đơn vị: ${unit.name}` : 'Thêm đơn vị', form.el);
}

/** A new unit goes under the province by default (a department is not a second root). */
function defaultParent(parents: Unit[]): string {
  const roots = parents.filter((u) => u.parent_id === null && u.kind === 'province');
  return roots.length === 1 ? String(roots[0].id) : '';
}

function retireDialog(ctx: Ctx, unit: Unit): void {
  const form = new Form(async (f) => {
    const reason = f.value('reason');
    if (!reason) { f.fieldError('reason', 'Vui lòng nhập lý do.'); return; }
    await post(`/units/${unit.id}/retire`, { reason });
    try { await renderUnits(ctx); } finally { d.close(); }
  });
  form.el.append(
    h('p', null, 'Đơn vị ', h('strong', null, unit.name),
      ' sẽ được đánh dấu ngừng hoạt động (ví dụ: giải thể, sáp nhập). Dữ liệu lịch sử vẫn được giữ nguyên.'),
    form.field('reason', 'Lý do', textarea(), { required: true }).wrap,
    h('div', { class: 'actions' }, submit('Ngừng hoạt động', 'danger')),
  );
  const d = openDialog('Ngừng hoạt động đơn vị', form.el);
}
