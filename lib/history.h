/*
 * Histories (docs/history.md, contract section 5): the runs before the one assessed, reduced
 * to what the assessment needs (start, distance, descent, symptoms, the sweat a weigh-in
 * showed against the model's prediction, the glycogen each run left), in time order.
 */
#ifndef POSTRUN_HISTORY_H
#define POSTRUN_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "postrun.h"
#include "model.h"

/* Parses "YYYY-MM-DDTHH:MM[:SS[.f]]" with "Z" or "+HH:MM" / "-HHMM" into seconds since the
 * Unix epoch; 0 when the text is not such a time. */
int pr_iso8601_parse(const char *s, double *unix_s);
/* Writes a time as "YYYY-MM-DDTHH:MM:SSZ" ("" for a non-finite one). */
void pr_iso8601_format(char *buf, size_t size, double unix_s);

#define HIST_MAX_SYMPTOMS 16
#define HIST_SOURCE_SIZE 96

typedef struct hist_entry {
    double start_s, end_s;   /* seconds since the epoch */
    double distance_km;      /* 0 when not given */
    double descent_m;
    double body_mass_kg;
    double carbohydrate_since_g; /* reported since the run before; NaN = not said */
    int long_run, damaged;
    /* ln(measured / predicted sweat rate) and its noise; NaN when the run had no usable
     * weigh-in */
    double sweat_log_ratio, sweat_log_var;
    /* leg-muscle glycogen: full store (g), and the fraction of it at the start and at the
     * end, chained through the runs in time order */
    double muscle_full_g, start_frac, end_frac;
    double density;          /* glycogen of a full store, g per kg of working muscle */
    /* sums over the entries before this one (build()): weigh-ins' precision and
     * precision-weighted log ratios, their number, and the long runs */
    double prec_before, weighted_before, km_before;
    int weigh_ins_before, long_runs_before;
    uint16_t n_symptoms;
    uint16_t symptom[HIST_MAX_SYMPTOMS]; /* kb symptom indexes */
    char source[HIST_SOURCE_SIZE];       /* "file" or "file#3": where the entry came from */
} hist_entry;

/* An entry while the history is built, with its resolved report (for the glycogen chain):
 * the history keeps the entries alone, small, so that a search touches little memory. */
typedef struct build_entry {
    hist_entry e;
    double field[RF_COUNT];
} build_entry;

struct postrun_history {
    const postrun_kb *kb;
    hist_entry *e;
    size_t n;
    double prec_all, weighted_all; /* the same sums over every entry */
    int weigh_ins_all, long_runs_all;
    uint32_t *long_idx;            /* the long runs' entry indexes, in time order */
    int cramps;                    /* the kb's symptom index of cramps, -1 when none */
    double last_field[RF_COUNT];   /* the last run's resolved report (trends) */
};

struct postrun_history_builder {
    const postrun_kb *kb;
    build_entry *e;
    size_t n, cap;
};

#define HIST_MAX_PATTERNS 8

/* A symptom in `count` of the last `of` long runs (this one included). */
typedef struct hist_pattern {
    uint16_t symptom; /* kb symptom index */
    uint8_t count, of;
} hist_pattern;

/* What an assessment keeps of its history (assess_impl.h): the models' inputs and the
 * patterns to render. */
typedef struct hist_result {
    int used;
    model_history_in in;
    size_t n_patterns;
    hist_pattern pattern[HIST_MAX_PATTERNS];
} hist_result;

struct resolved_run;

/* What the history says about the resolved run `rr` (which must give run.started_at): fills
 * the load into its fields when the report leaves it out, and `out` for the models and the
 * renderers; `rr`'s assumptions say what was taken from the history. Only runs that started
 * more than a minute before it count. */
void pr_history_inputs(const postrun_history *h, struct resolved_run *rr, hist_result *out);

/* Number of entries that started before `t` (binary search). */
size_t pr_history_before(const postrun_history *h, double t);

/* Muscle glycogen fraction refilled over `hours` from `end_frac`, for an entry. */
double pr_history_refill(const postrun_kb *kb, const hist_entry *e, double end_frac, double hours,
                      double carbohydrate_g, int *assumed);

#endif
