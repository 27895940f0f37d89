/* demo_gen.c — see demo_gen.h.
 *
 * Proportions of a Vietnamese province (about 20 departments, 10 districts, 150 communes, a few
 * central agencies): 11 % departments, 5 % districts, 1 % other agencies, the rest communes,
 * spread over the districts. Names are built from two syllable lists so that siblings never
 * share one. The tasks' states come from a per-unit profile (a unit's report moves together:
 * not started, draft, submitted, returned, or sent to appraisal) and, once sent, a per-task
 * draw among the appraisal states; inputs and self-assessed points come from the criterion's
 * own worked examples, scored by the engine. */
#include "app/demo_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/frameworks_cache.h"
#include "app/rounds.h"
#include "core/inputs.h"
#include "core/json_oom.h"
#include "core/phase.h"
#include "core/score.h"

const char *const demo_state_names[8] = {"not_started", "draft", "submitted", "returned",
                                         "in_appraisal", "explanation_requested", "explained",
                                         "approved"};
enum { S_NOT_STARTED, S_DRAFT, S_SUBMITTED, S_RETURNED, S_IN_APPRAISAL, S_EXPL_REQ, S_EXPLAINED,
       S_APPROVED };

#define DAY 86400

/* splitmix64: small, fast, the same sequence everywhere */
static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static int64_t rnd_below(uint64_t *s, int64_t n)
{
    return n > 0 ? (int64_t)(rnd(s) % (uint64_t)n) : 0;
}

/* ---- names ---- */

static const char *const syl_a[30] = {
    "Phú", "Hương", "Quảng", "Phong", "Vinh", "Thuận", "Điền", "Hải", "Lộc", "Bình",
    "Thủy", "Xuân", "An", "Long", "Thạnh", "Hòa", "Tân", "Mỹ", "Đông", "Tây",
    "Nam", "Bắc", "Kim", "Ngọc", "Thanh", "Trung", "Đức", "Minh", "Cát", "Gia"};
static const char *const syl_b[29] = {
    "Vang", "Trà", "Sơn", "Hiền", "Mậu", "Thái", "Phước", "Thọ", "Lương", "Khê",
    "Giang", "Lâm", "Tiến", "Hưng", "Thịnh", "Phúc", "Thành", "Lợi", "Nghĩa", "Châu",
    "Xương", "Dương", "Khánh", "Quang", "Viên", "Đạt", "Hậu", "Nguyên", "Chánh"};

/* A two-syllable place name, distinct for distinct i below 30 x 29 at the same rot (the pair
 * (i mod 30, (2q + a + rot) mod 29) determines i); a number is added past that. */
static void place(char *out, size_t cap, int64_t i, int64_t rot)
{
    int64_t a = (i + rot) % 30, q = i / 30, b = (2 * (q % 29) + a + rot) % 29;
    if (i < 30 * 29)
        snprintf(out, cap, "%s %s", syl_a[a], syl_b[b]);
    else
        snprintf(out, cap, "%s %s %lld", syl_a[a], syl_b[b], (long long)(i / (30 * 29) + 1));
}

static const char *const dept_subjects[] = {
    "Tài chính", "Nội vụ", "Tư pháp", "Kế hoạch và Đầu tư", "Công Thương", "Xây dựng",
    "Giao thông Vận tải", "Y tế", "Giáo dục và Đào tạo", "Khoa học và Công nghệ",
    "Thông tin và Truyền thông", "Tài nguyên và Môi trường",
    "Nông nghiệp và Phát triển nông thôn", "Văn hóa, Thể thao và Du lịch",
    "Lao động - Thương binh và Xã hội", "Ngoại vụ"};
#define N_SUBJ (sizeof dept_subjects / sizeof *dept_subjects)

static const char *const other_kinds[] = {"Cục Thống kê", "Cục Thuế", "Kho bạc Nhà nước",
                                          "Bảo hiểm xã hội", "Cục Hải quan"};

/* ---- units and accounts ---- */

struct gen {
    db_conn *c;
    const struct demo_opts *o;
    uint64_t rng;
    int64_t now, root;
    int64_t appraiser[2];
    struct demo_stats *st;
};

static int add_unit(struct gen *g, const char *code, const char *name, const char *kind,
                    int64_t parent, int64_t *id)
{
    db_param p[] = {DB_P_TEXT(code), DB_P_TEXT(name), DB_P_TEXT(kind), DB_P_INT(parent),
                    DB_P_INT(g->now)};
    db_rows *r = NULL;
    int rc = db_exec(g->c, "INSERT INTO units (code, name, kind, parent_id, info, created_at) "
                           "VALUES (?, ?, ?, ?, '{}', ?) RETURNING id", p, 5, &r);
    if (rc == DB_OK && db_rows_count(r) == 1)
        *id = db_int(r, 0, 0);
    else
        rc = DB_ERROR;
    db_rows_free(r);
    g->st->units++;
    return rc;
}

static int add_user(struct gen *g, const char *username, const char *full_name, const char *role,
                    int64_t unit, int64_t *id)
{
    /* "!" is no argon2id string: no password opens it until an admin issues one */
    db_param p[] = {DB_P_TEXT(username), DB_P_TEXT(full_name), DB_P_TEXT(role), DB_P_INT(unit),
                    DB_P_INT(g->now)};
    db_rows *r = NULL;
    int rc = db_exec(g->c, "INSERT INTO users (username, full_name, role, unit_id, password_hash, "
                           "must_change_password, created_at) VALUES (?, ?, ?, ?, '!', 1, ?) "
                           "RETURNING id", p, 5, &r);
    if (rc == DB_OK && db_rows_count(r) == 1) {
        if (id)
            *id = db_int(r, 0, 0);
    } else
        rc = DB_ERROR;
    db_rows_free(r);
    g->st->users++;
    return rc;
}

static int unit_accounts(struct gen *g, const char *code, int64_t unit)
{
    if (!g->o->accounts)
        return 0;
    char lower[40], u[64];
    size_t i = 0;
    for (; code[i] && i < sizeof lower - 1; i++)
        lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
    lower[i] = 0;
    snprintf(u, sizeof u, "%s.canbo", lower);
    if (add_user(g, u, "Cán bộ nhập liệu", "staff", unit, NULL))
        return -1;
    snprintf(u, sizeof u, "%s.lanhdao", lower);
    return add_user(g, u, "Lãnh đạo đơn vị", "leader", unit, NULL);
}

static int make_units(struct gen *g)
{
    int64_t n = g->o->units;
    int64_t ndept = n * 11 / 100, ndist = n * 5 / 100, nother = n / 100;
    if (ndept < 1)
        ndept = 1;
    if (ndist < 1 && n > ndept)
        ndist = 1;
    if (ndept + ndist + nother > n)
        nother = 0;
    if (ndept + ndist > n)
        ndist = n - ndept;
    int64_t ncomm = n - ndept - ndist - nother;
    int64_t rot = rnd_below(&g->rng, 29);
    char code[40], name[200], pl[80];
    int64_t id;
    for (int64_t i = 0; i < ndept; i++) {
        snprintf(code, sizeof code, "DM-S%05lld", (long long)(i + 1));
        if ((size_t)i < N_SUBJ)
            snprintf(name, sizeof name, "Sở %s", dept_subjects[i]);
        else
            snprintf(name, sizeof name, "Trung tâm %s số %lld", dept_subjects[i % N_SUBJ],
                     (long long)(i / N_SUBJ));
        if (add_unit(g, code, name, "department", g->root, &id) || unit_accounts(g, code, id))
            return -1;
    }
    for (int64_t i = 0; i < nother; i++) {
        snprintf(code, sizeof code, "DM-K%05lld", (long long)(i + 1));
        place(pl, sizeof pl, i / 5, rot);
        snprintf(name, sizeof name, "%s khu vực %s", other_kinds[i % 5], pl);
        if (add_unit(g, code, name, "other", g->root, &id) || unit_accounts(g, code, id))
            return -1;
    }
    int64_t *dist = calloc((size_t)(ndist ? ndist : 1), sizeof *dist);
    if (!dist)
        return -1;
    int rc = 0;
    for (int64_t i = 0; !rc && i < ndist; i++) {
        snprintf(code, sizeof code, "DM-H%04lld", (long long)(i + 1));
        place(pl, sizeof pl, i, rot);
        snprintf(name, sizeof name, "%s %s", i == 0 ? "Thành phố" : i % 7 == 1 ? "Thị xã" : "Huyện",
                 pl);
        rc = add_unit(g, code, name, "district", g->root, &dist[i]) ||
             unit_accounts(g, code, dist[i]);
    }
    for (int64_t k = 0; !rc && k < ncomm; k++) {
        /* the j-th commune of district d; without districts they hang from the root */
        int64_t d = ndist ? k % ndist : 0, j = ndist ? k / ndist : k;
        snprintf(code, sizeof code, "DM-X%06lld", (long long)(k + 1));
        place(pl, sizeof pl, j, (d * 7 + rot) % 29);
        snprintf(name, sizeof name, "%s %s", j == 0 ? "Thị trấn" : "Xã", pl);
        rc = add_unit(g, code, name, "commune", ndist ? dist[d] : g->root, &id) ||
             unit_accounts(g, code, id);
    }
    free(dist);
    if (!rc && g->o->accounts)
        rc = add_user(g, "demo.thamdinh1", "Cán bộ thẩm định 1", "appraiser", g->root,
                      &g->appraiser[0]) ||
             add_user(g, "demo.thamdinh2", "Cán bộ thẩm định 2", "appraiser", g->root,
                      &g->appraiser[1]);
    return rc;
}

/* ---- rounds ---- */

/* Offsets in days from `today` of each phase window of the current round: its explanation
 * phase is open, so every state is plausible. */
static const int phase_days[PH_COUNT][2] = {
    {-60, -47}, {-46, -16}, {-15, -3}, {-2, 5}, {6, 15}, {16, 30}};

struct variant {
    char *inputs;
    int64_t points;
    const char *status;
    char explain[SCORE_EXPLAIN_MAX];
};

struct crit_variants {
    struct variant v[4];
    int n;
};

static void variants_free(struct crit_variants *cv, size_t n)
{
    for (size_t i = 0; cv && i < n; i++)
        for (int k = 0; k < cv[i].n; k++)
            free(cv[i].v[k].inputs);
    free(cv);
}

/* Up to four plausible answers per criterion: its worked examples, scored by the engine. */
static struct crit_variants *make_variants(const struct framework *fw)
{
    struct crit_variants *cv = calloc(fw->n_criteria ? fw->n_criteria : 1, sizeof *cv);
    if (!cv)
        return NULL;
    for (size_t i = 0; i < fw->n_criteria; i++) {
        const struct fw_criterion *cr = fw->criteria[i];
        size_t ne = cr->n_examples ? cr->n_examples : 1;
        for (size_t e = 0; e < ne && cv[i].n < 4; e++) {
            json_t *in = cr->n_examples ? cr->examples[e].inputs : NULL;
            json_t *empty = in ? NULL : json_object();
            struct variant *v = &cv[i].v[cv[i].n];
            v->inputs = json_oom_dumps(in ? in : empty, JSON_COMPACT | JSON_SORT_KEYS);
            struct value vals[64] = {0};
            struct fw_errors errs = {0};
            struct score_result r;
            if (cr->n_inputs <= 64 &&
                criterion_values_from_json(cr, in ? in : empty, vals, "inputs", &errs) == 0) {
                score_criterion(cr, vals, true, &r);
                v->points = r.points_h;
                v->status = score_status_name(r.status);
                snprintf(v->explain, sizeof v->explain, "%s", r.explain);
            } else {
                v->points = 0;
                v->status = score_status_name(SCORE_ERROR);
            }
            fw_errors_free(&errs);
            json_decref(empty);
            if (!v->inputs) {
                variants_free(cv, fw->n_criteria);
                return NULL;
            }
            cv[i].n++;
        }
    }
    return cv;
}

struct round_ctx {
    int64_t id;
    bool current;
    struct phase_window w[PH_COUNT];
};

static int64_t in_window(struct gen *g, const struct phase_window *w)
{
    int64_t span = w->ends_at - w->starts_at;
    return w->starts_at + rnd_below(&g->rng, span > 0 ? span : 1);
}

static int add_comment(struct gen *g, int64_t task, const char *who, int64_t uid,
                       const char *kind, const char *body, int64_t at)
{
    db_param p[] = {DB_P_INT(task), uid ? DB_P_INT(uid) : DB_P_NULL, DB_P_TEXT(who),
                    DB_P_TEXT(kind), DB_P_TEXT(body), DB_P_INT(at)};
    return db_exec(g->c, "INSERT INTO task_comments (task_id, author_user_id, author_name, kind, "
                         "body, at) VALUES (?, ?, ?, ?, ?, ?)", p, 6, NULL);
}

/* The state of one task given its unit's profile (0..99 drawn once per unit). */
static int pick_state(struct gen *g, const struct round_ctx *rc, int profile)
{
    if (!rc->current)
        return S_APPROVED; /* last year's round is settled */
    if (profile < 8)
        return S_NOT_STARTED;
    if (profile < 14)
        return rnd_below(&g->rng, 3) ? S_DRAFT : S_NOT_STARTED;
    if (profile < 20)
        return S_SUBMITTED;
    if (profile < 24)
        return S_RETURNED;
    int64_t x = rnd_below(&g->rng, 100);
    return x < 50 ? S_APPROVED : x < 65 ? S_IN_APPRAISAL : x < 80 ? S_EXPL_REQ : S_EXPLAINED;
}

static int fill_framework(struct gen *g, const struct round_ctx *rd, const char *fw_id,
                          int64_t fw_version, const char *sha)
{
    struct app_err err;
    struct fw_compiled cf;
    struct fw_cache_entry *ent = frameworks_cache_get(g->c, fw_id, fw_version, sha, &cf, &err);
    if (!ent)
        return -1;
    struct crit_variants *cv = make_variants(cf.fw);
    db_rows *r = NULL;
    int rc = cv ? 0 : -1;
    if (!rc && db_exec(g->c, "SELECT id, subject_unit_id, seq, max_points FROM tasks "
                             "WHERE round_id = ? AND framework_id = ? ORDER BY id",
                       (db_param[]){DB_P_INT(rd->id), DB_P_TEXT(fw_id)}, 2, &r) != DB_OK)
        rc = -1;
    int64_t unit = -1, nunit = 0;
    int profile = 0;
    /* the first units of a set take each profile once, so a small demo has every state too */
    static const int first_profiles[] = {50, 0, 10, 16, 22};
    const struct phase_window *self = &rd->w[PH_SELF_ASSESSMENT], *ap1 = &rd->w[PH_APPRAISAL1],
                              *ap2 = &rd->w[PH_APPRAISAL2], *expl = &rd->w[PH_EXPLANATION];
    for (int i = 0; !rc && i < db_rows_count(r); i++) {
        int64_t task = db_int(r, i, 0), max = db_int(r, i, 3);
        size_t seq = (size_t)db_int(r, i, 2);
        if (db_int(r, i, 1) != unit) {
            unit = db_int(r, i, 1);
            profile = (int)rnd_below(&g->rng, 100);
            if (nunit < 5)
                profile = first_profiles[nunit];
            nunit++;
        }
        int s = pick_state(g, rd, profile);
        g->st->by_state[s]++;
        if (s == S_NOT_STARTED)
            continue; /* as generated */
        bool reported = !(!rd->current && profile < 8); /* last year: 8 % never reported */
        const struct variant *v = NULL;
        if (reported && seq < cf.fw->n_criteria && cv[seq].n)
            v = &cv[seq].v[rnd_below(&g->rng, cv[seq].n)];
        int64_t updated = in_window(g, self), submitted = 0, sent = 0, approved_at = 0;
        int64_t approved_pts = 0, round_no = 0;
        const char *leader_comment = NULL, *approval_comment = NULL;
        if (s >= S_SUBMITTED && reported)
            submitted = updated;
        if (s >= S_IN_APPRAISAL && reported)
            sent = submitted + DAY < self->ends_at ? submitted + DAY : submitted;
        if (s == S_RETURNED)
            leader_comment = "Đề nghị bổ sung minh chứng và cập nhật số liệu.";
        if (s == S_APPROVED) {
            round_no = !rd->current && rnd_below(&g->rng, 10) == 0 ? 2 : 1;
            approved_at = in_window(g, round_no == 2 ? ap2 : ap1);
            updated = approved_at;
            if (v) {
                /* mostly the self-assessed points; sometimes the appraiser gives part of them */
                int64_t k = rnd_below(&g->rng, 10);
                approved_pts = k < 7 ? v->points : v->points * (k - 6) / 4;
                if (approved_pts > max)
                    approved_pts = max;
                approval_comment = approved_pts == v->points ? "Đồng ý với kết quả tự đánh giá."
                                                             : "Minh chứng chưa đầy đủ; chấm một phần.";
            } else
                approval_comment = "Đơn vị không báo cáo; thẩm định từ dữ liệu sẵn có.";
        }
        if (s == S_EXPL_REQ || s == S_EXPLAINED)
            updated = in_window(g, s == S_EXPLAINED ? expl : ap1);
        int64_t appraiser = g->appraiser[0];
        db_param p[] = {
            DB_P_TEXT(demo_state_names[s]),
            DB_P_TEXT(v ? v->inputs : "{}"),
            DB_P_TEXT(v ? "Đơn vị đã triển khai theo hướng dẫn; chi tiết trong minh chứng." : NULL),
            v ? DB_P_INT(v->points) : DB_P_NULL,
            DB_P_TEXT(v ? v->status : NULL),
            DB_P_TEXT(v ? v->explain : NULL),
            s == S_APPROVED ? DB_P_INT(approved_pts) : DB_P_NULL,
            DB_P_TEXT(approval_comment),
            s == S_APPROVED && appraiser ? DB_P_INT(appraiser) : DB_P_NULL,
            approved_at ? DB_P_INT(approved_at) : DB_P_NULL,
            round_no ? DB_P_INT(round_no) : DB_P_NULL,
            DB_P_TEXT(leader_comment),
            submitted ? DB_P_INT(submitted) : DB_P_NULL,
            sent ? DB_P_INT(sent) : DB_P_NULL,
            DB_P_INT(updated),
            DB_P_INT(task)};
        if (db_exec(g->c, "UPDATE tasks SET state = ?, inputs = ?, content = ?, self_points = ?, "
                          "self_status = ?, self_explanation = ?, approved_points = ?, "
                          "approval_comment = ?, approved_by = ?, approved_at = ?, "
                          "appraisal_round = ?, leader_comment = ?, submitted_at = ?, sent_at = ?, "
                          "updated_at = ? WHERE id = ?", p, 16, NULL) != DB_OK)
            rc = -1;
        if (!rc && s == S_RETURNED)
            rc = add_comment(g, task, "lanhdao", 0, "return", leader_comment, updated) ? -1 : 0;
        if (!rc && (s == S_EXPL_REQ || s == S_EXPLAINED))
            rc = add_comment(g, task, "demo.thamdinh1", appraiser, "request_explanation",
                             "Đề nghị giải trình số liệu và bổ sung văn bản ký số.",
                             in_window(g, ap1)) ? -1 : 0;
        if (!rc && s == S_EXPLAINED)
            rc = add_comment(g, task, "canbo", 0, "explain",
                             "Đơn vị đã bổ sung văn bản và giải trình số liệu theo yêu cầu.",
                             updated) ? -1 : 0;
    }
    db_rows_free(r);
    variants_free(cv, cf.fw->n_criteria);
    frameworks_cache_release(ent);
    return rc;
}

static int make_round(struct gen *g, const struct app_actor *who, bool current)
{
    struct round_ctx rc = {.current = current};
    int64_t base = g->o->today - (current ? 0 : 365 * (int64_t)DAY);
    char today[11];
    vn_date_format(base, today);
    int year = atoi(today);
    /* the latest version of each set, one per level (the first id in order) */
    db_rows *fws = NULL;
    if (db_exec(g->c, "SELECT id, version, level, sha256 FROM frameworks f WHERE version = "
                      "(SELECT MAX(version) FROM frameworks g WHERE g.id = f.id) ORDER BY id",
                NULL, 0, &fws) != DB_OK)
        return -1;
    char title[96];
    snprintf(title, sizeof title, "Đánh giá DTI năm %d (dữ liệu mẫu)", year);
    json_t *body = json_pack("{s:s,s:i,s:[],s:{s:[]},s:[]}", "title", title, "year", year,
                             "frameworks", "units", "levels", "phases");
    int ret = body ? 0 : -1;
    json_t *fa = json_object_get(body, "frameworks"),
           *lv = json_object_get(json_object_get(body, "units"), "levels"),
           *pa = json_object_get(body, "phases");
    for (int i = 0; !ret && i < db_rows_count(fws); i++) {
        const char *level = db_text(fws, i, 2);
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen = seen || !strcmp(db_text(fws, j, 2), level);
        if (seen)
            continue;
        ret = json_array_append_new(fa, json_pack("{s:s,s:s,s:I}", "level", level, "framework_id",
                                                  db_text(fws, i, 0), "version",
                                                  (json_int_t)db_int(fws, i, 1))) ||
              json_array_append_new(lv, json_string(level));
    }
    for (int p = 0; !ret && p < PH_COUNT; p++) {
        char s[11], e[11];
        vn_date_format(base + phase_days[p][0] * DAY, s);
        vn_date_format(base + phase_days[p][1] * DAY, e);
        ret = json_array_append_new(pa, json_pack("{s:s,s:s,s:s}", "phase",
                                                  phase_code((enum phase)p), "starts", s, "ends", e));
    }
    struct app_err err;
    struct round_counts n;
    if (!ret && json_array_size(fa) && round_create(g->c, who, body, g->now, &rc.id, &n, &err))
        ret = -1;
    json_decref(body);
    if (ret || !rc.id) {
        db_rows_free(fws);
        return ret;
    }
    g->st->rounds++;
    g->st->tasks += n.tasks;
    for (int p = 0; p < PH_COUNT; p++) {
        int64_t s;
        char d[11];
        vn_date_format(base + phase_days[p][0] * DAY, d);
        vn_date_start(d, &s);
        rc.w[p] = (struct phase_window){true, s, s + (phase_days[p][1] - phase_days[p][0] + 1) * DAY};
    }
    for (int i = 0; !ret && i < db_rows_count(fws); i++) {
        int64_t used = 0;
        if (db_query_int(g->c, "SELECT COUNT(*) FROM round_frameworks WHERE round_id = ? AND "
                               "framework_id = ? AND framework_version = ?",
                         (db_param[]){DB_P_INT(rc.id), DB_P_TEXT(db_text(fws, i, 0)),
                                      DB_P_INT(db_int(fws, i, 1))}, 3, &used) != DB_OK)
            ret = -1;
        else if (used)
            ret = fill_framework(g, &rc, db_text(fws, i, 0), db_int(fws, i, 1), db_text(fws, i, 3));
    }
    db_rows_free(fws);
    if (!ret && !current)
        ret = db_exec(g->c, "UPDATE rounds SET status = 'finalised', finalised_at = ? WHERE id = ?",
                      (db_param[]){DB_P_INT(rc.w[PH_FINALISED].starts_at), DB_P_INT(rc.id)}, 2,
                      NULL) == DB_OK ? 0 : -1;
    /* appraisers: the first one for departments and the province, the second for the rest */
    for (int k = 0; !ret && g->o->accounts && k < UK_COUNT; k++) {
        const char *level = fw_unit_kind_name((enum fw_unit_kind)k);
        db_param p[] = {DB_P_INT(rc.id), DB_P_TEXT(level),
                        DB_P_INT(g->appraiser[k == UK_PROVINCE || k == UK_DEPARTMENT ? 0 : 1]),
                        DB_P_INT(g->now), DB_P_INT(rc.id), DB_P_TEXT(level)};
        ret = db_exec(g->c, "INSERT INTO appraiser_assignments (round_id, level, appraiser_user_id, "
                            "created_at) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM "
                            "round_frameworks WHERE round_id = ? AND level = ?)", p, 6, NULL) == DB_OK
                  ? 0 : -1;
    }
    return ret;
}

int demo_generate(db_conn *c, const struct app_actor *who, const struct demo_opts *o,
                  int64_t now, struct demo_stats *st, struct app_err *err)
{
    memset(st, 0, sizeof *st);
    if (o->units < 1 || o->units > DEMO_UNITS_MAX)
        return app_fail(err, 422, "invalid_value", "units", "Số đơn vị phải từ 1 đến %d.",
                        DEMO_UNITS_MAX);
    if (o->rounds < 0 || o->rounds > 2)
        return app_fail(err, 422, "invalid_value", "rounds", "Số đợt đánh giá phải là 0, 1 hoặc 2.");
    int64_t units = 0, rounds = 0;
    struct gen g = {.c = c, .o = o, .rng = o->seed, .now = now, .st = st};
    if (db_query_int(c, "SELECT COUNT(*) FROM units", NULL, 0, &units) != DB_OK ||
        db_query_int(c, "SELECT COUNT(*) FROM rounds", NULL, 0, &rounds) != DB_OK)
        return app_fail_internal(err);
    if (units != 1 || rounds != 0)
        return app_fail(err, 409, "demo_not_empty", NULL,
                        "Cơ sở dữ liệu đã có dữ liệu (%lld đơn vị, %lld đợt đánh giá): dữ liệu mẫu "
                        "chỉ tạo trên cơ sở dữ liệu mới khởi tạo bằng \"dti init\" (không --demo).",
                        (long long)units, (long long)rounds);
    if (db_query_int(c, "SELECT id FROM units", NULL, 0, &g.root) != DB_OK)
        return app_fail_internal(err);
    if (make_units(&g))
        return app_fail_internal(err);
    if (o->rounds == 2 && make_round(&g, who, false))
        return app_fail_internal(err);
    if (o->rounds >= 1 && make_round(&g, who, true))
        return app_fail_internal(err);
    json_t *nv = json_pack("{s:I,s:I,s:I,s:I,s:I}", "units", (json_int_t)st->units, "users",
                           (json_int_t)st->users, "rounds", (json_int_t)st->rounds, "tasks",
                           (json_int_t)st->tasks, "seed", (json_int_t)o->seed);
    int rc = nv ? audit_change(c, who, "demo", "demo.generate", g.root, NULL, nv, now) : DB_ERROR;
    json_decref(nv);
    return rc == DB_OK ? 0 : app_fail_internal(err);
}
