/* rule_not_applicable.c — "not_applicable": a criterion that is never scored (kept for
 * reference; it counts in no maximum). */
#include "core/rule.h"

static void load(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c)
{
    (void)ld, (void)j, (void)p, (void)c;
}

static void score(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                  struct score_result *r)
{
    (void)c, (void)vals;
    score_set_na(r, b, "tiêu chí không tính điểm");
}

static void describe(const struct fw_criterion *c, struct sb *o)
{
    (void)c;
    sb_s(o, "Không tính điểm.");
}

static bool write(const struct fw_criterion *c, json_t *o)
{
    (void)c, (void)o;
    return true;
}

static void needs(const struct fw_criterion *c, const struct value *vals, struct sb *o)
{
    (void)c, (void)vals, (void)o; /* never scored: nothing to gain */
}

static const char *const keys[] = {"type", NULL};
const struct rule_ops rule_not_applicable = {"not_applicable", keys, true, load, score, describe, write, NULL, needs, NULL};
