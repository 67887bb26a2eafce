/*
 * The run report object and the checks shared by the files that write and read it: run.c
 * (values, ids, limits), run_yaml.c (YAML), run_path.c (field paths), run_resolve.c
 * (validation, defaults, resolving) and stream.c. Private to them: the rest of the library
 * reads runs through pr_run_resolve() and the public getters.
 */
#ifndef POSTRUN_RUN_IMPL_H
#define POSTRUN_RUN_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "run.h"
#include "yamldom.h"

/* Fixed sizes of the strings a run holds (with the NUL). Longer input is an error, never a
 * truncation. Knowledge-base ids are short snake_case words. */
#define RUN_ID_SIZE 128   /* the report's free-text `id` */
#define RUN_NAME_SIZE 64  /* symptom, observation and body-area ids */
#define RUN_FILE_SIZE 256 /* same as postrun_error.file */
#define RUN_ASSUMPTION_SIZE 112

/* The symptom's numeric fields, in the same shape as the run field table. */
enum { SF_SEVERITY, SF_ONSET_H, SF_DURATION_H, SF_COUNT };
extern const run_field_info PR_RUN_SYMPTOM_FIELDS[SF_COUNT];

typedef struct run_pos {
    uint32_t line, col; /* 0 when set through the API */
} run_pos;

/* Ids are kept as text (the report's own words, for messages and getters) and, when they were
 * checked against a knowledge base as they were set, also as that knowledge base's indexes,
 * so that assessing the run with the same knowledge base copies them instead of looking them
 * up (postrun_run.ids_kb says which knowledge base, if any, all of them belong to). */
typedef struct run_symptom {
    char id[RUN_NAME_SIZE];
    run_pos pos;             /* of the id, for unknown-id errors at assessment time */
    int index;               /* in ids_kb */
    double num[SF_COUNT];    /* NaN = not given */
    bool severity_defaulted; /* filled by postrun_run_apply_defaults() */
    size_t n_where;
    char where[PR_MAX_WHERE][RUN_NAME_SIZE];
    run_pos where_pos[PR_MAX_WHERE];
    int where_index[PR_MAX_WHERE]; /* in ids_kb */
} run_symptom;

typedef struct run_observation {
    char id[RUN_NAME_SIZE];
    run_pos pos;
    bool is_bool; /* given as true/false (else as a number) */
    double value; /* booleans 0/1 */
    int index;    /* in ids_kb, whose type and range `value` was checked against */
} run_observation;

/* The whole report is one allocation: every list has a fixed capacity (run.h). */
struct postrun_run {
    const postrun_kb *kb;      /* vocabulary checked at set time; NULL = at assessment */
    char file[RUN_FILE_SIZE];  /* where it was parsed from, "" when built by the API */
    run_pos doc;               /* where its document started */
    run_pos section[RF_COUNT]; /* per field: where its section's key stood (for "missing") */
    double field[RF_COUNT];    /* NaN = not given; enums as word index; booleans 0/1 */
    uint64_t defaulted;        /* bit f: field f holds a default filled by apply_defaults */
    uint64_t from_activity;    /* bit f: field f was taken from an activity file */
    /* The activity that fills what the report leaves out (postrun_run_set_activity()), kept
     * like the vocabulary when the run is emptied, so each report read into it is filled
     * before it is validated. NULL when none. */
    const postrun_activity *activity;
    bool weigh_in_given;       /* a `weigh_in:` mapping appeared (even an empty one) */
    char id[RUN_ID_SIZE];
    size_t n_symptoms;
    run_symptom symptom[PR_MAX_SYMPTOMS];
    size_t n_observations;
    run_observation observation[PR_MAX_OBSERVATIONS];
    size_t n_assumptions;
    char assumption[PR_MAX_ASSUMPTIONS][RUN_ASSUMPTION_SIZE];
    /* The knowledge base every id in the run was checked against (their `index` fields hold
     * its indexes, and observations passed its checks), NULL when there is none such (ids set
     * without one, or against different ones, or one changed where the index cannot follow).
     * Filled as ids are set, never while assessing: a run is read by threads at once. */
    const postrun_kb *ids_kb;
    bool ids_any; /* an id has been set since the run was last emptied */
};

/* Collects the problems of one call: every one goes to `err` (which may be NULL), and the
 * first error's code is kept so the call can return it even without a record. */
typedef struct run_ctx {
    postrun_run *run;
    const postrun_kb *kb;
    postrun_error *err;
    const char *file; /* NULL for API calls */
    postrun_status first;
    uint64_t given; /* bit f: field f was written, even with a bad value (not "missing") */
} run_ctx;

postrun_status pr_run_problem(run_ctx *c, postrun_status code, run_pos at, const char *field,
                           const char *fmt, ...) PR_PRINTF(5, 6);

/* A scalar on its way into a field, from YAML or from a setter. */
typedef struct run_value {
    const char *text; /* scalar as written; NULL from set_number()/set_bool() */
    bool collection;  /* YAML: a mapping or list (text describes it) */
    bool quoted;      /* YAML: written in quotes (so never a number or a boolean) */
    bool is_bool;
    bool b;
    postrun_status num_rc; /* POSTRUN_OK: `num` holds a finite number; TYPE: not a number;
                            * RANGE: not finite or overflowing */
    double num;
} run_value;

/* The value of a YAML node (a collection gives a value no field accepts). */
run_value pr_run_value_of(const dnode *n);
/* Quotes at most 40 bytes of text for a message. */
void pr_run_quote(char *buf, size_t size, const char *text);

/* Which kind of id a list holds. */
typedef enum id_kind { ID_SYMPTOM, ID_OBSERVATION, ID_BODY_AREA } id_kind;

/* pr_suggest(), or else the one allowed word that `word` begins (a unit left out:
 * "duration" -> "duration_min"). NULL when there is no good guess. */
const char *pr_run_suggest(const char *word, const char *const *allowed);


/* Index of the id in the context's knowledge base (0 without one, when its shape is right);
 * -1 after recording the problem, with the closest known id. */
int pr_run_lookup_id(run_ctx *c, id_kind kind, const char *id, run_pos at, const char *field);
/* An observation's value against its type and range in the context's knowledge base (always
 * true without one). */
bool pr_run_check_observation(run_ctx *c, int index, bool is_bool, double value, run_pos at,
                           const char *field);

/* Checks an id against the run's vocabulary (shape only without a knowledge base) and copies
 * it into `dst` (RUN_NAME_SIZE). Returns false after recording the problem. */
bool pr_run_check_id(run_ctx *c, id_kind kind, const char *id, run_pos at, const char *field,
                  char *dst);

/* Stores a value into run field `f` after checking it (type, range, enumeration). */
bool pr_run_store_field(run_ctx *c, int f, const run_value *v, run_pos at);
/* Stores a symptom's numeric field. */
bool pr_run_store_symptom_field(run_ctx *c, run_symptom *s, int sf, const run_value *v, run_pos at,
                             const char *field);
/* Adds a symptom (id checked, no duplicate, within the limit); NULL after recording why. */
run_symptom *pr_run_add_symptom(run_ctx *c, const char *id, run_pos at, const char *field);
/* Adds a body area to a symptom's `where`. */
bool pr_run_add_where(run_ctx *c, run_symptom *s, const char *id, run_pos at, const char *field);
/* Sets an observation (adding it when new) from a boolean or number value. */
bool pr_run_store_observation(run_ctx *c, const char *id, run_pos id_at, const run_value *v,
                           run_pos at, const char *field);

/* The observation with this id, or NULL. */
run_observation *pr_run_find_observation(const postrun_run *run, const char *id);
/* Index of the field with this path, -1 when none. */
int pr_run_field_by_path(const char *path);
/* Non-zero when field f lies in section `sec` (of length `len`, e.g. "weigh_in"). */
bool pr_run_field_in_section(int f, const char *sec, size_t len);
/* True when `name` is a section of the report ("athlete", "weigh_in", ...). */
bool pr_run_is_section(const char *name);
/* True when a weigh-in is given (its mapping, or any of its fields). */
bool pr_run_has_weigh_in(const postrun_run *run);
/* Lists again the defaults postrun_run_apply_defaults() filled that are still in place. */
void pr_run_rebuild_assumptions(postrun_run *run);
/* Forgets that field f (or symptom s's severity) was defaulted, updating the assumptions. */
void pr_run_forget_default(postrun_run *run, int f, run_symptom *s);
/* Empties everything but the vocabulary and the activity. */
void pr_run_reset(postrun_run *run);
/* Fills the fields the run lacks from run->activity (activity.c); values out of range are
 * left out with a warning in `err`. */
void pr_run_fill_from_activity(postrun_run *run, postrun_error *err);

/* Reads the next non-empty document of `r` into `run` (cleared first), checking ids against
 * `kb`. Every problem is recorded; returns the first error's code, POSTRUN_OK, or
 * POSTRUN_DONE at the end. With `keep_empty`, an empty document is read as a run too. */
postrun_status pr_run_read_document(yreader *r, postrun_run *run, const postrun_kb *kb,
                                 bool keep_empty, postrun_error *err);

/* Checks required fields and the weigh-in (postrun_run_validate without the reset). */
void pr_run_validate_into(run_ctx *c, const postrun_run *run);

#endif
