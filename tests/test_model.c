/*
 * Tests of the physiology models (lib/model*.c) with the bundled parameters
 * (data/parameters.yaml): every reference number of model.md section 8, hand-computed values
 * of each model, edge cases, and properties checked over thousands of generated runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"
#include "model_fixture.h"

#ifndef POSTRUN_SOURCE_ROOT
#define POSTRUN_SOURCE_ROOT "."
#endif

static const kb_params *P;

typedef struct result {
    tri m[M_COUNT];
    pr_assumptions as;
} result;

/* ---- helpers ---- */

#define assert_near(actual, expected, tol)                                                    \
    do {                                                                                      \
        double a_ = (actual), e_ = (expected), t_ = (tol);                                    \
        if (!(fabs(a_ - e_) <= t_))                                                           \
            fail_msg("%s = %.6g, expected %.6g +- %.3g", #actual, a_, e_, t_);                \
    } while (0)

#define assert_between(actual, lo, hi)                                                        \
    do {                                                                                      \
        double a_ = (actual), l_ = (lo), h_ = (hi);                                           \
        if (!(a_ >= l_ && a_ <= h_))                                                          \
            fail_msg("%s = %.6g, expected within [%.6g, %.6g]", #actual, a_, l_, h_);         \
    } while (0)

/* A run with only the required fields; everything else not given. */
static void new_run(double *f, double mass_kg, double minutes, double km)
{
    for (int i = 0; i < RF_COUNT; i++)
        f[i] = NAN;
    f[RF_POSTRUN] = 1;
    f[RF_BODY_MASS_KG] = mass_kg;
    f[RF_DURATION_MIN] = minutes;
    f[RF_DISTANCE_KM] = km;
}

static void eval(const double *f, result *r)
{
    r->as.n = 0;
    model_evaluate(P, f, r->m, &r->as);
}

static int assumed(const result *r, assumption_code code)
{
    for (size_t i = 0; i < r->as.n; i++)
        if (r->as.item[i].code == code)
            return 1;
    return 0;
}

static const pr_assumption *assumption(const result *r, assumption_code code)
{
    for (size_t i = 0; i < r->as.n; i++)
        if (r->as.item[i].code == code)
            return &r->as.item[i];
    return NULL;
}

static double pv(param_id id)
{
    return P->value[id];
}

/* A parameter's 10th and 90th percentiles. */
static double pl(param_id id)
{
    return P->low[id];
}

static double ph(param_id id)
{
    return P->high[id];
}

/* 70 kg, 12 km/h for an hour, in given air (model.md section 8's sweat cases). */
static void sweat_case(result *r, double temp_c, double rh_pct)
{
    double f[RF_COUNT];
    new_run(f, 70, 60, 12);
    f[RF_TEMPERATURE_C] = temp_c;
    f[RF_RELATIVE_HUMIDITY_PCT] = rh_pct;
    eval(f, r);
}

static int setup(void **state)
{
    (void)state;
    P = model_fixture_params();
    return P ? 0 : -1;
}

/* ---- model.md section 8: numbers to test against ---- */

static void test_minetti_cost_is_3_60_flat_19_43_at_plus_45_pct_and_1_80_at_minus_20_pct(
    void **state)
{
    (void)state;
    assert_near(model_minetti_cr(P, 0), 3.60, 0.005);
    assert_near(model_minetti_cr(P, 0.45), 19.43, 0.005);
    assert_near(model_minetti_cr(P, -0.20), 1.80, 0.005);
}

static void test_minetti_cost_is_clamped_beyond_45_pct_grade(void **state)
{
    (void)state;
    assert_near(model_minetti_cr(P, 0.80), model_minetti_cr(P, 0.45), 1e-12);
    assert_near(model_minetti_cr(P, -0.80), model_minetti_cr(P, -0.45), 1e-12);
}

/* Climbs and descents cost Minetti's Cr at their grade, relative to the flat: the cost rises
 * again on steep descents (braking), which a straight line through Cr's slope missed. */
static void test_route_cost_follows_minetti_curve_at_each_grade(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result flat, r;
    new_run(f, 70, 60, 10);
    eval(f, &flat);
    static const double grades[] = {-0.45, -0.20, -0.10, 0.10, 0.25, 0.45};
    for (size_t i = 0; i < sizeof grades / sizeof grades[0]; i++) {
        double g = grades[i];
        new_run(f, 70, 60, 10);
        f[g > 0 ? RF_ELEVATION_GAIN_M : RF_ELEVATION_LOSS_M] = fabs(g) * 10000;
        eval(f, &r);
        double ratio = model_minetti_cr(P, g) / model_minetti_cr(P, 0);
        assert_near(r.m[M_EXPENDITURE_KCAL].x, flat.m[M_EXPENDITURE_KCAL].x * ratio, 1e-6);
    }
    /* the steepest descent costs more than the cheapest grade near -20 % */
    assert_true(model_minetti_cr(P, -0.45) > model_minetti_cr(P, -0.20));
    /* a loop: half at +4 %, half at -4 % */
    new_run(f, 70, 60, 10);
    f[RF_ELEVATION_GAIN_M] = f[RF_ELEVATION_LOSS_M] = 200;
    eval(f, &r);
    double loop = (model_minetti_cr(P, 0.04) + model_minetti_cr(P, -0.04)) / 2 /
                  model_minetti_cr(P, 0);
    assert_near(r.m[M_EXPENDITURE_KCAL].x, flat.m[M_EXPENDITURE_KCAL].x * loop, 1e-6);
}

static void test_acsm_equation_gives_35_66_ml_kg_min_at_160_8_m_min_on_the_flat(void **state)
{
    (void)state;
    tri vo2 = model_acsm_vo2(P, 160.8, 0);
    assert_near(vo2.x, 35.66, 0.005);
    assert_true(tri_is_const(vo2));
}

static void test_weigh_in_gives_1_8_l_sweat_1_2_l_per_h_and_minus_2_pct(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 90, NAN);
    f[RF_PRE_KG] = 70.0;
    f[RF_POST_KG] = 68.6;
    f[RF_FLUID_ML] = 500;
    f[RF_URINE_ML] = 100;
    eval(f, &r);
    assert_int_equal((int)r.m[M_FLUID_METHOD].x, FLUID_MEASURED);
    assert_near(r.m[M_SWEAT_LOSS_L].x, 1.8, 1e-9);
    assert_near(r.m[M_SWEAT_RATE_L_H].x, 1.20, 1e-9);
    assert_near(r.m[M_BODY_MASS_CHANGE_PCT].x, -2.0, 1e-9);
    assert_near(r.m[M_BODY_MASS_CHANGE_KG].x, -1.4, 1e-9);
    assert_false(assumed(&r, A_NO_WEIGH_IN));
}

static void test_weigh_in_range_is_scale_resolution_and_breathing_loss(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 90, NAN);
    f[RF_PRE_KG] = 70.0;
    f[RF_POST_KG] = 68.6;
    f[RF_FLUID_ML] = 500;
    f[RF_URINE_ML] = 100;
    eval(f, &r);
    double res = sqrt(2.0) * pv(P_SCALE_RESOLUTION_KG);
    assert_near(res, 0.14, 0.005);
    assert_near(r.m[M_SWEAT_LOSS_L].hi, 1.8 + res, 1e-9);
    assert_near(r.m[M_SWEAT_LOSS_L].lo, 1.8 - res - r.m[M_RESPIRATORY_LOSS_L].hi, 1e-9);
    assert_near(r.m[M_BODY_MASS_CHANGE_KG].lo, -1.4 - res, 1e-9);
    assert_near(r.m[M_BODY_MASS_CHANGE_KG].hi, -1.4 + res, 1e-9);
}

static void test_sweat_at_20c_and_50_pct_is_between_0_9_and_1_6_l(void **state)
{
    (void)state;
    result r;
    sweat_case(&r, 20, 50);
    assert_int_equal((int)r.m[M_FLUID_METHOD].x, FLUID_PREDICTED);
    assert_between(r.m[M_SWEAT_LOSS_L].x, 0.9, 1.6);
    assert_true(assumed(&r, A_NO_WEIGH_IN));
}

/* Warm dry air takes sweat up easily: less of it is needed than in warm humid air at the same
 * temperature (the efficiency falls as skin wettedness rises; Høye 2020 measured about 1.6
 * times more in humid air). */
static void test_sweat_in_warm_dry_air_is_less_than_in_warm_humid_air(void **state)
{
    (void)state;
    result dry, humid;
    sweat_case(&dry, 30, 20);
    sweat_case(&humid, 30, 85);
    assert_true(humid.m[M_SWEAT_LOSS_L].x > 1.3 * dry.m[M_SWEAT_LOSS_L].x);
    assert_true(humid.m[M_HEAT_REQUIRED_EVAP_W].x < 1.1 * dry.m[M_HEAT_REQUIRED_EVAP_W].x);
}

/* A treadmill run without wind is not automatically beyond what sweat can cool. */
static void test_treadmill_in_a_warm_room_is_not_an_automatic_ceiling(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 10);
    f[RF_SURFACE] = SURFACE_TREADMILL;
    f[RF_TEMPERATURE_C] = 22;
    f[RF_RELATIVE_HUMIDITY_PCT] = 50;
    eval(f, &r);
    assert_true(assumed(&r, A_TREADMILL_AIR));
    assert_false(r.m[M_HEAT_UNCOMPENSABLE].x != 0);
    assert_true(r.m[M_SWEAT_RATE_L_H].x < pv(P_SWEAT_CEILING_L_H));
}

static void test_sweat_at_30c_and_60_pct_exceeds_sweat_at_20c(void **state)
{
    (void)state;
    result warm, hot;
    sweat_case(&warm, 20, 50);
    sweat_case(&hot, 30, 60);
    assert_true(hot.m[M_SWEAT_LOSS_L].x > warm.m[M_SWEAT_LOSS_L].x);
    /* and stays within what runners sweat (ACSM 2007: up to about 1.8 l/h) */
    assert_true(hot.m[M_SWEAT_LOSS_L].x <= 1.8);
}

static void test_sweat_at_5c_is_below_0_8_l(void **state)
{
    (void)state;
    result r;
    sweat_case(&r, 5, 50);
    assert_true(r.m[M_SWEAT_LOSS_L].x < 0.8);
    assert_true(r.m[M_SWEAT_LOSS_L].x >= pv(P_SWEAT_FLOOR_L_H));
}

static void test_flat_marathon_of_70_kg_runner_costs_about_2950_kcal(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 210, 42.195);
    eval(f, &r);
    assert_near(r.m[M_EXPENDITURE_KCAL].x, 2950, 0.15 * 2950);
    /* the interval is c_flat's: runners' economy differs by about 20 % (Lacour 2015) */
    double x = r.m[M_EXPENDITURE_KCAL].x;
    assert_near(r.m[M_EXPENDITURE_KCAL].lo, x * pl(P_C_FLAT) / pv(P_C_FLAT), 1e-6);
    assert_near(r.m[M_EXPENDITURE_KCAL].hi, x * ph(P_C_FLAT) / pv(P_C_FLAT), 1e-6);
    assert_true(r.m[M_EXPENDITURE_KCAL].hi / x > 1.10);
}

/* ---- intensity ---- */

static void test_heart_rate_gives_intensity_through_tanaka_and_swain(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 12);
    f[RF_AGE_Y] = 40;
    f[RF_AVG_HR_BPM] = 150;
    eval(f, &r);
    double hrmax = 208 - 0.7 * 40;
    assert_int_equal((int)r.m[M_INTENSITY_SOURCE].x, ISRC_HEART_RATE);
    assert_near(r.m[M_INTENSITY_PCT_VO2MAX].x, (150 / hrmax - 0.37) / 0.64 * 100, 1e-9);
    assert_near(assumption(&r, A_HRMAX_FROM_AGE)->v[0], 180, 1e-9);
    /* the interval comes from the scatter of maximum heart rate around Tanaka's line */
    assert_near(r.m[M_INTENSITY_PCT_VO2MAX].lo,
                (150 / (hrmax + ph(P_HRMAX_INTERCEPT) - 208) - 0.37) / 0.64 * 100, 1e-9);

    f[RF_MAX_HR_BPM] = 190;
    eval(f, &r);
    assert_near(r.m[M_INTENSITY_PCT_VO2MAX].x, (150 / 190.0 - 0.37) / 0.64 * 100, 1e-9);
    assert_true(tri_is_const(r.m[M_INTENSITY_PCT_VO2MAX]));
    assert_false(assumed(&r, A_HRMAX_FROM_AGE));
}

static void test_heart_rate_without_age_assumes_35_years(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, NAN);
    f[RF_AVG_HR_BPM] = 150;
    eval(f, &r);
    assert_near(assumption(&r, A_AGE_FOR_HRMAX)->v[0], 35, 1e-9);
    assert_near(assumption(&r, A_HRMAX_FROM_AGE)->v[0], 208 - 0.7 * 35, 1e-9);
}

static void test_pace_with_athlete_vo2max_gives_intensity_by_acsm(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 50, 10); /* 200 m/min */
    f[RF_VO2MAX_ML_KG_MIN] = 50;
    eval(f, &r);
    assert_int_equal((int)r.m[M_INTENSITY_SOURCE].x, ISRC_PACE);
    assert_near(r.m[M_INTENSITY_PCT_VO2MAX].x, (0.2 * 200 + 3.5) / 50 * 100, 1e-9);
    assert_false(assumed(&r, A_VO2MAX_FROM_STATUS));

    /* climbing adds ACSM's vertical term: 100 m over 10 km is a 1 % average grade */
    f[RF_ELEVATION_GAIN_M] = 100;
    eval(f, &r);
    assert_near(r.m[M_INTENSITY_PCT_VO2MAX].x, (0.2 * 200 + 0.9 * 200 * 0.01 + 3.5) / 50 * 100,
                1e-9);
}

static void test_intensity_sources_are_used_in_model_order(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 12);
    f[RF_AVG_HR_BPM] = 150;
    f[RF_VO2MAX_ML_KG_MIN] = 50;
    f[RF_INTENSITY] = INT_EASY;
    f[RF_RPE] = 8;
    eval(f, &r);
    assert_int_equal((int)r.m[M_INTENSITY_SOURCE].x, ISRC_HEART_RATE);
    f[RF_AVG_HR_BPM] = NAN;
    eval(f, &r);
    assert_int_equal((int)r.m[M_INTENSITY_SOURCE].x, ISRC_PACE);
    f[RF_VO2MAX_ML_KG_MIN] = NAN;
    eval(f, &r);
    assert_int_equal((int)r.m[M_INTENSITY_SOURCE].x, ISRC_CATEGORY);
    assert_near(r.m[M_INTENSITY_PCT_VO2MAX].x, 62, 1e-9);
    f[RF_INTENSITY] = NAN;
    eval(f, &r);
    assert_int_equal((int)r.m[M_INTENSITY_SOURCE].x, ISRC_RPE);
    assert_near(r.m[M_INTENSITY_PCT_VO2MAX].x, 90, 1e-9);
    f[RF_RPE] = NAN;
    eval(f, &r);
    assert_int_equal((int)r.m[M_INTENSITY_SOURCE].x, ISRC_PACE_ESTIMATED);
    assert_near(r.m[M_INTENSITY_PCT_VO2MAX].x, (0.2 * 200 + 3.5) / 45 * 100, 1e-9);
    assert_near(assumption(&r, A_VO2MAX_FROM_STATUS)->v[0], 45, 1e-9);
    f[RF_DISTANCE_KM] = NAN;
    eval(f, &r);
    assert_int_equal((int)r.m[M_INTENSITY_SOURCE].x, ISRC_DEFAULT);
    assert_near(r.m[M_INTENSITY_PCT_VO2MAX].x, 70, 1e-9);
    assert_near(assumption(&r, A_INTENSITY_DEFAULT)->v[0], 70, 1e-9);
}

static void test_race_intensity_falls_with_duration_through_model_anchors(void **state)
{
    (void)state;
    static const struct {
        double minutes, pct;
    } cases[] = {{5, 95}, {20, 95}, {40, 92.5}, {60, 90}, {105, 86}, {150, 82}, {195, 78.5},
                 {240, 75}, {2880, 75}};
    double f[RF_COUNT];
    result r;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        new_run(f, 70, cases[i].minutes, NAN);
        f[RF_INTENSITY] = INT_RACE;
        eval(f, &r);
        assert_near(r.m[M_INTENSITY_PCT_VO2MAX].x, cases[i].pct, 1e-9);
    }
}

static void test_rpe_maps_through_the_cr10_curve(void **state)
{
    (void)state;
    static const struct {
        double rpe, pct;
    } cases[] = {{0, 50}, {2, 50}, {5, 72}, {7.5, 87}, {10, 100}};
    double f[RF_COUNT];
    result r;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        new_run(f, 70, 45, NAN);
        f[RF_RPE] = cases[i].rpe;
        eval(f, &r);
        assert_near(r.m[M_INTENSITY_PCT_VO2MAX].x, cases[i].pct, 1e-9);
    }
}

static void test_implausible_intensity_is_limited_and_said(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, NAN);
    f[RF_AVG_HR_BPM] = 70;
    f[RF_MAX_HR_BPM] = 200;
    eval(f, &r);
    assert_near(r.m[M_INTENSITY_PCT_VO2MAX].x, 30, 1e-9);
    assert_near(assumption(&r, A_INTENSITY_LIMITED)->v[1], 30, 1e-9);

    f[RF_AVG_HR_BPM] = 210; /* above the measured maximum */
    eval(f, &r);
    assert_near(r.m[M_INTENSITY_PCT_VO2MAX].x, 100, 1e-9);
    assert_near(r.m[M_INTENSITY_PCT_VO2MAX].hi, 100, 1e-9);
}

/* ---- energy ---- */

static void test_energy_without_distance_is_oxygen_used_times_5_kcal_per_litre(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, NAN);
    f[RF_INTENSITY] = INT_STEADY;
    f[RF_VO2MAX_ML_KG_MIN] = 50;
    eval(f, &r);
    assert_near(r.m[M_EXPENDITURE_KCAL].x, 0.70 * 50 * 70 * 60 * 5.0 / 1000, 1e-9);
}

static void test_climbing_adds_and_descending_saves_energy(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result flat, r;
    new_run(f, 70, 60, 10);
    eval(f, &flat);
    f[RF_ELEVATION_GAIN_M] = 500;
    eval(f, &r);
    assert_true(r.m[M_EXPENDITURE_KCAL].x > 1.3 * flat.m[M_EXPENDITURE_KCAL].x);
    f[RF_ELEVATION_GAIN_M] = 0;
    f[RF_ELEVATION_LOSS_M] = 500;
    eval(f, &r);
    assert_true(r.m[M_EXPENDITURE_KCAL].x < 0.8 * flat.m[M_EXPENDITURE_KCAL].x);
}

/* Minetti's cost is lowest near -20 % and rises again on steeper descents: a descent never
 * costs less than about half the flat cost. */
static void test_energy_never_falls_below_half_the_flat_cost(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result flat, r;
    new_run(f, 70, 60, 10);
    eval(f, &flat);
    for (double loss = 500; loss <= 6000; loss += 500) {
        f[RF_ELEVATION_LOSS_M] = loss;
        eval(f, &r);
        assert_true(r.m[M_EXPENDITURE_KCAL].x >= 0.45 * flat.m[M_EXPENDITURE_KCAL].x);
        assert_true(r.m[M_EXPENDITURE_KCAL].lo > 0);
    }
}

static void test_metabolic_power_is_energy_over_time(void **state)
{
    (void)state;
    result r;
    sweat_case(&r, 20, 50);
    assert_near(r.m[M_METABOLIC_POWER_W].x, 70 * 12 * pv(P_C_FLAT) * 4184 / 3600.0, 1e-9);
}

/* ---- glycogen ---- */

static double cho_curve(double u)
{
    return curve_eval(&P->curve[C_CHO_FRACTION], u);
}

static void test_carbohydrate_fraction_follows_the_curve_shifted_by_status(void **state)
{
    (void)state;
    static const struct {
        int status;
        param_id shift;
    } cases[] = {{STATUS_NOVICE, P_CHO_SHIFT_NOVICE},
                 {STATUS_RECREATIONAL, P_CHO_SHIFT_RECREATIONAL},
                 {STATUS_TRAINED, P_CHO_SHIFT_TRAINED},
                 {STATUS_ELITE, P_CHO_SHIFT_ELITE}};
    double f[RF_COUNT];
    result r;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        new_run(f, 70, 60, 10);
        f[RF_INTENSITY] = INT_STEADY; /* 0.70 */
        f[RF_TRAINING_STATUS] = cases[i].status;
        eval(f, &r);
        double fraction = cho_curve(0.70 + pv(cases[i].shift));
        assert_near(r.m[M_CARBOHYDRATE_FRACTION].x, fraction, 1e-9);
        assert_near(r.m[M_CHO_OXIDISED_G].x, r.m[M_EXPENDITURE_KCAL].x * fraction / 4.0, 1e-9);
        /* people differ at the same intensity: the fraction has an interval */
        assert_true(r.m[M_CARBOHYDRATE_FRACTION].lo < fraction - 0.05);
        assert_true(r.m[M_CARBOHYDRATE_FRACTION].hi > fraction + 0.05);
    }
    /* at 50-65 % of VO2max most of the energy already comes from carbohydrate (Achten and
     * Jeukendrup 2003: about 62 % at 62.5 % of VO2max in trained men) */
    assert_between(cho_curve(0.625 + pv(P_CHO_SHIFT_TRAINED)), 0.55, 0.70);
}

static void test_exogenous_carbohydrate_is_capped_at_60_g_per_hour(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 12);
    f[RF_INTENSITY] = INT_TEMPO;
    f[RF_CARBOHYDRATE_G] = 100;
    eval(f, &r);
    assert_near(r.m[M_EXOGENOUS_OXIDISED_G].x, 60, 1e-9);
    const pr_assumption *a = assumption(&r, A_EXOGENOUS_LIMITED);
    assert_non_null(a);
    assert_near(a->v[0], 60, 1e-9);
    assert_near(a->v[1], 100, 1e-9);
}

/* Ingested carbohydrate replaces the liver's glucose first (Jeukendrup 1999); muscle glycogen
 * is spared only by a share of what is left over, not gram for gram. */
static void test_carbohydrate_taken_spares_liver_first_and_muscle_little(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result none, some, lots;
    new_run(f, 70, 60, 12);
    f[RF_INTENSITY] = INT_TEMPO;
    eval(f, &none);
    f[RF_CARBOHYDRATE_G] = 20;
    eval(f, &some);
    f[RF_CARBOHYDRATE_G] = 60;
    eval(f, &lots);
    double cho = none.m[M_CHO_OXIDISED_G].x;
    double liver_need = cho * pv(P_LIVER_SHARE);
    assert_true(liver_need > 20);
    /* a little food: the liver gives 20 g less, the muscles as much as without */
    assert_near(some.m[M_LIVER_USED_G].x, none.m[M_LIVER_USED_G].x - 20, 1e-9);
    assert_near(some.m[M_MUSCLE_USED_G].x, none.m[M_MUSCLE_USED_G].x, 1e-9);
    assert_false(assumed(&some, A_EXOGENOUS_LIMITED));
    /* more than the liver's share: the liver gives nothing, the muscles a little less */
    assert_near(lots.m[M_LIVER_USED_G].x, 0, 1e-9);
    double spared = none.m[M_MUSCLE_USED_G].x - lots.m[M_MUSCLE_USED_G].x;
    assert_true(spared > 0);
    assert_true(spared < pv(P_EXOGENOUS_MUSCLE_SPARING) * (60 - liver_need) + 1e-9);
}

static void test_liver_gives_its_share_of_the_carbohydrate_burned(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 12);
    f[RF_INTENSITY] = INT_TEMPO;
    eval(f, &r);
    assert_near(r.m[M_LIVER_USED_G].x, pv(P_LIVER_SHARE) * r.m[M_CHO_OXIDISED_G].x, 1e-9);
}

/* Muscle glycogen is used in proportion to what is left: faster than the average rate early,
 * slower late (Watt 2002: 54 % in the first 2 h, 16 % in the next 2). */
static void test_muscle_glycogen_use_is_front_loaded(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result half, full;
    new_run(f, 70, 120, NAN);
    f[RF_INTENSITY] = INT_EASY;
    eval(f, &half);
    f[RF_DURATION_MIN] = 240;
    eval(f, &full);
    double first = half.m[M_MUSCLE_USED_G].x, both = full.m[M_MUSCLE_USED_G].x;
    assert_true(first > 0.55 * both);
    double store = full.m[M_MUSCLE_STORE_BEFORE_G].x;
    double demand = full.m[M_CHO_OXIDISED_G].x * (1 - pv(P_LIVER_SHARE));
    assert_near(both, store * (1 - exp(-demand / store)), 1e-6);
    assert_near(full.m[M_MUSCLE_REMAINING_PCT].x, 100 * exp(-demand / store), 1e-6);
}

static void test_muscle_store_depends_on_sex_and_training_status(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 30, 5);
    f[RF_SEX] = SEX_MALE;
    f[RF_TRAINING_STATUS] = STATUS_TRAINED;
    eval(f, &r);
    assert_near(r.m[M_MUSCLE_STORE_BEFORE_G].x,
                70 * pv(P_MUSCLE_FRACTION_MALE) * pv(P_GLYCOGEN_DENSITY_TRAINED), 1e-9);
    /* trained runners start well above 20 g/kg (Neufer 1991, Asp 1997) */
    assert_true(pv(P_GLYCOGEN_DENSITY_TRAINED) > 20);
    f[RF_SEX] = SEX_FEMALE;
    f[RF_TRAINING_STATUS] = STATUS_NOVICE;
    eval(f, &r);
    assert_near(r.m[M_MUSCLE_STORE_BEFORE_G].x,
                70 * pv(P_MUSCLE_FRACTION_FEMALE) * pv(P_GLYCOGEN_DENSITY_NOVICE), 1e-9);
    assert_false(assumed(&r, A_SEX_UNSPECIFIED));
    f[RF_SEX] = NAN;
    eval(f, &r);
    assert_near(r.m[M_MUSCLE_STORE_BEFORE_G].x,
                70 * pv(P_MUSCLE_FRACTION_UNSPECIFIED) * pv(P_GLYCOGEN_DENSITY_NOVICE), 1e-9);
    assert_true(assumed(&r, A_SEX_UNSPECIFIED));
}

static void test_running_fasted_halves_the_liver_store(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 30, 5);
    eval(f, &r);
    assert_near(r.m[M_LIVER_STORE_BEFORE_G].x, 70 * 1.3, 1e-9);
    f[RF_FASTED] = 1;
    eval(f, &r);
    assert_near(r.m[M_LIVER_STORE_BEFORE_G].x, 70 * 1.3 / 2, 1e-9);
}

static void test_unfuelled_marathon_race_exceeds_the_store_and_risks_the_wall(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 210, 42.195);
    f[RF_INTENSITY] = INT_RACE;
    eval(f, &r);
    assert_true(r.m[M_SHORTFALL_G].x > 0);
    assert_int_equal((int)r.m[M_WALL_RISK].x, 1);
    /* used in proportion to what is left: never quite emptied (Asp 1999) */
    assert_between(r.m[M_MUSCLE_REMAINING_PCT].x, 5, 40);
    assert_true(r.m[M_MUSCLE_USED_G].x < r.m[M_MUSCLE_STORE_BEFORE_G].x);
    assert_near(assumption(&r, A_GLYCOGEN_SHORTFALL)->v[0], r.m[M_SHORTFALL_G].x, 1e-9);

    /* Rapoport 2010: the stores would have lasted roughly 30 km */
    double stores = r.m[M_MUSCLE_STORE_BEFORE_G].x + r.m[M_LIVER_STORE_BEFORE_G].x;
    assert_near(r.m[M_SHORTFALL_G].x, r.m[M_CHO_OXIDISED_G].x - stores, 1e-9);
    assert_between(42.195 * stores / r.m[M_CHO_OXIDISED_G].x, 20, 35);

    /* with 60 g/h of carbohydrate an easy long run stays within the store */
    f[RF_INTENSITY] = INT_EASY;
    f[RF_CARBOHYDRATE_G] = 210;
    eval(f, &r);
    assert_int_equal((int)r.m[M_WALL_RISK].x, 0);
    assert_false(assumed(&r, A_GLYCOGEN_SHORTFALL));
}

static void test_water_released_is_3_g_per_g_of_glycogen_used(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 12);
    eval(f, &r);
    assert_near(r.m[M_WATER_RELEASED_G].x, 3.0 * r.m[M_ENDOGENOUS_USED_G].x, 1e-9);
    /* both the glycogen used and the water per gram are uncertain: wider than either */
    double rel = r.m[M_WATER_RELEASED_G].hi / r.m[M_WATER_RELEASED_G].x;
    assert_true(rel > r.m[M_ENDOGENOUS_USED_G].hi / r.m[M_ENDOGENOUS_USED_G].x);
    assert_true(rel > ph(P_GLYCOGEN_WATER_G_G) / pv(P_GLYCOGEN_WATER_G_G));
}

static void test_restore_time_is_fast_phase_then_slow_phase(void **state)
{
    (void)state;
    double fast = pv(P_RESYNTHESIS_FAST_G_KG_H), slow = pv(P_RESYNTHESIS_SLOW_G_KG_H);
    double fast_h = pv(P_RESYNTHESIS_FAST_H);
    assert_near(model_restore_h(P, tri_const(2.6), 0).x, 2.6 / fast, 1e-9);
    assert_near(model_restore_h(P, tri_const(10), 0).x, fast_h + (10 - fast_h * fast) / slow,
                1e-9);
    assert_near(model_restore_h(P, tri_const(0), 0).x, 0, 1e-9);
    /* a full store (Sherman 1992: back within about 24 h) */
    assert_between(model_restore_h(P, tri_const(17), 0).x, 20, 30);
    tri t = model_restore_h(P, tri_make(8, 10, 12), 0);
    assert_true(t.lo < t.x && t.x < t.hi);
}

/* After muscle damage both phases run slower (Asp 1997: a marathon's stores still low after
 * two days). */
static void test_restore_is_slower_after_muscle_damage(void **state)
{
    (void)state;
    double k = pv(P_RESYNTHESIS_DAMAGE_FACTOR);
    assert_true(k > 0 && k < 1);
    double fast = k * pv(P_RESYNTHESIS_FAST_G_KG_H), slow = k * pv(P_RESYNTHESIS_SLOW_G_KG_H);
    double fast_h = pv(P_RESYNTHESIS_FAST_H);
    assert_near(model_restore_h(P, tri_const(10), 1).x, fast_h + (10 - fast_h * fast) / slow,
                1e-9);
    double f[RF_COUNT];
    result level, marathon, downhill;
    new_run(f, 70, 70, 15);
    eval(f, &level);
    new_run(f, 70, 200, 42.195);
    eval(f, &marathon);
    new_run(f, 70, 70, 15);
    f[RF_ELEVATION_LOSS_M] = 800;
    f[RF_ELEVATION_GAIN_M] = 800;
    eval(f, &downhill);
    assert_true(marathon.m[M_RESTORE_H].x > 48);
    assert_true(level.m[M_RESTORE_H].x < 24);
    assert_true(downhill.m[M_RESTORE_H].x > 1.5 * level.m[M_RESTORE_H].x);
}

/* ---- fluid and heat ---- */

static void test_du_bois_area_of_70_kg_170_cm_runner_is_1_81_m2(void **state)
{
    (void)state;
    assert_near(model_du_bois_m2(P, 70, tri_const(170)).x, 1.81, 0.005);
}

static void test_saturation_vapour_pressure_is_2_34_kpa_at_20c(void **state)
{
    (void)state;
    assert_near(model_psat_kpa(P, tri_const(20)).x, 2.338, 0.002);
    assert_near(model_psat_kpa(P, tri_const(0)).x, 0.6105, 1e-9);
}

static void test_hot_saturated_air_is_uncompensable_and_sweat_hits_the_ceiling(void **state)
{
    (void)state;
    result r;
    sweat_case(&r, 50, 100);
    assert_int_equal((int)r.m[M_HEAT_UNCOMPENSABLE].x, 1);
    assert_near(r.m[M_SWEAT_RATE_L_H].x, pv(P_SWEAT_CEILING_L_H), 1e-9);
    assert_near(assumption(&r, A_UNCOMPENSABLE)->v[0], pv(P_SWEAT_CEILING_L_H), 1e-9);
    assert_near(r.m[M_HEAT_MAX_EVAP_W].x, 0, 1e-9);
}

static void test_extreme_cold_keeps_sweat_at_its_floor(void **state)
{
    (void)state;
    result r;
    sweat_case(&r, -40, 50);
    assert_near(r.m[M_SWEAT_RATE_L_H].x, pv(P_SWEAT_FLOOR_L_H), 1e-9);
    assert_near(r.m[M_HEAT_REQUIRED_EVAP_W].x, 0, 1e-9);
    assert_int_equal((int)r.m[M_HEAT_UNCOMPENSABLE].x, 0);
}

static void test_sun_and_a_treadmill_without_fan_make_more_sweat(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result shade, sun, treadmill;
    new_run(f, 70, 60, 12);
    eval(f, &shade);
    f[RF_SUN] = SUN_FULL;
    eval(f, &sun);
    assert_true(sun.m[M_SWEAT_LOSS_L].x > shade.m[M_SWEAT_LOSS_L].x);
    f[RF_SUN] = SUN_NONE;
    f[RF_SURFACE] = SURFACE_TREADMILL;
    eval(f, &treadmill);
    assert_true(treadmill.m[M_SWEAT_LOSS_L].x > shade.m[M_SWEAT_LOSS_L].x);
    assert_true(assumed(&treadmill, A_TREADMILL_AIR));
}

static void test_run_without_distance_cools_at_the_speed_its_intensity_implies(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, NAN);
    f[RF_INTENSITY] = INT_STEADY;
    f[RF_VO2MAX_ML_KG_MIN] = 50;
    eval(f, &r);
    /* (0.70 * 50 - 3.5) / 0.2 m/min */
    assert_near(assumption(&r, A_SPEED_FROM_INTENSITY)->v[0], (0.7 * 50 - 3.5) / 0.2 * 0.06,
                1e-9);
    assert_true(isnan(r.m[M_SPEED_KM_H].x));
}

static void test_missing_height_uses_the_default_for_the_runners_sex(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 12);
    f[RF_SEX] = SEX_FEMALE;
    eval(f, &r);
    assert_near(assumption(&r, A_HEIGHT_DEFAULT)->v[0], 164, 1e-9);
    f[RF_HEIGHT_CM] = 164;
    result given;
    eval(f, &given);
    assert_false(assumed(&given, A_HEIGHT_DEFAULT));
    assert_near(given.m[M_SWEAT_LOSS_L].x, r.m[M_SWEAT_LOSS_L].x, 1e-12);
    /* a known height narrows the range */
    assert_true(given.m[M_SWEAT_LOSS_L].hi - given.m[M_SWEAT_LOSS_L].lo <
                r.m[M_SWEAT_LOSS_L].hi - r.m[M_SWEAT_LOSS_L].lo);
}

static void test_hydration_status_follows_acsm_thresholds(void **state)
{
    (void)state;
    static const struct {
        double post_kg;
        int status;
    } cases[] = {{100.6, FS_OVERHYDRATED}, {100.5, FS_EUHYDRATED}, {99.0, FS_EUHYDRATED},
                 {98.9, FS_MILD_DEFICIT},  {98.0, FS_MILD_DEFICIT}, {97.9, FS_DEFICIT},
                 {97.0, FS_DEFICIT},       {96.9, FS_SEVERE_DEFICIT}};
    double f[RF_COUNT];
    result r;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        new_run(f, 100, 60, 10);
        f[RF_PRE_KG] = 100;
        f[RF_POST_KG] = cases[i].post_kg;
        eval(f, &r);
        if ((int)r.m[M_FLUID_STATUS].x != cases[i].status)
            fail_msg("post %.1f kg: status %s", cases[i].post_kg,
                     FLUID_STATUS_WORDS[(int)r.m[M_FLUID_STATUS].x]);
    }
}

static void test_sodium_loss_uses_the_athletes_sweat_or_36_mmol_l(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 10);
    f[RF_PRE_KG] = 70;
    f[RF_POST_KG] = 69;
    f[RF_SODIUM_MG] = 300;
    eval(f, &r);
    assert_near(r.m[M_SODIUM_LOSS_MG].x, 1.0 * 36 * 22.99, 1e-9);
    assert_near(r.m[M_SODIUM_NET_LOSS_MG].x, 36 * 22.99 - 300, 1e-9);
    assert_near(r.m[M_POTASSIUM_LOSS_MG].x, 1.0 * 6 * 39.10, 1e-9);
    assert_near(assumption(&r, A_SWEAT_SODIUM_DEFAULT)->v[0], 36, 1e-9);
    f[RF_SWEAT_SODIUM_MMOL_L] = 60;
    eval(f, &r);
    assert_near(r.m[M_SODIUM_LOSS_MG].x, 60 * 22.99, 1e-9);
    assert_near(r.m[M_SWEAT_SODIUM_MMOL_L].hi, 60, 1e-12);
    assert_false(assumed(&r, A_SWEAT_SODIUM_DEFAULT));
}

static void test_drinking_more_than_sweat_gains_body_mass(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 10);
    f[RF_TEMPERATURE_C] = 10;
    f[RF_FLUID_ML] = 2000;
    eval(f, &r);
    assert_true(r.m[M_NET_BALANCE_L].x > 0);
    assert_near(r.m[M_NET_BALANCE_L].x,
                2.0 - r.m[M_SWEAT_LOSS_L].x - r.m[M_RESPIRATORY_LOSS_L].x, 1e-9);
    assert_int_equal((int)r.m[M_FLUID_STATUS].x, FS_OVERHYDRATED);
    assert_true(r.m[M_BODY_MASS_CHANGE_PCT].lo > 0);
}

static void test_weigh_in_gain_means_no_sweat_loss_and_says_so(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 10);
    f[RF_PRE_KG] = 70;
    f[RF_POST_KG] = 70.8;
    f[RF_FLUID_ML] = 300;
    eval(f, &r);
    assert_near(r.m[M_SWEAT_LOSS_L].x, 0, 1e-12);
    assert_near(r.m[M_SWEAT_LOSS_L].hi, 0, 1e-12);
    assert_near(r.m[M_BODY_MASS_CHANGE_KG].x, 0.8, 1e-9);
    assert_int_equal((int)r.m[M_FLUID_STATUS].x, FS_OVERHYDRATED);
    assert_true(assumed(&r, A_WEIGH_IN_GAIN));
}

/* ---- muscle water ---- */

static void test_muscles_lose_glycogen_water_and_their_share_of_the_deficit(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 120, 24);
    f[RF_PRE_KG] = 70;
    f[RF_POST_KG] = 67.5;
    eval(f, &r);
    double muscle_kg = 70 * pv(P_MUSCLE_FRACTION_UNSPECIFIED);
    double used = r.m[M_MUSCLE_USED_G].x;
    double deficit = 2500 - r.m[M_ENDOGENOUS_USED_G].x * 4;
    double share = muscle_kg * 0.75 / (70 * 0.60);
    assert_near(share, 0.256, 0.001);
    /* the cells lose more than their proportional share (Hackney 2012) */
    double factor = pv(P_MUSCLE_WATER_LOSS_FACTOR);
    assert_true(factor > 1);
    assert_near(r.m[M_MUSCLE_WATER_LOSS_G].x, 3 * used + factor * share * deficit, 1e-6);
    assert_near(r.m[M_MUSCLE_VOLUME_CHANGE_PCT].x,
                -(3 * used + factor * share * deficit + used) / (muscle_kg * 1000) * 100, 1e-9);
    assert_true(r.m[M_MUSCLE_VOLUME_CHANGE_PCT].hi < 0);
}

static void test_muscles_keep_their_free_water_when_body_mass_is_kept(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 10);
    f[RF_PRE_KG] = 70;
    f[RF_POST_KG] = 70;
    eval(f, &r);
    assert_near(r.m[M_MUSCLE_WATER_LOSS_G].x, 3 * r.m[M_MUSCLE_USED_G].x, 1e-9);
}

/* ---- training context ---- */

static void test_acwr_and_week_increase_come_from_recent_weeks(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 10);
    f[RF_ACUTE_WEEK_KM] = 52;
    f[RF_CHRONIC_WEEK_KM] = 40;
    eval(f, &r);
    assert_near(r.m[M_ACWR].x, 1.3, 1e-12);
    assert_near(r.m[M_WEEK_INCREASE_PCT].x, 30, 1e-9);
}

static void test_acwr_is_unknown_without_recent_weeks(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 10);
    eval(f, &r);
    assert_true(isnan(r.m[M_ACWR].x) && isnan(r.m[M_ACWR].lo) && isnan(r.m[M_ACWR].hi));
    assert_true(isnan(r.m[M_WEEK_INCREASE_PCT].x));
    assert_false(assumed(&r, A_NO_CHRONIC_LOAD));

    f[RF_ACUTE_WEEK_KM] = 20;
    f[RF_CHRONIC_WEEK_KM] = 0;
    eval(f, &r);
    assert_true(isnan(r.m[M_ACWR].x));
    assert_true(assumed(&r, A_NO_CHRONIC_LOAD));
}

static void test_steep_descent_gives_high_doms_risk_to_novices_only(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 60, 10);
    f[RF_ELEVATION_LOSS_M] = 350;
    f[RF_TRAINING_STATUS] = STATUS_NOVICE;
    eval(f, &r);
    assert_int_equal((int)r.m[M_DOMS_RISK].x, DOMS_HIGH);
    assert_near(r.m[M_ECCENTRIC_M_PER_KM].x, 35, 1e-12);
    f[RF_TRAINING_STATUS] = STATUS_TRAINED;
    eval(f, &r);
    assert_int_equal((int)r.m[M_DOMS_RISK].x, DOMS_MODERATE);
    /* a big jump in weekly load makes the descent new again */
    f[RF_ACUTE_WEEK_KM] = 60;
    f[RF_CHRONIC_WEEK_KM] = 40;
    eval(f, &r);
    assert_int_equal((int)r.m[M_DOMS_RISK].x, DOMS_HIGH);
}

static void test_descent_per_km_alone_can_make_soreness_likely(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 30, 5);
    f[RF_ELEVATION_LOSS_M] = 160; /* under 300 m, but 32 m/km */
    f[RF_TRAINING_STATUS] = STATUS_NOVICE;
    eval(f, &r);
    assert_int_equal((int)r.m[M_DOMS_RISK].x, DOMS_HIGH);
    f[RF_ELEVATION_LOSS_M] = 80; /* 16 m/km: over half the threshold */
    eval(f, &r);
    assert_int_equal((int)r.m[M_DOMS_RISK].x, DOMS_MODERATE);
}

static void test_race_after_a_load_spike_gives_high_doms_risk(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 40, 10);
    f[RF_INTENSITY] = INT_RACE;
    f[RF_TRAINING_STATUS] = STATUS_TRAINED;
    eval(f, &r);
    assert_int_equal((int)r.m[M_DOMS_RISK].x, DOMS_MODERATE);
    f[RF_ACUTE_WEEK_KM] = 64;
    f[RF_CHRONIC_WEEK_KM] = 40;
    eval(f, &r);
    assert_int_equal((int)r.m[M_DOMS_RISK].x, DOMS_HIGH);
}

static void test_flat_easy_run_gives_low_doms_risk_in_a_24_to_72_h_window(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 40, 7);
    f[RF_INTENSITY] = INT_EASY;
    eval(f, &r);
    assert_int_equal((int)r.m[M_DOMS_RISK].x, DOMS_LOW);
    assert_near(r.m[M_DOMS_PEAK_H_LOW].x, 24, 0);
    assert_near(r.m[M_DOMS_PEAK_H_HIGH].x, 72, 0);
}

/* ---- run summary and edge cases ---- */

static void test_run_hours_speed_and_hours_since_are_filled(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 90, 15);
    f[RF_ENDED_H_AGO] = 3;
    eval(f, &r);
    assert_near(r.m[M_HOURS].x, 1.5, 1e-12);
    assert_near(r.m[M_SPEED_KM_H].x, 10, 1e-12);
    assert_near(r.m[M_HOURS_SINCE_RUN].x, 3, 1e-12);
    f[RF_ENDED_H_AGO] = NAN; /* the contract default, 0 */
    eval(f, &r);
    assert_near(r.m[M_HOURS_SINCE_RUN].x, 0, 0);
}

static void test_zero_distance_counts_as_no_distance(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result zero, none;
    new_run(f, 70, 60, 0);
    eval(f, &zero);
    f[RF_DISTANCE_KM] = NAN;
    eval(f, &none);
    for (int i = 0; i < M_COUNT; i++)
        if (!(zero.m[i].x == none.m[i].x || (isnan(zero.m[i].x) && isnan(none.m[i].x))))
            fail_msg("%s differs", METRICS[i].name);
    assert_true(zero.m[M_EXPENDITURE_KCAL].x > 0);
}

/* model_evaluate() does not clear the table first: every metric must be written, for every
 * kind of run. A metric added to metrics.def and computed by no model fails here. */
static void test_every_metric_is_written_for_every_kind_of_run(void **state)
{
    (void)state;
    static const double sentinel = 1234567.0;
    double f[RF_COUNT];
    result r;
    for (int kind = 0; kind < 8; kind++) {
        new_run(f, 70, 60, kind & 1 ? 10 : NAN);
        if (kind & 2) {
            f[RF_PRE_KG] = 70;
            f[RF_POST_KG] = 69;
        }
        if (kind & 4) {
            f[RF_ACUTE_WEEK_KM] = 40;
            f[RF_CHRONIC_WEEK_KM] = 30;
            f[RF_AVG_HR_BPM] = 150;
        }
        for (int i = 0; i < M_COUNT; i++)
            r.m[i] = tri_const(sentinel);
        eval(f, &r);
        for (int i = 0; i < M_COUNT; i++)
            if (r.m[i].lo == sentinel || r.m[i].x == sentinel || r.m[i].hi == sentinel)
                fail_msg("%s is not written (run kind %d)", METRICS[i].name, kind);
    }
}

static void test_missing_required_fields_leave_every_metric_unknown(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    new_run(f, NAN, 60, 10);
    eval(f, &r);
    for (int i = 0; i < M_COUNT; i++)
        assert_true(isnan(r.m[i].x));
    assert_int_equal(r.as.n, 0);
}

/* ---- properties over generated runs ---- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    /* splitmix64: small, seeded, the same sequence on every machine */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static double rng_unit(void)
{
    return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0);
}

static double rng_in(double lo, double hi)
{
    return lo + (hi - lo) * rng_unit();
}

static int count_words(const char *const *words)
{
    int n = 0;
    while (words[n])
        n++;
    return n;
}

/* A field's value anywhere in its valid range, its ends one time in ten each. */
static double random_value(run_field_id id)
{
    const run_field_info *fi = &RUN_FIELDS[id];
    switch (fi->type) {
    case FT_ENUM: return (double)(rng_next() % (uint64_t)count_words(fi->words));
    case FT_BOOL: return (double)(rng_next() & 1);
    case FT_INT: return fi->min;
    case FT_STR: return NAN;
    case FT_TIME: break;
    case FT_NUM: break;
    }
    double u = rng_unit();
    if (u < 0.1)
        return fi->min;
    if (u > 0.9)
        return fi->max;
    /* durations and distances spread over orders of magnitude: draw them log-uniformly */
    if (fi->min > 0 && fi->max / fi->min > 100)
        return fi->min * pow(fi->max / fi->min, rng_unit());
    return rng_in(fi->min, fi->max);
}

/* Any valid run report: required fields always, each optional field two times in three. */
static void random_run(double *f)
{
    for (int i = 0; i < RF_COUNT; i++) {
        const run_field_info *fi = &RUN_FIELDS[i];
        f[i] = fi->required || rng_unit() < 0.67 ? random_value((run_field_id)i) : NAN;
    }
    /* a weigh-in is both weighings or none */
    if (isnan(f[RF_PRE_KG]) != isnan(f[RF_POST_KG]))
        f[RF_PRE_KG] = f[RF_POST_KG] = NAN;
    /* half of the weigh-ins realistic (within 6 % of the body mass) */
    if (!isnan(f[RF_PRE_KG]) && rng_unit() < 0.5) {
        f[RF_PRE_KG] = f[RF_BODY_MASS_KG];
        f[RF_POST_KG] = f[RF_PRE_KG] * rng_in(0.94, 1.01);
    }
}

static int may_be_unknown(const double *f, int metric)
{
    switch (metric) {
    case M_SPEED_KM_H:
    case M_ECCENTRIC_M_PER_KM: return !(f[RF_DISTANCE_KM] > 0);
    case M_ACWR:
    case M_WEEK_INCREASE_PCT: return isnan(f[RF_ACUTE_WEEK_KM]) || !(f[RF_CHRONIC_WEEK_KM] > 0);
    case M_LOAD_ACUTE_KM: return isnan(f[RF_ACUTE_WEEK_KM]);
    case M_LOAD_CHRONIC_KM: return isnan(f[RF_CHRONIC_WEEK_KM]);
    default: return metric >= M_HIST_RUNS; /* the history.* metrics: none without a history */
    }
}

static void check_metrics(const double *f, const result *r)
{
    for (int i = 0; i < M_COUNT; i++) {
        tri t = r->m[i];
        if (may_be_unknown(f, i) && isnan(t.x) && isnan(t.lo) && isnan(t.hi))
            continue;
        if (!isfinite(t.lo) || !isfinite(t.x) || !isfinite(t.hi) || !(t.lo <= t.x) ||
            !(t.x <= t.hi))
            fail_msg("%s = [%g, %g, %g] (mass %g, minutes %g, km %g, temp %g, rh %g)",
                     METRICS[i].name, t.lo, t.x, t.hi, f[RF_BODY_MASS_KG], f[RF_DURATION_MIN],
                     f[RF_DISTANCE_KM], f[RF_TEMPERATURE_C], f[RF_RELATIVE_HUMIDITY_PCT]);
    }
    assert_true(r->as.n < PR_MAX_ASSUMPTIONS);
    /* an enumerated field's %0 prints as a word: v[0] must be one */
    for (size_t i = 0; i < r->as.n; i++) {
        const pr_assumption *a = &r->as.item[i];
        if (a->field >= 0 && RUN_FIELDS[a->field].type == FT_ENUM &&
            strstr(assumption_template((assumption_code)a->code), "%0")) {
            double v = a->v[0];
            if (!(v >= 0 && v < count_words(RUN_FIELDS[a->field].words) && v == floor(v)))
                fail_msg("assumption %d on %s prints %g as a word", a->code,
                         RUN_FIELDS[a->field].path, v);
        }
    }
}

static void test_every_metric_is_finite_and_within_its_range_for_random_runs(void **state)
{
    (void)state;
    rng_state = 20261120;
    double f[RF_COUNT];
    result r;
    for (int n = 0; n < 20000; n++) {
        random_run(f);
        eval(f, &r);
        check_metrics(f, &r);
    }
}

static void test_every_field_at_each_end_of_its_range_gives_finite_metrics(void **state)
{
    (void)state;
    double f[RF_COUNT];
    result r;
    for (int i = 0; i < RF_COUNT; i++) {
        const run_field_info *fi = &RUN_FIELDS[i];
        if (fi->type == FT_STR)
            continue;
        int n_values = fi->type == FT_ENUM ? count_words(fi->words) : 2;
        for (int k = 0; k < n_values; k++) {
            new_run(f, 70, 60, 10);
            if (i == RF_PRE_KG || i == RF_POST_KG)
                f[RF_PRE_KG] = f[RF_POST_KG] = 70;
            f[i] = fi->type == FT_ENUM ? k : k == 0 ? fi->min : fi->max;
            eval(f, &r);
            check_metrics(f, &r);
        }
    }
}

static void test_extreme_runs_and_weather_give_finite_metrics(void **state)
{
    (void)state;
    static const double minutes[] = {1, 2880};
    static const double km[] = {NAN, 0.1, 400};
    static const double mass[] = {25, 250};
    static const double temp[] = {-40, 50};
    static const double rh[] = {0, 100};
    static const double post[] = {NAN, 0.9, 1.02}; /* no weigh-in, a loss, a gain */
    double f[RF_COUNT];
    result r;
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 3; b++)
            for (int c = 0; c < 2; c++)
                for (int d = 0; d < 2; d++)
                    for (int e = 0; e < 2; e++)
                        for (int g = 0; g < 3; g++) {
                            new_run(f, mass[c], minutes[a], km[b]);
                            f[RF_TEMPERATURE_C] = temp[d];
                            f[RF_RELATIVE_HUMIDITY_PCT] = rh[e];
                            f[RF_WIND_M_S] = e ? 30 : 0;
                            f[RF_SUN] = SUN_FULL;
                            f[RF_FLUID_ML] = d ? 20000 : 0;
                            f[RF_CARBOHYDRATE_G] = 1000;
                            f[RF_ELEVATION_LOSS_M] = 10000;
                            f[RF_ELEVATION_GAIN_M] = c ? 10000 : 0;
                            f[RF_PRE_KG] = isnan(post[g]) ? NAN : mass[c];
                            f[RF_POST_KG] = mass[c] * post[g];
                            eval(f, &r);
                            check_metrics(f, &r);
                        }
}

/* a's expected value is at most b's. Only the expected values: the ends are percentiles, and
 * an interval may narrow (at a ceiling) or widen as an input grows. */
static int ordered(tri a, tri b)
{
    double eps = 1e-9 * (1 + fabs(b.x));
    return a.x <= b.x + eps;
}

static void test_hotter_or_more_humid_air_never_gives_less_sweat(void **state)
{
    (void)state;
    rng_state = 7933;
    double f[RF_COUNT];
    result a, b;
    for (int n = 0; n < 5000; n++) {
        random_run(f);
        f[RF_PRE_KG] = f[RF_POST_KG] = NAN;
        double t = rng_in(-40, 50), rh = rng_in(0, 100);
        f[RF_TEMPERATURE_C] = t;
        f[RF_RELATIVE_HUMIDITY_PCT] = rh;
        eval(f, &a);
        f[RF_TEMPERATURE_C] = rng_in(t, 50);
        eval(f, &b);
        if (!ordered(a.m[M_SWEAT_LOSS_L], b.m[M_SWEAT_LOSS_L]))
            fail_msg("hotter %g -> %g C: sweat %g -> %g", t, f[RF_TEMPERATURE_C],
                     a.m[M_SWEAT_LOSS_L].x, b.m[M_SWEAT_LOSS_L].x);
        f[RF_TEMPERATURE_C] = t;
        f[RF_RELATIVE_HUMIDITY_PCT] = rng_in(rh, 100);
        eval(f, &b);
        if (!ordered(a.m[M_SWEAT_LOSS_L], b.m[M_SWEAT_LOSS_L]))
            fail_msg("more humid %g -> %g %%: sweat %g -> %g", rh, f[RF_RELATIVE_HUMIDITY_PCT],
                     a.m[M_SWEAT_LOSS_L].x, b.m[M_SWEAT_LOSS_L].x);
    }
}

static void check_no_less_work(const result *a, const result *b, const char *what)
{
    static const int used[] = {M_EXPENDITURE_KCAL, M_CHO_OXIDISED_G, M_ENDOGENOUS_USED_G,
                               M_MUSCLE_USED_G, M_LIVER_USED_G};
    for (size_t i = 0; i < sizeof used / sizeof used[0]; i++)
        if (!ordered(a->m[used[i]], b->m[used[i]]))
            fail_msg("%s: %s [%g %g %g] -> [%g %g %g]", what, METRICS[used[i]].name,
                     a->m[used[i]].lo, a->m[used[i]].x, a->m[used[i]].hi, b->m[used[i]].lo,
                     b->m[used[i]].x, b->m[used[i]].hi);
}

/*
 * Longer (same pace, same terrain, same carbohydrate per hour) or faster (same time and
 * terrain, more distance) never costs less energy or glycogen. Races are left out of "longer":
 * a race's intensity is by design estimated from its duration, so a longer race is not the
 * same run for longer.
 */
static void test_longer_or_faster_runs_never_use_less_energy_or_glycogen(void **state)
{
    (void)state;
    rng_state = 2002;
    double f[RF_COUNT];
    result a, b;
    for (int n = 0; n < 5000; n++) {
        random_run(f);
        f[RF_PRE_KG] = f[RF_POST_KG] = NAN;
        if (f[RF_INTENSITY] == INT_RACE)
            f[RF_INTENSITY] = NAN;
        f[RF_DURATION_MIN] = rng_in(1, 1440);
        if (!isnan(f[RF_DISTANCE_KM]))
            f[RF_DISTANCE_KM] = rng_in(0.1, 200);
        eval(f, &a);

        double k = rng_in(1, 2);
        double g[RF_COUNT];
        memcpy(g, f, sizeof g);
        g[RF_DURATION_MIN] *= k;
        g[RF_DISTANCE_KM] *= k;
        g[RF_CARBOHYDRATE_G] = isnan(f[RF_CARBOHYDRATE_G]) ? NAN : f[RF_CARBOHYDRATE_G] * k;
        g[RF_ELEVATION_GAIN_M] = isnan(f[RF_ELEVATION_GAIN_M]) ? NAN : f[RF_ELEVATION_GAIN_M] * k;
        g[RF_ELEVATION_LOSS_M] = isnan(f[RF_ELEVATION_LOSS_M]) ? NAN : f[RF_ELEVATION_LOSS_M] * k;
        eval(g, &b);
        check_no_less_work(&a, &b, "longer");

        if (!isnan(f[RF_DISTANCE_KM])) {
            memcpy(g, f, sizeof g);
            g[RF_DISTANCE_KM] *= k;
            g[RF_ELEVATION_GAIN_M] =
                isnan(f[RF_ELEVATION_GAIN_M]) ? NAN : f[RF_ELEVATION_GAIN_M] * k;
            g[RF_ELEVATION_LOSS_M] =
                isnan(f[RF_ELEVATION_LOSS_M]) ? NAN : f[RF_ELEVATION_LOSS_M] * k;
            eval(g, &b);
            check_no_less_work(&a, &b, "faster");
        }
    }
}

static void test_more_carbohydrate_taken_never_uses_more_glycogen(void **state)
{
    (void)state;
    rng_state = 108;
    double f[RF_COUNT];
    result a, b;
    for (int n = 0; n < 5000; n++) {
        random_run(f);
        double cho = rng_in(0, 1000);
        f[RF_CARBOHYDRATE_G] = cho;
        eval(f, &a);
        f[RF_CARBOHYDRATE_G] = rng_in(cho, 1000);
        eval(f, &b);
        if (!ordered(b.m[M_ENDOGENOUS_USED_G], a.m[M_ENDOGENOUS_USED_G]) ||
            !ordered(b.m[M_SHORTFALL_G], a.m[M_SHORTFALL_G]))
            fail_msg("%g -> %g g taken: stores gave %g -> %g g", cho, f[RF_CARBOHYDRATE_G],
                     a.m[M_ENDOGENOUS_USED_G].x, b.m[M_ENDOGENOUS_USED_G].x);
    }
}

/* Parameters drawn within their ranges (each end one time in four), as exact values. */
/* A standard normal draw (Box-Muller). */
static double rng_normal(void)
{
    double u = rng_unit(), v = rng_unit();
    return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(6.283185307179586 * v);
}

/* z of the 90th percentile of a standard normal. */
#define Z90 1.2815515655446004

/*
 * One draw of every uncertain parameter from its distribution (data/parameters.yaml): the
 * value is the median, low and high the 10th and 90th percentiles. Normal: a split normal
 * through the three (a plain normal when they are symmetric); lognormal: the same in logs;
 * uniform: the uniform with those percentiles.
 */
static void sample_params(kb_params *q)
{
    *q = *P;
    for (int i = 0; i < P_COUNT; i++) {
        double lo = P->low[i], x = P->value[i], hi = P->high[i], v = x;
        if (lo < hi) {
            if (P->dist[i] == PARAM_DIST_UNIFORM) {
                double pad = (hi - lo) / 8;
                v = rng_in(lo - pad, hi + pad);
            } else if (P->dist[i] == PARAM_DIST_LOGNORMAL) {
                double z = rng_normal();
                v = x * exp(z * (z < 0 ? log(x / lo) : log(hi / x)) / Z90);
            } else {
                double z = rng_normal();
                v = x + z * (z < 0 ? x - lo : hi - x) / Z90;
            }
        }
        q->value[i] = q->low[i] = q->high[i] = v;
    }
}

/* The outputs advice is built on: their intervals are what the tests below check. */
static const metric_id ADVICE_METRICS[] = {
    M_EXPENDITURE_KCAL,   M_CARBOHYDRATE_FRACTION, M_CHO_OXIDISED_G,    M_MUSCLE_USED_G,
    M_MUSCLE_REMAINING_PCT, M_RESTORE_H,           M_SWEAT_LOSS_L,      M_SWEAT_RATE_L_H,
    M_BODY_MASS_CHANGE_PCT, M_SODIUM_LOSS_MG,      M_MUSCLE_WATER_LOSS_G,
    M_MUSCLE_VOLUME_CHANGE_PCT};
#define N_ADVICE (sizeof ADVICE_METRICS / sizeof ADVICE_METRICS[0])

/*
 * What the intervals promise: lo and hi are the 10th and 90th percentiles of each output when
 * the parameters are drawn from their distributions. The one-pass propagation (tri.h) is
 * compared with seeded sampling over the example runs: the share of sampled outputs inside
 * the propagated interval must be close to 80 % for every advice metric taken over all runs
 * (within 65-95 %), and over everything together within 72-88 %.
 */
static void test_intervals_hold_about_80_pct_of_sampled_outputs(void **state)
{
    (void)state;
    rng_state = 2002;
    enum { RUNS = 40, DRAWS = 250 };
    double f[RF_COUNT];
    result nominal, r;
    static kb_params q;
    size_t inside[N_ADVICE] = {0}, total[N_ADVICE] = {0};
    for (int n = 0; n < RUNS; n++) {
        random_run(f);
        f[RF_PRE_KG] = f[RF_POST_KG] = NAN; /* predicted fluid: the parameters' doing */
        eval(f, &nominal);
        for (int k = 0; k < DRAWS; k++) {
            sample_params(&q);
            r.as.n = 0;
            model_evaluate(&q, f, r.m, &r.as);
            for (size_t j = 0; j < N_ADVICE; j++) {
                metric_id m = ADVICE_METRICS[j];
                tri b = nominal.m[m];
                if (isnan(r.m[m].x) || isnan(b.x) || b.lo == b.hi)
                    continue;
                total[j]++;
                inside[j] += r.m[m].x >= b.lo && r.m[m].x <= b.hi;
            }
        }
    }
    size_t all_in = 0, all = 0;
    for (size_t j = 0; j < N_ADVICE; j++) {
        double share = (double)inside[j] / (double)total[j];
        print_message("# %-32s %5.1f %% of %zu draws inside\n", METRICS[ADVICE_METRICS[j]].name,
                      100 * share, total[j]);
        if (share < 0.65 || share > 0.95)
            fail_msg("%s: %.1f %% of sampled outputs inside the interval",
                     METRICS[ADVICE_METRICS[j]].name, 100 * share);
        all_in += inside[j];
        all += total[j];
    }
    assert_between((double)all_in / (double)all, 0.72, 0.88);
}

/* model_evaluate_fast() leaves only the lazy metrics' intervals out, and
 * model_complete_intervals() then gives exactly model_evaluate()'s table. */
static void test_fast_evaluation_completed_equals_the_full_one(void **state)
{
    (void)state;
    rng_state = 4184;
    double f[RF_COUNT];
    result full, fast;
    int lazy_seen = 0;
    for (int n = 0; n < 3000; n++) {
        random_run(f);
        eval(f, &full);
        fast.as.n = 0;
        model_evaluate_fast(P, f, fast.m, &fast.as);
        assert_int_equal(fast.as.n, full.as.n);
        for (int i = 0; i < M_COUNT; i++) {
            tri a = full.m[i], b = fast.m[i];
            if (isnan(a.x)) {
                assert_true(isnan(b.x));
                continue;
            }
            assert_true(a.x == b.x);
            if (model_metric_has_lazy_interval(i)) {
                assert_true(b.lo == b.x && b.hi == b.x);
                lazy_seen += a.lo < a.hi;
            } else {
                assert_true(a.lo == b.lo && a.hi == b.hi);
            }
        }
        model_complete_intervals(P, f, fast.m);
        for (int i = 0; i < M_COUNT; i++) {
            tri a = full.m[i], b = fast.m[i];
            if (!isnan(a.x))
                assert_true(a.lo == b.lo && a.x == b.x && a.hi == b.hi);
        }
    }
    assert_true(lazy_seen > 1000);
}

static void test_assumptions_fit_the_table_with_every_default_too(void **state)
{
    (void)state;
    /* the defaults step records at most one assumption per field with a default */
    size_t defaults = 0;
    for (int i = 0; i < RF_COUNT; i++)
        defaults += !isnan(RUN_FIELDS[i].def);
    /* a run that makes the models assume the most */
    double f[RF_COUNT];
    result r;
    new_run(f, 70, 600, NAN);
    f[RF_AVG_HR_BPM] = 230;
    f[RF_CARBOHYDRATE_G] = 1000;
    f[RF_SURFACE] = SURFACE_TREADMILL;
    f[RF_TEMPERATURE_C] = 50;
    f[RF_RELATIVE_HUMIDITY_PCT] = 100;
    f[RF_ACUTE_WEEK_KM] = 10;
    eval(f, &r);
    size_t worst = r.as.n;
    rng_state = 48;
    for (int n = 0; n < 20000; n++) {
        random_run(f);
        eval(f, &r);
        if (r.as.n > worst)
            worst = r.as.n;
    }
    assert_true(worst >= 10);
    assert_true(defaults + worst <= PR_MAX_ASSUMPTIONS);
}

/* ---- parameters and assumption templates ---- */

static void test_every_parameter_value_lies_within_its_range(void **state)
{
    (void)state;
    for (int i = 0; i < P_COUNT; i++)
        if (!(P->low[i] <= P->value[i] && P->value[i] <= P->high[i]))
            fail_msg("%s: %g outside [%g, %g]", PARAM_NAMES[i], P->value[i], P->low[i],
                     P->high[i]);
    for (int k = 0; k < C_COUNT; k++)
        for (unsigned j = 1; j < P->curve[k].n; j++)
            assert_true(P->curve[k].x[j] > P->curve[k].x[j - 1]);
}

static void test_parameter_ids_are_unique_and_found_by_name(void **state)
{
    (void)state;
    for (int i = 0; i < P_COUNT; i++) {
        assert_int_equal(param_index(PARAM_NAMES[i]), i);
        assert_int_equal(curve_index(PARAM_NAMES[i]), -1);
    }
    for (int k = 0; k < C_COUNT; k++)
        assert_int_equal(curve_index(CURVE_NAMES[k]), k);
    assert_int_equal(param_index("no_such_parameter"), -1);
    assert_int_equal(param_index(NULL), -1);
}

static void test_fixture_refuses_parameters_missing_from_the_yaml(void **state)
{
    (void)state;
    kb_params p;
    char why[256];
    assert_int_equal(model_fixture_load(&p, "/nonexistent/parameters.yaml", why, sizeof why),
                     -1);
}

static void test_curve_over_a_range_takes_extremes_at_ends_or_points(void **state)
{
    (void)state;
    kb_curve c = {3, {0, 1, 2}, {0, 1, 0}}; /* a peak: not monotone */
    tri t = curve_tri(&c, tri_make(0.5, 1.5, 1.8));
    assert_near(t.lo, 0.2, 1e-12);
    assert_near(t.x, 0.5, 1e-12);
    assert_near(t.hi, 1, 1e-12);
    assert_near(curve_eval(&c, -5), 0, 0);
    assert_near(curve_eval(&c, 5), 0, 0);
    kb_curve empty = {0, {0}, {0}};
    assert_true(isnan(curve_eval(&empty, 1)));
}

static double decreasing(double v)
{
    return 1 / v;
}

/* The one-pass propagation of percentiles (tri.h): spreads of independent quantities add in
 * quadrature, monotone functions map the ends exactly. */
static void test_interval_arithmetic_propagates_percentiles_in_every_operation(void **state)
{
    (void)state;
    tri a = tri_make(-1, 2, 3), b = tri_make(2, 3, 4);
    /* sums and differences: root sum of squares of each side's spread */
    tri s = tri_sub(a, b);
    assert_near(s.x, -1, 0);
    assert_near(s.lo, -1 - sqrt(3 * 3 + 1 * 1), 1e-12);
    assert_near(s.hi, -1 + sqrt(1 * 1 + 1 * 1), 1e-12);
    tri t = tri_add(tri_make(7, 10, 13), tri_make(16, 20, 24));
    assert_near(t.lo, 30 - 5, 1e-12); /* 3-4-5 */
    assert_near(t.hi, 30 + 5, 1e-12);
    /* with a plain number: exact */
    tri u = tri_add(a, tri_const(1));
    assert_near(u.lo, 0, 0);
    assert_near(u.hi, 4, 0);
    /* products: each factor's move times the other's value, in quadrature */
    tri m = tri_mul(tri_make(8, 10, 12), tri_make(1.5, 2, 2.5));
    assert_near(m.x, 20, 0);
    assert_near(m.lo, 20 - sqrt(4 * 4 + 5 * 5), 1e-12);
    assert_near(m.hi, 20 + sqrt(4 * 4 + 5 * 5), 1e-12);
    /* never beyond the worst case (a product of positive quantities stays positive) */
    tri w = tri_mul(tri_make(0.1, 1, 1.9), tri_make(0.1, 1, 1.9));
    assert_near(w.lo, 0.01, 1e-15);
    assert_true(w.hi < 1.9 * 1.9);
    tri sign = tri_mul(a, tri_make(-2, 1, 2));
    assert_near(sign.x, 2, 0);
    assert_true(sign.lo >= -6 && sign.lo < 2 && sign.hi > 2 && sign.hi <= 6);
    /* division: a times 1/b, whose percentiles are b's turned round */
    tri d = tri_div(tri_const(12), b);
    assert_near(d.lo, 3, 1e-12);
    assert_near(d.x, 4, 1e-12);
    assert_near(d.hi, 6, 1e-12);
    tri z = tri_div(b, a); /* a divisor containing 0: unbounded */
    assert_true(isinf(z.lo) && isinf(z.hi));
    tri p = tri_pow(b, -1);
    assert_near(p.lo, 0.25, 1e-12);
    assert_near(p.hi, 0.5, 1e-12);
    tri q = tri_scale(b, -2);
    assert_near(q.lo, -8, 0);
    assert_near(q.hi, -4, 0);
    tri e = tri_exp(a);
    assert_near(e.lo, exp(-1), 1e-15);
    assert_near(e.hi, exp(3), 1e-12);
    tri k = tri_pow_tri(tri_make(0.5, 1, 2), tri_make(-1, 1, 2));
    assert_near(k.x, 1, 0);
    assert_near(k.lo, 0.5, 1e-15); /* 1^k is 1 whatever k: the base alone moves it */
    assert_near(k.hi, 2, 1e-15);
    tri i = tri_apply_inc(b, sqrt);
    assert_near(i.lo, sqrt(2), 0);
    assert_near(i.hi, 2, 0);
    tri n = tri_apply_dec(b, decreasing);
    assert_near(n.lo, 1 / 4.0, 0);
    assert_near(n.x, 1 / 3.0, 0);
    assert_near(n.hi, 1 / 2.0, 0);
    tri c = tri_clamp(tri_make(-1, 0.5, 3), 0, 1);
    assert_near(c.lo, 0, 0);
    assert_near(c.hi, 1, 0);
    /* several quantities at once */
    tri_spread sp = tri_spread_start(10);
    tri_spread_add(&sp, 7, 14);
    tri_spread_add(&sp, 12, 6); /* either order */
    tri r = tri_spread_end(sp);
    assert_near(r.lo, 10 - 5, 1e-12);
    assert_near(r.hi, 10 + sqrt(16 + 4), 1e-12);
}

/* Every uncertain parameter of the bundled knowledge base names its distribution. */
static void test_every_uncertain_parameter_names_its_distribution(void **state)
{
    (void)state;
    FILE *f = fopen(POSTRUN_SOURCE_ROOT "/data/parameters.yaml", "rb");
    assert_non_null(f);
    static char text[1 << 18];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    int uncertain = 0;
    for (char *e = strstr(text, "\n  - id: "); e; ) {
        char *next = strstr(e + 1, "\n  - id: ");
        char saved = 0;
        if (next) {
            saved = *next;
            *next = '\0';
        }
        if (strstr(e, "\n    low: ")) {
            uncertain++;
            if (!strstr(e, "\n    dist: "))
                fail_msg("parameter without dist: %.60s", e + 9);
        }
        if (next)
            *next = saved;
        e = next;
    }
    assert_true(uncertain >= 40);
}

static void test_model_docs_describe_every_parameter(void **state)
{
    (void)state;
    FILE *f = fopen(POSTRUN_SOURCE_ROOT "/docs/model.md", "rb");
    assert_non_null(f);
    static char doc[1 << 18];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    char needle[96];
    for (int i = 0; i < P_COUNT; i++) {
        snprintf(needle, sizeof needle, "`%s`", PARAM_NAMES[i]);
        if (!strstr(doc, needle))
            fail_msg("docs/model.md does not describe parameter %s", PARAM_NAMES[i]);
    }
    for (int k = 0; k < C_COUNT; k++) {
        snprintf(needle, sizeof needle, "`%s`", CURVE_NAMES[k]);
        if (!strstr(doc, needle))
            fail_msg("docs/model.md does not describe curve %s", CURVE_NAMES[k]);
    }
}

static void test_every_assumption_has_a_template(void **state)
{
    (void)state;
    for (int i = 0; i < A_COUNT; i++) {
        const char *t = assumption_template((assumption_code)i);
        assert_non_null(t);
        assert_true(strlen(t) > 10);
    }
    assert_null(assumption_template(A_COUNT));
    assert_string_equal(assumption_template(A_DEFAULT), "%f not given: assumed %0");
}

static void test_assume_keeps_the_first_entries_when_full(void **state)
{
    (void)state;
    pr_assumptions as = {.n = 0};
    for (int i = 0; i < PR_MAX_ASSUMPTIONS + 5; i++)
        assume(&as, A_DEFAULT, RF_TEMPERATURE_C, i, NAN);
    assert_int_equal(as.n, PR_MAX_ASSUMPTIONS);
    assert_near(as.item[PR_MAX_ASSUMPTIONS - 1].v[0], PR_MAX_ASSUMPTIONS - 1, 0);
    assume(NULL, A_DEFAULT, -1, 0, 0); /* no record: ignored */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minetti_cost_is_3_60_flat_19_43_at_plus_45_pct_and_1_80_at_minus_20_pct),
        cmocka_unit_test(test_minetti_cost_is_clamped_beyond_45_pct_grade),
        cmocka_unit_test(test_route_cost_follows_minetti_curve_at_each_grade),
        cmocka_unit_test(test_acsm_equation_gives_35_66_ml_kg_min_at_160_8_m_min_on_the_flat),
        cmocka_unit_test(test_weigh_in_gives_1_8_l_sweat_1_2_l_per_h_and_minus_2_pct),
        cmocka_unit_test(test_weigh_in_range_is_scale_resolution_and_breathing_loss),
        cmocka_unit_test(test_sweat_at_20c_and_50_pct_is_between_0_9_and_1_6_l),
        cmocka_unit_test(test_sweat_in_warm_dry_air_is_less_than_in_warm_humid_air),
        cmocka_unit_test(test_treadmill_in_a_warm_room_is_not_an_automatic_ceiling),
        cmocka_unit_test(test_sweat_at_30c_and_60_pct_exceeds_sweat_at_20c),
        cmocka_unit_test(test_sweat_at_5c_is_below_0_8_l),
        cmocka_unit_test(test_flat_marathon_of_70_kg_runner_costs_about_2950_kcal),
        cmocka_unit_test(test_heart_rate_gives_intensity_through_tanaka_and_swain),
        cmocka_unit_test(test_heart_rate_without_age_assumes_35_years),
        cmocka_unit_test(test_pace_with_athlete_vo2max_gives_intensity_by_acsm),
        cmocka_unit_test(test_intensity_sources_are_used_in_model_order),
        cmocka_unit_test(test_race_intensity_falls_with_duration_through_model_anchors),
        cmocka_unit_test(test_rpe_maps_through_the_cr10_curve),
        cmocka_unit_test(test_implausible_intensity_is_limited_and_said),
        cmocka_unit_test(test_energy_without_distance_is_oxygen_used_times_5_kcal_per_litre),
        cmocka_unit_test(test_climbing_adds_and_descending_saves_energy),
        cmocka_unit_test(test_energy_never_falls_below_half_the_flat_cost),
        cmocka_unit_test(test_metabolic_power_is_energy_over_time),
        cmocka_unit_test(test_carbohydrate_fraction_follows_the_curve_shifted_by_status),
        cmocka_unit_test(test_exogenous_carbohydrate_is_capped_at_60_g_per_hour),
        cmocka_unit_test(test_carbohydrate_taken_spares_liver_first_and_muscle_little),
        cmocka_unit_test(test_liver_gives_its_share_of_the_carbohydrate_burned),
        cmocka_unit_test(test_muscle_glycogen_use_is_front_loaded),
        cmocka_unit_test(test_muscle_store_depends_on_sex_and_training_status),
        cmocka_unit_test(test_running_fasted_halves_the_liver_store),
        cmocka_unit_test(test_unfuelled_marathon_race_exceeds_the_store_and_risks_the_wall),
        cmocka_unit_test(test_water_released_is_3_g_per_g_of_glycogen_used),
        cmocka_unit_test(test_restore_time_is_fast_phase_then_slow_phase),
        cmocka_unit_test(test_restore_is_slower_after_muscle_damage),
        cmocka_unit_test(test_du_bois_area_of_70_kg_170_cm_runner_is_1_81_m2),
        cmocka_unit_test(test_saturation_vapour_pressure_is_2_34_kpa_at_20c),
        cmocka_unit_test(test_hot_saturated_air_is_uncompensable_and_sweat_hits_the_ceiling),
        cmocka_unit_test(test_extreme_cold_keeps_sweat_at_its_floor),
        cmocka_unit_test(test_sun_and_a_treadmill_without_fan_make_more_sweat),
        cmocka_unit_test(test_run_without_distance_cools_at_the_speed_its_intensity_implies),
        cmocka_unit_test(test_missing_height_uses_the_default_for_the_runners_sex),
        cmocka_unit_test(test_hydration_status_follows_acsm_thresholds),
        cmocka_unit_test(test_sodium_loss_uses_the_athletes_sweat_or_36_mmol_l),
        cmocka_unit_test(test_drinking_more_than_sweat_gains_body_mass),
        cmocka_unit_test(test_weigh_in_gain_means_no_sweat_loss_and_says_so),
        cmocka_unit_test(test_muscles_lose_glycogen_water_and_their_share_of_the_deficit),
        cmocka_unit_test(test_muscles_keep_their_free_water_when_body_mass_is_kept),
        cmocka_unit_test(test_acwr_and_week_increase_come_from_recent_weeks),
        cmocka_unit_test(test_acwr_is_unknown_without_recent_weeks),
        cmocka_unit_test(test_steep_descent_gives_high_doms_risk_to_novices_only),
        cmocka_unit_test(test_descent_per_km_alone_can_make_soreness_likely),
        cmocka_unit_test(test_race_after_a_load_spike_gives_high_doms_risk),
        cmocka_unit_test(test_flat_easy_run_gives_low_doms_risk_in_a_24_to_72_h_window),
        cmocka_unit_test(test_run_hours_speed_and_hours_since_are_filled),
        cmocka_unit_test(test_zero_distance_counts_as_no_distance),
        cmocka_unit_test(test_every_metric_is_written_for_every_kind_of_run),
        cmocka_unit_test(test_missing_required_fields_leave_every_metric_unknown),
        cmocka_unit_test(test_every_metric_is_finite_and_within_its_range_for_random_runs),
        cmocka_unit_test(test_every_field_at_each_end_of_its_range_gives_finite_metrics),
        cmocka_unit_test(test_extreme_runs_and_weather_give_finite_metrics),
        cmocka_unit_test(test_hotter_or_more_humid_air_never_gives_less_sweat),
        cmocka_unit_test(test_longer_or_faster_runs_never_use_less_energy_or_glycogen),
        cmocka_unit_test(test_more_carbohydrate_taken_never_uses_more_glycogen),
        cmocka_unit_test(test_intervals_hold_about_80_pct_of_sampled_outputs),
        cmocka_unit_test(test_fast_evaluation_completed_equals_the_full_one),
        cmocka_unit_test(test_assumptions_fit_the_table_with_every_default_too),
        cmocka_unit_test(test_every_parameter_value_lies_within_its_range),
        cmocka_unit_test(test_parameter_ids_are_unique_and_found_by_name),
        cmocka_unit_test(test_fixture_refuses_parameters_missing_from_the_yaml),
        cmocka_unit_test(test_curve_over_a_range_takes_extremes_at_ends_or_points),
        cmocka_unit_test(test_interval_arithmetic_propagates_percentiles_in_every_operation),
        cmocka_unit_test(test_every_uncertain_parameter_names_its_distribution),
        cmocka_unit_test(test_model_docs_describe_every_parameter),
        cmocka_unit_test(test_every_assumption_has_a_template),
        cmocka_unit_test(test_assume_keeps_the_first_entries_when_full),
    };
    return cmocka_run_group_tests_name("model", tests, setup, NULL);
}
