/*
 * pr_model_evaluate(): resolves the inputs every model shares, runs the models in the order of
 * model.md's flow (intensity, energy, glycogen, fluid and heat, muscle water, load). Every
 * metric leaves with lo <= x <= hi (tri.h keeps the order in each operation). No allocation,
 * no text: it runs once per assessment and in benchmarks a million times a second.
 *
 * Intervals cost about twice the expected values. An assessment therefore runs
 * pr_model_evaluate_fast(), which leaves the glycogen, electrolyte and muscle-water intervals out, and
 * pr_model_complete_intervals() fills them in when something reads them (texts, documents, the
 * metric getters, or a knowledge base whose conditions or formulas read them).
 */
#include <stdbool.h>

#include "model_impl.h"

/* An enumeration field as a word index in [0, n), or -1 when not given (or not a word). */
static int word_of(double v, int n)
{
    return v >= 0 && v < n ? (int)v : -1;
}

/* Fills the context's resolved inputs; false when the required fields are missing (then every
 * metric is NaN). */
static int begin(model_ctx *c, const kb_params *p, const double *field, tri *metric,
                 pr_assumptions *as)
{
    c->p = p;
    c->f = field;
    c->m = metric;
    c->as = as;
    c->mass_kg = field[RF_BODY_MASS_KG];
    c->minutes = field[RF_DURATION_MIN];
    /* Required fields: validation guarantees them; without them nothing has a value. */
    if (!(c->mass_kg > 0) || !(c->minutes > 0)) {
        for (int i = 0; i < M_COUNT; i++)
            metric[i] = tri_nan();
        return 0;
    }
    c->hist = NULL;
    c->hours = c->minutes / MIN_PER_H;
    /* A distance of 0 says nothing about pace or cost: treat it as not given. */
    double distance = field[RF_DISTANCE_KM];
    c->distance_km = distance > 0 ? distance : NAN;
    int status = word_of(fld(c, RF_TRAINING_STATUS), STATUS_ELITE + 1);
    c->status = status < 0 ? STATUS_RECREATIONAL : status;
    c->sex = word_of(field[RF_SEX], SEX_MALE + 1);
    return 1;
}

/* What both evaluations do first: the context, the sex assumption and the run's plain
 * numbers. False when nothing can be computed (begin() filled the table with NaN). */
static bool start(model_ctx *c, const kb_params *p, const double *field, tri *metric,
                  pr_assumptions *as)
{
    if (!begin(c, p, field, metric, as))
        return false;
    if (c->sex < 0)
        assume(as, A_SEX_UNSPECIFIED, RF_SEX, NAN, NAN);
    metric[M_HOURS] = tri_const(c->hours);
    metric[M_SPEED_KM_H] = tri_const(c->distance_km / c->hours);
    metric[M_HOURS_SINCE_RUN] = tri_const(fld(c, RF_ENDED_H_AGO));
    return true;
}

void pr_model_evaluate(const kb_params *p, const double *field, tri *metric, pr_assumptions *as)
{
    /* Every model writes all of its metrics (a test checks that each one is written), so the
     * table is filled with NaN only when nothing can be computed. The context is filled field
     * by field: zeroing it first (and filling the table) was a tenth of the time. */
    model_ctx c;
    if (!start(&c, p, field, metric, as))
        return;
    pr_model_intensity(&c);
    pr_model_energy(&c);
    pr_model_glycogen(&c);
    pr_model_fluid(&c);
    pr_model_electrolytes(&c);
    pr_model_muscle(&c);
    pr_model_load(&c);
    pr_model_history_load(&c);
    pr_model_history(&c);
}

void pr_model_evaluate_fast(const kb_params *p, const double *field, tri *metric,
                         pr_assumptions *as)
{
    pr_model_evaluate_fast_history(p, field, NULL, metric, as);
    if (field[RF_BODY_MASS_KG] > 0 && field[RF_DURATION_MIN] > 0) /* else all NaN already */
        for (int i = M_HIST_RUNS; i <= M_HIST_CRAMP_LONG_RUNS; i++)
            metric[i] = tri_nan();
}

void pr_model_evaluate_fast_history(const kb_params *p, const double *field,
                                 const model_history_in *h, tri *metric, pr_assumptions *as)
{
    model_ctx c;
    if (!start(&c, p, field, metric, as))
        return;
    c.hist = h;
    /* Intensity and energy (cheap) and fluid balance (the doses read its intervals) with
     * intervals; glycogen, electrolytes and muscle water without. */
    pr_model_intensity(&c);
    pr_model_energy(&c);
    pr_model_glycogen_expected(&c);
    pr_model_fluid(&c);
    pr_model_electrolytes_expected(&c);
    pr_model_muscle_expected(&c);
    pr_model_load(&c);
    pr_model_history_load(&c);
    /* Without a history the history.* metrics stay as the assessment keeps them (unknown):
     * writing a dozen NaN per run is a cost every assessment would pay. */
    if (h)
        pr_model_history(&c);
}

void pr_model_complete_intervals(const kb_params *p, const double *field, tri *metric)
{
    pr_model_complete_intervals_history(p, field, NULL, metric);
}

void pr_model_complete_intervals_history(const kb_params *p, const double *field,
                                      const model_history_in *h, tri *metric)
{
    /* The same models again with intervals, recording no assumptions (the first pass did):
     * the expected values come out the same, the intervals fill in. */
    model_ctx c;
    if (!begin(&c, p, field, metric, NULL))
        return;
    c.hist = h;
    pr_model_intensity(&c);
    pr_model_energy(&c);
    pr_model_glycogen(&c);
    pr_model_electrolytes(&c);
    pr_model_muscle(&c);
}

int pr_model_metric_has_lazy_interval(int metric)
{
    switch (metric) {
    case M_CARBOHYDRATE_FRACTION: case M_CHO_OXIDISED_G: case M_EXOGENOUS_OXIDISED_G:
    case M_ENDOGENOUS_USED_G: case M_MUSCLE_USED_G: case M_LIVER_USED_G:
    case M_MUSCLE_STORE_BEFORE_G: case M_LIVER_STORE_BEFORE_G: case M_MUSCLE_REMAINING_PCT:
    case M_LIVER_REMAINING_PCT: case M_SHORTFALL_G: case M_WATER_RELEASED_G: case M_RESTORE_H:
    case M_MUSCLE_WATER_LOSS_G: case M_MUSCLE_VOLUME_CHANGE_PCT: case M_SWEAT_SODIUM_MMOL_L:
    case M_SODIUM_LOSS_MG: case M_SODIUM_NET_LOSS_MG: case M_POTASSIUM_LOSS_MG:
        return 1;
    default:
        return 0;
    }
}
