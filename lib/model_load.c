/*
 * Training context (model.md section 6): how this week compares with the last four, and how
 * likely delayed-onset muscle soreness is from the eccentric (downhill) load. Owns the load.*
 * metrics. The acute:chronic ratio is debated as an injury predictor (data/ says so); here it
 * only says how new the load is.
 */
#include "model_impl.h"

void pr_model_load(model_ctx *c)
{
    tri *m = c->m;
    double acute = c->f[RF_ACUTE_WEEK_KM], chronic = c->f[RF_CHRONIC_WEEK_KM];
    double acwr = NAN;
    if (!isnan(acute) && !isnan(chronic) && chronic > 0)
        acwr = acute / chronic;
    /* A vanishing average (1e-300 km) makes the ratio overflow: as meaningless as none. */
    if (!isfinite(acwr * PCT))
        acwr = NAN;
    if (isnan(acwr) && !isnan(acute))
        assume(c->as, A_NO_CHRONIC_LOAD, RF_CHRONIC_WEEK_KM, NAN, NAN);
    m[M_ACWR] = tri_const(acwr);
    m[M_WEEK_INCREASE_PCT] = tri_const((acwr - 1) * PCT); /* NaN stays NaN */

    double loss_m = fld(c, RF_ELEVATION_LOSS_M);
    double per_km = loss_m / c->distance_km; /* NaN without distance */
    m[M_ECCENTRIC_M_PER_KM] = tri_const(per_km);

    /* Muscles that have not met this load recently are the ones that get sore (Cheung 2003);
     * a repeated bout within weeks protects, which a first-time or sharply increased load
     * lacks. Comparisons with NaN are false: unknown ratio = no evidence of novelty. */
    int novel = c->status == STATUS_NOVICE || acwr > parx(c, P_ACWR_NOVEL);
    double steep_m = parx(c, P_DOMS_DESCENT_M), steep_per_km = parx(c, P_DOMS_DESCENT_M_PER_KM);
    double half = parx(c, P_DOMS_MODERATE_FRACTION);
    int steep = loss_m >= steep_m || per_km >= steep_per_km;
    int some_descent = loss_m >= steep_m * half || per_km >= steep_per_km * half;
    double category = c->f[RF_INTENSITY]; /* NaN (not given) matches neither */
    int hard = category == INT_RACE || category == INT_INTERVALS;

    int risk = DOMS_LOW;
    if ((novel && steep) || (hard && acwr > parx(c, P_ACWR_DANGER)))
        risk = DOMS_HIGH;
    else if (steep || (novel && some_descent) || hard || acwr > parx(c, P_ACWR_NOVEL))
        risk = DOMS_MODERATE;
    m[M_DOMS_RISK] = tri_const(risk);
    m[M_DOMS_PEAK_H_LOW] = par(c, P_DOMS_WINDOW_START_H);
    m[M_DOMS_PEAK_H_HIGH] = par(c, P_DOMS_WINDOW_END_H);
}
