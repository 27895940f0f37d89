/* api.h — the JSON API handlers (one file per resource) and their shared input helpers.
 * The router has already enforced authentication, role, CSRF and body limits (http.h). */
#ifndef DTI_API_API_H
#define DTI_API_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app_err.h"
#include "http/http.h"
#include "http/json_read.h"

/* ---- api_input.c ---- */
enum in_result { IN_ERROR = -1, IN_ABSENT = 0, IN_NULL = 1, IN_VALUE = 2 };

/* The request body as an object (an empty one when there was no body); NULL after replying
 * 400 when the body is not an object or has a key outside `allowed` (NULL-terminated). */
json_t *in_body(http_req *r, const char *const allowed[]);
/* Like in_body for routes that need fields: no body at all (or an empty one) replies 400
 * invalid_json "Nội dung yêu cầu trống…" instead of a missing_field about the first field. */
json_t *in_body_req(http_req *r, const char *const allowed[]);
/* Query flag `name`: absent -> false; 1/true -> true; 0/false -> false; anything else replies
 * 400 invalid_value naming the parameter and returns false. */
bool in_query_bool(http_req *r, const char *name, bool *out);
/* Limit to pass in_string for a text the application layer cleans (text_clean_line): it checks
 * the length of the normalised value, so the raw one is only bounded by the body limits. */
#define IN_TEXT_ANY_LENGTH ((size_t)JSON_MAX_STRING)
/* A string field of at most max_chars characters. Wrong type / too long: replies 400. */
int in_string(http_req *r, json_t *obj, const char *key, size_t max_chars, const char **out);
/* Like in_string but refuses absence or null with 400 missing_field. */
bool in_string_req(http_req *r, json_t *obj, const char *key, size_t max_chars,
                   const char **out);
/* A positive integer id field. */
int in_id(http_req *r, json_t *obj, const char *key, int64_t *out);
/* Path parameter {id}; replies 404 when it is not a positive integer. */
bool in_path_id(http_req *r, int64_t *out);
/* Query parameter ?level= (NULL when absent); replies 400 naming it when it is not a level. */
bool in_query_level(http_req *r, const char **out);
/* Path parameter {id} of an action that takes no fields (body absent or {}). */
bool in_path_id_no_body(http_req *r, int64_t *out);
/* PATCH: null is how a nullable field is cleared; for the keys listed (NULL-terminated),
 * which cannot be cleared, replies 400 invalid_type naming the field and returns false. */
bool in_refuse_null(http_req *r, json_t *obj, const char *const keys[]);
/* Replies with an application error (status, code, message, field). */
int api_fail(http_req *r, const struct app_err *e);
/* 500 with the usual Vietnamese message. */
int api_internal(http_req *r);
/* The acting user for audit entries. */
struct app_actor api_actor(http_req *r);
int64_t api_now(void);

/* ---- api_tx.c ---- */
/* The request's connection with a transaction open; NULL after replying 500. */
db_conn *api_begin(http_req *r);
/* Ends api_begin's transaction given the application call's result: rc != 0 rolls back and
 * replies *err; else commits (500 on failure). True when committed. */
bool api_end(http_req *r, db_conn *c, int rc, const struct app_err *err);
/* Commits, or rolls back and replies 500; true when committed. */
bool api_commit(http_req *r, db_conn *c);
/* Replies status with the entity read back after a change, 500 when it could not be read. */
int api_reply_entity(http_req *r, int status, json_t *entity);
/* The three shapes every handler of the API repeated (path id, connection or transaction,
 * application call, reply), each in one place:
 *   api_get_by_id  GET …/{id}: read(c, id, &err) → 200 with it, or its error;
 *   api_end_reply  api_end, then 200/201 with the result the call built (dropped on failure);
 *   api_end_get    api_end, then the entity read back with get(c, id) after the commit. */
typedef json_t *(*api_read_fn)(db_conn *c, int64_t id, struct app_err *err);
int api_get_by_id(http_req *r, api_read_fn read);
/* A write on the resource of the path's {id} with a JSON body of the given fields, in one
 * transaction, answered 200 with what the write returns. */
typedef int (*api_write_fn)(db_conn *c, const struct app_actor *who, int64_t id, const json_t *body,
                            int64_t now, json_t **res, struct app_err *err);
int api_write_by_id(http_req *r, const char *const *fields, api_write_fn write);
int api_end_reply(http_req *r, db_conn *c, int rc, const struct app_err *err, int status,
                  json_t *res);
int api_end_get(http_req *r, db_conn *c, int rc, const struct app_err *err, int status,
                json_t *(*get)(db_conn *c, int64_t id), int64_t id);

/* ---- api_auth.c ---- */
int api_login(http_req *r);
int api_logout(http_req *r);
int api_password(http_req *r);
int api_me(http_req *r);
int api_login_second(http_req *r);
int api_totp_enrol(http_req *r);
int api_totp_confirm(http_req *r);
int api_totp_disable(http_req *r);
/* ---- api_units.c ---- */
int api_units_list(http_req *r);
int api_unit_get(http_req *r);
int api_unit_create(http_req *r);
int api_unit_update(http_req *r);
int api_unit_retire(http_req *r);
/* ---- api_users.c ---- */
int api_users_list(http_req *r);
int api_user_create(http_req *r);
int api_user_update(http_req *r);
int api_user_disable(http_req *r);
int api_user_enable(http_req *r);
int api_user_reset_password(http_req *r);
int api_user_totp_reset(http_req *r);
/* ---- api_audit.c ---- */
int api_audit_list(http_req *r);
int api_audit_verify(http_req *r);
/* ---- api_tokens.c ---- */
int api_tokens_list(http_req *r);
int api_token_create(http_req *r);
int api_token_revoke(http_req *r);
/* ---- api_readings.c (part: readings) ---- */
int api_readings_get(http_req *r);
int api_readings_put(http_req *r);
int api_external_values_get(http_req *r);
int api_external_values_put(http_req *r);
int api_external_values_import(http_req *r);

/* ---- api_rounds.c (part: rounds) ---- */
int api_rounds_list(http_req *r);
int api_round_get(http_req *r);
int api_round_create(http_req *r);
int api_round_update(http_req *r);
/* ---- api_tasks.c, api_workflow.c (part: tasks) ---- */
int api_workflow(http_req *r);
int api_tasks_list(http_req *r);
int api_task_get(http_req *r);
int api_task_report(http_req *r);
int api_task_preview(http_req *r);
int api_task_transition(http_req *r);
int api_unit_transition(http_req *r);
int api_unit_standardise(http_req *r);
int api_task_comments(http_req *r);
int api_task_comment_add(http_req *r);
int api_task_appraiser_inputs(http_req *r);
int api_round_finalise(http_req *r);
int api_round_trial_data(http_req *r);
int api_round_clear_trial(http_req *r);
int api_round_appraisers(http_req *r);
int api_round_appraiser_add(http_req *r);
int api_round_appraiser_remove(http_req *r);
int api_task_assignment(http_req *r);
/* ---- api_accounts.c (part: accounts, issue 8) ---- */
int api_round_accounts(http_req *r);
int api_round_summary(http_req *r);
int api_inbox(http_req *r);

/* ---- api_dashboard.c (part: dash, issue 9) ---- */
int api_round_dashboard(http_req *r);

/* ---- api_evidence.c (evidence part) ---- */
int api_evidence_upload(http_req *r);
int api_evidence_list(http_req *r);
int api_evidence_download(http_req *r);
int api_evidence_remove(http_req *r);
/* ---- api_excel.c (part: excel, issue 10) ---- */
int api_unit_template(http_req *r);
int api_round_templates_zip(http_req *r);
int api_unit_import(http_req *r);
int api_round_import(http_req *r);
/* ---- api_publication.c (part: pub, issue 9) ---- */
int api_round_publish(http_req *r);
int api_public_rounds(http_req *r);
int api_public_round(http_req *r);
int api_public_rankings(http_req *r);
int api_public_export_json(http_req *r);
int api_public_export_csv(http_req *r);
/* ---- api_unitpage.c (part: unitpage) ---- */
int api_unit_gains(http_req *r);
int api_unit_what_if(http_req *r);
int api_unit_progress(http_req *r);
int api_unit_progress_xlsx(http_req *r);


/* ---- api_rankings.c (part: rank, issue 9) ---- */
int api_rankings(http_req *r);
int api_rankings_xlsx(http_req *r);
int api_bands_get(http_req *r);
int api_bands_put(http_req *r);
/* end part: rank */
#endif
