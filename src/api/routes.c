/* routes.c — the one route table (DESIGN §8): one row per endpoint, each declaring who may
 * call it, whether it changes state, which unit its resource belongs to and which query
 * parameters it takes. The server enforces authentication, roles, the unit scope (the unit_of
 * column, resolved by src/api/unit_scope.c; OWN: only the caller's own unit), CSRF
 * (ROUTE_WRITE), the forced password change (ROUTE_PWCHANGE_OK), the admins' TOTP enrolment
 * (ROUTE_TOTP_SETUP_OK) and the query parameters from
 * these rows before any handler runs; openapi.json is generated from them; the API tests walk
 * them to prove every route refuses the wrong caller. Keep it readable as a table.
 * Columns: method, path, handler, roles, flags, summary, unit_of, allowed query parameters. */
#include <stddef.h>

#include "api/api.h"
#include "api/api_frameworks.h"
#include "api/api_health.h"
#include "http/http.h"

#define P "/api/v1"
#define W ROUTE_WRITE
#define PW ROUTE_PWCHANGE_OK
#define T ROUTE_TOTP_SETUP_OK
#define ADMIN ROLE_ADMIN
#define ANY ROLE_ANY_USER
#define OWN ROUTE_OWN_UNIT
#define ASSIGNED ROUTE_ASSIGNED

const struct route dti_routes[] = {
    {"GET", P "/health", api_health, ROLE_PUBLIC, 0, "Tình trạng máy chủ và cơ sở dữ liệu", 0, NULL},
    {"GET", P "/openapi.json", api_openapi, ROLE_PUBLIC, 0, "Mô tả API (OpenAPI 3.0)", 0, NULL},

    /* sessions: login is public (no session yet, so no CSRF either) */
    {"POST", P "/auth/login", api_login, ROLE_PUBLIC, W, "Đăng nhập", 0, NULL},
    {"POST", P "/auth/login/second-factor", api_login_second, ROLE_PUBLIC, W,
     "Đăng nhập bước 2: mã xác thực hai bước hoặc mã khôi phục", 0, NULL},
    {"POST", P "/auth/logout", api_logout, ANY, W | PW | T, "Đăng xuất", 0, NULL},
    {"POST", P "/auth/password", api_password, ANY, W | PW | T, "Đổi mật khẩu", 0, NULL},
    {"GET", P "/me", api_me, ANY | ROLE_FEED, PW | T, "Người dùng hiện tại", 0, NULL},
    /* second factor: an admin without it may call only these (and the rows above) */
    {"POST", P "/auth/totp/enrol", api_totp_enrol, ANY, W | T,
     "Bắt đầu đăng ký xác thực hai bước (tạo khoá bí mật)", 0, NULL},
    {"POST", P "/auth/totp/confirm", api_totp_confirm, ANY, W | T,
     "Xác nhận đăng ký xác thực hai bước; trả về mã khôi phục (chỉ một lần)", 0, NULL},
    {"POST", P "/auth/totp/disable", api_totp_disable, ANY, W, "Tắt xác thực hai bước", 0, NULL},

    /* units: the tree is visible to every signed-in user (retired units to admins only), changed
     * by admins only */
    {"GET", P "/units", api_units_list, ANY, 0, "Danh sách đơn vị", 0,
     "include_retired"},
    {"GET", P "/units/{id}", api_unit_get, ANY, 0, "Một đơn vị", UNIT_OF_UNIT_ID, NULL},
    {"POST", P "/units", api_unit_create, ADMIN, W, "Tạo đơn vị", 0, NULL},
    {"PATCH", P "/units/{id}", api_unit_update, ADMIN, W | OWN, "Sửa đơn vị", UNIT_OF_UNIT_ID, NULL},
    {"POST", P "/units/{id}/retire", api_unit_retire, ADMIN, W | OWN,
     "Cho đơn vị ngừng hoạt động", UNIT_OF_UNIT_ID, NULL},

    /* users: a leader lists their own unit's accounts (?unit_id absent = the caller's unit) */
    {"GET", P "/users", api_users_list, ADMIN | ROLE_LEADER, OWN, "Danh sách tài khoản",
     UNIT_OF_QUERY_UNIT, "unit_id"},
    {"POST", P "/users", api_user_create, ADMIN, W, "Tạo tài khoản", 0, NULL},
    {"PATCH", P "/users/{id}", api_user_update, ADMIN, W | OWN, "Sửa tài khoản", UNIT_OF_USER, NULL},
    {"POST", P "/users/{id}/disable", api_user_disable, ADMIN, W | OWN, "Khoá tài khoản",
     UNIT_OF_USER, NULL},
    {"POST", P "/users/{id}/enable", api_user_enable, ADMIN, W | OWN, "Mở khoá tài khoản",
     UNIT_OF_USER, NULL},
    {"POST", P "/users/{id}/reset-password", api_user_reset_password, ADMIN, W | OWN,
     "Cấp lại mật khẩu dùng một lần", UNIT_OF_USER, NULL},
    {"POST", P "/users/{id}/totp-reset", api_user_totp_reset, ADMIN, W | OWN,
     "Xoá xác thực hai bước của tài khoản (người dùng đăng ký lại)", UNIT_OF_USER, NULL},

    /* audit trail */
    {"GET", P "/audit", api_audit_list, ADMIN, 0, "Nhật ký thay đổi", 0,
     "limit,before_id,entity,entity_id"},
    {"GET", P "/audit/verify", api_audit_verify, ADMIN, 0, "Kiểm tra tính toàn vẹn nhật ký", 0, NULL},

    /* API tokens for data feeds */
    {"GET", P "/tokens", api_tokens_list, ADMIN, 0, "Danh sách mã truy cập API", 0, NULL},
    {"POST", P "/tokens", api_token_create, ADMIN, W, "Tạo mã truy cập API", 0, NULL},
    {"POST", P "/tokens/{id}/revoke", api_token_revoke, ADMIN, W | OWN,
     "Thu hồi mã truy cập API", UNIT_OF_TOKEN, NULL},

    /* index sets: any signed-in user reads them; an upload is the raw file, up to 4 MiB */
    {"GET", P "/frameworks", api_frameworks_list, ANY, 0, "Danh sách bộ chỉ số", 0, NULL},
    {"GET", P "/frameworks/{id}", api_framework_get, ANY, 0,
     "Một bộ chỉ số (phiên bản mới nhất, hoặc ?version=N) kèm tổng điểm từng nút", 0, "version"},
    {"POST", P "/frameworks", api_framework_create, ADMIN, W | ROUTE_RAW_BODY | ROUTE_LARGE_BODY,
     "Tải lên bộ chỉ số (hoặc phiên bản mới)", 0, NULL},

    /* part: rounds — evaluation rounds: every signed-in user reads them, admins change them */
    {"GET", P "/rounds", api_rounds_list, ANY, 0, "Danh sách đợt đánh giá", 0, NULL},
    {"GET", P "/rounds/{id}", api_round_get, ANY, 0,
     "Một đợt đánh giá: bộ chỉ số theo cấp, giai đoạn, giai đoạn hiện tại, số đơn vị và nhiệm vụ", 0,
     NULL},
    {"POST", P "/rounds", api_round_create, ADMIN, W,
     "Tạo đợt đánh giá (sinh mọi nhiệm vụ cho các đơn vị tham gia)", 0, NULL},
    {"PATCH", P "/rounds/{id}", api_round_update, ADMIN, W, "Sửa tên, giai đoạn của đợt đánh giá",
     0, NULL},
    {"POST", P "/rounds/{id}/finalise", api_round_finalise, ADMIN, W,
     "Hoàn thành đợt đánh giá (chốt kết quả, không thay đổi được nữa)", 0, NULL},
    {"GET", P "/rounds/{id}/trial-data", api_round_trial_data, ADMIN, 0,
     "Số nhiệm vụ và minh chứng còn dữ liệu thử nghiệm", 0, NULL},
    {"POST", P "/rounds/{id}/clear-trial", api_round_clear_trial, ADMIN, W,
     "Xoá dữ liệu thử nghiệm (xác nhận bằng số nhiệm vụ sẽ bị xoá)", 0, NULL},
    {"GET", P "/rounds/{id}/appraisers", api_round_appraisers, ADMIN, 0,
     "Phân công thẩm định của đợt đánh giá", 0, NULL},
    {"POST", P "/rounds/{id}/appraisers", api_round_appraiser_add, ADMIN, W,
     "Phân công thẩm định theo cấp, trụ cột hoặc tiêu chí", 0, NULL},
    {"DELETE", P "/rounds/{id}/appraisers/{aid}", api_round_appraiser_remove, ADMIN, W,
     "Bỏ một phân công thẩm định", 0, NULL},
    /* part: perf (issue 8 D6) — the task's resource is its responsible unit (UNIT_OF_TASK), so
     * the contract names it; not OWN: an admin is province-wide and may reassign any
     * province-level task (docs/rounds-api.md "Task assignment"); no unit-bound role calls it. */
    {"PATCH", P "/tasks/{id}/assignment", api_task_assignment, ADMIN, W,
     "Đổi cơ quan chịu trách nhiệm của nhiệm vụ cấp tỉnh", UNIT_OF_TASK, NULL},
    /* end part: rounds */
    /* accounts (issue 8): bulk accounts of a round (the response is the file, shown once), the
     * caller's inbox, the per-unit summary of a round (staff/leaders: their own unit's row) */
    {"POST", P "/rounds/{id}/accounts", api_round_accounts, ADMIN, W,
     "Tạo tài khoản hàng loạt cho các đơn vị của đợt (tệp mật khẩu dùng một lần, chỉ một lần)", 0,
     NULL},
    {"GET", P "/inbox", api_inbox, ANY, 0, "Việc cần làm của người dùng (đếm theo loại)", 0,
     "limit"},
    {"GET", P "/rounds/{id}/summary", api_round_summary, ANY, 0,
     "Tổng hợp theo đơn vị của đợt: nhiệm vụ, điểm, Đạt / Chưa đạt / Không đạt", 0, "level"},
    /* part: dash (issue 9) — the "Báo cáo chỉ số DTI" table: every unit of the round, so the
     * coordinator's roles only (staff and leaders have /summary, their own unit's row) */
    {"GET", P "/rounds/{id}/dashboard", api_round_dashboard, ADMIN | ROLE_APPRAISER, 0,
     "Báo cáo chỉ số DTI: theo cấp, tìm theo tên đơn vị (không dấu), sắp xếp, phân trang", 0,
     "level,q,sort,dir,offset,limit"},
    /* end part: dash */

    /* part: tasks — the workflow table; tasks are their reporting unit's (OWN), an appraiser's
     * only where an assignment covers them (ASSIGNED); what may happen is the workflow's call */
    {"GET", P "/workflow", api_workflow, ANY, 0,
     "Quy trình: trạng thái, thao tác, chuyển trạng thái và giai đoạn", 0, NULL},
    {"GET", P "/tasks", api_tasks_list, ANY, OWN, "Danh sách nhiệm vụ (lọc, phân trang)",
     UNIT_OF_QUERY_UNIT, "round_id,unit_id,level,pillar,state,overdue,limit,offset"},
    {"GET", P "/tasks/{id}", api_task_get, ANY, OWN | ASSIGNED,
     "Một nhiệm vụ: tiêu chí, báo cáo, thẩm định, minh chứng, ý kiến, thao tác được phép",
     UNIT_OF_TASK, NULL},
    {"PUT", P "/tasks/{id}/report", api_task_report, ROLE_STAFF | ROLE_LEADER, W | OWN,
     "Lưu báo cáo của nhiệm vụ (điểm tự chấm do hệ thống tính)", UNIT_OF_TASK, NULL},
    {"POST", P "/tasks/{id}/preview", api_task_preview, ANY, W | OWN | ASSIGNED,
     "Tính thử điểm từ số liệu (không lưu)", UNIT_OF_TASK, NULL},
    {"POST", P "/tasks/{id}/transitions", api_task_transition, ANY, W | OWN | ASSIGNED,
     "Chuyển trạng thái nhiệm vụ (trình, trả lại, gửi thẩm định, thẩm định, giải trình…)",
     UNIT_OF_TASK, NULL},
    {"POST", P "/rounds/{id}/units/{unit}/transitions", api_unit_transition,
     ROLE_STAFF | ROLE_LEADER, W | OWN,
     "Chuyển trạng thái mọi nhiệm vụ của đơn vị trong đợt (trình, gửi, trả lại cả báo cáo)",
     UNIT_OF_ROUND_UNIT, NULL},
    {"POST", P "/rounds/{id}/units/{unit}/standardise", api_unit_standardise,
     ADMIN | ROLE_STAFF | ROLE_LEADER, W | OWN,
     "Chuẩn hoá dữ liệu: tính lại điểm, liệt kê phần còn thiếu",
     UNIT_OF_ROUND_UNIT, NULL},
    /* part unitpage (issue 9): a unit's own page — gains, what-if (never saved), progress */
    {"GET", P "/rounds/{id}/units/{unit}/gains", api_unit_gains, ANY, OWN,
     "Đơn vị còn có thể tăng điểm ở đâu: tiêu chí theo số điểm còn thiếu, hạn, điều kiện đủ điểm",
     UNIT_OF_ROUND_UNIT, NULL},
    {"POST", P "/rounds/{id}/units/{unit}/what-if", api_unit_what_if, ANY, W | OWN,
     "Tính thử: điểm, tổng điểm, thứ hạng nếu thay đổi số liệu (không lưu)",
     UNIT_OF_ROUND_UNIT, NULL},
    {"GET", P "/rounds/{id}/units/{unit}/progress", api_unit_progress, ANY, OWN,
     "Báo cáo tiến độ của đơn vị theo kỳ: tiêu chí đã hoàn thành, đang thực hiện, chưa thực hiện",
     UNIT_OF_ROUND_UNIT, "period"},
    {"GET", P "/rounds/{id}/units/{unit}/progress.xlsx", api_unit_progress_xlsx, ANY, OWN,
     "Tải báo cáo tiến độ của đơn vị (.xlsx)", UNIT_OF_ROUND_UNIT, "period"},
    /* end part unitpage */
    {"GET", P "/tasks/{id}/comments", api_task_comments, ANY, OWN | ASSIGNED,
     "Ý kiến trao đổi về nhiệm vụ", UNIT_OF_TASK, NULL},
    {"POST", P "/tasks/{id}/comments", api_task_comment_add, ANY, W | OWN | ASSIGNED,
     "Thêm ý kiến về nhiệm vụ", UNIT_OF_TASK, NULL},
    {"PUT", P "/tasks/{id}/appraiser-inputs", api_task_appraiser_inputs, ROLE_APPRAISER,
     W | ASSIGNED, "Số liệu thẩm định lấy từ hệ thống dùng chung (kèm nguồn)", UNIT_OF_TASK,
     NULL},
    /* end part: tasks */

    /* evidence part: files of a task's report. Uploads are streamed (never buffered; limit
     * --max-upload-mb); downloads are attachments only. */
    {"POST", P "/tasks/{id}/evidence", api_evidence_upload, ROLE_STAFF | ROLE_LEADER,
     W | OWN | ROUTE_STREAM_BODY, "Tải lên tệp minh chứng (multipart/form-data: file, replaces)",
     UNIT_OF_TASK, NULL},
    {"GET", P "/tasks/{id}/evidence", api_evidence_list, ANY, OWN | ASSIGNED,
     "Minh chứng của nhiệm vụ (kể cả phiên bản trước)", UNIT_OF_TASK, NULL},
    {"GET", P "/evidence/{id}/download", api_evidence_download, ANY, OWN | ASSIGNED,
     "Tải về tệp minh chứng",
     UNIT_OF_EVIDENCE, NULL},
    {"DELETE", P "/evidence/{id}", api_evidence_remove, ROLE_STAFF | ROLE_LEADER, W | OWN,
     "Gỡ minh chứng khỏi nhiệm vụ (giữ trong lịch sử)", UNIT_OF_EVIDENCE, NULL},

    /* part: readings — the reading a round uses for each ambiguous criterion (issue 8) */
    {"GET", P "/rounds/{id}/readings", api_readings_get, ANY, 0,
     "Cách hiểu của các tiêu chí chưa rõ trong đợt đánh giá (cách tính chính, các cách khác, cách đang dùng)",
     0, NULL},
    {"PUT", P "/rounds/{id}/readings", api_readings_put, ADMIN, W,
     "Chọn cách hiểu một tiêu chí cho đợt đánh giá (tính lại điểm tự đánh giá của các nhiệm vụ liên quan)",
     0, NULL},
    {"GET", P "/rounds/{id}/external-values", api_external_values_get, ADMIN, 0,
     "Kết quả lấy từ bộ chỉ số khác (CCHC) theo đơn vị trong đợt đánh giá", 0, NULL},
    {"PUT", P "/rounds/{id}/external-values", api_external_values_put, ADMIN, W | ROUTE_LARGE_BODY,
     "Nhập kết quả lấy từ bộ chỉ số khác (CCHC) cho các đơn vị (tính lại điểm nhiệm vụ liên quan)",
     0, NULL},
    {"POST", P "/rounds/{id}/external-values/import", api_external_values_import, ADMIN,
     W | ROUTE_RAW_BODY | ROUTE_LARGE_BODY,
     "Nhập kết quả lấy từ bộ chỉ số khác (CCHC) từ tệp CSV", 0, NULL},
    /* end part: readings */

    /* part: excel (issue 10, docs/excel.md) — a unit's template, every unit's templates as a
     * zip, the import of a filled template (?dry_run=1 shows the changes, saves nothing) */
    {"GET", P "/rounds/{id}/units/{unit}/template", api_unit_template,
     ADMIN | ROLE_STAFF | ROLE_LEADER, OWN, "Tải mẫu Excel báo cáo của đơn vị trong đợt",
     UNIT_OF_ROUND_UNIT, NULL},
    {"GET", P "/rounds/{id}/templates.zip", api_round_templates_zip, ADMIN, 0,
     "Tải mẫu Excel của mọi đơn vị trong đợt (một tệp zip)", 0, NULL},
    {"POST", P "/rounds/{id}/units/{unit}/import", api_unit_import,
     ADMIN | ROLE_STAFF | ROLE_LEADER, W | OWN | ROUTE_RAW_BODY | ROUTE_LARGE_BODY,
     "Nhập báo cáo từ mẫu Excel đã điền (dry_run=1: chỉ kiểm tra, hiện thay đổi)",
     UNIT_OF_ROUND_UNIT, "dry_run"},
    {"POST", P "/rounds/{id}/import", api_round_import, ADMIN,
     W | ROUTE_RAW_BODY | ROUTE_LARGE_BODY,
     "Nhập mẫu Excel đã điền của một đơn vị bất kỳ trong đợt (đơn vị lấy từ tệp; dry_run=1: chỉ "
     "kiểm tra)",
     0, "dry_run"},
    /* end part: excel */
    /* part: pub (issue 9) — publication of a finalised round (admin) and the public results:
     * no login; they read only frozen snapshots (docs/results-api.md "Publication") */
    {"POST", P "/rounds/{id}/publish", api_round_publish, ADMIN, W,
     "Công bố kết quả đợt đánh giá đã hoàn thành (đóng băng bản công bố, trả mã SHA-256)", 0,
     NULL},
    {"GET", P "/public/rounds", api_public_rounds, ROLE_PUBLIC, 0,
     "Các đợt đánh giá đã công bố kết quả (công khai)", 0, NULL},
    {"GET", P "/public/rounds/{id}", api_public_round, ROLE_PUBLIC, 0,
     "Kết quả công bố của một đợt: phiên bản, phương pháp (bộ chỉ số, cách hiểu, xếp loại)", 0,
     "version"},
    {"GET", P "/public/rounds/{id}/rankings", api_public_rankings, ROLE_PUBLIC, 0,
     "Bảng xếp hạng đã công bố của một cấp", 0, "level,version"},
    {"GET", P "/public/rounds/{id}/export.json", api_public_export_json, ROLE_PUBLIC, 0,
     "Tải về bản công bố (JSON; SHA-256 của tệp là mã kiểm tra)", 0, "version"},
    {"GET", P "/public/rounds/{id}/export.csv", api_public_export_csv, ROLE_PUBLIC, 0,
     "Tải về bảng xếp hạng đã công bố (CSV)", 0, "version"},
    /* end part: pub */
    /* part: rank (issue 9) — rankings per level, their robustness (?ranges=1), the .xlsx export,
     * band thresholds. Every signed-in role is listed; staff and leaders get 403 until the
     * round is finalised (api_rankings.c, the round's status is not a column here) */
    {"GET", P "/rounds/{id}/rankings", api_rankings, ANY, 0,
     "Xếp hạng đơn vị theo cấp: điểm, chỉ số, hạng, xếp loại, so với đợt trước, khoảng hạng theo cách hiểu",
     0, "level,ranges"},
    {"GET", P "/rounds/{id}/rankings.xlsx", api_rankings_xlsx, ANY, 0,
     "Tải xếp hạng và kết quả từng tiêu chí (Excel, mỗi cấp một trang)", 0, NULL},
    {"GET", P "/rounds/{id}/bands", api_bands_get, ANY, 0,
     "Ngưỡng xếp loại (xuất sắc, tốt, khá, trung bình) của đợt theo cấp", 0, "level"},
    {"PUT", P "/rounds/{id}/bands", api_bands_put, ADMIN, W,
     "Đặt ngưỡng xếp loại của đợt cho một cấp", 0, NULL},
    /* end part: rank */

    {NULL, NULL, NULL, 0, 0, NULL, 0, NULL},
};
