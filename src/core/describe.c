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
