/* api_workflow.c — GET /workflow: the workflow table (core/workflow.c) with its Vietnamese
 * labels, so the UI and the tests read the same table the server decides with. */
#include "api/api.h"
#include "app/json_rows.h"
#include "core/phase.h"
#include "core/workflow.h"

static json_t *codes(unsigned mask, int n, const char *(*code)(int))
{
    json_t *a = json_array();
    for (int i = 0; a && i < n; i++)
        if (mask & (1u << i))
            a = json_append_or_free(a, json_string(code(i)));
    return a;
}

static const char *state_code(int i) { return wf_state_code((enum wf_state)i); }
static const char *phase_code_i(int i) { return phase_code((enum phase)i); }
static const char *role_code(int i)
{
    static const char *const names[] = {"admin", "appraiser", "staff", "leader"};
    return names[i];
}

int api_workflow(http_req *r)
{
    json_t *states = json_array(), *actions = json_array(), *trans = json_array(),
           *phases = json_array();
    for (int s = 0; states && s < WS_COUNT; s++)
        states = json_append_or_free(states, json_pack("{s:s,s:s}", "code", wf_state_code(s),
                                                       "label", wf_state_label(s)));
    for (int a = 0; actions && a < WA_COUNT; a++)
        actions = json_append_or_free(
            actions, json_pack("{s:s,s:s,s:b,s:b}", "code", wf_action_code(a), "label",
                               wf_action_label(a), "needs_comment", wf_action_needs_comment(a),
                               "needs_points", wf_action_needs_points(a)));
    for (size_t i = 0; trans && i < wf_table_len; i++) {
        const struct wf_transition *t = &wf_table[i];
        trans = json_append_or_free(
            trans, json_pack("{s:s,s:o,s:o,s:o,s:o}", "action", wf_action_code(t->action),
                             "roles", codes(t->roles, 4, role_code), "from",
                             codes(t->from, WS_COUNT, state_code), "to",
                             t->to == WF_SAME ? json_null() : json_string(wf_state_code(t->to)),
                             "phases", codes(t->phases, PH_COUNT, phase_code_i)));
    }
    for (int p = 0; phases && p < PH_COUNT; p++)
        phases = json_append_or_free(phases, json_pack("{s:s,s:s}", "code", phase_code(p),
                                                       "label", phase_label(p)));
    if (!states || !actions || !trans || !phases) {
        json_decref(states);
        json_decref(actions);
        json_decref(trans);
        json_decref(phases);
        return api_internal(r);
    }
    /* json_pack takes the four references, also when it fails */
    return api_reply_entity(r, 200,
                            json_pack("{s:o,s:o,s:o,s:o}", "states", states, "actions", actions,
                                      "transitions", trans, "phases", phases));
}
