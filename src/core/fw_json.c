/* fw_json.c — summaries and per-node totals of an index set, as JSON. */
#include "core/fw_json.h"

#include "core/describe.h"
#include "core/score.h"

json_t *fw_summary_json(const struct framework *fw)
{
    return json_pack("{s:s,s:I,s:s,s:s,s:I,s:s,s:o,s:I}", "id", fw->id, "version",
                     (json_int_t)fw->version, "title", fw->title, "level", fw->level, "year",
                     (json_int_t)fw->year, "status", fw->status, "max_points",
                     json_hundredths(fw->max_h), "criteria_count", (json_int_t)fw->n_criteria);
}

/* Every list is built whole or not at all: a failed allocation anywhere gives NULL (and frees
 * what was built), never a tree with a criterion or a group left out. */
static json_t *append(json_t *a, json_t *v)
{
    if (json_array_append_new(a, v)) { /* frees v; fails when a or v is NULL */
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *group_json(const struct fw_group *gr)
{
    char text[1024];
    json_t *ca = json_array();
    int64_t gsum = 0;
    for (size_t k = 0; ca && k < gr->n_criteria; k++) {
        const struct fw_criterion *c = &gr->criteria[k];
        gsum += c->max_h;
        ca = append(ca, json_pack("{s:s,s:s,s:s,s:o,s:s,s:s}", "key", c->key, "code", c->code,
                                  "title", c->title, "max_points", json_hundredths(c->max_h),
                                  "rule_type", fw_rule_type_name(c->rule.type), "rule_text",
                                  fw_rule_describe(c, text, sizeof text)));
    }
    return json_pack("{s:s,s:s,s:s,s:o,s:I,s:o}", "key", gr->key, "code", gr->code, "title",
                     gr->title, "max_points", json_hundredths(gsum), "criteria_count",
                     (json_int_t)gr->n_criteria, "criteria", ca);
}

json_t *fw_totals_json(const struct framework *fw)
{
    json_t *pa = json_array();
    for (size_t p = 0; pa && p < fw->n_pillars; p++) {
        const struct fw_pillar *pl = &fw->pillars[p];
        json_t *ga = json_array();
        for (size_t g = 0; ga && g < pl->n_groups; g++)
            ga = append(ga, group_json(&pl->groups[g]));
        pa = append(pa, json_pack("{s:s,s:s,s:s,s:o,s:I,s:o}", "key", pl->key, "code", pl->code,
                                  "title", pl->title, "max_points", json_hundredths(pl->max_h),
                                  "criteria_count", (json_int_t)pl->criteria_count, "groups", ga));
    }
    json_t *o = fw_summary_json(fw);
    if (!o || !pa) {
        json_decref(o);
        json_decref(pa);
        return NULL;
    }
    if (json_object_set_new(o, "pillars", pa)) { /* takes pa either way */
        json_decref(o);
        return NULL;
    }
    return o;
}
