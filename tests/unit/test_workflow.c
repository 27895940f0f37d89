/* test_workflow.c — every action in every state for every role in every phase (and between
 * phases) against an expectation written independently of the table, from docs/rounds-api.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/workflow.h"

static const unsigned roles[] = {WR_ADMIN, WR_APPRAISER, WR_STAFF, WR_LEADER};

/* The contract, case by case: the next state, or -1 when the (state, action, role) is not in
 * the contract at all (for any phase); *phases the phases where it is allowed. */
static int expect(int st, int ac, unsigned role, unsigned *phases)
{
    const unsigned report = 1u << PH_TRIAL | 1u << PH_SELF_ASSESSMENT;
    bool unit = role == WR_STAFF || role == WR_LEADER;
    *phases = 0;
    switch (ac) {
    case WA_SAVE:
        /* admins: the report save only (Excel import on a unit's behalf), not in explanation */
        if (role == WR_ADMIN && (st == WS_NOT_STARTED || st == WS_DRAFT || st == WS_RETURNED))
            return *phases = report, WS_DRAFT;
        if (!unit)
            return -1;
        if (st == WS_NOT_STARTED || st == WS_DRAFT || st == WS_RETURNED)
            return *phases = report, WS_DRAFT;
        if (st == WS_EXPLANATION_REQUESTED)
            return *phases = 1u << PH_EXPLANATION, WS_EXPLANATION_REQUESTED;
        return -1;
    case WA_SUBMIT:
        if (role == WR_STAFF && (st == WS_DRAFT || st == WS_RETURNED))
            return *phases = report, WS_SUBMITTED;
        return -1;
    case WA_RETURN:
        if (role == WR_LEADER && st == WS_SUBMITTED)
            return *phases = report, WS_RETURNED;
        return -1;
    case WA_SEND:
        if (role == WR_LEADER && st == WS_SUBMITTED)
            return *phases = report, WS_IN_APPRAISAL;
        return -1;
    case WA_APPROVE:
        if (role != WR_APPRAISER)
            return -1;
        if (st == WS_IN_APPRAISAL || st == WS_NOT_STARTED || st == WS_DRAFT ||
            st == WS_RETURNED || st == WS_SUBMITTED)
            *phases |= 1u << PH_APPRAISAL1;
        if (st == WS_EXPLAINED || st == WS_EXPLANATION_REQUESTED || st == WS_IN_APPRAISAL ||
            st == WS_NOT_STARTED || st == WS_DRAFT || st == WS_RETURNED || st == WS_SUBMITTED)
            *phases |= 1u << PH_APPRAISAL2;
        return *phases ? WS_APPROVED : -1;
    case WA_REQUEST_EXPLANATION:
        if (role == WR_APPRAISER && st == WS_IN_APPRAISAL)
            return *phases = 1u << PH_APPRAISAL1, WS_EXPLANATION_REQUESTED;
        return -1;
    case WA_EXPLAIN:
        if (unit && st == WS_EXPLANATION_REQUESTED)
            return *phases = 1u << PH_EXPLANATION, WS_EXPLAINED;
        return -1;
    case WA_REOPEN:
        if (role == WR_ADMIN && st == WS_APPROVED)
            return *phases = 1u << PH_APPRAISAL1 | 1u << PH_APPRAISAL2, WS_IN_APPRAISAL;
        return -1;
    }
    return -1;
}

/* Does any role have (state, action) in the contract? */
static bool any_role(int st, int ac)
{
    unsigned ph;
    for (size_t i = 0; i < 4; i++)
        if (expect(st, ac, roles[i], &ph) >= 0)
            return true;
    return false;
}

static void every_combination(void **state)
{
    (void)state;
    int checked = 0, ok = 0;
    for (int st = 0; st < WS_COUNT; st++)
        for (int ac = 0; ac < WA_COUNT; ac++)
            for (size_t ri = 0; ri < 4; ri++)
                for (int ph = PH_NONE; ph < PH_COUNT; ph++) {
                    unsigned phases;
                    int next = expect(st, ac, roles[ri], &phases);
                    struct wf_decision d = wf_decide(st, ac, roles[ri], ph);
                    checked++;
                    if (next >= 0 && ph >= 0 && (phases & (1u << ph))) {
                        assert_int_equal(d.verdict, WF_OK);
                        assert_int_equal(d.next, next);
                        ok++;
                    } else if (next >= 0) {
                        assert_int_equal(d.verdict, WF_WRONG_PHASE);
                        assert_int_equal(d.allowed_phases, phases);
                    } else if (any_role(st, ac)) {
                        assert_int_equal(d.verdict, WF_WRONG_ROLE);
                    } else {
                        assert_int_equal(d.verdict, WF_INVALID_TRANSITION);
                    }
                }
    assert_int_equal(checked, WS_COUNT * WA_COUNT * 4 * (PH_COUNT + 1));
    assert_true(ok > 20);
}

static void actions_now(void **state)
{
    (void)state;
    enum wf_action out[WA_COUNT];
    for (int st = 0; st < WS_COUNT; st++)
        for (size_t ri = 0; ri < 4; ri++)
            for (int ph = PH_NONE; ph < PH_COUNT; ph++) {
                size_t n = wf_actions(st, roles[ri], ph, out), want = 0;
                for (int ac = 0; ac < WA_COUNT; ac++) {
                    unsigned phases;
                    if (expect(st, ac, roles[ri], &phases) >= 0 && ph >= 0 &&
                        (phases & (1u << ph)))
                        assert_int_equal(out[want++], ac);
                }
                assert_int_equal(n, want);
            }
    /* staff, draft, self-assessment: save and submit */
    size_t n = wf_actions(WS_DRAFT, WR_STAFF, PH_SELF_ASSESSMENT, out);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], WA_SAVE);
    assert_int_equal(out[1], WA_SUBMIT);
}

static void codes_and_labels(void **state)
{
    (void)state;
    for (int s = 0; s < WS_COUNT; s++) {
        assert_int_equal(wf_state_parse(wf_state_code(s)), s);
        assert_true(strlen(wf_state_label(s)) > 0);
    }
    for (int a = 0; a < WA_COUNT; a++) {
        assert_int_equal(wf_action_parse(wf_action_code(a)), a);
        assert_true(strlen(wf_action_label(a)) > 0);
    }
    assert_int_equal(wf_state_parse("nope"), -1);
    assert_int_equal(wf_action_parse(NULL), -1);
    assert_string_equal(wf_action_label(WA_SUBMIT), "Trình lãnh đạo");
    assert_string_equal(wf_state_label(WS_IN_APPRAISAL), "Chờ thẩm định");
    assert_true(wf_action_needs_comment(WA_RETURN));
    assert_true(wf_action_needs_comment(WA_REQUEST_EXPLANATION));
    assert_true(wf_action_needs_comment(WA_EXPLAIN));
    assert_true(wf_action_needs_comment(WA_REOPEN));
    assert_false(wf_action_needs_comment(WA_SUBMIT));
    assert_true(wf_action_needs_points(WA_APPROVE));
    assert_false(wf_action_needs_points(WA_SEND));
    /* out of range never reads past the tables */
    assert_int_equal(wf_decide(WS_COUNT, WA_SAVE, WR_STAFF, PH_TRIAL).verdict,
                     WF_INVALID_TRANSITION);
    assert_int_equal(wf_decide(WS_DRAFT, WA_COUNT, WR_STAFF, PH_TRIAL).verdict,
                     WF_INVALID_TRANSITION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_combination),
        cmocka_unit_test(actions_now),
        cmocka_unit_test(codes_and_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
