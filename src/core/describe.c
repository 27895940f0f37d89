/* describe.c — rules in plain Vietnamese: each rule type writes its own sentence (its row's
 * describe, core/rule.h); the server sends it as "rule_text" and the web UI shows it as is. */
#include "core/describe.h"

#include "core/rule.h"

const char *rule_input_label(const struct fw_criterion *c, int i)
{
    return i >= 0 && i < (int)c->n_inputs && c->inputs[i].label ? c->inputs[i].label : "?";
}

const char *rule_input_noun(const struct fw_criterion *c, int i)
{
    return i >= 0 && i < (int)c->n_inputs && c->inputs[i].unit ? c->inputs[i].unit : "lần";
}

char *fw_rule_describe(const struct fw_criterion *c, char *buf, size_t n)
{
    if (!n)
        return buf;
    struct sb o = {buf, 0, n};
    buf[0] = 0;
    rule_ops_of(c->rule.type)->describe(c, &o);
    return buf;
}

static bool reading_json(const struct fw_criterion *t, const char *name, const char *label,
                         const char *why, json_t *a)
{
    char text[1024];
    json_t *x = json_object();
    return fw_append(a, x) && fw_set_str(x, "name", name) && fw_set_str(x, "label", label) &&
           fw_set_str(x, "why", why) && fw_set_str(x, "rule", fw_rule_type_name(t->rule.type)) &&
           fw_set_str(x, "rule_text", fw_rule_describe(t, text, sizeof text));
}

json_t *fw_readings_json(const struct fw_criterion *c)
{
    json_t *a = json_array();
    bool ok = a && reading_json(c, "main", "Cách tính chính (theo bộ chỉ số)", NULL, a);
    for (size_t i = 0; ok && i < c->n_alternatives; i++) {
        struct fw_criterion t;
        const struct fw_alternative *alt = &c->alternatives[i];
        ok = fw_criterion_reading(c, alt->name, &t) &&
             reading_json(&t, alt->name, alt->label, alt->why, a);
    }
    if (!ok) {
        json_decref(a);
        return NULL;
    }
    return a;
}
