/* routes.c — the one route table (DESIGN §8): one row per endpoint, each declaring who may
 * call it and whether it changes state. The server enforces authentication, roles,
 * ROUTE_OWN_UNIT, CSRF (ROUTE_WRITE), the forced password change (ROUTE_PWCHANGE_OK) and the
 * admins' TOTP enrolment (ROUTE_TOTP_SETUP_OK) from
 * these rows before any handler runs; openapi.json is generated from them; the API tests walk
 * them to prove every route refuses the wrong caller. Keep it readable as a table. */
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

const struct route dti_routes[] = {
    {"GET", P "/health", api_health, ROLE_PUBLIC, 0, "Tình trạng máy chủ và cơ sở dữ liệu"},
    {"GET", P "/openapi.json", api_openapi, ROLE_PUBLIC, 0, "Mô tả API (OpenAPI 3.0)"},

    /* sessions: login is public (no session yet, so no CSRF either) */
    {"POST", P "/auth/login", api_login, ROLE_PUBLIC, W, "Đăng nhập"},
    {"POST", P "/auth/login/second-factor", api_login_second, ROLE_PUBLIC, W,
     "Đăng nhập bước 2: mã xác thực hai bước hoặc mã khôi phục"},
    {"POST", P "/auth/logout", api_logout, ANY, W | PW | T, "Đăng xuất"},
    {"POST", P "/auth/password", api_password, ANY, W | PW | T, "Đổi mật khẩu"},
    {"GET", P "/me", api_me, ANY | ROLE_FEED, PW | T, "Người dùng hiện tại"},
    /* second factor: an admin without it may call only these (and the rows above) */
    {"POST", P "/auth/totp/enrol", api_totp_enrol, ANY, W | T,
     "Bắt đầu đăng ký xác thực hai bước (tạo khoá bí mật)"},
    {"POST", P "/auth/totp/confirm", api_totp_confirm, ANY, W | T,
     "Xác nhận đăng ký xác thực hai bước; trả về mã khôi phục (chỉ một lần)"},
    {"POST", P "/auth/totp/disable", api_totp_disable, ANY, W, "Tắt xác thực hai bước"},

    /* units: the tree is visible to every signed-in user, changed by admins only */
    {"GET", P "/units", api_units_list, ANY, 0, "Danh sách đơn vị"},
    {"GET", P "/units/{id}", api_unit_get, ANY, 0, "Một đơn vị"},
    {"POST", P "/units", api_unit_create, ADMIN, W, "Tạo đơn vị"},
    {"PATCH", P "/units/{id}", api_unit_update, ADMIN, W, "Sửa đơn vị"},
    {"POST", P "/units/{id}/retire", api_unit_retire, ADMIN, W, "Cho đơn vị ngừng hoạt động"},

    /* users: a leader lists their own unit's accounts (checked in the handler) */
    {"GET", P "/users", api_users_list, ADMIN | ROLE_LEADER, 0, "Danh sách tài khoản"},
    {"POST", P "/users", api_user_create, ADMIN, W, "Tạo tài khoản"},
    {"PATCH", P "/users/{id}", api_user_update, ADMIN, W, "Sửa tài khoản"},
    {"POST", P "/users/{id}/disable", api_user_disable, ADMIN, W, "Khoá tài khoản"},
    {"POST", P "/users/{id}/enable", api_user_enable, ADMIN, W, "Mở khoá tài khoản"},
    {"POST", P "/users/{id}/reset-password", api_user_reset_password, ADMIN, W,
     "Cấp lại mật khẩu dùng một lần"},
    {"POST", P "/users/{id}/totp-reset", api_user_totp_reset, ADMIN, W,
     "Xoá xác thực hai bước của tài khoản (người dùng đăng ký lại)"},

    /* audit trail */
    {"GET", P "/audit", api_audit_list, ADMIN, 0, "Nhật ký thay đổi"},
    {"GET", P "/audit/verify", api_audit_verify, ADMIN, 0, "Kiểm tra tính toàn vẹn nhật ký"},

    /* API tokens for data feeds */
    {"GET", P "/tokens", api_tokens_list, ADMIN, 0, "Danh sách mã truy cập API"},
    {"POST", P "/tokens", api_token_create, ADMIN, W, "Tạo mã truy cập API"},
    {"POST", P "/tokens/{id}/revoke", api_token_revoke, ADMIN, W, "Thu hồi mã truy cập API"},

    /* index sets: any signed-in user reads them; an upload is the raw file, up to 4 MiB */
    {"GET", P "/frameworks", api_frameworks_list, ANY, 0, "Danh sách bộ chỉ số"},
    {"GET", P "/frameworks/{id}", api_framework_get, ANY, 0,
     "Một bộ chỉ số (phiên bản mới nhất, hoặc ?version=N) kèm tổng điểm từng nút"},
    {"POST", P "/frameworks", api_framework_create, ADMIN, W | ROUTE_RAW_BODY | ROUTE_LARGE_BODY,
     "Tải lên bộ chỉ số (hoặc phiên bản mới)"},

    {NULL, NULL, NULL, 0, 0, NULL},
};
