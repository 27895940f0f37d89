/* cmd_score.c — `dti score FILE INPUTS.json [--json]`: one unit's points against an index set,
 * each criterion with its explanation, the pillar totals, the total and the index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_oom.h"
#include "cli/cli.h"
#include "cli/cli_file.h"
#include "core/framework.h"
#include "core/inputs.h"
#include "core/json_error_vi.h"
#include "core/score.h"

static void usage(FILE *f)
{
    fprintf(f, "Cách dùng: dti score TỆP_BỘ_CHỈ_SỐ TỆP_DỮ_LIỆU.json [--json]\n"
               "  Tính điểm một đơn vị: điểm từng tiêu chí kèm cách tính, tổng theo trụ cột, tổng điểm,\n"
               "  điểm tối đa áp dụng và chỉ số (điểm / điểm tối đa áp dụng).\n");
}

static void print_errors(const struct fw_errors *e, const char *file)
{
    for (size_t i = 0; i < e->n; i++)
        fprintf(stderr, "%s: %s\n", e->v[i].path, e->v[i].message);
    fprintf(stderr, "Không hợp lệ: %zu lỗi trong %s\n", e->n, file);
}

static void index_text(int64_t e4, char *buf, size_t n)
{
    snprintf(buf, n, "%lld,%04lld", (long long)(e4 / 10000), (long long)(e4 % 10000));
}

int cmd_score(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    bool as_json = false;
    const char *files[2] = {NULL, NULL};
    int nf = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            as_json = true;
        else if (argv[i][0] != '-' && nf < 2)
            files[nf++] = argv[i];
        else {
            fprintf(stderr, "dti score: tham số không hợp lệ: %s\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (nf != 2) {
        usage(stderr);
        return 2;
    }
    char err[300];
    size_t len;
    char *text = cli_read_file(files[0], &len, err, sizeof err);
    if (!text) {
        fprintf(stderr, "dti score: %s\n", err);
        return 1;
    }
    struct fw_errors errs = {0};
    struct framework *fw = fw_load(text, len, &errs);
    free(text);
    if (!fw) {
        print_errors(&errs, files[0]);
        fw_errors_free(&errs);
        return 1;
    }
    text = cli_read_file(files[1], &len, err, sizeof err);
    if (!text) {
        fprintf(stderr, "dti score: %s\n", err);
        fw_free(fw);
        return 1;
    }
    char msg[300];
    json_t *doc = json_load_vi(text, len, 0, msg, sizeof msg);
    free(text);
    if (!doc) {
        fprintf(stderr, "dti score: %s: %s\n", files[1], msg);
        fw_free(fw);
        return 1;
    }
    struct unit_inputs_buf buf;
    if (unit_inputs_from_json(fw, doc, &buf, &errs)) {
        print_errors(&errs, files[1]);
        fw_errors_free(&errs);
        unit_inputs_buf_free(&buf);
        json_decref(doc);
        fw_free(fw);
        return 1;
    }
    struct unit_inputs ui = {buf.unit_kind, buf.values, buf.state, buf.na_reason};
    struct score_result *res = calloc(fw->n_criteria + 1, sizeof *res);
    int64_t *ph = calloc(fw->n_pillars + 1, sizeof *ph), *pm = calloc(fw->n_pillars + 1, sizeof *pm);
    if (!res || !ph || !pm) {
        fprintf(stderr, "dti score: hết bộ nhớ\n");
        exit(1);
    }
    struct unit_score us = {.pillar_h = ph, .pillar_max_h = pm};
    score_unit(fw, &ui, true, res, &us);
    int64_t e4 = score_index_e4(us.total_h, us.max_h);
    char a[32], b[32], c3[32];
    if (as_json) {
        /* Every set and append is checked: out of memory prints an error, never a document
         * with a criterion or a pillar missing. */
        json_t *o = json_object(), *pa = json_array(), *ca = json_array();
        int bad = !o || !pa || !ca;
        bad |= json_object_set_new(o, "framework", json_pack("{s:s,s:I}", "id", fw->id, "version", (json_int_t)fw->version));
        bad |= json_object_set_new(o, "total", json_hundredths(us.total_h));
        bad |= json_object_set_new(o, "max_points", json_hundredths(fw->max_h));
        bad |= json_object_set_new(o, "applicable_max", json_hundredths(us.max_h));
        index_text(e4, a, sizeof a);
        a[strcspn(a, ",")] = '.';
        bad |= json_object_set_new(o, "index", json_real(strtod(a, NULL)));
        for (size_t p = 0; p < fw->n_pillars; p++)
            bad |= json_array_append_new(pa, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "key", fw->pillars[p].key, "code",
                                                fw->pillars[p].code, "title", fw->pillars[p].title, "points",
                                                json_hundredths(ph[p]), "max_points",
                                                json_hundredths(fw->pillars[p].max_h), "applicable_max",
                                                json_hundredths(pm[p])));
        for (size_t i = 0; i < fw->n_criteria; i++) {
            const struct fw_criterion *c = fw->criteria[i];
            json_t *t = score_trace_json(c, buf.state[i] == CS_PRESENT ? buf.values + c->input_offset : NULL, &res[i]);
            bad |= !t || json_object_set_new(t, "code", json_string(c->code));
            bad |= json_array_append_new(ca, t);
        }
        bad |= json_object_set_new(o, "pillars", pa);
        bad |= json_object_set_new(o, "criteria", ca);
        bad |= json_object_set_new(o, "counts", json_pack("{s:I,s:I,s:I,s:I}", "scored", (json_int_t)us.n_scored,
                                                   "not_applicable", (json_int_t)us.n_na, "missing",
                                                   (json_int_t)us.n_missing, "error", (json_int_t)us.n_error));
        char *s = bad ? NULL : json_oom_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        json_decref(o);
        if (!s) {
            fprintf(stderr, "dti score: hết bộ nhớ\n");
            free(res);
            free(ph);
            free(pm);
            unit_inputs_buf_free(&buf);
            json_decref(doc);
            fw_free(fw);
            return 1;
        }
        puts(s);
        free(s);
    } else {
        printf("%s (%s, phiên bản %lld)\n", fw->title, fw->id, (long long)fw->version);
        if (ui.unit_kind >= 0)
            printf("Loại đơn vị: %s\n", fw_unit_kind_label((enum fw_unit_kind)ui.unit_kind));
        size_t p_prev = (size_t)-1;
        for (size_t i = 0; i < fw->n_criteria; i++) {
            const struct fw_criterion *c = fw->criteria[i];
            if (c->pillar != p_prev) {
                p_prev = c->pillar;
                printf("\n%s. %s\n", fw->pillars[c->pillar].code, fw->pillars[c->pillar].title);
            }
            const struct score_result *r = &res[i];
            hundredths_format(r->points_h, a, sizeof a);
            hundredths_format(c->max_h, b, sizeof b);
            if (r->status == SCORE_ERROR)
                printf("  %-6s %-12s LỖI      / %-5s %s\n", c->code, c->key, b, r->error);
            else if (r->status == SCORE_NOT_APPLICABLE)
                printf("  %-6s %-12s —        / %-5s %s\n", c->code, c->key, b, r->explain);
            else
                printf("  %-6s %-12s %8s / %-5s %s\n", c->code, c->key, a, b, r->explain);
        }
        printf("\nTổng theo trụ cột:\n");
        for (size_t p = 0; p < fw->n_pillars; p++) {
            hundredths_format(ph[p], a, sizeof a);
            hundredths_format(pm[p], b, sizeof b);
            hundredths_format(fw->pillars[p].max_h, c3, sizeof c3);
            printf("  %-5s %8s / %s (tối đa %s)  %s\n", fw->pillars[p].code, a, b, c3, fw->pillars[p].title);
        }
        hundredths_format(us.total_h, a, sizeof a);
        hundredths_format(us.max_h, b, sizeof b);
        hundredths_format(fw->max_h, c3, sizeof c3);
        char ix[32];
        index_text(e4, ix, sizeof ix);
        printf("\nTổng điểm: %s / %s điểm tối đa áp dụng (bộ chỉ số: %s)\nChỉ số: %s\n", a, b, c3, ix);
        printf("Đã tính %zu, không áp dụng %zu, chưa có số liệu %zu, lỗi %zu\n", us.n_scored, us.n_na,
               us.n_missing, us.n_error);
    }
    int rc = 0;
    if (us.n_error) {
        for (size_t i = 0; i < fw->n_criteria; i++)
            if (res[i].status == SCORE_ERROR)
                fprintf(stderr, "criteria.%s: %s\n", fw->criteria[i]->key, res[i].error);
        rc = 1;
    }
    free(res);
    free(ph);
    free(pm);
    unit_inputs_buf_free(&buf);
    json_decref(doc);
    fw_free(fw);
    return rc;
}
