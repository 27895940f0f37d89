/* phase.h — the dated phases of an evaluation round (DESIGN §3, seed 003): their codes, order and
 * Vietnamese labels, local dates in Asia/Ho_Chi_Minh, and which phase a moment falls in. Pure. */
#ifndef DTI_CORE_PHASE_H
#define DTI_CORE_PHASE_H

#include <stdbool.h>
#include <stdint.h>

enum phase {
    PH_TRIAL, PH_SELF_ASSESSMENT, PH_APPRAISAL1, PH_EXPLANATION, PH_APPRAISAL2, PH_FINALISED,
    PH_COUNT
};
#define PH_NONE (-1)

/* Vietnam keeps UTC+7 all year (no daylight saving since 1975). */
#define VN_UTC_OFFSET (7 * 3600)

const char *phase_code(enum phase p);  /* "trial", "self_assessment", ... */
const char *phase_label(enum phase p); /* "Thử nghiệm", ... */
/* -1 when unknown */
int phase_parse(const char *code);

/* One window [starts_at, ends_at) in unix seconds; set = false when the round has none. */
struct phase_window {
    bool set;
    int64_t starts_at, ends_at;
};

/* The phase whose window contains `now`, or PH_NONE. */
int phase_current(const struct phase_window w[PH_COUNT], int64_t now);

/* "2025-03-01" -> unix seconds of 00:00 that day in Asia/Ho_Chi_Minh. false when not a valid
 * calendar date of the form YYYY-MM-DD (years 1970…9999). */
bool vn_date_start(const char *s, int64_t *out);
/* unix seconds -> "YYYY-MM-DD" of that moment in Asia/Ho_Chi_Minh (out: 11 bytes). */
void vn_date_format(int64_t t, char out[11]);
/* The same as "dd/mm/yyyy", as users read dates (out: 11 bytes). */
void vn_date_human(int64_t t, char out[11]);

#endif
