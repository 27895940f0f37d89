/* rule.h — the table of rule types (internal to src/core).
 *
 * Each rule type of docs/framework-format.md is one row: its name, the keys its JSON object
 * may have, and four functions — load (parse and validate the rule object), score, describe
 * (one Vietnamese sentence) and write (back to JSON). Each row lives in its own file,
 * src/core/rule_<name>.c; src/core/rules.c lists the rows. A new rule type is a new enum value
 * in framework.h, one row in rules.c and one file. The loader, the scorer, the describer and
 * the writer only go through the table, the way the storage engines go through theirs.
 *
 * The helpers the rows share are declared here too: the loader's (framework.c), the scorer's
 * (score.c) and the writer's.
 */
#ifndef DTI_CORE_RULE_H
#define DTI_CORE_RULE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/framework.h"
#include "core/sb.h"
#include "core/score.h"

/* ---- loading context (framework.c) ---- */
struct path {
    char s[192];
};
struct path path_key(const struct path *base, const char *key);
struct path path_idx(const struct path *base, const char *key, size_t i);

struct ld {
    struct framework *fw;
    struct fw_errors *e;
    bool oom; /* an allocation failed: the load ends in "hết bộ nhớ", never in a partial set */
    /* every node key, for uniqueness */
    const char **keys;
    struct path *key_paths;
    size_t n_keys, cap_keys;
};

#define LD_ERR(ld, path, ...) fw_errors_add((ld)->e, (path), __VA_ARGS__)
#define TY(t) (1u << (t))

/* Zeroed memory from the set's arena; NULL (and ld->oom set) when out of memory. */
void *ld_alloc(struct ld *ld, size_t n);
char *ld_strdup(struct ld *ld, const char *s);

bool ld_is_obj(struct ld *ld, const json_t *v, const struct path *p);
void ld_check_keys(struct ld *ld, const json_t *obj, const struct path *p, const char *const *allowed);
char *ld_str(struct ld *ld, const json_t *obj, const char *key, const struct path *p, bool required,
             size_t maxlen);
bool ld_num(struct ld *ld, const json_t *obj, const char *key, const struct path *p, bool required,
            rat *out);
bool ld_points(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
               bool required, rat *out);
bool ld_fraction(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                 bool required, rat *out);
bool ld_int(struct ld *ld, const json_t *obj, const char *key, const struct path *p, bool required,
            int64_t lo, int64_t hi, int64_t *out);
bool ld_positive(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                 const char *msg, rat *out);
bool ld_opt_int_rat(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                    int64_t lo, int64_t hi, rat *out);
json_t *ld_array(struct ld *ld, const json_t *obj, const char *key, const struct path *p,
                 bool required);
json_t *ld_array_obj(struct ld *ld, const json_t *arr, size_t i, const struct path *base,
                     const char *key, const char *const *keys, struct path *iq);
/* The index of the input named by rule[field] if it has one of the accepted types (TY bits);
 * else -1 after an error. */
int ld_rule_input(struct ld *ld, const struct fw_criterion *c, const json_t *rule,
                  const char *field, const struct path *rp, unsigned accepted, char **name_out);
bool fw_parse_day_month(const char *s, int *day, int *month);

/* ---- scoring (score.c): every function fills r; b is NULL unless an explanation is asked ---- */
void score_set_error(struct score_result *r, const struct fw_criterion *c, int input,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* false (r filled) when input i has no value */
bool score_need(const struct fw_criterion *c, const struct value *vals, int i,
                struct score_result *r);
/* false (r filled) when rc is an arithmetic error */
bool score_arith(int rc, const struct fw_criterion *c, struct score_result *r);
void score_finish(const struct fw_criterion *c, rat pts, struct score_result *r);
void score_set_na(struct score_result *r, struct sb *b, const char *why);

/* ---- writing (framework.c): false when out of memory; a NULL string is left out ---- */
bool fw_set(json_t *o, const char *key, json_t *v);
bool fw_set_str(json_t *o, const char *key, const char *s);
bool fw_append(json_t *a, json_t *v);

/* ---- describing: "?" for a missing input, the input's noun or "lần" ---- */
const char *rule_input_label(const struct fw_criterion *c, int i);
const char *rule_input_noun(const struct fw_criterion *c, int i);
/* ---- needs (needs.c): " (hiện: <value>)" when vals gives input i, else nothing ---- */
void rule_needs_now(struct sb *o, const struct fw_criterion *c, const struct value *vals, int i);
/* One input's value as a report shows it: "Có", "31/01/2024", an option's label, "921". */
void rule_value_text(struct sb *o, const struct fw_criterion *c, const struct value *vals, int i);

/* ---- the row ---- */
struct rule_ops {
    const char *name;          /* "yes_no", as in the file */
    const char *const *keys;   /* keys the rule object may have, NULL-terminated */
    bool unscored;             /* never scored: not applicable for every unit, inputs unused */
    void (*load)(struct ld *ld, const json_t *j, const struct path *p, struct fw_criterion *c);
    void (*score)(const struct fw_criterion *c, const struct value *vals, struct sb *b,
                  struct score_result *r);
    void (*describe)(const struct fw_criterion *c, struct sb *o);
    bool (*write)(const struct fw_criterion *c, json_t *o); /* false when out of memory */
    /* The most any unit can get under this rule (out), or NULL when it is the criterion's
     * maximum. The loader compares it with max_points: a display maximum no unit can reach
     * (VIII 2.1, "không quá 10 điểm" with at most 5) must be declared (max_reachable). */
    void (*reach)(const struct fw_criterion *c, rat *out);
    /* What the inputs would need to be for full points, one Vietnamese sentence (core/needs.h).
     * vals: the unit's current values (c->n_inputs) or NULL when it gave none. Writes nothing
     * when the rule has no input that can raise the points (not applicable). */
    void (*needs)(const struct fw_criterion *c, const struct value *vals, struct sb *o);
    /* The measured value as a report shows it ("921/968 (95,14 %)"); NULL: every given input
     * "label: value" (core/needs.c). Writes nothing when an input it needs is absent. */
    void (*measure)(const struct fw_criterion *c, const struct value *vals, struct sb *o);
};

/* The row of a type (t < R_TYPE_COUNT), or of a name (NULL when unknown). */
const struct rule_ops *rule_ops_of(enum fw_rule_type t);
const struct rule_ops *rule_ops_find(const char *name, enum fw_rule_type *t);

#endif
