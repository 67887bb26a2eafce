/*
 * model_evaluate(): resolves the inputs every model shares, runs the models in the order of
 * model.md's flow (intensity, energy, glycogen, fluid and heat, muscle water, load). Every
 * metric leaves with lo <= x <= hi (tri.h keeps the order in each operation). No allocation,
 * no text: it runs once per assessment and in benchmarks a million times a second.
 */
#include "model_internal.h"

/* An enumeration field as a word index in [0, n), or -1 when not given (or not a word). */
static int word_of(double v, int n)
{
    return v >= 0 && v < n ? (int)v : -1;
}

void model_evaluate(const kb_params *p, const double *field, tri *metric, pr_assumptions *as)
{
    /* Every model writes all of its metrics (a test checks that each one is written), so the
     * table is filled with NaN only when nothing can be computed. The context is filled field
     * by field: zeroing it first (and filling the table) was a tenth of the time. */
    model_ctx c;
    c.p = p;
    c.f = field;
    c.m = metric;
    c.as = as;
    c.mass_kg = field[RF_BODY_MASS_KG];
    c.minutes = field[RF_DURATION_MIN];
    /* Required fields: validation guarantees them; without them nothing has a value. */
    if (!(c.mass_kg > 0) || !(c.minutes > 0)) {
        for (int i = 0; i < M_COUNT; i++)
            metric[i] = tri_nan();
        return;
    }
    c.derived = params_derived_ok(p);
    c.hours = c.minutes / MIN_PER_H;
    /* A distance of 0 says nothing about pace or cost: treat it as not given. */
    double distance = field[RF_DISTANCE_KM];
    c.distance_km = distance > 0 ? distance : NAN;
    int status = word_of(fld(&c, RF_TRAINING_STATUS), STATUS_ELITE + 1);
    c.status = status < 0 ? STATUS_RECREATIONAL : status;
    c.sex = word_of(field[RF_SEX], SEX_MALE + 1);
    if (c.sex < 0)
        assume(as, A_SEX_UNSPECIFIED, RF_SEX, NAN, NAN);

    metric[M_HOURS] = tri_const(c.hours);
    metric[M_SPEED_KM_H] = tri_const(c.distance_km / c.hours);
    metric[M_HOURS_SINCE_RUN] = tri_const(fld(&c, RF_ENDED_H_AGO));

    model_intensity(&c);
    model_energy(&c);
    model_glycogen(&c);
    model_fluid(&c);
    model_muscle(&c);
    model_load(&c);
}
