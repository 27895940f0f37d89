/* cmd_framework.c — `dti framework validate FILE` and `dti framework show FILE [--json]`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_oom.h"
#include "cli/cli.h"
#include "cli/cli_file.h"
#include "core/describe.h"
#include "core/framework.h"
#include "core/fw_json.h"
#include "core/rational.h"

static void usage(FILE *f)
{
    fprintf(f, "Cách dùng:\n"
               "  dti framework validate TỆP        kiểm tra tệp bộ chỉ số (mọi lỗi, kèm vị trí)\n"
               "  dti framework show TỆP [--json]   hiển thị cây tiêu chí và tổng điểm\n");
}

/* Loads FILE; on failure prints every error ("<path>: <message>") and returns NULL. */
static struct framework *load(const char *file)
{
    char err[300];
    size_t len;
    char *text = cli_read_file(file, &len, err, sizeof err);
    if (!text) {
        fprintf(stderr, "dti framework: %s\n", err);
        return NULL;
    }
    struct fw_errors errs = {0};
    struct framework *fw = fw_load(text, len, &errs);
    free(text);
    if (!fw) {
        for (size_t i = 0; i < errs.n; i++)
            fprintf(stderr, "%s: %s\n", errs.v[i].path, errs.v[i].message);
        fprintf(stderr, "Không hợp lệ: %zu lỗi trong %s\n", errs.n, file);
    }
    fw_errors_free(&errs);
    return fw;
}

static void print_tree(const struct framework *fw)
{
    char m[32], t[1024];
    hundredths_format(fw->max_h, m, sizeof m);
    printf("%s\n%s, phiên bản %lld, năm %lld, %s, %s\n", fw->title, fw->id, (long long)fw->version,
           (long long)fw->year, fw_level_label(fw->level), fw_status_label(fw->status));
    if (fw->draft_note)
        printf("Dự thảo: %s\n", fw->draft_note);
    printf("Tổng: %zu tiêu chí, %s điểm\n", fw->n_criteria, m);
    for (size_t p = 0; p < fw->n_pillars; p++) {
        const struct fw_pillar *pl = &fw->pillars[p];
        hundredths_format(pl->max_h, m, sizeof m);
        printf("\n%s. %s — %zu tiêu chí, %s điểm\n", pl->code, pl->title, pl->criteria_count, m);
        for (size_t g = 0; g < pl->n_groups; g++) {
            const struct fw_group *gr = &pl->groups[g];
            int64_t sum = 0;
            for (size_t k = 0; k < gr->n_criteria; k++)
                sum += gr->criteria[k].max_h;
            hundredths_format(sum, m, sizeof m);
            printf("  %s. %s — %s điểm\n", gr->code, gr->title, m);
            for (size_t k = 0; k < gr->n_criteria; k++) {
                const struct fw_criterion *c = &gr->criteria[k];
                hundredths_format(c->max_h, m, sizeof m);
                printf("    %s %s [%s] — %s điểm%s%s\n", c->code, c->title, c->key, m,
                       c->due ? ", hạn " : "", c->due ? c->due : "");
                if (c->applies_to) {
                    printf("        Áp dụng cho:");
                    for (int u = 0, first = 1; u < UK_COUNT; u++)
                        if (c->applies_to & (1u << u)) {
                            printf("%s %s", first ? "" : ",", fw_unit_kind_label((enum fw_unit_kind)u));
                            first = 0;
                        }
                    printf("\n");
                }
                printf("        Cách tính: %s\n", fw_rule_describe(c, t, sizeof t));
                if (c->source_issue)
                    printf("        Lưu ý văn bản gốc: %s\n", c->source_issue);
            }
        }
    }
}

int cmd_framework(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) /* "dti framework show --help" too */
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        }
    if (argc < 3) {
        if (argc == 2 && strcmp(argv[1], "validate") && strcmp(argv[1], "show"))
            fprintf(stderr, "dti framework: lệnh con không tồn tại: %s\n", argv[1]);
        else if (argc == 2)
            fprintf(stderr, "dti framework %s: thiếu TỆP bộ chỉ số\n", argv[1]);
        usage(stderr);
        return 2;
    }
    const char *sub = argv[1], *file = argv[2];
    bool as_json = false;
    /* an option where the file goes: named as such, not "cannot open file --x" */
    int first = file[0] == '-' && file[1] ? 2 : 3;
    for (int i = first; i < argc; i++) {
        if (!strcmp(argv[i], "--json") && !strcmp(sub, "show"))
            as_json = true;
        else {
            fprintf(stderr, "dti framework: tuỳ chọn không hợp lệ: %s\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (strcmp(sub, "validate") && strcmp(sub, "show")) {
        fprintf(stderr, "dti framework: lệnh con không tồn tại: %s\n", sub);
        usage(stderr);
        return 2;
    }
    struct framework *fw = load(file);
    if (!fw)
        return 1;
    if (!strcmp(sub, "validate")) {
        char m[32];
        hundredths_format(fw->max_h, m, sizeof m);
        printf("Hợp lệ: %s — %zu tiêu chí, %s điểm\n", fw->title, fw->n_criteria, m);
    } else if (as_json) {
        json_t *j = fw_totals_json(fw);
        char *s = j ? json_oom_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) : NULL;
        json_decref(j);
        if (!s) { /* never a shorter document, never puts(NULL) */
            fprintf(stderr, "dti framework: hết bộ nhớ khi xuất JSON\n");
            fw_free(fw);
            return 1;
        }
        puts(s);
        free(s);
    } else {
        print_tree(fw);
    }
    fw_free(fw);
    return 0;
}
