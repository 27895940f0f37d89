/* framework.h — an index set (bộ chỉ số) in memory, loaded from and written to the JSON format
 * of docs/framework-format.md (`dti-framework/1`).
 *
 * fw_load() validates everything and collects every error with its JSON path; a framework is
 * returned only when there is none. Rules and formulas are compiled once at load time, and each
 * criterion knows where its inputs live in a unit's flat value array (input_offset), so scoring
 * allocates nothing.
 */
#ifndef DTI_CORE_FRAMEWORK_H
#define DTI_CORE_FRAMEWORK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/formula.h"
#include "core/rational.h"

#define FW_FORMAT "dti-framework/1"

/* ---- errors ---- */
struct fw_error {
    char path[192];    /* "pillars[2].groups[1].criteria[0].rule.input" */
    char message[320]; /* Vietnamese */
};
struct fw_errors {
    struct fw_error *v;
    size_t n, cap;
    bool oom; /* an allocation failed (some errors may be missing): answer "hết bộ nhớ" */
};
void fw_errors_add(struct fw_errors *e, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void fw_errors_free(struct fw_errors *e);

/* ---- the tree ---- */
enum fw_input_type { IN_BOOL, IN_COUNT, IN_NUMBER, IN_RATIO, IN_CHOICE, IN_DATE, IN_POINTS };
enum fw_rule_type {
    R_YES_NO, R_BY_SIGNER, R_CHECKLIST, R_PER_ITEM, R_COUNT_STEPS, R_RATIO_TO_TARGET, R_RATIO,
    R_INVERSE_RATIO, R_PENALTY, R_DEADLINE, R_NOT_APPLICABLE, R_MANUAL, R_FORMULA,
    R_TYPE_COUNT /* each type is one row of the table in src/core/rules.c (core/rule.h) */
};
enum fw_zero_policy { ZD_NOT_APPLICABLE, ZD_ZERO, ZD_FULL };
enum fw_unit_kind { UK_PROVINCE, UK_DEPARTMENT, UK_DISTRICT, UK_COMMUNE, UK_OTHER, UK_COUNT };

const char *fw_input_type_name(enum fw_input_type t);
const char *fw_rule_type_name(enum fw_rule_type t);
const char *fw_unit_kind_name(enum fw_unit_kind k);
/* -1 when unknown (NULL too) */
int fw_unit_kind_parse(const char *s);
/* The codes fw_unit_kind_parse takes, for error messages. */
#define FW_UNIT_KINDS_LIST "province, department, district, commune, other"
/* What a user reads, never the file's code: "Cấp tỉnh", "Cấp sở", "Cấp huyện", "Cấp xã", "Khác"
 * for a unit kind or a set's level; "chính thức" / "dự thảo" for a status. An unknown code is
 * returned as it is (a loaded set has none). */
const char *fw_unit_kind_label(enum fw_unit_kind k);
const char *fw_level_label(const char *level);
const char *fw_status_label(const char *status);

struct fw_option {
    char *value, *label;
};

struct fw_input {
    char *name, *label;
    char *unit; /* optional noun for explanations: "cuộc họp", "sự cố" */
    enum fw_input_type type;
    bool has_min, has_max;
    rat min, max;
    struct fw_option *options;
    size_t n_options;
};

/* An input as users know it: its label (its name when it has none; names are the set author's). */
const char *fw_input_label(const struct fw_input *in);

struct fw_fraction { /* by_signer */
    char *value;
    rat fraction;
};
struct fw_item { /* checklist */
    char *input_name, *requires_name, *label;
    int input, requires; /* input indexes; requires -1 when none */
    rat points;
};
struct fw_step { /* count_steps */
    rat min, fraction;
};

struct fw_rule {
    enum fw_rule_type type;
    char *input_name;
    int input; /* index into the criterion's inputs, -1 when none */
    char *num_name, *den_name;
    int num, den;
    enum fw_zero_policy zero_denominator;
    struct fw_fraction *fractions;
    size_t n_fractions;
    int *fraction_of_option; /* by_signer: per option index -> fractions index or -1 */
    struct fw_item *items;
    size_t n_items;
    rat points_per_item;
    bool has_max_items;
    rat max_items;
    struct fw_step *steps; /* kept in file order */
    size_t n_steps;
    rat target;
    rat penalty;
    bool has_zero_at;
    rat zero_at;
    int due_day, due_month;
    int year; /* deadline: the set's year; a date of another year is an input error */
    rat late_fraction;
    char *due_text; /* deadline: the rule's own "due", NULL when it uses the criterion's */
    /* deadline: "previous_year_from" — a date of the year before, on or after this day.month,
     * is early, so on time (a plan for the year issued in December); NULL = refused */
    char *early_text;
    int early_day, early_month;
    char *expr;
    formula *compiled;
};

struct fw_example {
    json_t *inputs;  /* owned */
    char *unit_kind; /* optional */
    bool expect_na;  /* "status": "not_applicable" */
    rat points;
    char *note;
};

/* A named alternative reading of an ambiguous criterion (docs/framework-format.md
 * "Alternative readings"): its own rule over the criterion's inputs and its own worked
 * examples. The main rule is the reading named "main"; a round chooses one (round_readings). */
struct fw_alternative {
    char *name, *label, *why;
    struct fw_rule rule;
    bool has_max_reachable;
    rat max_reachable;
    struct fw_example *examples;
    size_t n_examples;
};

struct fw_criterion {
    char *key, *code, *title;
    rat max_points;
    int64_t max_h; /* hundredths */
    char *due, *guidance, *conditions, *evidence, *notes, *na_allowed;
    char *responsible_unit, *source_issue;
    bool signed_evidence, demo, has_signed_evidence, has_demo;
    unsigned applies_to; /* bitmask of 1u << fw_unit_kind; 0 = omitted (every kind) */
    char *data_source_kind, *data_source_system; /* kind NULL when omitted */
    char *data_source_index, *data_source_note;  /* kind external_index: "cchc", how it maps */
    bool has_max_reachable; /* the most the main rule can give, declared below max_points */
    rat max_reachable;
    struct fw_input *inputs;
    size_t n_inputs;
    struct fw_rule rule;
    struct fw_example *examples;
    size_t n_examples;
    struct fw_alternative *alternatives; /* NULL when none */
    size_t n_alternatives;
    /* derived */
    size_t index;        /* position among all criteria */
    size_t pillar;       /* pillar index */
    size_t input_offset; /* first input in a unit's flat value array */
};

struct fw_group {
    char *key, *code, *title, *notes;
    bool has_max;
    rat max_points;
    struct fw_criterion *criteria;
    size_t n_criteria;
};

struct fw_pillar {
    char *key, *code, *title, *notes;
    rat max_points;
    int64_t max_h;
    struct fw_group *groups;
    size_t n_groups;
    size_t criteria_count; /* derived */
};

struct fw_info_field {
    char *key, *label, *type;
};

struct framework {
    char *id, *title, *level, *status, *draft_note, *source, *notes;
    int64_t version, year;
    rat max_points;
    int64_t max_h;
    struct fw_info_field *info_fields;
    size_t n_info_fields;
    bool has_info_fields;
    struct fw_pillar *pillars;
    size_t n_pillars;
    /* derived */
    struct fw_criterion **criteria; /* all criteria in file order */
    size_t n_criteria;
    size_t n_values; /* total inputs: size of a unit's flat value array */
    struct fw_arena *arena;
};

/* Parses and validates a JSON text. On success returns the framework (errs->n == 0); otherwise
 * NULL and every error found is in errs. */
struct framework *fw_load(const char *text, size_t len, struct fw_errors *errs);
/* Same from an already parsed document (borrowed). */
struct framework *fw_load_json(json_t *doc, struct fw_errors *errs);
void fw_free(struct framework *fw);

/* The tree as a JSON document of the same format (new reference). Loading it gives the same
 * tree. */
json_t *fw_write(const struct framework *fw);

/* Index of a criterion by key, or -1. */
long fw_find_criterion(const struct framework *fw, const char *key);
/* The alternative reading of that name, or NULL ("main" and unknown names). */
const struct fw_alternative *fw_find_alternative(const struct fw_criterion *c, const char *name);
/* The criterion as scored under a reading: a copy of *c whose rule is the alternative's (or
 * c's own for NULL / "main"). false when the criterion has no reading of that name. */
bool fw_criterion_reading(const struct fw_criterion *c, const char *name, struct fw_criterion *out);
/* Its readings for the API: [{"name","label","why"?,"rule","rule_text"}…], "main" first
 * (label "Cách tính chính"). NULL when out of memory. */
json_t *fw_readings_json(const struct fw_criterion *c);

/* Index of an input of a criterion by name, or -1. */
int fw_find_input(const struct fw_criterion *c, const char *name);

/* A rational as a JSON number: an integer when whole, else a real that prints back exactly. */
json_t *fw_json_number(rat v);
/* Reads a JSON number (integer or real, see rat_from_double) into a rational. */
bool fw_json_to_rat(const json_t *j, rat *out);

#endif
