// One round for the admin: phases (edit dates), counts per unit with the legend, appraiser
// assignments, province-level task assignments, readings of ambiguous criteria, values from
// another index (CCHC), accounts in bulk, clearing trial data, finalising.
import { ApiError, del, get, patch, post, postForFile, put } from '../api';
import { h, replace, type Child } from '../dom';
import { attempt, confirmDialog } from '../dialog';
import { date, label, LEVEL_LABELS, num } from '../format';
import { Form, input, select, submit } from '../forms';
import type { Ctx } from '../main';
import { inputLabel, type Assignment, type ExternalCriterion, type ExternalRow, type ReadingRow, type Round, type SummaryUnit, type TaskRow } from '../rtypes';
import type { Framework, Unit, User } from '../types';
import { countsView, lbl, PHASE_LABELS, PHASES } from '../wf';
import { phaseFields, readPhases, roundStatus } from './rounds';
import { control, inputHint, readInput, valuesText } from './task';

interface Env { ctx: Ctx; round: Round; units: Unit[]; fws: Map<string, Framework>; rerender: () => Promise<void> }

/** A section that loads on its own: a missing or failing part does not take the page down. */
function section(id: string, title: string, fill: (box: HTMLElement) => Promise<void>): HTMLElement {
  const box = h('div', { class: 'section-body' }, h('p', { class: 'loading' }, 'Đang tải…'));
  void fill(box).catch((err) => replace(box, h('p', { class: 'form-alert', role: 'alert' },
    err instanceof ApiError ? err.message : 'Không tải được phần này.')));
  return h('section', { class: 'round-section', id, 'aria-labelledby': id + '-h' }, h('h2', { id: id + '-h' }, title), box);
}

export async function renderRound(ctx: Ctx, id: string): Promise<void> {
  const round = await get<Round>(`/rounds/${id}`);
  const units = (await get<{ units: Unit[] }>('/units?include_retired=1')).units;
  const fws = new Map<string, Framework>();
  await Promise.all((round.frameworks ?? []).map(async (f) => {
    try { fws.set(f.level, await get<Framework>(`/frameworks/${encodeURIComponent(f.framework_id)}?version=${f.version}`)); } catch { /* names fall back to keys */ }
  }));
  const env: Env = { ctx, round, units, fws, rerender: () => renderRound(ctx, id) };
  const open = round.status !== 'finalised';
  replace(ctx.main,
    h('p', null, h('a', { href: '/rounds' }, '← Danh sách đợt đánh giá')),
    h('h1', null, round.title),
    h('dl', { class: 'facts round-facts' },
      h('dt', null, 'Năm'), h('dd', null, String(round.year)),
      h('dt', null, 'Trạng thái'), h('dd', { class: 'round-status' }, roundStatus(round)),
      h('dt', null, 'Giai đoạn hiện tại'), h('dd', { class: 'current-phase' }, round.current_phase ? lbl(PHASE_LABELS, round.current_phase) : 'Ngoài các giai đoạn'),
      h('dt', null, 'Bộ chỉ số'), h('dd', null, h('ul', { class: 'plain' }, (round.frameworks ?? []).map((f) =>
        h('li', null, `${label(LEVEL_LABELS, f.level)}: ${fws.get(f.level)?.title ?? f.title ?? f.framework_id} (${f.framework_id}, phiên bản ${f.version})`)))),
      h('dt', null, 'Số đơn vị'), h('dd', { class: 'count-units' }, num(round.counts?.units)),
      h('dt', null, 'Số nhiệm vụ'), h('dd', { class: 'count-tasks' }, num(round.counts?.tasks))),
    h('p', null, h('a', { href: `/rounds/${round.id}/tasks`, class: 'button' }, 'Danh sách nhiệm vụ'), ' ',
      h('a', { href: `/rounds/${round.id}/dashboard`, class: 'button' }, 'Báo cáo chỉ số DTI')),
    phasesSection(env),
    section('summary', 'Kết quả theo đơn vị', (b) => summary(env, b)),
    open ? section('appraisers', 'Phân công thẩm định', (b) => appraisers(env, b)) : null,
    open && fws.has('province') ? section('assignments', 'Giao nhiệm vụ cấp tỉnh', (b) => assignments(env, b)) : null,
    section('readings', 'Cách hiểu tiêu chí chưa rõ', (b) => readings(env, b)),
    section('external', 'Kết quả lấy từ chỉ số khác (CCHC)', (b) => external(env, b)),
    open ? section('accounts', 'Tạo tài khoản hàng loạt', (b) => accounts(env, b)) : null,
    open ? section('trial', 'Dữ liệu thử nghiệm', (b) => trial(env, b)) : null,
    open ? finaliseSection(env) : null,
    // part: pub — publication of the finalised round (views/publish.ts)
    open ? null : section('publish', 'Công bố kết quả', async (b) => (await import('./publish')).publishSection(round.id, b)));
}

function phasesSection(env: Env): HTMLElement {
  const { round } = env;
  const byPhase = new Map((round.phases ?? []).map((p) => [p.phase, p]));
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'phases-table' },
    h('thead', null, h('tr', null, ['Giai đoạn', 'Từ ngày', 'Đến hết ngày'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, PHASES.map((p) => {
      const w = byPhase.get(p);
      return h('tr', { 'data-phase': p, class: round.current_phase === p ? 'current' : null },
        h('th', { scope: 'row' }, PHASE_LABELS[p], round.current_phase === p ? h('span', { class: 'badge now' }, 'Đang diễn ra') : null),
        h('td', null, w ? date(w.starts) : '—'), h('td', null, w ? date(w.ends) : '—'));
    }))));
  if (round.status === 'finalised') return h('section', { class: 'round-section', id: 'phases' }, h('h2', null, 'Các giai đoạn'), table);
  const form = new Form(async (f) => {
    const phases = readPhases(f);
    if (!phases) return;
    await patch(`/rounds/${round.id}`, { phases });
    await env.rerender();
  });
  form.el.append(phaseFields(form, PHASES.map((p) => [byPhase.get(p)?.starts ?? '', byPhase.get(p)?.ends ?? ''])),
    h('div', { class: 'actions' }, submit('Lưu các giai đoạn')));
  return h('section', { class: 'round-section', id: 'phases', 'aria-labelledby': 'phases-h' }, h('h2', { id: 'phases-h' }, 'Các giai đoạn'), table,
    h('details', { class: 'edit-phases' }, h('summary', null, 'Sửa ngày các giai đoạn'), form.el));
}

async function summary(env: Env, box: HTMLElement): Promise<void> {
  const res = await get<{ units: SummaryUnit[] }>(`/rounds/${env.round.id}/summary`);
  const total = res.units.reduce((c, u) => ({ dat: c.dat + u.counts.dat, chua_dat: c.chua_dat + u.counts.chua_dat, khong_dat: c.khong_dat + u.counts.khong_dat }),
    { dat: 0, chua_dat: 0, khong_dat: 0 });
  const cols = ['Đơn vị', 'Nhiệm vụ', 'Điểm tự đánh giá', 'Điểm phê duyệt / tối đa', 'Đạt', 'Chưa đạt', 'Không đạt'];
  replace(box, countsView(total), h('div', { class: 'table-wrap' }, h('table', { class: 'cards summary' },
    h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, res.units.map((u) => h('tr', { 'data-unit-id': u.unit_id },
      h('td', { 'data-label': cols[0] }, h('a', { href: `/rounds/${env.round.id}/tasks?unit_id=${u.unit_id}` }, u.name)),
      h('td', { class: 'num', 'data-label': cols[1] }, num(u.tasks)),
      h('td', { class: 'num', 'data-label': cols[2] }, num(u.self_points)),
      h('td', { class: 'num', 'data-label': cols[3] }, `${num(u.approved_points ?? 0)}/${num(u.max_points)}`),
      h('td', { class: 'num', 'data-label': cols[4] }, num(u.counts.dat)),
      h('td', { class: 'num', 'data-label': cols[5] }, num(u.counts.chua_dat)),
      h('td', { class: 'num', 'data-label': cols[6] }, num(u.counts.khong_dat))))))));
}

function pillarOptions(fw: Framework | undefined): [string, string][] {
  return (fw?.pillars ?? []).map((p) => [p.key, `${p.code}. ${p.title}`]);
}
function criterionOptions(fw: Framework | undefined, pillar = ''): [string, string][] {
  return (fw?.pillars ?? []).filter((p) => !pillar || p.key === pillar).flatMap((p) =>
    p.groups.flatMap((g) => g.criteria.map((c) => [c.key, `${p.code}.${c.code} ${c.title}`] as [string, string])));
}

async function appraisers(env: Env, box: HTMLElement): Promise<void> {
  const { round, units, fws } = env;
  const [list, users] = await Promise.all([
    get<{ appraisers: Assignment[] }>(`/rounds/${round.id}/appraisers`).then((r) => r.appraisers),
    get<{ users: User[] }>('/users').then((r) => r.users.filter((u) => u.role === 'appraiser' && !u.disabled)),
  ]);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const userName = new Map(users.map((u) => [u.id, `${u.full_name || u.username} (${u.username})`]));
  const what = (a: Assignment) => {
    const fw = fws.get(a.level);
    const p = a.pillar_key ? pillarOptions(fw).find(([k]) => k === a.pillar_key)?.[1] ?? a.pillar_key : null;
    const c = a.criterion_key ? criterionOptions(fw).find(([k]) => k === a.criterion_key)?.[1] ?? a.criterion_key : null;
    return [label(LEVEL_LABELS, a.level), c ? `tiêu chí ${c}` : p ? `trụ cột ${p}` : 'mọi tiêu chí'].join(' › ');
  };
  const who = (a: Assignment) => a.appraiser_user_id
    ? `Cán bộ ${a.appraiser_username ?? userName.get(a.appraiser_user_id) ?? a.appraiser_user_id}`
    : `Đơn vị ${a.appraiser_unit_name ?? unitName.get(a.appraiser_unit_id ?? 0) ?? a.appraiser_unit_id}`;
  const rows = list.map((a) => {
    const rm = h('button', { type: 'button', class: 'small danger', 'aria-label': `Xoá phân công: ${what(a)}` }, 'Xoá');
    rm.addEventListener('click', async () => {
      if (!await confirmDialog('Xoá phân công', `Xoá phân công thẩm định “${what(a)}” của ${who(a)}?`, 'Xoá', true)) return;
      await attempt(() => del(`/rounds/${round.id}/appraisers/${a.id}`));
      await appraisers(env, box);
    });
    return h('li', { class: 'assignment-row', 'data-assignment-id': a.id }, h('span', null, what(a), ' → ', h('strong', null, who(a))), rm);
  });

  const levels = (round.frameworks ?? []).map((f) => f.level);
  const levelSel = select(levels.map((l) => [l, label(LEVEL_LABELS, l)]), levels[0] ?? '');
  const pillarSel = select([]);
  const critSel = select([]);
  const fill = () => {
    const fw = fws.get(levelSel.value);
    replace(pillarSel, h('option', { value: '' }, '— Mọi trụ cột —'), pillarOptions(fw).map(([v, t]) => h('option', { value: v }, t)));
    fillCrit();
  };
  const fillCrit = () => replace(critSel, h('option', { value: '' }, '— Mọi tiêu chí của trụ cột —'),
    criterionOptions(fws.get(levelSel.value), pillarSel.value).map(([v, t]) => h('option', { value: v }, t)));
  levelSel.addEventListener('change', fill);
  pillarSel.addEventListener('change', fillCrit);
  fill();
  const toSel = select([['unit', 'Một đơn vị (mọi cán bộ thẩm định của đơn vị)'], ['user', 'Một cán bộ thẩm định']], 'unit');
  const unitSel = select([['', '— Chọn đơn vị —'], ...units.filter((u) => !u.retired_at).map((u) => [String(u.id), u.name] as [string, string])]);
  const userSel = select([['', '— Chọn cán bộ —'], ...users.map((u) => [String(u.id), userName.get(u.id)!] as [string, string])]);
  const form = new Form(async (f) => {
    const body: Record<string, unknown> = { level: levelSel.value };
    if (pillarSel.value) body.pillar_key = pillarSel.value;
    if (critSel.value) body.criterion_key = critSel.value;
    if (toSel.value === 'unit') {
      if (!unitSel.value) { f.fieldError('appraiser_unit_id', 'Vui lòng chọn đơn vị thẩm định.'); return; }
      body.appraiser_unit_id = Number(unitSel.value);
    } else {
      if (!userSel.value) { f.fieldError('appraiser_user_id', 'Vui lòng chọn cán bộ thẩm định.'); return; }
      body.appraiser_user_id = Number(userSel.value);
    }
    await post(`/rounds/${round.id}/appraisers`, body);
    await appraisers(env, box);
  }, { class: 'grid-form' });
  const unitWrap = form.field('appraiser_unit_id', 'Đơn vị thẩm định', unitSel).wrap;
  const userWrap = form.field('appraiser_user_id', 'Cán bộ thẩm định', userSel).wrap;
  const sync = () => { unitWrap.hidden = toSel.value !== 'unit'; userWrap.hidden = toSel.value === 'unit'; };
  toSel.addEventListener('change', sync);
  sync();
  form.el.append(
    form.field('level', 'Cấp', levelSel).wrap,
    form.field('pillar_key', 'Trụ cột', pillarSel).wrap,
    form.field('criterion_key', 'Tiêu chí', critSel).wrap,
    form.field('to', 'Giao cho', toSel).wrap, unitWrap, userWrap,
    h('div', { class: 'actions' }, submit('Thêm phân công')));
  replace(box,
    rows.length ? h('ul', { class: 'assignment-list' }, rows) : h('p', { class: 'muted' }, 'Chưa phân công thẩm định.'),
    h('h3', null, 'Thêm phân công'), form.el);
}

async function assignments(env: Env, box: HTMLElement): Promise<void> {
  const { round, units } = env;
  const tasks = (await get<{ tasks: TaskRow[] }>(`/tasks?round_id=${round.id}&level=province&limit=500`)).tasks;
  const active = units.filter((u) => !u.retired_at).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const cols = ['Tiêu chí', 'Cơ quan phụ trách', ''];
  replace(box, h('p', { class: 'field-hint' }, 'Mỗi tiêu chí cấp tỉnh do một cơ quan báo cáo; đổi cơ quan phụ trách khi cần.'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'cards' },
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, tasks.map((t) => {
        const sel = select(active.map((u) => [String(u.id), u.name]), String(t.unit_id), { 'aria-label': `Cơ quan phụ trách ${t.code ?? ''} ${t.title ?? ''}` });
        const btn = h('button', { type: 'button', class: 'small' }, 'Đổi');
        const msg = h('span', { class: 'muted', role: 'status' });
        btn.addEventListener('click', async () => {
          if (await attempt(() => patch(`/tasks/${t.id}/assignment`, { unit_id: Number(sel.value) }))) msg.textContent = 'Đã đổi.';
        });
        return h('tr', { 'data-task-id': t.id },
          h('td', { 'data-label': cols[0] }, `${t.code ?? ''} ${t.title ?? t.criterion_key}`),
          h('td', { 'data-label': cols[1] }, sel),
          h('td', { class: 'row-actions' }, btn, msg));
      })))));
}

async function readings(env: Env, box: HTMLElement): Promise<void> {
  const { round } = env;
  const rows = (await get<{ readings: ReadingRow[] }>(`/rounds/${round.id}/readings`)).readings;
  if (!rows.length) { replace(box, h('p', { class: 'muted' }, 'Các bộ chỉ số của đợt không có tiêu chí nào có nhiều cách hiểu.')); return; }
  const frozen = round.status === 'finalised';
  // Display codes repeat across pillars: "V 3.1", with the pillar's code.
  const pillarOf = new Map<string, string>();
  for (const fw of env.fws.values()) for (const p of fw.pillars) for (const g of p.groups) for (const c of g.criteria) pillarOf.set(`${fw.id}/${c.key}`, p.code);
  const changed = rows.filter((r) => (r.chosen) !== 'main').length;
  replace(box,
    h('p', { class: 'field-hint' }, 'Mỗi tiêu chí chưa rõ trong văn bản gốc có các cách tính khác nhau; đổi lựa chọn sẽ tính lại điểm mọi báo cáo liên quan (ghi nhật ký).'),
    h('details', { class: 'readings-box' }, h('summary', null, `${rows.length} tiêu chí có nhiều cách hiểu; ${changed} tiêu chí đang dùng cách khác cách tính chính`),
    h('ul', { class: 'readings' }, rows.map((r) => {
      const alts = r.readings.map((a) => ({ name: a.name, label: a.label, text: [a.why, a.rule_text].filter(Boolean).join(' — ') }));
      const cur = r.chosen;
      const sel = select(alts.map((a) => [a.name, a.label ?? a.name]), cur, { 'aria-label': `Cách hiểu tiêu chí ${r.code ?? r.criterion_key}` });
      sel.disabled = frozen;
      const msg = h('span', { class: 'muted', role: 'status' });
      sel.addEventListener('change', async () => {
        let res: { rescored?: number } | undefined;
        const ok = await attempt(async () => { res = await put<{ rescored?: number }>(`/rounds/${round.id}/readings`,
          { framework_id: r.framework_id, criterion_key: r.criterion_key, alternative: sel.value }); });
        msg.textContent = ok ? `Đã lưu${typeof res?.rescored === 'number' ? `, tính lại ${res.rescored} báo cáo` : ''}.` : '';
      });
      const text = h('p', { class: 'muted reading-text' }, alts.find((a) => a.name === cur)?.text ?? '');
      sel.addEventListener('change', () => { text.textContent = alts.find((a) => a.name === sel.value)?.text ?? ''; });
      return h('li', { 'data-criterion': r.criterion_key },
        h('div', null, h('strong', null, [pillarOf.get(`${r.framework_id}/${r.criterion_key}`), r.code ?? r.criterion_key].filter(Boolean).join(' ')), ' ', r.title ?? '',
          h('span', { class: 'muted' }, ` (${r.framework_id})`)),
        sel, text, msg);
    }))));
}


/** Criteria taken from another index (e.g. CCHC): the admin enters that index's result per
 * unit, as the criterion's inputs, with its source; units see it instead of a form. */
async function external(env: Env, box: HTMLElement): Promise<void> {
  const { round, units } = env;
  const res = await get<{ values: ExternalRow[]; criteria: ExternalCriterion[] }>(`/rounds/${round.id}/external-values`);
  if (!res.criteria.length) { replace(box, h('p', { class: 'muted' }, 'Các bộ chỉ số của đợt không có tiêu chí lấy kết quả từ chỉ số khác.')); return; }
  const critOf = (k: string) => res.criteria.find((c) => c.criterion_key === k);
  const cols = ['Đơn vị', 'Tiêu chí', 'Giá trị', 'Nguồn'];
  const critSel = select([['', '— Chọn tiêu chí —'], ...res.criteria.map((c) => [c.criterion_key, `${c.code} ${c.title}${c.index ? ` (${c.index})` : ''}`] as [string, string])]);
  const inputsBox = h('div');
  const levels = new Set(res.criteria.map((c) => c.level));
  const form = new Form(async (f) => {
    let bad = false;
    const cr = critOf(critSel.value);
    if (!f.value('unit_id')) bad = f.fieldError('unit_id', 'Vui lòng chọn đơn vị.') || bad;
    if (!cr) bad = f.fieldError('criterion_key', 'Vui lòng chọn tiêu chí.', !bad) || bad;
    const value: Record<string, unknown> = {};
    for (const i of cr?.inputs ?? []) {
      const r = readInput(i, f.rawValue(`inputs.${i.name}`));
      if (r.error) bad = f.fieldError(`inputs.${i.name}`, r.error, !bad) || bad;
      else if (r.value === undefined) bad = f.fieldError(`inputs.${i.name}`, 'Vui lòng nhập giá trị.', !bad) || bad;
      else value[i.name] = r.value;
    }
    if (!f.value('source')) bad = f.fieldError('source', 'Vui lòng ghi nguồn.', !bad) || bad;
    if (bad) return;
    await put(`/rounds/${round.id}/external-values`, { values: [{ unit_id: Number(f.value('unit_id')), criterion_key: cr!.criterion_key,
      value, source: f.value('source') }] });
    await external(env, box);
  }, { class: 'grid-form' });
  critSel.addEventListener('change', () => {
    for (const k of [...form.fields.keys()]) if (k.startsWith('inputs.')) form.fields.delete(k);
    replace(inputsBox, (critOf(critSel.value)?.inputs ?? []).map((i) =>
      form.field(`inputs.${i.name}`, inputLabel(i), control(i, undefined), { hint: inputHint(i) || undefined }).wrap));
  });
  form.el.append(
    form.field('unit_id', 'Đơn vị', select([['', '— Chọn đơn vị —'], ...units.filter((u) => !u.retired_at && levels.has(u.kind)).map((u) => [String(u.id), u.name] as [string, string])])).wrap,
    form.field('criterion_key', 'Tiêu chí', critSel).wrap,
    inputsBox,
    form.field('source', 'Nguồn', input('text', { placeholder: 'Ví dụ: Chỉ số CCHC năm 2025, Sở Nội vụ' })).wrap,
    h('div', { class: 'actions' }, submit('Lưu giá trị')));
  replace(box,
    res.values.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'cards external' },
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, res.values.map((v) => h('tr', null,
        h('td', { 'data-label': cols[0] }, v.unit_name ?? String(v.unit_id)),
        h('td', { 'data-label': cols[1] }, critOf(v.criterion_key)?.code ?? v.criterion_key),
        h('td', { 'data-label': cols[2] }, valuesText(critOf(v.criterion_key)?.inputs ?? [], v.value)),
        h('td', { 'data-label': cols[3] }, v.source)))))) : h('p', { class: 'muted' }, 'Chưa có giá trị nào.'),
    round.status === 'finalised' ? null : form.el);
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function accounts(env: Env, box: HTMLElement): Promise<void> {
  const fmt = select([['xlsx', 'Tệp Excel (.xlsx)'], ['csv', 'Tệp CSV (.csv)']], 'xlsx');
  const out = h('div', { role: 'status', 'aria-live': 'polite' });
  const form = new Form(async () => {
    const ok = await confirmDialog('Tạo tài khoản hàng loạt',
      'Tạo một tài khoản cán bộ nhập liệu và một tài khoản lãnh đạo cho mỗi đơn vị tham gia chưa có. Mật khẩu dùng một lần chỉ có trong tệp tải về lần này, máy chủ không lưu lại.',
      'Tạo và tải tệp');
    if (!ok) return;
    const { blob, name, headers } = await postForFile(`/rounds/${env.round.id}/accounts`, { format: fmt.value });
    if (headers.get('X-Accounts-Created') === '0') {
      replace(out, h('p', { class: 'notice' }, 'Mọi đơn vị tham gia đã có tài khoản cán bộ và lãnh đạo; không tạo thêm tài khoản nào.'));
      return;
    }
    saveBlob(blob, name || `tai-khoan.${fmt.value}`);
    replace(out, h('p', { class: 'warning' }, `Đã tải tệp ${name}. Tệp chỉ hiển thị MỘT LẦN: hãy lưu lại và giao cho từng đơn vị một cách an toàn; người dùng phải đổi mật khẩu ở lần đăng nhập đầu tiên.`));
  });
  form.el.append(
    h('p', null, 'Mỗi đơn vị tham gia chưa có tài khoản được cấp một tài khoản cán bộ nhập liệu và một tài khoản lãnh đạo, mỗi tài khoản có mật khẩu dùng một lần riêng. Tệp chỉ được cung cấp một lần.'),
    form.field('format', 'Định dạng tệp', fmt).wrap,
    h('div', { class: 'actions' }, submit('Tạo tài khoản')), out);
  replace(box, form.el);
}

async function trial(env: Env, box: HTMLElement): Promise<void> {
  const { round } = env;
  const c = await get<{ tasks: number; evidence: number }>(`/rounds/${round.id}/trial-data`);
  const what = `${num(c.tasks)} nhiệm vụ có số liệu thử nghiệm và ${num(c.evidence)} tệp kiểm chứng`;
  const btn = h('button', { type: 'button', class: 'danger' }, 'Xoá dữ liệu thử nghiệm');
  btn.disabled = c.tasks === 0 && c.evidence === 0;
  btn.addEventListener('click', async () => {
    const ok = await confirmDialog('Xoá dữ liệu thử nghiệm',
      `Sẽ xoá ${what}; các nhiệm vụ trở về trạng thái “Chưa thực hiện”. Không thể hoàn tác.`, 'Xoá dữ liệu', true);
    if (!ok) return;
    if (await attempt(() => post(`/rounds/${round.id}/clear-trial`, { confirm: c.tasks }))) await trial(env, box);
  });
  const children: Child[] = [
    h('p', { class: 'trial-count' }, c.tasks || c.evidence ? `Hiện có ${what}.` : 'Không có dữ liệu thử nghiệm.'),
    round.trial_cleared_at ? h('p', { class: 'muted' }, `Đã xoá lần gần nhất: ${date(round.trial_cleared_at)}.`) : null,
    h('div', { class: 'actions' }, btn)];
  replace(box, ...children);
}

function finaliseSection(env: Env): HTMLElement {
  const btn = h('button', { type: 'button', class: 'primary danger' }, 'Hoàn thành đợt đánh giá');
  btn.addEventListener('click', async () => {
    const ok = await confirmDialog('Hoàn thành đợt đánh giá',
      'Kết quả sẽ là kết quả cuối cùng: mọi nhiệm vụ bị khoá, không ai thay đổi được số liệu, điểm hay trạng thái. Không thể hoàn tác.', 'Hoàn thành', true);
    if (!ok) return;
    if (await attempt(() => post(`/rounds/${env.round.id}/finalise`))) await env.rerender();
  });
  return h('section', { class: 'round-section', id: 'finalise' }, h('h2', null, 'Hoàn thành'),
    h('p', null, 'Chốt kết quả sau thẩm định lần 2.'), h('div', { class: 'actions' }, btn));
}
