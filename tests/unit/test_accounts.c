/* test_accounts.c — units, users, sessions, throttling and API tokens against a real SQLite
 * database, and also PostgreSQL when DTI_TEST_PG_URL names a throwaway database (its public
 * schema is wiped first). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <liboath/oath.h>

#include "app/demo.h"
#include "app/password.h"
#include "app/schema.h"
#include "app/session.h"
#include "app/throttle.h"
#include "app/tokens.h"
#include "app/totp.h"
#include "app/units.h"
#include "app/users.h"
#include "http/http.h"

static char dir[64];
static db *pool;
static db_conn *conn;
static const struct app_actor cli = {0, "cli", NULL};
static const int64_t T0 = 1790000000;
static const char *pg_url; /* NULL: SQLite run */

static int64_t count(const char *sql)
{
    int64_t n = -1;
    assert_int_equal(db_query_int(conn, sql, NULL, 0, &n), DB_OK);
    return n;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/dti-acc.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char url[512], err[256];
    if (pg_url)
        snprintf(url, sizeof url, "%s", pg_url);
    else
        snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    pool = db_open(url, 1, err, sizeof err);
    if (pool && pg_url) {
        db_conn *w = db_acquire(pool);
        if (!w || db_exec_script(w, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
            return -1;
        db_release(w);
    }
    if (!pool || db_migrate(pool, dti_migrations, dti_migrations_count, err, sizeof err))
        return -1;
    conn = db_acquire(pool);
    struct app_err e;
    int64_t prov;
    if (db_begin(conn) || demo_create_units(conn, &cli, T0, &prov, &e) || db_commit(conn))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_release(conn);
    db_close(pool);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* Runs f inside a transaction, commits on success, rolls back on refusal. */
#define TX(call)                                                                                 \
    ({                                                                                           \
        assert_int_equal(db_begin(conn), DB_OK);                                                 \
        int rc_ = (call);                                                                        \
        if (rc_ == 0)                                                                            \
            assert_int_equal(db_commit(conn), DB_OK);                                            \
        else                                                                                     \
            db_rollback(conn);                                                                   \
        rc_;                                                                                     \
    })

/* session_login for a client without a device cookie. */
static int login(db_conn *c, const char *u, const char *pw, const char *addr, int64_t now,
                 struct login_ok *out, struct app_err *e)
{
    struct login_req q = {.username = u, .password = pw, .addr = addr, .device = NULL};
    return session_login(c, &q, now, out, e);
}

static void demo_tree(void **state)
{
    (void)state;
    assert_int_equal(count("SELECT COUNT(*) FROM units"), 29);
    assert_int_equal(count("SELECT COUNT(*) FROM units WHERE kind = 'commune' AND parent_id = "
                           "(SELECT id FROM units WHERE code = 'NAMDONG')"),
                     10);
    json_t *u = unit_get(conn, unit_id_by_code(conn, "NHNN"));
    assert_string_equal(json_string_value(json_object_get(u, "name")),
                        "Ngân hàng Nhà nước chi nhánh tỉnh Thừa Thiên Huế");
    json_decref(u);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'unit.create'"), 29);
}

static void unit_rules(void **state)
{
    (void)state;
    struct app_err e;
    int64_t hue = unit_id_by_code(conn, "HUE"), nd = unit_id_by_code(conn, "NAMDONG");
    int64_t before = count("SELECT COUNT(*) FROM audit_log");
    /* bad inputs: each refused with the field named, nothing stored */
    struct unit_input bad_code = {.code = "có dấu", .name = "X", .kind = "other"};
    assert_int_equal(TX(unit_create(conn, &cli, &bad_code, T0, NULL, &e)), -1);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.field, "code");
    struct unit_input dup = {.code = "STC", .name = "X", .kind = "other"};
    assert_int_equal(TX(unit_create(conn, &cli, &dup, T0, NULL, &e)), -1);
    assert_int_equal(e.status, 409);
    struct unit_input kind = {.code = "K1", .name = "X", .kind = "ministry"};
    assert_int_equal(TX(unit_create(conn, &cli, &kind, T0, NULL, &e)), -1);
    assert_string_equal(e.field, "kind");
    json_t *info = json_pack("{s:i}", "servers_count", -1);
    struct unit_input neg = {.code = "K2", .name = "X", .kind = "other", .info = info};
    assert_int_equal(TX(unit_create(conn, &cli, &neg, T0, NULL, &e)), -1);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.field, "info.servers_count");
    json_decref(info);
    info = json_pack("{s:s}", "website", "javascript:alert(1)");
    struct unit_input web = {.code = "K3", .name = "X", .kind = "other", .info = info};
    assert_int_equal(TX(unit_create(conn, &cli, &web, T0, NULL, &e)), -1);
    assert_string_equal(e.field, "info.website");
    json_decref(info);
    info = json_pack("{s:s}", "colour", "red");
    struct unit_input unk = {.code = "K4", .name = "X", .kind = "other", .info = info};
    assert_int_equal(TX(unit_create(conn, &cli, &unk, T0, NULL, &e)), -1);
    assert_int_equal(e.status, 400);
    assert_string_equal(e.code, "unknown_field");
    json_decref(info);
    struct unit_input noparent = {.code = "K5", .name = "X", .kind = "commune",
                                  .has_parent = true, .parent_id = 99999};
    assert_int_equal(TX(unit_create(conn, &cli, &noparent, T0, NULL, &e)), -1);
    assert_string_equal(e.field, "parent_id");
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), before);
    assert_int_equal(count("SELECT COUNT(*) FROM units"), 29);

    /* no cycles: the province cannot go below its own district */
    struct unit_input cyc = {.has_parent = true, .parent_id = nd};
    assert_int_equal(TX(unit_update(conn, &cli, hue, &cyc, T0, &e)), -1);
    assert_string_equal(e.code, "invalid_parent");
    struct unit_input self = {.has_parent = true, .parent_id = nd};
    assert_int_equal(TX(unit_update(conn, &cli, nd, &self, T0, &e)), -1);

    /* verbatim storage of markup and SQL metacharacters */
    int64_t id;
    struct unit_input odd = {.code = "ODD", .name = "<script>alert('x')</script>; DROP TABLE units;--",
                             .kind = "other", .has_parent = true, .parent_id = hue};
    assert_int_equal(TX(unit_create(conn, &cli, &odd, T0, &id, &e)), 0);
    json_t *u = unit_get(conn, id);
    assert_string_equal(json_string_value(json_object_get(u, "name")), odd.name);
    json_decref(u);

    /* retire: a unit with active children is refused; a leaf works; twice is a conflict */
    assert_int_equal(TX(unit_retire(conn, &cli, nd, "sáp nhập", T0, &e)), -1);
    assert_int_equal(e.status, 409);
    assert_int_equal(TX(unit_retire(conn, &cli, id, "thử", T0, &e)), 0);
    assert_false(unit_is_active(conn, id));
    assert_int_equal(TX(unit_retire(conn, &cli, id, "thử", T0, &e)), -1);
    /* a retired unit cannot become a parent */
    struct unit_input under = {.code = "UNDER", .name = "X", .kind = "other", .has_parent = true,
                               .parent_id = id};
    assert_int_equal(TX(unit_create(conn, &cli, &under, T0, NULL, &e)), -1);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'unit.retire'"), 1);

    /* PATCH info merges keys, null removes one */
    info = json_pack("{s:i,s:s}", "servers_count", 4, "website", "https://stc.hue.gov.vn");
    struct unit_input p1 = {.info = info};
    int64_t stc = unit_id_by_code(conn, "STC");
    assert_int_equal(TX(unit_update(conn, &cli, stc, &p1, T0, &e)), 0);
    json_decref(info);
    info = json_pack("{s:n,s:i}", "website", "workstations_count", 120);
    struct unit_input p2 = {.info = info};
    assert_int_equal(TX(unit_update(conn, &cli, stc, &p2, T0, &e)), 0);
    json_decref(info);
    u = unit_get(conn, stc);
    json_t *ui = json_object_get(u, "info");
    assert_int_equal(json_integer_value(json_object_get(ui, "servers_count")), 4);
    assert_int_equal(json_integer_value(json_object_get(ui, "workstations_count")), 120);
    assert_null(json_object_get(ui, "website"));
    json_decref(u);
}

static int64_t make_user(const char *name, const char *role, const char *unit, char *pw_out)
{
    struct app_err e;
    struct user_input in = {.username = name, .full_name = "Người Thử", .role = role,
                            .unit_id = unit_id_by_code(conn, unit)};
    char otp[PASSWORD_OTP_LEN];
    int64_t id = 0;
    assert_int_equal(TX(user_create(conn, &cli, &in, T0, &id, otp, &e)), 0);
    if (pw_out)
        strcpy(pw_out, otp);
    return id;
}

static void users_and_sessions(void **state)
{
    (void)state;
    struct app_err e;
    char otp[PASSWORD_OTP_LEN];
    int64_t uid = make_user("Tran.Thi-B", "staff", "STC", otp);
    json_t *u = user_get(conn, uid);
    assert_string_equal(json_string_value(json_object_get(u, "username")), "tran.thi-b");
    assert_true(json_is_true(json_object_get(u, "must_change_password")));
    assert_null(json_object_get(u, "password_hash"));
    json_decref(u);
    /* the audit entry holds no hash and no password */
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.create' AND "
                           "(new_value LIKE '%argon2%' OR new_value LIKE '%password_hash%')"),
                     0);

    /* login: wrong password, right password */
    struct login_ok ok;
    assert_int_equal(login(conn, "tran.thi-b", "sai mật khẩu", "10.0.0.1", T0, &ok, &e), -1);
    assert_int_equal(e.status, 401);
    assert_int_equal(login(conn, "nobody", "sai mật khẩu", "10.0.0.1", T0, &ok, &e), -1);
    assert_int_equal(e.status, 401);
    assert_int_equal(login(conn, "TRAN.THI-B", otp, "10.0.0.1", T0, &ok, &e), 0);
    struct caller who;
    assert_true(auth_session_lookup(conn, ok.token, T0 + 10, &who));
    assert_int_equal(who.user_id, uid);
    assert_int_equal(who.role, ROLE_STAFF);
    assert_true(who.must_change_password);
    assert_string_equal(who.csrf, ok.csrf);
    /* only the hash is stored */
    char q[256];
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM sessions WHERE token_hash = '%s'", ok.token);
    assert_int_equal(count(q), 0);

    /* idle timeout: 30 min without a request */
    assert_false(auth_session_lookup(conn, ok.token, T0 + 10 + SESSION_IDLE_SECONDS + 1, &who));
    /* the expired session was deleted: even "earlier" it is gone */
    assert_false(auth_session_lookup(conn, ok.token, T0 + 20, &who));

    /* absolute timeout: active every 20 minutes, still ends after 12 h */
    assert_int_equal(login(conn, "tran.thi-b", otp, "10.0.0.1", T0, &ok, &e), 0);
    int64_t t = T0;
    for (; t < T0 + SESSION_ABSOLUTE_SECONDS - 1200; t += 1200)
        assert_true(auth_session_lookup(conn, ok.token, t, &who));
    assert_false(auth_session_lookup(conn, ok.token, T0 + SESSION_ABSOLUTE_SECONDS, &who));

    /* password change: weak refused, strong accepted, other sessions revoked */
    struct login_ok a, b;
    assert_int_equal(login(conn, "tran.thi-b", otp, "10.0.0.1", T0, &a, &e), 0);
    assert_int_equal(login(conn, "tran.thi-b", otp, "10.0.0.2", T0, &b, &e), 0);
    assert_true(auth_session_lookup(conn, a.token, T0 + 1, &who));
    assert_int_equal(session_change_password(conn, &who, "10.0.0.1", otp, "abc@1234", T0, &e), -1);
    assert_string_equal(e.code, "weak_password");
    assert_string_equal(e.field, "new_password");
    assert_int_equal(session_change_password(conn, &who, "10.0.0.1", "wrong", "Đèo Hải Vân 2026", T0, &e), -1);
    assert_string_equal(e.field, "current_password");
    assert_int_equal(session_change_password(conn, &who, "10.0.0.1", otp, "Đèo Hải Vân 2026", T0, &e), 0);
    assert_true(auth_session_lookup(conn, a.token, T0 + 2, &who));
    assert_false(who.must_change_password);
    assert_false(auth_session_lookup(conn, b.token, T0 + 2, &who));

    /* disable: sessions die, login says disabled only with the right password */
    assert_int_equal(TX(user_set_disabled(conn, &cli, uid, true, T0, &e)), 0);
    assert_false(auth_session_lookup(conn, a.token, T0 + 3, &who));
    assert_int_equal(login(conn, "tran.thi-b", "Đèo Hải Vân 2026", "10.0.0.3", T0, &ok, &e), -1);
    assert_int_equal(e.status, 403);
    assert_string_equal(e.code, "account_disabled");
    assert_int_equal(TX(user_set_disabled(conn, &cli, uid, false, T0, &e)), 0);

    /* reset: new one-time password, old one no longer works, must change again */
    char otp2[PASSWORD_OTP_LEN];
    assert_int_equal(TX(user_reset_password(conn, &cli, uid, T0, otp2, &e)), 0);
    assert_int_equal(login(conn, "tran.thi-b", "Đèo Hải Vân 2026", "10.0.0.4", T0, &ok, &e), -1);
    assert_int_equal(login(conn, "tran.thi-b", otp2, "10.0.0.4", T0, &ok, &e), 0);
    assert_true(auth_session_lookup(conn, ok.token, T0 + 1, &who));
    assert_true(who.must_change_password);

    /* duplicates and bad fields */
    struct user_input dup = {.username = "TRAN.THI-B", .full_name = "Trần Thị B", .role = "staff",
                             .unit_id = unit_id_by_code(conn, "STC")};
    assert_int_equal(TX(user_create(conn, &cli, &dup, T0, NULL, otp, &e)), -1);
    assert_int_equal(e.status, 409);
    /* a full name is required, and blank after trimming is no name */
    struct user_input nameless = {.username = "khong.ten", .role = "staff",
                                  .unit_id = unit_id_by_code(conn, "STC")};
    assert_int_equal(TX(user_create(conn, &cli, &nameless, T0, NULL, otp, &e)), -1);
    assert_int_equal(e.status, 400);
    assert_string_equal(e.field, "full_name");
    nameless.full_name = "\xc2\xa0 ";
    assert_int_equal(TX(user_create(conn, &cli, &nameless, T0, NULL, otp, &e)), -1);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.field, "full_name");
    assert_int_equal(user_id_by_name(conn, "khong.ten"), 0);
    struct user_input feed = {.username = "feeder", .full_name = "Máy", .role = "feed",
                              .unit_id = unit_id_by_code(conn, "STC")};
    assert_int_equal(TX(user_create(conn, &cli, &feed, T0, NULL, otp, &e)), -1);
    assert_string_equal(e.field, "role");
}

static void throttling(void **state)
{
    (void)state;
    struct app_err e;
    struct login_ok ok;
    char otp[PASSWORD_OTP_LEN];
    make_user("le.van.c", "leader", "SNV", otp);
    const int64_t t = T0 + 5000;
    const int pair_window = throttle_limits[THR_PAIR].window;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(login(conn, "le.van.c", "sai", "10.1.0.1", t + i, &ok, &e), -1);
        assert_int_equal(e.status, 401);
    }
    /* 6th attempt from that address: blocked even with the right password, message says when */
    assert_int_equal(login(conn, "le.van.c", otp, "10.1.0.1", t + 10, &ok, &e), -1);
    assert_int_equal(e.status, 429);
    assert_string_equal(e.code, "too_many_attempts");
    assert_non_null(strstr(e.message, "phút"));
    assert_int_equal(e.retry_after, pair_window - 10);
    /* from another address the account is still open (5 of its 10 per hour used) */
    assert_int_equal(login(conn, "le.van.c", otp, "10.1.0.2", t + 10, &ok, &e), 0);
    /* after the window the pair opens again */
    assert_int_equal(login(conn, "le.van.c", otp, "10.1.0.1", t + pair_window + 1, &ok, &e), 0);

    /* the account budget: 10 per hour for unknown clients, whatever the addresses */
    char otp_d[PASSWORD_OTP_LEN];
    make_user("le.van.d", "staff", "SNV", otp_d);
    /* le.van.d's own browser logged in once before the strangers came */
    struct login_ok mine;
    struct login_req dq = {.username = "le.van.d", .password = otp_d, .addr = "10.2.9.9"};
    assert_int_equal(session_login(conn, &dq, t, &mine, &e), 0);
    char my_device[SECRET_HEX_LEN];
    memcpy(my_device, mine.device, sizeof my_device);
    char addr[32];
    int checked = 0;
    for (int i = 0; i < 40; i++) {
        snprintf(addr, sizeof addr, "10.2.0.%d", i);
        if (login(conn, "le.van.d", "sai", addr, t + i, &ok, &e) == -1 && e.status == 401)
            checked++;
    }
    assert_int_equal(checked, 10);
    assert_int_equal(login(conn, "le.van.d", otp_d, "10.2.1.1", t + 50, &ok, &e), -1);
    assert_int_equal(e.status, 429);
    assert_int_equal(e.retry_after, throttle_limits[THR_ACCOUNT].window - 50);

    /* ... its known device still gets in, even from an address the strangers used, and can
     * change the password (not 429: the account budget does not apply there) */
    dq.device = my_device;
    dq.addr = "10.2.0.3";
    assert_int_equal(session_login(conn, &dq, t + 60, &mine, &e), 0);
    struct caller me_d;
    assert_true(auth_session_lookup(conn, mine.token, t + 61, &me_d));
    assert_int_equal(session_change_password(conn, &me_d, "10.2.0.3", "sai", "Đèo Hải Vân 2026",
                                             t + 62, &e), -1);
    assert_int_equal(e.status, 422);

    /* wrong current passwords on a password change: 5 per session */
    struct login_ok dev;
    struct login_req kq = {.username = "le.van.c", .password = otp, .addr = "10.3.0.1"};
    assert_int_equal(session_login(conn, &kq, t + 70, &dev, &e), 0);
    struct caller who;
    assert_true(auth_session_lookup(conn, dev.token, t + 71, &who));
    for (int i = 0; i < 5; i++) {
        assert_int_equal(session_change_password(conn, &who, "10.3.0.1", "sai", "Đèo Hải Vân 2026",
                                                 t + 72, &e), -1);
        assert_int_equal(e.status, 422);
    }
    assert_int_equal(session_change_password(conn, &who, "10.3.0.1", otp, "Đèo Hải Vân 2026",
                                             t + 73, &e), -1);
    assert_int_equal(e.status, 429);
    kq.username = "le.van.d";
    kq.password = otp_d;
    kq.device = dev.device; /* a device known for le.van.c only: unknown for le.van.d */
    assert_int_equal(session_login(conn, &kq, t + 74, &dev, &e), -1);
    assert_int_equal(e.status, 429);

    /* rows of windows that ended long ago are swept */
    int64_t rows = count("SELECT COUNT(*) FROM login_counters");
    assert_true(rows > 0);
    assert_int_equal(throttle_sweep(conn, t + 100), DB_OK);
    assert_int_equal(count("SELECT COUNT(*) FROM login_counters"), rows);
    assert_int_equal(throttle_sweep(conn, t + 1000 + THROTTLE_KEEP_SECONDS), DB_OK);
    assert_int_equal(count("SELECT COUNT(*) FROM login_counters"), 0);

    /* per address: 50 failures over many names block that address, not others */
    char name[32];
    for (int i = 0; i < 50; i++) {
        snprintf(name, sizeof name, "ghost%d", i);
        login(conn, name, "sai", "10.9.9.9", t + i, &ok, &e);
    }
    assert_int_equal(login(conn, "le.van.c", otp, "10.9.9.9", t + 60, &ok, &e), -1);
    assert_int_equal(e.status, 429);
    assert_int_equal(login(conn, "le.van.c", otp, "10.9.9.8", t + 60, &ok, &e), 0);
}

/* The TOTP code of a base32 secret at time t (liboath, as an authenticator app would). */
static void code_at(const char *b32, int64_t t, char out[7])
{
    char *key = NULL;
    size_t len = 0;
    assert_int_equal(oath_base32_decode(b32, strlen(b32), &key, &len), OATH_OK);
    assert_int_equal(oath_totp_generate(key, len, (time_t)t, TOTP_STEP, 0, TOTP_DIGITS, out), OATH_OK);
    free(key);
}

static void second_factor(void **state)
{
    (void)state;
    struct app_err e;
    struct login_ok ok;
    char otp[PASSWORD_OTP_LEN], code[7];
    int64_t uid = make_user("pham.totp", "staff", "STC", otp);
    const int64_t t = T0 + 90000;
    struct caller who = {.authenticated = true, .user_id = uid, .role = ROLE_STAFF};
    snprintf(who.username, sizeof who.username, "pham.totp");
    json_t *en = totp_enrol_start(conn, &who, "10.5.0.1", t, &e);
    assert_non_null(en);
    char secret[64];
    snprintf(secret, sizeof secret, "%s", json_string_value(json_object_get(en, "secret")));
    json_decref(en);
    assert_int_equal(strlen(secret), 32);
    /* not active before confirmation: login is one step */
    assert_int_equal(login(conn, "pham.totp", otp, "10.5.0.1", t, &ok, &e), 0);
    assert_false(ok.second_factor);
    code_at(secret, t - 3 * TOTP_STEP, code); /* outside the drift window */
    assert_null(totp_enrol_confirm(conn, &who, "10.5.0.1", code, t, &e));
    assert_int_equal(e.status, 422);
    code_at(secret, t, code);
    json_t *rc = totp_enrol_confirm(conn, &who, "10.5.0.1", code, t, &e);
    assert_non_null(rc);
    json_t *codes = json_object_get(rc, "recovery_codes");
    assert_int_equal(json_array_size(codes), TOTP_RECOVERY_CODES);
    char recovery[32];
    snprintf(recovery, sizeof recovery, "%s", json_string_value(json_array_get(codes, 0)));
    json_decref(rc);
    assert_int_equal(count("SELECT COUNT(*) FROM recovery_codes WHERE used_at IS NULL AND code_hash NOT LIKE '%-%'"), TOTP_RECOVERY_CODES);

    /* password, then code: the code confirmed with is spent (replay), the next step passes */
    assert_int_equal(login(conn, "pham.totp", otp, "10.5.0.1", t + 1, &ok, &e), 0);
    assert_true(ok.second_factor);
    assert_int_equal(ok.session_id, 0);
    char pending[SECRET_HEX_LEN];
    memcpy(pending, ok.pending, sizeof pending);
    struct login_req q = {.addr = "10.5.0.1"};
    assert_int_equal(session_login_second(conn, pending, code, &q, t + 1, &ok, &e), -1);
    assert_string_equal(e.code, "invalid_code");
    code_at(secret, t + TOTP_STEP, code);
    assert_int_equal(session_login_second(conn, pending, code, &q, t + 2, &ok, &e), 0);
    assert_true(ok.session_id > 0);
    /* an earlier step than the last used one is refused too */
    assert_int_equal(login(conn, "pham.totp", otp, "10.5.0.1", t + 3, &ok, &e), 0);
    memcpy(pending, ok.pending, sizeof pending);
    code_at(secret, t, code);
    assert_int_equal(session_login_second(conn, pending, code, &q, t + 3, &ok, &e), -1);
    /* a recovery code, once */
    assert_int_equal(session_login_second(conn, pending, recovery, &q, t + 4, &ok, &e), 0);
    assert_int_equal(login(conn, "pham.totp", otp, "10.5.0.1", t + 5, &ok, &e), 0);
    memcpy(pending, ok.pending, sizeof pending);
    assert_int_equal(session_login_second(conn, pending, recovery, &q, t + 5, &ok, &e), -1);
    /* the pending login expires */
    code_at(secret, t + 2 * TOTP_STEP + SESSION_PENDING_SECONDS, code);
    assert_int_equal(session_login_second(conn, pending, code, &q, t + 5 + SESSION_PENDING_SECONDS, &ok, &e), -1);
    assert_string_equal(e.code, "login_expired");
    /* an admin's reset: off again, one-step login */
    struct app_actor a = {0, "cli", NULL};
    assert_int_equal(TX(totp_reset_in_tx(conn, &a, uid, t + 9, &e)), 0);
    assert_int_equal(login(conn, "pham.totp", otp, "10.5.0.1", t + 10, &ok, &e), 0);
    assert_false(ok.second_factor);
    assert_int_equal(count("SELECT COUNT(*) FROM recovery_codes"), 0);
}

static void api_tokens(void **state)
{
    (void)state;
    struct app_err e;
    char secret[TOKEN_SECRET_LEN];
    int64_t id, stc = unit_id_by_code(conn, "STC");
    assert_int_equal(TX(token_create(conn, &cli, "Cổng dịch vụ công", stc, "feed", T0, &id, secret, &e)), 0);
    assert_int_equal(strlen(secret), 68);
    assert_memory_equal(secret, "dti_", 4);
    struct caller who;
    assert_true(auth_token_lookup(conn, secret, T0, &who));
    assert_int_equal(who.role, ROLE_FEED);
    assert_int_equal(who.unit_id, stc);
    assert_int_equal(who.user_id, 0);
    assert_int_equal(count("SELECT COUNT(*) FROM api_tokens WHERE last_used_at IS NOT NULL"), 1);
    char bad[TOKEN_SECRET_LEN];
    strcpy(bad, secret);
    bad[10] = bad[10] == 'a' ? 'b' : 'a';
    assert_false(auth_token_lookup(conn, bad, T0, &who));
    assert_int_equal(TX(token_create(conn, &cli, "root", stc, "admin", T0, NULL, bad, &e)), -1);
    assert_string_equal(e.field, "role");
    assert_int_equal(TX(token_revoke(conn, &cli, id, T0, &e)), 0);
    assert_false(auth_token_lookup(conn, secret, T0, &who));
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'api_token'"), 2);
}

/* Retiring a unit ends its users' sessions and revokes its tokens in the same transaction;
 * whatever escaped that (a row restored by hand) is still refused with unit_retired. */
static void retired_unit(void **state)
{
    (void)state;
    struct app_err e;
    int64_t hue = unit_id_by_code(conn, "HUE"); /* every unit but the root has a parent */
    struct unit_input ui = {.code = "XA_CU", .name = "Xã Cũ", .kind = "commune",
                            .has_parent = true, .parent_id = hue};
    int64_t unit = 0;
    assert_int_equal(TX(unit_create(conn, &cli, &ui, T0, &unit, &e)), 0);
    struct unit_input ui2 = {.code = "XA_MOI", .name = "Xã Mới", .kind = "commune",
                             .has_parent = true, .parent_id = hue};
    int64_t other = 0;
    assert_int_equal(TX(unit_create(conn, &cli, &ui2, T0, &other, &e)), 0);
    char otp[PASSWORD_OTP_LEN];
    int64_t uid = make_user("can.bo.xa", "staff", "XA_CU", otp);
    struct login_ok ok;
    assert_int_equal(login(conn, "can.bo.xa", otp, "10.0.0.9", T0, &ok, &e), 0);
    char secret[TOKEN_SECRET_LEN], secret2[TOKEN_SECRET_LEN];
    int64_t tok = 0, tok2 = 0;
    assert_int_equal(TX(token_create(conn, &cli, "Xã cũ", unit, "feed", T0, &tok, secret, &e)), 0);
    assert_int_equal(TX(token_create(conn, &cli, "Xã mới", other, "feed", T0, &tok2, secret2, &e)), 0);

    assert_int_equal(TX(unit_retire(conn, &cli, unit, "sáp nhập", T0 + 5, &e)), 0);
    char q[200];
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM sessions WHERE user_id = %lld", (long long)uid);
    assert_int_equal(count(q), 0);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM api_tokens WHERE id = %lld AND revoked_at = %lld",
             (long long)tok, (long long)(T0 + 5));
    assert_int_equal(count(q), 1);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM api_tokens WHERE id = %lld AND revoked_at IS NULL",
             (long long)tok2);
    assert_int_equal(count(q), 1);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit_log WHERE action = 'unit.end_sessions' AND entity_id = '%lld'",
             (long long)unit);
    assert_int_equal(count(q), 1);

    /* login: right password -> 403 unit_retired; wrong one -> 401 as for anyone */
    assert_int_equal(login(conn, "can.bo.xa", otp, "10.0.0.9", T0 + 6, &ok, &e), -1);
    assert_int_equal(e.status, 403);
    assert_string_equal(e.code, "unit_retired");
    assert_int_equal(login(conn, "can.bo.xa", "sai mật khẩu", "10.0.0.9", T0 + 6, &ok, &e), -1);
    assert_int_equal(e.status, 401);

    /* lookups refuse with the reason even for rows that escaped the retirement */
    assert_int_equal(db_exec(conn, "UPDATE units SET retired_at = NULL WHERE id = ?",
                             (db_param[]){DB_P_INT(unit)}, 1, NULL), DB_OK);
    assert_int_equal(login(conn, "can.bo.xa", otp, "10.0.0.9", T0 + 7, &ok, &e), 0);
    assert_int_equal(db_exec(conn, "UPDATE api_tokens SET revoked_at = NULL WHERE id = ?",
                             (db_param[]){DB_P_INT(tok)}, 1, NULL), DB_OK);
    assert_int_equal(db_exec(conn, "UPDATE units SET retired_at = ? WHERE id = ?",
                             (db_param[]){DB_P_INT(T0 + 8), DB_P_INT(unit)}, 2, NULL), DB_OK);
    struct caller who = {0};
    assert_false(auth_session_lookup(conn, ok.token, T0 + 9, &who));
    assert_non_null(who.refused_code);
    assert_string_equal(who.refused_code, "unit_retired");
    assert_non_null(strstr(who.refused_message, "ngừng hoạt động"));
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM sessions WHERE user_id = %lld", (long long)uid);
    assert_int_equal(count(q), 0); /* deleted on sight */
    memset(&who, 0, sizeof who);
    assert_false(auth_token_lookup(conn, secret, T0 + 9, &who));
    assert_non_null(who.refused_code);
    assert_string_equal(who.refused_code, "unit_retired");
    memset(&who, 0, sizeof who);
    assert_true(auth_token_lookup(conn, secret2, T0 + 9, &who));
    assert_null(who.refused_code);
}

int main(void)
{
    if (!password_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(demo_tree),
        cmocka_unit_test(unit_rules),
        cmocka_unit_test(users_and_sessions),
        cmocka_unit_test(throttling),
        cmocka_unit_test(second_factor),
        cmocka_unit_test(api_tokens),
        cmocka_unit_test(retired_unit),
    };
    int failed = cmocka_run_group_tests_name("sqlite", tests, setup, teardown);
    pg_url = getenv("DTI_TEST_PG_URL");
    if (pg_url && *pg_url)
        failed += cmocka_run_group_tests_name("postgresql", tests, setup, teardown);
    return failed;
}
