/*
 * The physiology models (model.md sections 2-6): pure functions from a resolved run report and
 * the knowledge base's parameters to the metric table. No allocation, no I/O, no text.
 * Every constant comes from kb_params (params.def); C holds only unit conversions.
 */
#ifndef POSTRUN_MODEL_H
#define POSTRUN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "tri.h"
#include "params.h"
#include "fields.h"

/* One assumption the model (or the defaults step) made, kept as a code and its numbers so that
 * no text is built unless asked for (assumptions.def holds the templates). */
typedef struct pr_assumption {
    uint16_t code;  /* A_* from assumptions.def */
    int16_t field;  /* RF_* the assumption is about, or -1. With an enumerated field, %0 prints
                     * v[0] as that field's word: such an assumption's v[0] must be a word
                     * index (or its template must not print %0). */
    double v[2];    /* values the template prints */
} pr_assumption;

#define PR_MAX_ASSUMPTIONS 48

typedef struct pr_assumptions {
    pr_assumption item[PR_MAX_ASSUMPTIONS];
    size_t n;
} pr_assumptions;

typedef enum assumption_code {
#define ASSUMPTION(id, text) id,
#include "assumptions.def"
#undef ASSUMPTION
    A_COUNT
} assumption_code;

/* Records an assumption (silently keeps the first PR_MAX_ASSUMPTIONS: the table is sized so
 * that a run cannot produce more; a test checks the worst case). Inline: resolving and the
 * models record about a dozen per assessment. */
static inline void assume(pr_assumptions *as, assumption_code code, int field, double v0,
                          double v1)
{
    if (!as || as->n >= PR_MAX_ASSUMPTIONS)
        return;
    pr_assumption *a = &as->item[as->n++];
    a->code = (uint16_t)code;
    a->field = (int16_t)field;
    a->v[0] = v0;
    a->v[1] = v1;
}

/* Template of an assumption code ("no weigh-in: sweat loss predicted from heat balance",
 * with %0 / %1 for v[0] / v[1] and %f for the field path; any other % prints as it is).
 * NULL for a code out of range. */
const char *pr_assumption_template(assumption_code code);

/*
 * What the runs before this one tell the models (lib/history_assess.c works it out; NULL when
 * there is no history). The models read the personal sweat factor and the starting muscle
 * store; pr_model_history() copies the rest into the history.* metrics and applies the
 * repeated-bout effect to the soreness risk.
 */
typedef struct model_history_in {
    int weigh_ins;          /* weigh-ins sweat_factor learnt from; 0 = the population's spread */
    tri sweat_factor;       /* replaces the between-person sweat factor when weigh_ins > 0 */
    tri muscle_start;       /* leg-muscle store at the start, fraction of full; NaN = full */
    int repeated_bout;      /* a similar downhill bout protects: lower the soreness risk */
    double runs, acute_km, chronic_km, acwr_uncoupled, monotony, strain; /* NaN = unknown */
    double long_runs, cramp_long_runs;
} model_history_in;

/* pr_model_evaluate_fast() and pr_model_complete_intervals() with a history (NULL: none). */
void pr_model_evaluate_fast_history(const kb_params *p, const double *field,
                                 const model_history_in *h, tri *metric, pr_assumptions *as);
void pr_model_complete_intervals_history(const kb_params *p, const double *field,
                                      const model_history_in *h, tri *metric);

/* Grams of glycogen per kg of working muscle the model puts back in `hours` with the
 * recommended intake (pr_model_restore_h() turned around, expected rates). */
double pr_model_refilled_g_per_kg(const kb_params *p, double hours, int damaged);

/* pr_model_evaluate_fast_history() writes the history.* metrics only when given a history (an
 * assessment keeps them unknown itself); pr_model_evaluate() and pr_model_evaluate_fast() always
 * write them (unknown without a history). */

/* Whether a run with these fields damages the working muscles enough to slow glycogen
 * resynthesis: a long descent (the DOMS thresholds of pr_model_load) or a marathon-like
 * distance (Asp 1997/1998). Used by pr_model_glycogen and for a history's runs. */
static inline int model_muscle_damaged(const kb_params *p, const double *field)
{
    double loss = field[RF_ELEVATION_LOSS_M];
    if (loss != loss) /* NaN: the field's default */
        loss = PR_RUN_FIELDS[RF_ELEVATION_LOSS_M].def;
    if (loss >= p->value[P_DOMS_DESCENT_M])
        return 1;
    double km = field[RF_DISTANCE_KM];
    if (!(km > 0))
        return 0;
    return km >= p->value[P_DAMAGE_DISTANCE_KM] || loss / km >= p->value[P_DOMS_DESCENT_M_PER_KM];
}

/*
 * Runs every model. `field` holds the run report's fields after defaults (RF_COUNT values:
 * numbers; enumerations as the word's index; booleans 0/1; NaN = not given). Writes every
 * model metric (M_* of metrics.def; NaN where a metric has no value for this run) into
 * `metric`, indexed by metric id, and appends the assumptions it made.
 */
void pr_model_evaluate(const kb_params *p, const double *field, tri *metric, pr_assumptions *as);

/*
 * The same, with the glycogen.*, energy.carbohydrate_fraction, sodium, potassium and muscle.*
 * metrics (those of pr_model_metric_has_lazy_interval()) as expected values only (lo == x == hi):
 * their intervals cost as much as everything else. Every other metric is as pr_model_evaluate() gives it.
 */
void pr_model_evaluate_fast(const kb_params *p, const double *field, tri *metric,
                         pr_assumptions *as);

/* After pr_model_evaluate_fast() on the same inputs: fills in the intervals it left out. The
 * table then equals pr_model_evaluate()'s. Records no assumptions. */
void pr_model_complete_intervals(const kb_params *p, const double *field, tri *metric);

/* Whether pr_model_evaluate_fast() leaves metric M_* without its interval. */
int pr_model_metric_has_lazy_interval(int metric);

/*
 * The pieces of the models that have published reference values, exposed so that tests can
 * check each against its source (model.md section 8) and docs can quote them.
 */

/* Minetti 2002 energy cost of running at `grade` (rise/run; clamped to the parameter
 * minetti_grade_limit), J/kg/m. */
double pr_model_minetti_cr(const kb_params *p, double grade);

/* ACSM running equation: VO2 (ml/kg/min) at `speed_m_min` on an average uphill grade
 * `grade` (elevation gain / distance; 0 on the flat). */
tri pr_model_acsm_vo2(const kb_params *p, double speed_m_min, double grade);

/* Saturation vapour pressure of water (Magnus/Tetens, as in ISO 7933), kPa. */
tri pr_model_psat_kpa(const kb_params *p, tri t_c);

/* Du Bois body surface area, m2. */
tri pr_model_du_bois_m2(const kb_params *p, double mass_kg, tri height_cm);

/* Hours to put back `used_g_per_kg` grams of glycogen per kg of working muscle: the fast
 * phase's rate for its first hours, then the slow rate; both slower when the run `damaged`
 * the muscles (long descents, marathon distances). */
tri pr_model_restore_h(const kb_params *p, tri used_g_per_kg, int damaged);

#endif
