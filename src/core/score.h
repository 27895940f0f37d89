/* score.h — scoring one criterion, and one unit against a whole index set.
 *
 * Pure computation: no I/O, no allocation. Points are exact rationals rounded half up to
 * hundredths once per criterion; pillar and unit totals are sums of the rounded points
 * (DESIGN §5). Out-of-range inputs are errors naming the input, never clamped.
 */
#ifndef DTI_CORE_SCORE_H
#define DTI_CORE_SCORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/framework.h"
#include "core/value.h"

enum score_status { SCORE_SCORED, SCORE_NOT_APPLICABLE, SCORE_MISSING, SCORE_ERROR };
const char *score_status_name(enum score_status s); /* "scored", "not_applicable", ... */
const char *score_status_label(enum score_status s); /* Vietnamese */

#define SCORE_EXPLAIN_MAX 400
#define SCORE_ERROR_MAX 512 /* a label of ~200 characters and the reason */

struct score_result {
    enum score_status status;
    int64_t points_h; /* rounded points, hundredths; 0 unless scored */
    int64_t max_h;    /* applicable maximum: the criterion's max, 0 when not applicable */
    rat exact;        /* unrounded points */
    int error_input;  /* index of the input at fault, -1 when none */
    char explain[SCORE_EXPLAIN_MAX]; /* Vietnamese, "" unless asked for */
    char error[SCORE_ERROR_MAX];     /* Vietnamese, names the input */
};

/* Scores the rule of c with vals = the criterion's inputs (c->n_inputs values). */
void score_criterion(const struct fw_criterion *c, const struct value *vals, bool explain,
                     struct score_result *r);
/* The same under a named alternative reading of an ambiguous criterion (the round's choice,
 * table round_readings); NULL or "main" is the set's main rule. Returns false, scoring nothing,
 * when the criterion declares no reading of that name. */
bool score_criterion_reading(const struct fw_criterion *c, const char *reading,
                             const struct value *vals, bool explain, struct score_result *r);

/* What a unit gave for one index set. */
enum crit_state { CS_MISSING = 0, CS_PRESENT = 1, CS_NA = 2 };
struct unit_inputs {
    int unit_kind;               /* enum fw_unit_kind, or -1 when unknown (every criterion applies) */
    const struct value *values;  /* fw->n_values, criterion c's at c->input_offset */
    const uint8_t *state;        /* fw->n_criteria, enum crit_state */
    const char *const *na_reason; /* fw->n_criteria or NULL: reason when state == CS_NA */
};

struct unit_score {
    int64_t total_h;      /* sum of rounded criterion points */
    int64_t max_h;        /* applicable maximum */
    size_t n_scored, n_na, n_missing, n_error;
    int64_t *pillar_h;     /* caller-provided, fw->n_pillars */
    int64_t *pillar_max_h; /* caller-provided, fw->n_pillars (applicable) */
};

/* Scores every criterion (results: fw->n_criteria entries) and sums them. */
void score_unit(const struct framework *fw, const struct unit_inputs *ui, bool explain,
                struct score_result *results, struct unit_score *us);

/* index = points / applicable max, rounded half up to 4 decimals (as ten-thousandths); 0 when
 * the applicable maximum is 0. */
int64_t score_index_e4(int64_t points_h, int64_t max_h);

/* Structured trace for the API: {"key","status","points","max_points","rule","inputs",
 * "exact","explanation"?,"error"?,"error_input"?}. NULL when memory runs out (never a trace
 * with a member missing). */
json_t *score_trace_json(const struct fw_criterion *c, const struct value *vals,
                         const struct score_result *r);

/* hundredths as a JSON number (9.51) */
json_t *json_hundredths(int64_t h);

#endif
