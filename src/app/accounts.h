/* accounts.h — bulk accounts for a round (issue 8): a staff and a leader account for every
 * participating unit that lacks one, each with its own one-time password.
 *
 * Three steps so the slow part (argon2id, ~90 ms a hash here) runs outside any transaction:
 *   accounts_plan()   reads which units lack which role (no lock held);
 *   accounts_hash()   generates and hashes every password on parallel threads (bounded by the
 *                     process-wide hashing gate of password.c, shared with logins);
 *   accounts_commit() in the caller's transaction: re-checks each planned account (a concurrent
 *                     run may have made it: then it is dropped), picks the user name, inserts
 *                     it (user.create audit entry each) and adds one round.accounts entry.
 * Passwords live only in the batch; accounts_free() wipes them. */
#ifndef DTI_APP_ACCOUNTS_H
#define DTI_APP_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app_err.h"
#include "app/password.h"
#include "app/units.h"
#include "store/db.h"

/* The two accounts every unit gets, in this order: role, user name suffix, Vietnamese label. */
enum account_kind { ACC_STAFF, ACC_LEADER, ACC_KINDS };
const char *account_role(enum account_kind k);   /* "staff", "leader" */
const char *account_suffix(enum account_kind k); /* "canbo", "lanhdao" */
const char *account_label(enum account_kind k);  /* "Cán bộ", "Lãnh đạo" */

struct account_row {
    int64_t unit_id;
    char unit_code[UNIT_CODE_MAX + 1];
    char unit_name[UNIT_NAME_MAX * 4 + 1];
    enum account_kind kind;
    char username[65];
    char otp[PASSWORD_OTP_LEN];
    char hash[PASSWORD_HASH_LEN];
    int64_t user_id; /* set by accounts_commit; 0: dropped (made meanwhile) */
};

struct account_batch {
    int64_t round_id;
    size_t units;           /* participating units (active) */
    struct account_row *rows;
    size_t n;               /* planned rows */
    size_t created;         /* rows with user_id != 0 after commit */
    double hash_seconds;    /* wall time of accounts_hash */
};

/* 404 when the round does not exist. Units: round_units of the round plus every unit
 * responsible for one of its tasks, retired units left out; a unit lacks a role when it has no
 * enabled account with that role. */
int accounts_plan(db_conn *c, int64_t round_id, struct account_batch *b, struct app_err *err);
/* Passwords and hashes for every planned row, on up to password_max_concurrent() threads. */
int accounts_hash(struct account_batch *b, struct app_err *err);
int accounts_commit(db_conn *c, const struct app_actor *who, struct account_batch *b,
                    const char *format, int64_t now, struct app_err *err);
void accounts_free(struct account_batch *b);

/* The user name of unit `code`'s account of kind k: lower-cased code, a dot, the suffix
 * ("STC" -> "stc.canbo"); attempt > 1 appends the number ("stc.canbo2") when the name is
 * taken by someone else. out: 65 bytes. */
void account_username(const char *code, enum account_kind k, int attempt, char out[65]);

/* ---- accounts_file.c: the file handed to the coordinator (created rows only) ---- */
/* The file (CSV or .xlsx below) as a descriptor at offset 0, *size set, for streaming
 * (http_reply_fd); the caller closes it. CSV lives in an anonymous memory file, the .xlsx in
 * an unlinked private temporary file. -1 on failure. */
int accounts_file_fd(const struct account_batch *b, bool xlsx, uint64_t *size);
/* CSV, UTF-8 with a BOM, CRLF, columns Đơn vị, Mã đơn vị, Vai trò, Tên đăng nhập, Mật khẩu
 * dùng một lần. malloc'd (read back from accounts_file_fd), *len set; NULL on failure. */
char *accounts_csv(const struct account_batch *b, size_t *len);
/* The same rows as an .xlsx workbook (libxlsxwriter; bold frozen header, column widths),
 * read back from accounts_file_fd. NULL on failure. */
char *accounts_xlsx(const struct account_batch *b, size_t *len);

#endif
