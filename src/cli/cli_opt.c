/* cli_opt.c — option parsing shared by the subcommands. */
#include "cli/cli_opt.h"

#include <stdio.h>
#include <string.h>

int cli_parse(const char *cmd, int argc, char **argv, int first, const struct cli_opt *opts,
              int nopts)
{
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        const struct cli_opt *o = NULL;
        for (int k = 0; k < nopts && !o; k++)
            if (strlen(opts[k].name) == nlen && !strncmp(a, opts[k].name, nlen))
                o = &opts[k];
        if (!o) {
            fprintf(stderr, "dti %s: tuỳ chọn không hợp lệ: %s (xem dti %s --help)\n", cmd, a,
                    cmd);
            return 2;
        }
        if (!o->takes_value) {
            if (eq) {
                fprintf(stderr, "dti %s: %s không nhận giá trị\n", cmd, o->name);
                return 2;
            }
            *o->flag = true;
        } else if (eq) {
            *o->value = eq + 1;
        } else if (i + 1 < argc) {
            *o->value = argv[++i];
        } else {
            fprintf(stderr, "dti %s: thiếu giá trị cho %s\n", cmd, o->name);
            return 2;
        }
    }
    return 0;
}

int cli_subcommand(const char *cmd, int argc, char **argv, const char *sub,
                   void (*usage)(FILE *f))
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], sub) != 0) {
        fprintf(stderr, "dti %s: lệnh con không tồn tại: %s\n", cmd, argv[1]);
        usage(stderr);
        return 2;
    }
    return -1;
}
