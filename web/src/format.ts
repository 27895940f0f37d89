// Vietnamese formats: dd/mm/yyyy dates in Asia/Ho_Chi_Minh, decimal comma, labels for codes.

const numberFmt = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
const dateParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  hourCycle: 'h23',
});

/** 0.5 → "0,5"; 1000 → "1.000"; at most two decimals. */
export function num(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  return numberFmt.format(Number(n));
}

function parts(iso: string): Record<string, string> | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const out: Record<string, string> = {};
  for (const p of dateParts.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** ISO time → "23/11/2026 18:07". */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const p = parts(iso);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : iso;
}

/** ISO time or date → "23/11/2026". */
export function date(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  const p = parts(iso);
  return p ? `${p.day}/${p.month}/${p.year}` : iso;
}

/** "31.10" → "31/10". */
export function dayMonth(due: string | null | undefined): string {
  if (!due) return '—';
  const m = /^(\d{1,2})\.(\d{1,2})$/.exec(due);
  return m ? `${m[1].padStart(2, '0')}/${m[2].padStart(2, '0')}` : due;
}

export const ROLE_LABELS: Record<string, string> = {
  admin: 'Quản trị',
  appraiser: 'Cán bộ thẩm định',
  staff: 'Cán bộ nhập liệu',
  leader: 'Lãnh đạo đơn vị',
  feed: 'Hệ thống dùng chung',
};

export const KIND_LABELS: Record<string, string> = {
  province: 'Tỉnh',
  department: 'Cấp sở',
  district: 'Cấp huyện',
  commune: 'Cấp xã',
  other: 'Khác',
};

export const LEVEL_LABELS: Record<string, string> = {
  province: 'Cấp tỉnh',
  department: 'Cấp sở',
  district: 'Cấp huyện',
  commune: 'Cấp xã',
};

export const STATUS_LABELS: Record<string, string> = {
  official: 'Chính thức',
  draft: 'Dự thảo',
};

export const label = (map: Record<string, string>, key: string | null | undefined): string =>
  key ? map[key] ?? key : '—';
