// The PDF signature check of an evidence file (docs/signatures.md), shown beside the file on the
// task page (unit report form, read-only view, appraiser's desk) and in the unit's report.
import { h } from './dom';
import { dateTime } from './format';
import type { Evidence } from './rtypes';

const SHORT: Record<string, string> = {
  signed_valid: 'Ký số hợp lệ',
  signed_untrusted: 'Ký số chưa xác minh được',
  signed_invalid: 'Chữ ký số sai',
  signed_partial: 'Sửa sau khi ký',
  unsigned: 'Chưa ký số',
  encrypted: 'PDF mã hóa',
  not_pdf: 'PDF hỏng',
};

/** A short badge for a verdict (null: not a PDF, nothing shown). */
export function sigBadge(verdict: string | null | undefined, signer?: string | null): HTMLElement | null {
  if (!verdict) return null;
  const ok = verdict === 'signed_valid';
  return h('span', { class: `badge sig-badge ${ok ? 'sig-ok' : 'sig-bad'}`, 'data-verdict': verdict,
    title: signer ? `Người ký: ${signer}` : '' }, SHORT[verdict] ?? verdict);
}

type SigShown = Partial<Pick<Evidence, 'signature' | 'signature_warning'>>;

/** The full result under a file: verdict, signer, organisation, time, issuer, reasons, warnings. */
export function sigDetails(e: SigShown): HTMLElement | null {
  const s = e.signature;
  const warn = e.signature_warning ? h('p', { class: 'sig-warning form-alert', role: 'note' }, e.signature_warning) : null;
  if (!s) return warn;
  const ok = s.verdict === 'signed_valid';
  const who = [s.signer, s.organization].filter(Boolean).join(' — ');
  return h('div', { class: 'sig', 'data-verdict': s.verdict },
    sigBadge(s.verdict, s.signer),
    h('span', { class: 'sig-label' }, ` ${s.verdict_label}`),
    who ? h('div', { class: 'sig-who' }, `Người ký: ${who}`) : null,
    s.signing_time || s.issuer ? h('div', { class: 'muted' },
      [s.signing_time ? `Thời điểm ký: ${dateTime(s.signing_time)}` : '', s.issuer ? `Tổ chức cấp chứng thư: ${s.issuer}` : '']
        .filter(Boolean).join(' · ')) : null,
    !ok && s.reasons.length ? h('ul', { class: 'sig-reasons' }, s.reasons.map((r) => h('li', null, r.text))) : null,
    s.active_content ? h('p', { class: 'form-alert sig-active' },
      'Tệp có mã JavaScript hoặc hành động tự động (không được chạy trên máy chủ); hãy mở bằng trình đọc đã tắt JavaScript.') : null,
    warn);
}
