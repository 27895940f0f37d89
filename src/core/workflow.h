/* workflow.h — the task workflow of an evaluation round (docs/rounds-api.md): task states,
 * actions, and ONE table of transitions (state x action x role x phase -> next state). Every
 * change of a task's state, the report save included, is decided here. Pure: no I/O. */
#ifndef DTI_CORE_WORKFLOW_H
#define DTI_CORE_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/phase.h"

enum wf_state {
    WS_NOT_STARTED, WS_DRAFT, WS_SUBMITTED, WS_RETURNED, WS_IN_APPRAISAL,
    WS_EXPLANATION_REQUESTED, WS_EXPLAINED, WS_APPROVED,
    WS_COUNT
};

enum wf_action {
    WA_SAVE, WA_SUBMIT, WA_RETURN, WA_SEND, WA_APPROVE, WA_REQUEST_EXPLANATION, WA_EXPLAIN,
    WA_REOPEN,
    WA_COUNT
};

/* Roles as bits, the same values as http.h's ROLE_* (checked where both are visible). */
enum wf_role { WR_ADMIN = 1u << 0, WR_APPRAISER = 1u << 1, WR_STAFF = 1u << 2, WR_LEADER = 1u << 3 };

/* One row of the table. */
struct wf_transition {
    enum wf_action action;
    unsigned roles;  /* wf_role bits */
    unsigned from;   /* bits 1u << wf_state */
    unsigned phases; /* bits 1u << enum phase */
    int to;          /* enum wf_state, or WF_SAME: the state does not change */
};
#define WF_SAME (-1)

extern const struct wf_transition wf_table[];
extern const size_t wf_table_len;

const char *wf_state_code(enum wf_state s);   /* "not_started" */
const char *wf_state_label(enum wf_state s);  /* "Chưa thực hiện" */
const char *wf_action_code(enum wf_action a); /* "submit" */
const char *wf_action_label(enum wf_action a); /* "Trình lãnh đạo" */
bool wf_action_needs_comment(enum wf_action a);
bool wf_action_needs_points(enum wf_action a);
/* -1 when unknown */
int wf_state_parse(const char *code);
int wf_action_parse(const char *code);

enum wf_verdict {
    WF_OK,
    WF_INVALID_TRANSITION, /* no row for this action from this state */
    WF_WRONG_ROLE,         /* rows exist for this action from this state, none for the role */
    WF_WRONG_PHASE,        /* rows exist for the role, none in the current phase */
};

struct wf_decision {
    enum wf_verdict verdict;
    enum wf_state next;     /* WF_OK */
    unsigned allowed_phases; /* WF_WRONG_PHASE: the phases where the action is allowed */
};

/* Decides `action` by a caller of `role` (one wf_role bit) on a task in `state` while the round
 * is in `phase` (PH_NONE between windows). */
struct wf_decision wf_decide(enum wf_state state, enum wf_action action, unsigned role, int phase);

/* The actions `role` may take now: fills out[] (WA_COUNT entries at most), returns how many. */
size_t wf_actions(enum wf_state state, unsigned role, int phase, enum wf_action out[WA_COUNT]);

#endif
