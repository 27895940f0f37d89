// Band thresholds of one round and level (admins, on the rankings screen): the minimum index of
// Xuất sắc, Tốt and Khá (Trung bình starts at 0, fixed). Checked here with the server's rules
// (0…1, at most 4 decimals, strictly decreasing) so a bad value names its field before any
// request; the server checks again (PUT /rounds/{id}/bands, audited as round.bands).
import { put } from '../api';
import type * as A from '../api-types';
import { h, replace } from '../dom';
import { Form, input, submit } from '../forms';
import { label, LEVEL_LABELS } from '../format';

export interface BandsDoc {
  round_id: number;
  level: string;
  custom: boolean;
  bands: A.RankBand[];
}

const idxFmt = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 4, useGrouping: false });

/** "0,85" or "0.85" → 8500 ten-thousandths; a message when it is not a valid threshold. */
export function parseIndex(text: string): number | string {
  const t = text.trim().replace(',', '.');
  if (!t) return 'Vui lòng nhập ngưỡng chỉ số.';
  if (!/^\d+(\.\d+)?$/.test(t)) return 'Ngưỡng phải là một số, ví dụ 0,85.';
  const m = /\.(\d+)$/.exec(t);
  if (m && m[1].length > 4) return 'Ngưỡng có tối đa 4 chữ số thập phân.';
  const v = Number(t);
  if (!(v >= 0 && v <= 1)) return 'Ngưỡng phải nằm trong khoảng từ 0 đến 1.';
  return Math.round(v * 10000);
}

/** The form; `onSaved` gets the new thresholds after a successful save. */
export function bandsForm(roundId: number, level: string, bands: A.RankBand[],
  onSaved: (doc: BandsDoc) => Promise<void> | void): HTMLElement {
  const edit = bands.filter((b) => b.band !== 'trung_binh');
  const saved = h('p', { class: 'saved-status', role: 'status', 'aria-live': 'polite' });
  const form = new Form(async (f) => {
    replace(saved);
    const vals: number[] = [];
    let bad = false;
    edit.forEach((b, i) => {
      const name = `bands[${i}].min_index`;
      const v = parseIndex(f.rawValue(name));
      if (typeof v === 'string') bad = f.fieldError(name, v, !bad) || bad;
      else if (i > 0 && typeof vals[i - 1] === 'number' && v >= vals[i - 1])
        bad = f.fieldError(name, `Ngưỡng ${b.label} phải nhỏ hơn ngưỡng ${edit[i - 1].label}.`, !bad) || bad;
      else if (v === 0)
        bad = f.fieldError(name, `Ngưỡng ${b.label} phải lớn hơn 0 (Trung bình bắt đầu từ 0).`, !bad) || bad;
      vals.push(typeof v === 'number' ? v : NaN);
    });
    if (bad) return;
    const doc = await put<BandsDoc>(`/rounds/${roundId}/bands`, {
      level,
      bands: [...edit.map((b, i) => ({ band: b.band, min_index: vals[i] / 10000 })),
        { band: 'trung_binh', min_index: 0 }],
    });
    await onSaved(doc);
    replace(saved, `Đã lưu ngưỡng xếp loại ${label(LEVEL_LABELS, level).toLowerCase()}.`);
  }, { class: 'bands-form' });
  form.el.append(
    h('div', { class: 'bands-fields' }, edit.map((b, i) => form.field(`bands[${i}].min_index`,
      `${b.label}: chỉ số từ`, input('text', { inputmode: 'decimal', autocomplete: 'off', value: idxFmt.format(b.min_index), size: 8 }),
      { required: true }).wrap)),
    h('p', { class: 'muted' }, 'Trung bình: từ 0 (cố định). Số từ 0 đến 1, tối đa 4 chữ số thập phân, giảm dần từ Xuất sắc đến Khá.'),
    h('div', { class: 'actions' }, submit('Lưu ngưỡng xếp loại'), saved));
  return h('details', { class: 'bands-edit' },
    h('summary', null, `Sửa ngưỡng xếp loại (${label(LEVEL_LABELS, level).toLowerCase()})`), form.el);
}
