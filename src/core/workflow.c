/* workflow.c — the one table of task transitions (docs/rounds-api.md). */
#include "core/workflow.h"

#include <string.h>

#define S(x) (1u << (x))
#define PH(x) (1u << (x))

static const char *const state_codes[WS_COUNT] = {
    "not_started", "draft", "submitted", "returned", "in_appraisal", "explanation_requested",
    "explained", "approved"};
static const char *const state_labels[WS_COUNT] = {
    "Chưa thực hiện", "Đang thực hiện (đã lưu)", "Chờ lãnh đạo duyệt", "Lãnh đạo trả lại",
    "Chờ thẩm định", "Yêu cầu giải trình", "Đã giải trình", "Đã thẩm định"};

static const struct {
    const char *code, *label;
    bool comment, points;
} actions[WA_COUNT] = {
    [WA_SAVE] = {"save", "Lưu báo cáo", false, false},
    [WA_SUBMIT] = {"submit", "Trình lãnh đạo", false, false},
    [WA_RETURN] = {"return", "Trả lại", true, false},
    [WA_SEND] = {"send", "Gửi thẩm định", false, false},
    [WA_APPROVE] = {"approve", "Thẩm định, cho điểm", false, true},
    [WA_REQUEST_EXPLANATION] = {"request_explanation", "Yêu cầu giải trình", true, false},
    [WA_EXPLAIN] = {"explain", "Giải trình", true, false},
    [WA_REOPEN] = {"reopen", "Mở lại thẩm định", true, false},
};

#define UNIT_ROLES (WR_STAFF | WR_LEADER)
#define REPORT_PHASES (PH(PH_TRIAL) | PH(PH_SELF_ASSESSMENT))
#define UNREPORTED (S(WS_NOT_STARTED) | S(WS_DRAFT) | S(WS_RETURNED) | S(WS_SUBMITTED))

const struct wf_transition wf_table[] = {
    {WA_SAVE, UNIT_ROLES, S(WS_NOT_STARTED) | S(WS_DRAFT) | S(WS_RETURNED), REPORT_PHASES, WS_DRAFT},
    /* a coordinator saves on a unit's behalf (Excel import, docs/excel.md): the states and
     * phases of the unit's own report save, never after the unit submitted */
    {WA_SAVE, WR_ADMIN, S(WS_NOT_STARTED) | S(WS_DRAFT) | S(WS_RETURNED), REPORT_PHASES, WS_DRAFT},
    {WA_SAVE, UNIT_ROLES, S(WS_EXPLANATION_REQUESTED), PH(PH_EXPLANATION), WF_SAME},
    {WA_SUBMIT, WR_STAFF, S(WS_DRAFT) | S(WS_RETURNED), REPORT_PHASES, WS_SUBMITTED},
    {WA_RETURN, WR_LEADER, S(WS_SUBMITTED), REPORT_PHASES, WS_RETURNED},
    {WA_SEND, WR_LEADER, S(WS_SUBMITTED), REPORT_PHASES, WS_IN_APPRAISAL},
    {WA_APPROVE, WR_APPRAISER, S(WS_IN_APPRAISAL) | UNREPORTED, PH(PH_APPRAISAL1), WS_APPROVED},
    {WA_REQUEST_EXPLANATION, WR_APPRAISER, S(WS_IN_APPRAISAL), PH(PH_APPRAISAL1),
     WS_EXPLANATION_REQUESTED},
    {WA_EXPLAIN, UNIT_ROLES, S(WS_EXPLANATION_REQUESTED), PH(PH_EXPLANATION), WS_EXPLAINED},
    {WA_APPROVE, WR_APPRAISER,
     S(WS_EXPLAINED) | S(WS_EXPLANATION_REQUESTED) | S(WS_IN_APPRAISAL) | UNREPORTED,
     PH(PH_APPRAISAL2), WS_APPROVED},
    {WA_REOPEN, WR_ADMIN, S(WS_APPROVED), PH(PH_APPRAISAL1) | PH(PH_APPRAISAL2), WS_IN_APPRAISAL},
};
const size_t wf_table_len = sizeof wf_table / sizeof wf_table[0];

const char *wf_state_code(enum wf_state s)
{
    return (unsigned)s < WS_COUNT ? state_codes[s] : "";
}
const char *wf_state_label(enum wf_state s)
{
    return (unsigned)s < WS_COUNT ? state_labels[s] : "";
}
const char *wf_action_code(enum wf_action a)
{
    return (unsigned)a < WA_COUNT ? actions[a].code : "";
}
const char *wf_action_label(enum wf_action a)
{
    return (unsigned)a < WA_COUNT ? actions[a].label : "";
}
bool wf_action_needs_comment(enum wf_action a)
{
    return (unsigned)a < WA_COUNT && actions[a].comment;
}
bool wf_action_needs_points(enum wf_action a)
{
    return (unsigned)a < WA_COUNT && actions[a].points;
}

int wf_state_parse(const char *code)
{
    for (int i = 0; code && i < WS_COUNT; i++)
        if (strcmp(code, state_codes[i]) == 0)
            return i;
    return -1;
}

int wf_action_parse(const char *code)
{
    for (int i = 0; code && i < WA_COUNT; i++)
        if (strcmp(code, actions[i].code) == 0)
            return i;
    return -1;
}

struct wf_decision wf_decide(enum wf_state state, enum wf_action action, unsigned role, int phase)
{
    struct wf_decision d = {WF_INVALID_TRANSITION, state, 0};
    if ((unsigned)state >= WS_COUNT || (unsigned)action >= WA_COUNT)
        return d;
    bool any_role = false;
    for (size_t i = 0; i < wf_table_len; i++) {
        const struct wf_transition *t = &wf_table[i];
        if (t->action != action || !(t->from & S(state)))
            continue;
        if (!(t->roles & role)) {
            any_role = true;
            continue;
        }
        if (phase >= 0 && phase < PH_COUNT && (t->phases & PH(phase))) {
            d.verdict = WF_OK;
            d.next = t->to == WF_SAME ? state : (enum wf_state)t->to;
            d.allowed_phases = 0;
            return d;
        }
        d.verdict = WF_WRONG_PHASE;
        d.allowed_phases |= t->phases;
    }
    if (d.verdict != WF_WRONG_PHASE && any_role)
        d.verdict = WF_WRONG_ROLE;
    return d;
}

size_t wf_actions(enum wf_state state, unsigned role, int phase, enum wf_action out[WA_COUNT])
{
    size_t n = 0;
    for (int a = 0; a < WA_COUNT; a++)
        if (wf_decide(state, (enum wf_action)a, role, phase).verdict == WF_OK)
            out[n++] = (enum wf_action)a;
    return n;
}
