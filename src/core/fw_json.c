/* fw_json.c — summaries and per-node totals of an index set, as JSON. */
#include "core/fw_json.h"

#include "core/describe.h"
#include "core/rule.h"
#include "core/score.h"

json_t *fw_summary_json(const struct framework *fw)
{
    return json_pack("{s:s,s:I,s:s,s:s,s:I,s:s,s:o,s:I}", "id", fw->id, "version",
                     (json_int_t)fw->version, "title", fw->title, "level", fw->level, "year",
                     (json_int_t)fw->year, "status", fw->status, "max_points",
                     json_hundredths(fw->max_h), "criteria_count", (json_int_t)fw->n_criteria);
}

/* Any failed allocation gives NULL, never a document with nodes missing. */
json_t *fw_totals_json(const struct framework *fw)
{
    json_t *o = fw_summary_json(fw), *pa = json_array();
    bool ok = fw_set(o, "pillars", pa) && o; /* fw_set takes pa even when o is NULL */
    char text[1024];
    for (size_t p = 0; ok && p < fw->n_pillars; p++) {
        const struct fw_pillar *pl = &fw->pillars[p];
        json_t *ga = json_array();
        ok = fw_append(pa, json_pack("{s:s,s:s,s:s,s:o,s:I,s:o}", "key", pl->key, "code", pl->code,
                                     "title", pl->title, "max_points", json_hundredths(pl->max_h),
                                     "criteria_count", (json_int_t)pl->criteria_count, "groups",
                                     ga));
        for (size_t g = 0; ok && g < pl->n_groups; g++) {
            const struct fw_group *gr = &pl->groups[g];
            json_t *ca = json_array();
            int64_t gsum = 0;
            for (size_t k = 0; k < gr->n_criteria; k++)
                gsum += gr->criteria[k].max_h;
            ok = fw_append(ga, json_pack("{s:s,s:s,s:s,s:o,s:I,s:o}", "key", gr->key, "code",
                                         gr->code, "title", gr->title, "max_points",
                                         json_hundredths(gsum), "criteria_count",
                                         (json_int_t)gr->n_criteria, "criteria", ca));
            for (size_t k = 0; ok && k < gr->n_criteria; k++) {
                const struct fw_criterion *c = &gr->criteria[k];
                ok = fw_append(ca, json_pack("{s:s,s:s,s:s,s:o,s:s,s:s}", "key", c->key, "code",
                                             c->code, "title", c->title, "max_points",
                                             json_hundredths(c->max_h), "rule_type",
                                             fw_rule_type_name(c->rule.type), "rule_text",
                                             fw_rule_describe(c, text, sizeof text)));
            }
        }
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}
