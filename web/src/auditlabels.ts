// Vietnamese labels for what the audit trail stores as codes: actions, entities and the field
// names of the old/new values. The API keeps the codes (stable for tools and the chain hash);
// the audit page shows these labels and leaves the codes to its "JSON đầy đủ" view.
// Every action and field the server writes (src/app/*.c: audit_change/audit_append and the
// row_to_* / *_json helpers) has an entry; a code added later without one is shown in a
// readable fallback form (words, not snake_case) marked with the class `unlabelled`.
import { INFO_FIELDS } from './views/units';
import { PHASE_LABELS } from './wf';
import { date, dateTime, KIND_LABELS, LEVEL_LABELS, num, ROLE_LABELS, STATUS_LABELS } from './format';

export const ACTION_LABELS: Record<string, string> = {
  'session.login': 'Đăng nhập',
  'session.logout': 'Đăng xuất',
  'user.create': 'Tạo người dùng',
  'user.update': 'Sửa người dùng',
  'user.disable': 'Khoá tài khoản',
  'user.enable': 'Mở khoá tài khoản',
  'user.reset_password': 'Đặt lại mật khẩu',
  'user.change_password': 'Đổi mật khẩu',
  'session.password_ok': 'Mật khẩu đúng, chờ mã xác thực hai bước',
  'user.totp_enrol_start': 'Bắt đầu đăng ký xác thực hai bước',
  'user.totp_enable': 'Bật xác thực hai bước',
  'user.totp_disable': 'Tắt xác thực hai bước',
  'user.totp_reset': 'Quản trị xoá xác thực hai bước',
  'unit.create': 'Tạo đơn vị',
  'unit.update': 'Sửa đơn vị',
  'unit.retire': 'Ngừng hoạt động đơn vị',
  'unit.end_sessions': 'Kết thúc phiên đăng nhập của đơn vị',
  'framework.create': 'Tải lên bộ chỉ số',
  'api_token.create': 'Tạo khoá API',
  'api_token.revoke': 'Thu hồi khoá API',
  // part: rounds
  'round.create': 'Tạo đợt đánh giá (sinh nhiệm vụ)',
  'round.update': 'Sửa đợt đánh giá',
  'round.reading': 'Chọn cách hiểu tiêu chí cho đợt đánh giá',
  'round.external_value': 'Nhập kết quả lấy từ bộ chỉ số khác (CCHC)',
  'task.rescore': 'Tính lại điểm tự đánh giá (đổi cách hiểu tiêu chí hoặc kết quả từ bộ chỉ số khác)',
  'round.finalise': 'Hoàn thành đợt đánh giá (chốt kết quả)',
  'round.clear_trial': 'Xoá dữ liệu thử nghiệm',
  'round.publish': 'Công bố kết quả đợt đánh giá', // part: pub
  'round.appraiser_add': 'Phân công thẩm định',
  'round.appraiser_remove': 'Bỏ phân công thẩm định',
  'task.assign': 'Đổi cơ quan chịu trách nhiệm nhiệm vụ',
  'demo.generate': 'Tạo dữ liệu mẫu (dti demo)',
  // part: rank (issue 9)
  'round.bands': 'Đặt ngưỡng xếp loại (xuất sắc, tốt, khá, trung bình) của đợt',
  // part: tasks (the workflow's actions, src/core/workflow.c)
  'task.save': 'Lưu báo cáo nhiệm vụ',
  'task.submit': 'Trình lãnh đạo',
  'task.return': 'Lãnh đạo trả lại',
  'task.send': 'Gửi thẩm định',
  'task.approve': 'Thẩm định, cho điểm',
  'task.request_explanation': 'Yêu cầu giải trình',
  'task.explain': 'Giải trình',
  'task.reopen': 'Mở lại thẩm định',
  'task.comment': 'Thêm ý kiến về nhiệm vụ',
  'task.appraiser_inputs': 'Nhập số liệu thẩm định từ hệ thống dùng chung',
  'task.standardise': 'Chuẩn hoá dữ liệu (tính lại điểm)',
  // part: accounts
  'round.accounts': 'Tạo tài khoản hàng loạt cho các đơn vị của đợt',
  // part: evidence
  'evidence.add': 'Thêm tệp minh chứng',
  'evidence.replace': 'Thay tệp minh chứng (giữ phiên bản trước)',
  'evidence.remove': 'Gỡ tệp minh chứng (giữ trong lịch sử)',
};

export const ENTITY_LABELS: Record<string, string> = {
  unit: 'Đơn vị',
  user: 'Người dùng',
  framework: 'Bộ chỉ số',
  api_token: 'Khoá API',
  session: 'Phiên đăng nhập',
  round: 'Đợt đánh giá',
  task: 'Nhiệm vụ',
  demo: 'Dữ liệu mẫu',
  evidence: 'Minh chứng', // part: evidence
};

// Field names of users, units (with `info.*`), API tokens, index-set summaries, and the small
// values some actions write (sessions ended, other sessions revoked).
export const FIELD_LABELS: Record<string, string> = {
  id: 'Số định danh',
  username: 'Tên đăng nhập',
  full_name: 'Họ và tên',
  email: 'Thư điện tử',
  role: 'Vai trò',
  unit_id: 'Đơn vị',
  disabled: 'Bị khoá',
  must_change_password: 'Phải đổi mật khẩu',
  created_at: 'Thời điểm tạo',
  last_login_at: 'Lần đăng nhập gần nhất',
  other_sessions_revoked: 'Số phiên khác đã kết thúc',
  code: 'Mã đơn vị',
  name: 'Tên',
  kind: 'Loại đơn vị',
  parent_id: 'Đơn vị cấp trên',
  official_code: 'Mã định danh chính thức',
  info: 'Thông tin chung',
  retired_at: 'Thời điểm ngừng hoạt động',
  retired_reason: 'Lý do ngừng hoạt động',
  sessions_ended: 'Số phiên đăng nhập đã kết thúc',
  revoked_at: 'Thời điểm thu hồi',
  last_used_at: 'Lần sử dụng gần nhất',
  created_by: 'Người tạo',
  version: 'Phiên bản',
  title: 'Tên', // of an index set or of a round
  level: 'Cấp áp dụng',
  bands: 'Ngưỡng xếp loại (chỉ số tối thiểu của từng loại)', // round.bands
  custom: 'Ngưỡng riêng của đợt (không dùng ngưỡng mặc định)',
  year: 'Năm',
  status: 'Trạng thái',
  max_points: 'Điểm tối đa',
  criteria_count: 'Số tiêu chí',
  sha256: 'Mã băm SHA-256 của tệp',
  totp_enabled: 'Xác thực hai bước',
  recovery_codes: 'Số mã khôi phục',
  confirmed_with: 'Xác nhận bằng',
  second_factor: 'Bước xác thực thứ hai',
  // part: rounds
  frameworks: 'Bộ chỉ số theo cấp',
  phases: 'Các giai đoạn',
  units: 'Số đơn vị tham gia',
  tasks: 'Số nhiệm vụ',
  evidence: 'Số minh chứng',
  finalised_at: 'Thời điểm hoàn thành',
  trial_cleared_at: 'Thời điểm xoá dữ liệu thử nghiệm',
  pillar_key: 'Trụ cột',
  criterion_key: 'Tiêu chí',
  appraiser_unit_id: 'Đơn vị thẩm định',
  appraiser_user_id: 'Người thẩm định',
  subject_unit_id: 'Đơn vị được đánh giá',
  rounds: 'Số đợt đánh giá',
  users: 'Số tài khoản',
  seed: 'Hạt giống ngẫu nhiên',
  // part: tasks
  state: 'Trạng thái',
  inputs: 'Số liệu báo cáo',
  content: 'Nội dung báo cáo',
  note: 'Ghi chú',
  self_points: 'Điểm tự đánh giá',
  self_status: 'Kết quả tính điểm',
  approved_points: 'Điểm thẩm định',
  approval_comment: 'Ý kiến thẩm định',
  appraiser_inputs: 'Số liệu thẩm định (kèm nguồn)',
  leader_comment: 'Ý kiến lãnh đạo',
  trial: 'Dữ liệu thử nghiệm',
  body: 'Nội dung ý kiến',
  round_id: 'Đợt đánh giá',
  appraiser_unit_name: 'Tên đơn vị thẩm định',
  appraiser_username: 'Tên đăng nhập người thẩm định',
  // part: accounts (round.accounts: the batch; each account has its own user.create entry)
  planned: 'Số tài khoản còn thiếu',
  created: 'Số tài khoản đã tạo',
  format: 'Định dạng tệp',
  // part: evidence (an evidence row, src/app/evidence.c)
  task_id: 'Nhiệm vụ',
  file_name: 'Tên tệp',
  mime: 'Loại tệp',
  size: 'Dung lượng (byte)',
  uploaded_by: 'Người tải lên',
  uploaded_by_name: 'Tên người tải lên',
  uploaded_at: 'Thời điểm tải lên',
  replaces_id: 'Thay cho minh chứng',
  superseded_at: 'Thời điểm bị thay thế',
  removed_at: 'Thời điểm gỡ',
  current: 'Phiên bản hiện hành',
  // part: pdfsig (the PDF signature check of an evidence row, docs/signatures.md)
  signature: 'Kết quả kiểm tra chữ ký số',
  signature_required: 'Tiêu chí yêu cầu tệp có ký số',
  signature_warning: 'Cảnh báo chữ ký số',
  // part: readings
  framework_id: 'Bộ chỉ số',
  alternative: 'Cách hiểu tiêu chí',
  reading: 'Cách hiểu dùng để tính điểm',
  self_explanation: 'Diễn giải điểm tự đánh giá',
  value: 'Giá trị (từ bộ chỉ số khác)',
  source: 'Nguồn số liệu',
  // part: pub (round.publish: the receipt of the JSON export, the CSV's hash, the version replaced)
  csv_sha256: 'Mã SHA-256 của tệp CSV công bố',
  csv_size: 'Dung lượng tệp CSV (byte)',
  supersedes_sha256: 'Mã SHA-256 của phiên bản được thay thế',
  ...Object.fromEntries(INFO_FIELDS.map(([key, text]) => ['info.' + key, text])),
  // Fields inside stored objects (a round's phases and index sets, an evidence row's signature
  // check): shown as "label: value" within the field's line.
  phase: 'Giai đoạn',
  label: 'Tên',
  starts: 'Từ ngày',
  ends: 'Đến hết ngày',
  verdict_label: 'Kết luận',
  reasons: 'Lý do',
  signer: 'Người ký',
  organization: 'Tổ chức',
  issuer: 'Đơn vị cấp chứng thư số',
  signing_time: 'Thời điểm ký',
  active_content: 'Có nội dung chạy được (JavaScript)',
};

// How a second factor was given (src/app/totp.c).
const FACTOR_LABELS: Record<string, string> = { totp: 'mã xác thực (TOTP)', recovery_code: 'mã khôi phục' };

// Values that are codes themselves, shown through the matching label table.
const VALUE_LABELS: Record<string, Record<string, string>> = {
  second_factor: FACTOR_LABELS,
  confirmed_with: FACTOR_LABELS,
  role: ROLE_LABELS,
  kind: KIND_LABELS,
  level: LEVEL_LABELS,
  status: STATUS_LABELS,
  // part: tasks — task states and scoring results
  state: {
    not_started: 'Chưa thực hiện', draft: 'Đang thực hiện (đã lưu)', submitted: 'Chờ lãnh đạo duyệt',
    returned: 'Lãnh đạo trả lại', in_appraisal: 'Chờ thẩm định', explanation_requested: 'Yêu cầu giải trình',
    explained: 'Đã giải trình', approved: 'Đã thẩm định',
  },
  phase: PHASE_LABELS,
  self_status: { scored: 'đã tính', not_applicable: 'không áp dụng', missing: 'chưa có số liệu', error: 'lỗi số liệu' },
};

/** "user.totp_enable" → "totp enable": a code without a label, in words. */
function words(code: string): string {
  return code.replace(/[._]+/g, ' ').trim();
}

export interface Label { text: string; known: boolean }

export function actionLabel(action: string): Label {
  const known = ACTION_LABELS[action];
  if (known) return { text: known, known: true };
  const dot = action.indexOf('.');
  const entity = dot > 0 ? action.slice(0, dot) : '';
  const rest = words(dot > 0 ? action.slice(dot + 1) : action);
  const ent = ENTITY_LABELS[entity];
  return { text: ent ? `${ent}: ${rest}` : words(action), known: false };
}

export function entityLabel(entity: string): Label {
  const known = ENTITY_LABELS[entity];
  return known ? { text: known, known: true } : { text: words(entity), known: false };
}

export function fieldLabel(field: string): Label {
  const known = FIELD_LABELS[field];
  if (known) return { text: known, known: true };
  const text = words(field.startsWith('info.') ? field.slice(5) : field);
  return { text: text.charAt(0).toUpperCase() + text.slice(1), known: false };
}

/** A value of `field` as a reader expects it: labels for codes, Có/Không, dd/mm/yyyy HH:mm. */
export function fieldValue(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '(trống)';
  if (typeof v === 'boolean') return v ? 'Có' : 'Không';
  if (typeof v === 'number') return field.endsWith('_id') || field === 'id' || field === 'created_by' || field === 'year' ? `${v}` : num(v);
  if (typeof v === 'string') {
    const table = VALUE_LABELS[field];
    if (table) return table[v] ?? v;
    if (field.endsWith('_at') || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return dateTime(v);
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return date(v);
    return v;
  }
  if (Array.isArray(v)) return v.length ? v.map((x) => fieldValue(field, x)).join('; ') : '(trống)';
  return objectValue(v as Record<string, unknown>);
}

/** A code shown beside its own label is left out: verdict beside verdict_label, a reason's code
 *  beside its text, a phase's stored name beside its key (shown through PHASE_LABELS), a
 *  date-time beside the same day's date. */
const REDUNDANT: [string, string][] = [['verdict', 'verdict_label'], ['code', 'text'], ['label', 'phase'], ['starts_at', 'starts'], ['ends_at', 'ends']];

/** A stored object (never its JSON): its text when it has one, else "Label: value, …". */
function objectValue(o: Record<string, unknown>): string {
  if (typeof o.text === 'string') return o.text;
  return Object.keys(o).filter((k) => !REDUNDANT.some(([code, shown]) => k === code && shown in o))
    .map((k) => `${fieldLabel(k).text}: ${fieldValue(k, o[k])}`).join(', ');
}
