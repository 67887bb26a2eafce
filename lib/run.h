/*
 * Run reports inside the library: limits, and the resolved form the assessment works on
 * (fields as numbers after defaults, ids as knowledge-base indexes).
 */
#ifndef POSTRUN_RUN_H
#define POSTRUN_RUN_H

#include <stdint.h>

#include "fields.h"
#include "internal.h"
#include "model.h"

#define PR_MAX_SYMPTOMS 16
#define PR_MAX_WHERE 8
#define PR_MAX_OBSERVATIONS 64
#define PR_MAX_BODY_AREAS 64 /* body areas are a bit mask */

typedef struct resolved_symptom {
    uint16_t symptom;   /* kb symptom index */
    double severity;    /* after default */
    double onset_h;     /* NaN when not given */
    double duration_h;  /* NaN when not given */
    uint64_t where;     /* bit i = kb body area i */
} resolved_symptom;

typedef struct resolved_observation {
    uint16_t observation; /* kb observation index */
    double value;         /* booleans 0/1 */
} resolved_observation;

typedef struct resolved_run {
    const char *id;               /* "" when none; points into the run */
    double field[RF_COUNT];       /* NaN = not given (after defaults) */
    size_t n_symptoms;
    resolved_symptom symptom[PR_MAX_SYMPTOMS];
    size_t n_observations;
    resolved_observation observation[PR_MAX_OBSERVATIONS];
    pr_assumptions assumptions;   /* defaults used (the models append theirs) */
} resolved_run;

/* What resolving a run needs to know of the run fields, worked out once by
 * pr_run_field_facts_init() (an assessment keeps a copy: there is no global state); bit f of a
 * mask is field f. */
typedef struct run_field_facts {
    uint64_t weigh_in;        /* the weigh-in section's fields */
    uint64_t required;        /* fields every run report has */
    uint64_t weigh_in_needed; /* weigh-in fields without a default: required with a weigh-in */
    double def[2][RF_COUNT];  /* defaults without [0] and with [1] a weigh-in; NaN = none */
    uint64_t has_def[2];      /* the fields with a default in def[0] / def[1] */
} run_field_facts;
void pr_run_field_facts_init(run_field_facts *f);

/*
 * Validates `run` (as postrun_run_validate), applies defaults into `out` (recording an
 * assumption per default, A_DEFAULT with the field), and resolves every id against `kb`
 * (unknown ids are errors naming the field path, and the run's file/line/column when it was
 * parsed). Allocates nothing. Every problem is recorded.
 */
postrun_status pr_run_resolve(const postrun_run *run, const postrun_kb *kb, resolved_run *out,
                           postrun_error *err);
/* The same with the facts already worked out (postrun_assess()). */
postrun_status pr_run_resolve_with(const postrun_run *run, const postrun_kb *kb,
                                const run_field_facts *rf, resolved_run *out,
                                postrun_error *err);

#endif
