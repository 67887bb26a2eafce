/*
 * Intensity (model.md section 2): the run's average intensity as a fraction of VO2max, `u`,
 * from the best evidence the report holds, and the VO2max the other models use. Owns the
 * metrics energy.intensity_source, energy.intensity_pct_vo2max and energy.vo2max_ml_kg_min.
 */
#include "model_impl.h"

tri pr_model_acsm_vo2(const kb_params *p, double speed_m_min, double grade)
{
    /* ACSM's running equation with its vertical term: the model.md form is the flat case.
     * Averaged over a run, the vertical term is speed * (gain / distance), whatever the
     * profile, so it needs only the totals the report gives. */
    tri horizontal = tri_scale(param_tri(p, P_ACSM_HORIZONTAL), speed_m_min);
    tri vertical = tri_scale(param_tri(p, P_ACSM_VERTICAL), speed_m_min * grade);
    return tri_add(tri_add(horizontal, vertical), param_tri(p, P_ACSM_REST));
}

static const param_id VO2MAX_BY_STATUS[] = {P_VO2MAX_NOVICE, P_VO2MAX_RECREATIONAL,
                                            P_VO2MAX_TRAINED, P_VO2MAX_ELITE};

static const param_id INTENSITY_BY_CATEGORY[] = {P_INTENSITY_EASY, P_INTENSITY_STEADY,
                                                 P_INTENSITY_TEMPO, P_INTENSITY_THRESHOLD,
                                                 P_INTENSITY_INTERVALS};

/*
 * A race is run as hard as its length allows. model.md gives steps (up to 20 min, 60 min,
 * 150 min, longer); steps would make a 61-minute race burn less carbohydrate than a 60-minute
 * one, so the intensity is interpolated between the anchor durations instead (the anchors keep
 * model.md's values). The durations are definitions, used by value.
 */
static tri race_intensity(const model_ctx *c)
{
    static const param_id DURATION[] = {P_RACE_SHORT_MIN, P_RACE_MEDIUM_MIN, P_RACE_LONG_MIN,
                                        P_RACE_ULTRA_MIN};
    static const param_id INTENSITY[] = {P_INTENSITY_RACE_SHORT, P_INTENSITY_RACE_MEDIUM,
                                         P_INTENSITY_RACE_LONG, P_INTENSITY_RACE_ULTRA};
    enum { N = sizeof DURATION / sizeof DURATION[0] };
    if (c->minutes <= parx(c, DURATION[0]))
        return par(c, INTENSITY[0]);
    for (int i = 1; i < N; i++) {
        double t0 = parx(c, DURATION[i - 1]), t1 = parx(c, DURATION[i]);
        if (c->minutes <= t1) {
            double w = (c->minutes - t0) / (t1 - t0);
            return tri_add(tri_scale(par(c, INTENSITY[i - 1]), 1 - w),
                           tri_scale(par(c, INTENSITY[i]), w));
        }
    }
    return par(c, INTENSITY[N - 1]);
}

/* Heart rate: %HRmax (Tanaka 2001 when no measured maximum) to %VO2max (Swain 1994). */
static tri intensity_from_heart_rate(model_ctx *c, double avg_hr)
{
    tri hrmax;
    double measured = c->f[RF_MAX_HR_BPM];
    if (!isnan(measured)) {
        hrmax = tri_const(measured);
    } else {
        double age = c->f[RF_AGE_Y];
        tri age_y = tri_const(age);
        if (isnan(age)) {
            age_y = par(c, P_DEFAULT_AGE);
            assume(c->as, A_AGE_FOR_HRMAX, RF_AGE_Y, age_y.x, NAN);
        }
        hrmax = tri_sub(par(c, P_HRMAX_INTERCEPT), tri_mul(par(c, P_HRMAX_AGE_SLOPE), age_y));
        assume(c->as, A_HRMAX_FROM_AGE, RF_MAX_HR_BPM, hrmax.x, NAN);
    }
    tri pct_hrmax = tri_div(tri_const(avg_hr), hrmax);
    return tri_div(tri_sub(pct_hrmax, par(c, P_SWAIN_OFFSET)), par(c, P_SWAIN_SLOPE));
}

static tri intensity_from_pace(const model_ctx *c)
{
    double speed_m_min = c->distance_km * M_PER_KM / c->minutes;
    double grade = fld(c, RF_ELEVATION_GAIN_M) / (c->distance_km * M_PER_KM);
    return tri_div(pr_model_acsm_vo2(c->p, speed_m_min, grade), c->vo2max);
}

void pr_model_intensity(model_ctx *c)
{
    double athlete_vo2max = c->f[RF_VO2MAX_ML_KG_MIN];
    int vo2max_estimated = isnan(athlete_vo2max);
    c->vo2max = vo2max_estimated ? par(c, VO2MAX_BY_STATUS[c->status])
                                 : tri_const(athlete_vo2max);

    double avg_hr = c->f[RF_AVG_HR_BPM];
    double category = c->f[RF_INTENSITY];
    double rpe = c->f[RF_RPE];
    int has_distance = !isnan(c->distance_km);
    int source;
    tri u;

    /* First source available wins. A category or an RPE from the runner beats a pace whose
     * VO2max is only a guess from training status. */
    if (!isnan(avg_hr)) {
        source = ISRC_HEART_RATE;
        u = intensity_from_heart_rate(c, avg_hr);
    } else if (has_distance && !vo2max_estimated) {
        source = ISRC_PACE;
        u = intensity_from_pace(c);
    } else if (category >= 0 && category <= INT_RACE) { /* false for NaN */
        source = ISRC_CATEGORY;
        int k = (int)category;
        u = k == INT_RACE ? race_intensity(c) : par(c, INTENSITY_BY_CATEGORY[k]);
    } else if (!isnan(rpe)) {
        source = ISRC_RPE;
        u = curve_tri(&c->p->curve[C_RPE_INTENSITY], tri_const(rpe));
    } else if (has_distance) {
        source = ISRC_PACE_ESTIMATED;
        u = intensity_from_pace(c);
    } else {
        source = ISRC_DEFAULT;
        u = par(c, P_INTENSITY_DEFAULT);
        assume(c->as, A_INTENSITY_DEFAULT, -1, u.x * PCT, NAN);
    }

    /* The estimated VO2max matters only where it sets a number: the pace estimate, and the
     * energy and air speed of a run without distance. */
    if (vo2max_estimated && (source == ISRC_PACE_ESTIMATED || !has_distance))
        assume(c->as, A_VO2MAX_FROM_STATUS, RF_VO2MAX_ML_KG_MIN, c->vo2max.x, NAN);

    tri lo = par(c, P_INTENSITY_MIN), hi = par(c, P_INTENSITY_MAX);
    tri limited = tri_clamp_tri(u, lo, hi);
    if (limited.x != u.x)
        assume(c->as, A_INTENSITY_LIMITED, -1, u.x * PCT, limited.x * PCT);
    c->u = limited;

    c->m[M_INTENSITY_SOURCE] = tri_const(source);
    c->m[M_INTENSITY_PCT_VO2MAX] = tri_pct(c->u);
    c->m[M_VO2MAX_ML_KG_MIN] = c->vo2max;
}
