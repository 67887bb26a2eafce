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
    pr_model_evaluate(P, f, r->m, &r->as);
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

static int setup(void **state)
{
    (void)state;
    P = model_fixture_params();
    return P ? 0 : -1;
}

/* ---- table-driven cases ----
 *
 * Most tests below are tables: each row a run report (the required fields and the fields set),
 * what the model must give for it (a metric's expected value or an end of its interval, near a
 * value within a tolerance, between two values, above or below one; an assumption made or not,
 * with its numbers), and why. Expected values are written from the source the model follows
 * (the parameters' own values where a number comes from data/), never copied from the output.
 * A check may add other metrics of the same run to its number (`T(k, metric, part)`): the
 * water released is 3 times the glycogen used, whatever the glycogen used is. Rows that
 * compare two runs ("sun makes more sweat than shade") are comparisons.
 */

/* Which number of a metric a check reads: the expected value, an end, or the width. */
typedef enum part { X, LO, HI, WIDTH } part;

/* A field of the run report set for a row; the list ends at the first entry with `on` 0. */
typedef struct field_value {
    int on;
    run_field_id id;
    double v;
} field_value;
#define SET(id, v) {1, (id), (v)}
#define MAX_SET 8

/* The required fields and those set. */
typedef struct run_spec {
    double mass_kg, minutes, km;
    field_value set[MAX_SET];
} run_spec;

/* k times another metric of the same run, added to a check's numbers (k = 0: nothing). */
typedef struct term {
    double k;
    metric_id metric;
    part part;
} term;
#define T(k, m, p) {(k), (m), (p)}
#define NO_T {0, (metric_id)0, X}

typedef enum check_kind {
    C_END, /* zero: the rest of a row's checks */
    C_NEAR,
    C_BETWEEN,
    C_ABOVE,
    C_AT_LEAST,
    C_BELOW,
    C_AT_MOST,
    C_UNKNOWN,
    C_ASSUMED,
    C_NOT_ASSUMED,
    C_ASSUMPTION
} check_kind;

typedef struct check {
    check_kind kind;
    int id;          /* M_*, or A_* for the assumption kinds */
    int part;        /* a part; for C_ASSUMPTION which of the assumption's values (0 or 1) */
    double a, b;     /* near: value and tolerance; between: low and high; above/below: bound */
    term t[3];       /* added to a (and to b for between) */
} check;

/* The three terms are the variable arguments: a term is a braced list, whose commas a macro
 * would otherwise take for argument separators. */
#define CHECK(kind, id, p, a, b, ...) {(kind), (id), (p), (a), (b), {__VA_ARGS__}}
#define NEAR(m, p, e, tol) CHECK(C_NEAR, m, p, e, tol, NO_T, NO_T, NO_T)
#define NEAR_T(m, p, e, tol, t1) CHECK(C_NEAR, m, p, e, tol, t1, NO_T, NO_T)
#define NEAR_TT(m, p, e, tol, t1, t2) CHECK(C_NEAR, m, p, e, tol, t1, t2, NO_T)
#define NEAR_TTT(m, p, e, tol, t1, t2, t3) CHECK(C_NEAR, m, p, e, tol, t1, t2, t3)
#define IS(m, word) NEAR(m, X, (word), 0)
#define IN(m, p, lo, hi) CHECK(C_BETWEEN, m, p, lo, hi, NO_T, NO_T, NO_T)
#define ABOVE(m, p, v) CHECK(C_ABOVE, m, p, v, 0, NO_T, NO_T, NO_T)
#define ABOVE_T(m, p, v, t1) CHECK(C_ABOVE, m, p, v, 0, t1, NO_T, NO_T)
#define AT_LEAST(m, p, v) CHECK(C_AT_LEAST, m, p, v, 0, NO_T, NO_T, NO_T)
#define BELOW(m, p, v) CHECK(C_BELOW, m, p, v, 0, NO_T, NO_T, NO_T)
#define BELOW_T(m, p, v, t1) CHECK(C_BELOW, m, p, v, 0, t1, NO_T, NO_T)
#define AT_MOST(m, p, v) CHECK(C_AT_MOST, m, p, v, 0, NO_T, NO_T, NO_T)
#define UNKNOWN(m) CHECK(C_UNKNOWN, m, X, 0, 0, NO_T, NO_T, NO_T)
#define ASSUMED(code) CHECK(C_ASSUMED, code, X, 0, 0, NO_T, NO_T, NO_T)
#define NOT_ASSUMED(code) CHECK(C_NOT_ASSUMED, code, X, 0, 0, NO_T, NO_T, NO_T)
#define ASSUMPTION(code, i, e, tol) CHECK(C_ASSUMPTION, code, i, e, tol, NO_T, NO_T, NO_T)
#define ASSUMPTION_T(code, i, e, tol, t1) CHECK(C_ASSUMPTION, code, i, e, tol, t1, NO_T, NO_T)
#define MAX_CHECKS 10

typedef struct model_case {
    const char *why;
    run_spec run;
    check check[MAX_CHECKS];
} model_case;

/* b's metric compared with k times a's: more, less, or near (within `tol`). */
typedef enum relation { MORE, LESS, NEAR_K } relation;

typedef struct comparison {
    const char *why;
    run_spec a, b;
    metric_id metric;
    part part;
    relation rel;
    double k, tol;
} comparison;

static void build_run(const run_spec *s, double *f)
{
    new_run(f, s->mass_kg, s->minutes, s->km);
    for (int i = 0; i < MAX_SET && s->set[i].on; i++)
        f[s->set[i].id] = s->set[i].v;
}

static double part_of(const result *r, metric_id m, part p)
{
    tri t = r->m[m];
    switch (p) {
    case LO: return t.lo;
    case HI: return t.hi;
    case WIDTH: return t.hi - t.lo;
    case X: break;
    }
    return t.x;
}

static const char *PART_NAMES[] = {"", " (low end)", " (high end)", " (width)"};

static double terms_of(const result *r, const term *t)
{
    double sum = 0;
    for (int i = 0; i < 3; i++)
        if (t[i].k != 0)
            sum += t[i].k * part_of(r, t[i].metric, t[i].part);
    return sum;
}

static void run_check(const char *why, const result *r, const check *c)
{
    double add = terms_of(r, c->t), a = c->a + add;
    if (c->kind == C_ASSUMED || c->kind == C_NOT_ASSUMED) {
        if (assumed(r, (assumption_code)c->id) != (c->kind == C_ASSUMED))
            fail_msg("%s: assumption %d %s", why, c->id,
                     c->kind == C_ASSUMED ? "not made" : "made");
        return;
    }
    if (c->kind == C_ASSUMPTION) {
        const pr_assumption *as = assumption(r, (assumption_code)c->id);
        if (!as)
            fail_msg("%s: assumption %d not made", why, c->id);
        else if (!(fabs(as->v[c->part] - a) <= c->b))
            fail_msg("%s: assumption %d value %d = %.6g, expected %.6g +- %.3g", why, c->id,
                     c->part, as->v[c->part], a, c->b);
        return;
    }
    const char *name = PR_METRICS[c->id].name, *pn = PART_NAMES[c->part];
    if (c->kind == C_UNKNOWN) {
        tri t = r->m[c->id];
        if (!(isnan(t.x) && isnan(t.lo) && isnan(t.hi)))
            fail_msg("%s: %s = [%g %g %g], expected unknown", why, name, t.lo, t.x, t.hi);
        return;
    }
    double v = part_of(r, (metric_id)c->id, (part)c->part);
    int ok = 0;
    switch (c->kind) {
    case C_NEAR: ok = fabs(v - a) <= c->b; break;
    case C_BETWEEN: ok = v >= a && v <= c->b + add; break;
    case C_ABOVE: ok = v > a; break;
    case C_AT_LEAST: ok = v >= a; break;
    case C_BELOW: ok = v < a; break;
    case C_AT_MOST: ok = v <= a; break;
    default: break;
    }
    if (!ok)
        fail_msg("%s: %s%s = %.6g; %s %.6g (%.3g)", why, name, pn, v,
                 c->kind == C_NEAR      ? "expected"
                 : c->kind == C_BETWEEN ? "expected from"
                 : c->kind == C_ABOVE   ? "expected above"
                 : c->kind == C_AT_LEAST ? "expected at least"
                 : c->kind == C_BELOW   ? "expected below"
                                        : "expected at most",
                 a, c->kind == C_BETWEEN ? c->b + add : c->b);
}

static void run_cases(const model_case *cases, size_t n)
{
    double f[RF_COUNT];
    result r;
    for (size_t i = 0; i < n; i++) {
        build_run(&cases[i].run, f);
        eval(f, &r);
        for (int k = 0; k < MAX_CHECKS && cases[i].check[k].kind != C_END; k++)
            run_check(cases[i].why, &r, &cases[i].check[k]);
    }
}

static void run_comparisons(const comparison *cmp, size_t n)
{
    double f[RF_COUNT];
    result a, b;
    for (size_t i = 0; i < n; i++) {
        build_run(&cmp[i].a, f);
        eval(f, &a);
        build_run(&cmp[i].b, f);
        eval(f, &b);
        double va = cmp[i].k * part_of(&a, cmp[i].metric, cmp[i].part);
        double vb = part_of(&b, cmp[i].metric, cmp[i].part);
        int ok = cmp[i].rel == MORE ? vb > va : cmp[i].rel == LESS ? vb < va
                                                                   : fabs(vb - va) <= cmp[i].tol;
        if (!ok)
            fail_msg("%s: %s%s %.6g against %.6g (k = %g)", cmp[i].why,
                     PR_METRICS[cmp[i].metric].name, PART_NAMES[cmp[i].part], vb, va, cmp[i].k);
    }
}

#define RUN_CASES(c) run_cases((c), sizeof(c) / sizeof((c)[0]))
#define RUN_COMPARISONS(c) run_comparisons((c), sizeof(c) / sizeof((c)[0]))

/* model.md section 8's sweat cases: 70 kg, 12 km/h for an hour, in given air. */
#define SWEAT_RUN(t, rh)                                                                      \
    {70, 60, 12, {SET(RF_TEMPERATURE_C, (t)), SET(RF_RELATIVE_HUMIDITY_PCT, (rh))}}

/* ---- model.md section 8: numbers to test against ---- */

static void test_minetti_cost_is_3_60_flat_19_43_at_plus_45_pct_and_1_80_at_minus_20_pct(
    void **state)
{
    (void)state;
    /* Minetti 2002's polynomial at its published grades */
    static const struct {
        double grade, cr;
    } cases[] = {{0, 3.60}, {0.45, 19.43}, {-0.20, 1.80}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_near(pr_model_minetti_cr(P, cases[i].grade), cases[i].cr, 0.005);
}

static void test_minetti_cost_is_clamped_beyond_45_pct_grade(void **state)
{
    (void)state;
    /* beyond the measured grades the curve is not extrapolated */
    static const struct {
        double grade, clamped;
    } cases[] = {{0.80, 0.45}, {-0.80, -0.45}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_near(pr_model_minetti_cr(P, cases[i].grade), pr_model_minetti_cr(P, cases[i].clamped),
                    1e-12);
}

/* Climbs and descents cost Minetti's Cr at their grade, relative to the flat: the cost rises
 * again on steep descents (braking), which a straight line through Cr's slope missed. */
static void test_route_cost_follows_minetti_curve_at_each_grade(void **state)
{
    (void)state;
    const run_spec flat = {70, 60, 10, {{0, RF_POSTRUN, 0}}};
    double loop = (pr_model_minetti_cr(P, 0.04) + pr_model_minetti_cr(P, -0.04)) / 2 /
                  pr_model_minetti_cr(P, 0);
#define GRADE(g)                                                                              \
    {"10 km at a grade of " #g, flat,                                                         \
     {70, 60, 10, {SET((g) > 0 ? RF_ELEVATION_GAIN_M : RF_ELEVATION_LOSS_M, fabs(g) * 10000)}}, \
     M_EXPENDITURE_KCAL, X, NEAR_K, pr_model_minetti_cr(P, (g)) / pr_model_minetti_cr(P, 0), 1e-6}
    const comparison cases[] = {
        GRADE(-0.45), GRADE(-0.20), GRADE(-0.10), GRADE(0.10), GRADE(0.25), GRADE(0.45),
        {"a loop: 200 m up and 200 m down over 10 km, half at +4 %, half at -4 %", flat,
         {70, 60, 10, {SET(RF_ELEVATION_GAIN_M, 200), SET(RF_ELEVATION_LOSS_M, 200)}},
         M_EXPENDITURE_KCAL, X, NEAR_K, loop, 1e-6},
    };
#undef GRADE
    RUN_COMPARISONS(cases);
    /* the steepest descent costs more than the cheapest grade near -20 % */
    assert_true(pr_model_minetti_cr(P, -0.45) > pr_model_minetti_cr(P, -0.20));
}

static void test_acsm_equation_gives_35_66_ml_kg_min_at_160_8_m_min_on_the_flat(void **state)
{
    (void)state;
    tri vo2 = pr_model_acsm_vo2(P, 160.8, 0);
    assert_near(vo2.x, 35.66, 0.005);
    assert_true(tri_is_const(vo2));
}

/* model.md section 8: 70.0 -> 68.6 kg with 0.5 l drunk and 0.1 l of urine over 1.5 h. */
#define WEIGH_IN_RUN                                                                          \
    {70, 90, NAN,                                                                             \
     {SET(RF_PRE_KG, 70.0), SET(RF_POST_KG, 68.6), SET(RF_FLUID_ML, 500),                     \
      SET(RF_URINE_ML, 100)}}

static void test_weigh_in_gives_1_8_l_sweat_1_2_l_per_h_and_minus_2_pct(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"sweat = (pre - post) + drunk - urine, 1 kg = 1 l (ACSM 2007)",
         WEIGH_IN_RUN,
         {IS(M_FLUID_METHOD, FLUID_MEASURED), NEAR(M_SWEAT_LOSS_L, X, 1.8, 1e-9),
          NEAR(M_SWEAT_RATE_L_H, X, 1.20, 1e-9), NEAR(M_BODY_MASS_CHANGE_PCT, X, -2.0, 1e-9),
          NEAR(M_BODY_MASS_CHANGE_KG, X, -1.4, 1e-9), NOT_ASSUMED(A_NO_WEIGH_IN)}},
    };
    RUN_CASES(cases);
}

static void test_weigh_in_range_is_scale_resolution_and_breathing_loss(void **state)
{
    (void)state;
    /* two weighings, each to the scale's resolution, independent */
    double res = sqrt(2.0) * pv(P_SCALE_RESOLUTION_KG);
    assert_near(res, 0.14, 0.005);
    const model_case cases[] = {
        {"the range is the scale's; the low end also takes out breathing, which the formula "
         "counts as sweat",
         WEIGH_IN_RUN,
         {NEAR(M_SWEAT_LOSS_L, HI, 1.8 + res, 1e-9),
          NEAR_T(M_SWEAT_LOSS_L, LO, 1.8 - res, 1e-9, T(-1, M_RESPIRATORY_LOSS_L, HI)),
          NEAR(M_BODY_MASS_CHANGE_KG, LO, -1.4 - res, 1e-9),
          NEAR(M_BODY_MASS_CHANGE_KG, HI, -1.4 + res, 1e-9)}},
    };
    RUN_CASES(cases);
}

static void test_sweat_at_20c_and_50_pct_is_between_0_9_and_1_6_l(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"model.md section 8: 0.9-1.6 l at 20 degrees C, 50 % (Barnes 2019: 1.28 +- 0.57 l/h)",
         SWEAT_RUN(20, 50),
         {IS(M_FLUID_METHOD, FLUID_PREDICTED), IN(M_SWEAT_LOSS_L, X, 0.9, 1.6),
          ASSUMED(A_NO_WEIGH_IN)}},
    };
    RUN_CASES(cases);
}

/* Warm dry air takes sweat up easily: less of it is needed than in warm humid air at the same
 * temperature (the efficiency falls as skin wettedness rises; Høye 2020 measured about 1.6
 * times more in humid air). */
static void test_sweat_in_warm_dry_air_is_less_than_in_warm_humid_air(void **state)
{
    (void)state;
    const comparison cases[] = {
        {"humid air at 30 degrees C needs more than 1.3 times the sweat of dry air",
         SWEAT_RUN(30, 20), SWEAT_RUN(30, 85), M_SWEAT_LOSS_L, X, MORE, 1.3, 0},
        {"though the heat to shed is about the same", SWEAT_RUN(30, 20), SWEAT_RUN(30, 85),
         M_HEAT_REQUIRED_EVAP_W, X, LESS, 1.1, 0},
    };
    RUN_COMPARISONS(cases);
}

/* A treadmill run without wind is not automatically beyond what sweat can cool. */
static void test_treadmill_in_a_warm_room_is_not_an_automatic_ceiling(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"10 km on a treadmill at 22 degrees C, 50 %",
         {70, 60, 10,
          {SET(RF_SURFACE, SURFACE_TREADMILL), SET(RF_TEMPERATURE_C, 22),
           SET(RF_RELATIVE_HUMIDITY_PCT, 50)}},
         {ASSUMED(A_TREADMILL_AIR), IS(M_HEAT_UNCOMPENSABLE, 0),
          BELOW(M_SWEAT_RATE_L_H, X, pv(P_SWEAT_CEILING_L_H))}},
    };
    RUN_CASES(cases);
}

static void test_sweat_at_30c_and_60_pct_exceeds_sweat_at_20c(void **state)
{
    (void)state;
    const comparison warmer[] = {
        {"model.md section 8: more at 30 degrees C, 60 % than at 20 degrees C, 50 %",
         SWEAT_RUN(20, 50), SWEAT_RUN(30, 60), M_SWEAT_LOSS_L, X, MORE, 1, 0},
    };
    RUN_COMPARISONS(warmer);
    const model_case cases[] = {
        {"and within what runners sweat (ACSM 2007: up to about 1.8 l/h)", SWEAT_RUN(30, 60),
         {AT_MOST(M_SWEAT_LOSS_L, X, 1.8)}},
    };
    RUN_CASES(cases);
}

static void test_sweat_at_5c_is_below_0_8_l(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"model.md section 8: under 0.8 l at 5 degrees C, but never below the floor",
         SWEAT_RUN(5, 50),
         {BELOW(M_SWEAT_LOSS_L, X, 0.8), AT_LEAST(M_SWEAT_LOSS_L, X, pv(P_SWEAT_FLOOR_L_H))}},
    };
    RUN_CASES(cases);
}

static void test_flat_marathon_of_70_kg_runner_costs_about_2950_kcal(void **state)
{
    (void)state;
    double k_lo = pl(P_C_FLAT) / pv(P_C_FLAT), k_hi = ph(P_C_FLAT) / pv(P_C_FLAT);
    const model_case cases[] = {
        {"model.md section 8: a flat marathon, about 2950 kcal (+-15 %); the interval is "
         "c_flat's (runners' economy differs by about 20 %, Lacour 2015)",
         {70, 210, 42.195, {{0, RF_POSTRUN, 0}}},
         {NEAR(M_EXPENDITURE_KCAL, X, 2950, 0.15 * 2950),
          NEAR_T(M_EXPENDITURE_KCAL, LO, 0, 1e-6, T(k_lo, M_EXPENDITURE_KCAL, X)),
          NEAR_T(M_EXPENDITURE_KCAL, HI, 0, 1e-6, T(k_hi, M_EXPENDITURE_KCAL, X)),
          ABOVE_T(M_EXPENDITURE_KCAL, HI, 0, T(1.10, M_EXPENDITURE_KCAL, X))}},
    };
    RUN_CASES(cases);
}

/* ---- intensity ---- */

static void test_heart_rate_gives_intensity_through_tanaka_and_swain(void **state)
{
    (void)state;
    double hrmax = 208 - 0.7 * 40; /* Tanaka 2001 at 40 */
    double swain = (150 / hrmax - 0.37) / 0.64 * 100, measured = (150 / 190.0 - 0.37) / 0.64 * 100;
    /* the interval comes from the scatter of maximum heart rate around Tanaka's line */
    double swain_lo = (150 / (hrmax + ph(P_HRMAX_INTERCEPT) - 208) - 0.37) / 0.64 * 100;
    const model_case cases[] = {
        {"150 bpm at 40 years: HRmax from Tanaka, %VO2max from Swain",
         {70, 60, 12, {SET(RF_AGE_Y, 40), SET(RF_AVG_HR_BPM, 150)}},
         {IS(M_INTENSITY_SOURCE, ISRC_HEART_RATE), NEAR(M_INTENSITY_PCT_VO2MAX, X, swain, 1e-9),
          ASSUMPTION(A_HRMAX_FROM_AGE, 0, 180, 1e-9),
          NEAR(M_INTENSITY_PCT_VO2MAX, LO, swain_lo, 1e-9)}},
        {"a measured maximum of 190 bpm: exact, nothing assumed",
         {70, 60, 12, {SET(RF_AGE_Y, 40), SET(RF_AVG_HR_BPM, 150), SET(RF_MAX_HR_BPM, 190)}},
         {NEAR(M_INTENSITY_PCT_VO2MAX, X, measured, 1e-9),
          NEAR(M_INTENSITY_PCT_VO2MAX, WIDTH, 0, 0), NOT_ASSUMED(A_HRMAX_FROM_AGE)}},
    };
    RUN_CASES(cases);
}

static void test_heart_rate_without_age_assumes_35_years(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"a heart rate without age or maximum: 35 years, Tanaka's maximum for it",
         {70, 60, NAN, {SET(RF_AVG_HR_BPM, 150)}},
         {ASSUMPTION(A_AGE_FOR_HRMAX, 0, 35, 1e-9),
          ASSUMPTION(A_HRMAX_FROM_AGE, 0, 208 - 0.7 * 35, 1e-9)}},
    };
    RUN_CASES(cases);
}

static void test_pace_with_athlete_vo2max_gives_intensity_by_acsm(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"200 m/min with a VO2max of 50: the ACSM running equation",
         {70, 50, 10, {SET(RF_VO2MAX_ML_KG_MIN, 50)}},
         {IS(M_INTENSITY_SOURCE, ISRC_PACE),
          NEAR(M_INTENSITY_PCT_VO2MAX, X, (0.2 * 200 + 3.5) / 50 * 100, 1e-9),
          NOT_ASSUMED(A_VO2MAX_FROM_STATUS)}},
        {"climbing adds ACSM's vertical term: 100 m over 10 km is a 1 % average grade",
         {70, 50, 10, {SET(RF_VO2MAX_ML_KG_MIN, 50), SET(RF_ELEVATION_GAIN_M, 100)}},
         {NEAR(M_INTENSITY_PCT_VO2MAX, X, (0.2 * 200 + 0.9 * 200 * 0.01 + 3.5) / 50 * 100,
               1e-9)}},
    };
    RUN_CASES(cases);
}

static void test_intensity_sources_are_used_in_model_order(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"every clue: the heart rate first",
         {70, 60, 12,
          {SET(RF_AVG_HR_BPM, 150), SET(RF_VO2MAX_ML_KG_MIN, 50), SET(RF_INTENSITY, INT_EASY),
           SET(RF_RPE, 8)}},
         {IS(M_INTENSITY_SOURCE, ISRC_HEART_RATE)}},
        {"no heart rate: pace with the athlete's VO2max",
         {70, 60, 12,
          {SET(RF_VO2MAX_ML_KG_MIN, 50), SET(RF_INTENSITY, INT_EASY), SET(RF_RPE, 8)}},
         {IS(M_INTENSITY_SOURCE, ISRC_PACE)}},
        {"no VO2max: the category (easy, 62 %)",
         {70, 60, 12, {SET(RF_INTENSITY, INT_EASY), SET(RF_RPE, 8)}},
         {IS(M_INTENSITY_SOURCE, ISRC_CATEGORY), NEAR(M_INTENSITY_PCT_VO2MAX, X, 62, 1e-9)}},
        {"no category: the effort rating (8 is 90 %)", {70, 60, 12, {SET(RF_RPE, 8)}},
         {IS(M_INTENSITY_SOURCE, ISRC_RPE), NEAR(M_INTENSITY_PCT_VO2MAX, X, 90, 1e-9)}},
        {"no rating: pace with the recreational VO2max of 45", {70, 60, 12, {{0, RF_POSTRUN, 0}}},
         {IS(M_INTENSITY_SOURCE, ISRC_PACE_ESTIMATED),
          NEAR(M_INTENSITY_PCT_VO2MAX, X, (0.2 * 200 + 3.5) / 45 * 100, 1e-9),
          ASSUMPTION(A_VO2MAX_FROM_STATUS, 0, 45, 1e-9)}},
        {"no distance either: the default, 70 %", {70, 60, NAN, {{0, RF_POSTRUN, 0}}},
         {IS(M_INTENSITY_SOURCE, ISRC_DEFAULT), NEAR(M_INTENSITY_PCT_VO2MAX, X, 70, 1e-9),
          ASSUMPTION(A_INTENSITY_DEFAULT, 0, 70, 1e-9)}},
    };
    RUN_CASES(cases);
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
    const model_case cases[] = {
        {"70 bpm against a maximum of 200 is below 30 % of VO2max: raised to 30 % and said",
         {70, 60, NAN, {SET(RF_AVG_HR_BPM, 70), SET(RF_MAX_HR_BPM, 200)}},
         {NEAR(M_INTENSITY_PCT_VO2MAX, X, 30, 1e-9),
          ASSUMPTION(A_INTENSITY_LIMITED, 1, 30, 1e-9)}},
        {"an average above the measured maximum: lowered to 100 %, the interval too",
         {70, 60, NAN, {SET(RF_AVG_HR_BPM, 210), SET(RF_MAX_HR_BPM, 200)}},
         {NEAR(M_INTENSITY_PCT_VO2MAX, X, 100, 1e-9),
          NEAR(M_INTENSITY_PCT_VO2MAX, HI, 100, 1e-9)}},
    };
    RUN_CASES(cases);
}

/* ---- energy ---- */

static void test_energy_without_distance_is_oxygen_used_times_5_kcal_per_litre(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"steady (70 %) of a VO2max of 50 for an hour, 70 kg, 5 kcal per litre of oxygen",
         {70, 60, NAN, {SET(RF_INTENSITY, INT_STEADY), SET(RF_VO2MAX_ML_KG_MIN, 50)}},
         {NEAR(M_EXPENDITURE_KCAL, X, 0.70 * 50 * 70 * 60 * 5.0 / 1000, 1e-9)}},
    };
    RUN_CASES(cases);
}

static void test_climbing_adds_and_descending_saves_energy(void **state)
{
    (void)state;
    const run_spec flat = {70, 60, 10, {{0, RF_POSTRUN, 0}}};
    const comparison cases[] = {
        {"500 m of climbing over 10 km costs more than 1.3 times the flat", flat,
         {70, 60, 10, {SET(RF_ELEVATION_GAIN_M, 500)}}, M_EXPENDITURE_KCAL, X, MORE, 1.3, 0},
        {"500 m of descent saves more than a fifth", flat,
         {70, 60, 10, {SET(RF_ELEVATION_GAIN_M, 0), SET(RF_ELEVATION_LOSS_M, 500)}},
         M_EXPENDITURE_KCAL, X, LESS, 0.8, 0},
    };
    RUN_COMPARISONS(cases);
}

/* Minetti's cost is lowest near -20 % and rises again on steeper descents: a descent never
 * costs less than about half the flat cost. A sweep of descents, each compared with the flat. */
static void test_energy_never_falls_below_half_the_flat_cost(void **state)
{
    (void)state;
    const run_spec flat = {70, 60, 10, {{0, RF_POSTRUN, 0}}};
    for (double loss = 500; loss <= 6000; loss += 500) {
        const run_spec down = {70, 60, 10, {SET(RF_ELEVATION_LOSS_M, loss)}};
        const comparison cmp[] = {
            {"a descent costs at least 0.45 times the flat", flat, down, M_EXPENDITURE_KCAL, X,
             MORE, 0.45, 0},
        };
        RUN_COMPARISONS(cmp);
        const model_case cases[] = {
            {"and its low end stays above 0", down, {ABOVE(M_EXPENDITURE_KCAL, LO, 0)}},
        };
        RUN_CASES(cases);
    }
}

static void test_metabolic_power_is_energy_over_time(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"12 km in an hour at c_flat kcal/kg/km, in watts", SWEAT_RUN(20, 50),
         {NEAR(M_METABOLIC_POWER_W, X, 70 * 12 * pv(P_C_FLAT) * 4184 / 3600.0, 1e-9)}},
    };
    RUN_CASES(cases);
}

/* ---- glycogen ---- */

static double cho_curve(double u)
{
    return curve_eval(&P->curve[C_CHO_FRACTION], u);
}

static void test_carbohydrate_fraction_follows_the_curve_shifted_by_status(void **state)
{
    (void)state;
#define STATUS_CASE(status, shift)                                                            \
    {"steady (70 %), " #status ": the curve at 0.70 shifted by the status; people differ at " \
     "the same intensity, so the fraction has an interval",                                   \
     {70, 60, 10, {SET(RF_INTENSITY, INT_STEADY), SET(RF_TRAINING_STATUS, (status))}},       \
     {NEAR(M_CARBOHYDRATE_FRACTION, X, cho_curve(0.70 + pv(shift)), 1e-9),                   \
      NEAR_T(M_CHO_OXIDISED_G, X, 0, 1e-9,                                                    \
             T(cho_curve(0.70 + pv(shift)) / 4.0, M_EXPENDITURE_KCAL, X)),                    \
      BELOW(M_CARBOHYDRATE_FRACTION, LO, cho_curve(0.70 + pv(shift)) - 0.05),                \
      ABOVE(M_CARBOHYDRATE_FRACTION, HI, cho_curve(0.70 + pv(shift)) + 0.05)}}
    const model_case cases[] = {
        STATUS_CASE(STATUS_NOVICE, P_CHO_SHIFT_NOVICE),
        STATUS_CASE(STATUS_RECREATIONAL, P_CHO_SHIFT_RECREATIONAL),
        STATUS_CASE(STATUS_TRAINED, P_CHO_SHIFT_TRAINED),
        STATUS_CASE(STATUS_ELITE, P_CHO_SHIFT_ELITE),
    };
#undef STATUS_CASE
    RUN_CASES(cases);
    /* at 50-65 % of VO2max most of the energy already comes from carbohydrate (Achten and
     * Jeukendrup 2003: about 62 % at 62.5 % of VO2max in trained men) */
    assert_between(cho_curve(0.625 + pv(P_CHO_SHIFT_TRAINED)), 0.55, 0.70);
}

static void test_exogenous_carbohydrate_is_capped_at_60_g_per_hour(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"100 g in an hour: the gut absorbs 60 g/h of a single sugar, and says so",
         {70, 60, 12, {SET(RF_INTENSITY, INT_TEMPO), SET(RF_CARBOHYDRATE_G, 100)}},
         {NEAR(M_EXOGENOUS_OXIDISED_G, X, 60, 1e-9),
          ASSUMPTION(A_EXOGENOUS_LIMITED, 0, 60, 1e-9),
          ASSUMPTION(A_EXOGENOUS_LIMITED, 1, 100, 1e-9)}},
    };
    RUN_CASES(cases);
}

/* Ingested carbohydrate replaces the liver's glucose first (Jeukendrup 1999); muscle glycogen
 * is spared only by a share of what is left over, not gram for gram. */
static void test_carbohydrate_taken_spares_liver_first_and_muscle_little(void **state)
{
    (void)state;
    const run_spec none = {70, 60, 12, {SET(RF_INTENSITY, INT_TEMPO)}};
    const run_spec some = {70, 60, 12, {SET(RF_INTENSITY, INT_TEMPO), SET(RF_CARBOHYDRATE_G, 20)}};
    const run_spec lots = {70, 60, 12, {SET(RF_INTENSITY, INT_TEMPO), SET(RF_CARBOHYDRATE_G, 60)}};
    double f[RF_COUNT];
    result r;
    build_run(&none, f);
    eval(f, &r);
    double liver_need = r.m[M_CHO_OXIDISED_G].x * pv(P_LIVER_SHARE);
    double liver_none = r.m[M_LIVER_USED_G].x, muscle_none = r.m[M_MUSCLE_USED_G].x;
    assert_true(liver_need > 20);
    const model_case cases[] = {
        {"a little food (20 g, less than the liver's share): the liver gives 20 g less, the "
         "muscles as much as without",
         some,
         {NEAR(M_LIVER_USED_G, X, liver_none - 20, 1e-9),
          NEAR(M_MUSCLE_USED_G, X, muscle_none, 1e-9), NOT_ASSUMED(A_EXOGENOUS_LIMITED)}},
        {"more than the liver's share (60 g): the liver gives nothing, the muscles a little "
         "less, spared at most the sparing share of what is left over",
         lots,
         {NEAR(M_LIVER_USED_G, X, 0, 1e-9), BELOW(M_MUSCLE_USED_G, X, muscle_none),
          ABOVE(M_MUSCLE_USED_G, X,
                muscle_none - pv(P_EXOGENOUS_MUSCLE_SPARING) * (60 - liver_need) - 1e-9)}},
    };
    RUN_CASES(cases);
}

/* The food that does not spare muscle glycogen is burned in place of fat (Jeukendrup 1999): a
 * fed run burns more carbohydrate than the intensity alone gives, and never less than what
 * came from food and glycogen together. */
static void test_carbohydrate_burned_includes_the_food_burned_in_place_of_fat(void **state)
{
    (void)state;
    const run_spec none = {70, 90, 18, {SET(RF_INTENSITY, INT_TEMPO)}};
    const run_spec fed = {70, 90, 18, {SET(RF_INTENSITY, INT_TEMPO), SET(RF_CARBOHYDRATE_G, 80)}};
    double f[RF_COUNT];
    result r0, r;
    build_run(&none, f);
    eval(f, &r0);
    build_run(&fed, f);
    eval(f, &r);
    double cho0 = r0.m[M_CHO_OXIDISED_G].x, energy = r.m[M_EXPENDITURE_KCAL].x;
    double beyond_liver = 80 - cho0 * pv(P_LIVER_SHARE);
    assert_true(beyond_liver > 20); /* the case tests the food beyond the liver's part */
    double expected = cho0 + (1 - pv(P_EXOGENOUS_MUSCLE_SPARING)) * beyond_liver;
    assert_near(r.m[M_CHO_OXIDISED_G].x, expected, 1e-9);
    double parts = r.m[M_EXOGENOUS_OXIDISED_G].x + r.m[M_MUSCLE_USED_G].x + r.m[M_LIVER_USED_G].x;
    assert_true(r.m[M_CHO_OXIDISED_G].x >= parts);
    double share = expected * pv(P_KCAL_PER_G_CHO) / energy;
    assert_near(r.m[M_CARBOHYDRATE_FRACTION].x, share, 1e-9);
    static const metric_id ranged[] = {M_CARBOHYDRATE_FRACTION, M_CHO_OXIDISED_G};
    for (size_t i = 0; i < sizeof ranged / sizeof *ranged; i++)
        assert_true(r.m[ranged[i]].lo <= r.m[ranged[i]].x && r.m[ranged[i]].x <= r.m[ranged[i]].hi);
    /* Unfed, nothing is added: the share is the intensity's. */
    assert_near(r0.m[M_CHO_OXIDISED_G].x * pv(P_KCAL_PER_G_CHO) / r0.m[M_EXPENDITURE_KCAL].x,
                r0.m[M_CARBOHYDRATE_FRACTION].x, 1e-9);
}

static void test_liver_gives_its_share_of_the_carbohydrate_burned(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"no food: blood glucose (the liver) covers its share of the carbohydrate burned "
         "(van Loon 2001)",
         {70, 60, 12, {SET(RF_INTENSITY, INT_TEMPO)}},
         {NEAR_T(M_LIVER_USED_G, X, 0, 1e-9, T(pv(P_LIVER_SHARE), M_CHO_OXIDISED_G, X))}},
    };
    RUN_CASES(cases);
}

/* Muscle glycogen is used in proportion to what is left: faster than the average rate early,
 * slower late (Watt 2002: 54 % in the first 2 h, 16 % in the next 2). */
static void test_muscle_glycogen_use_is_front_loaded(void **state)
{
    (void)state;
    const run_spec two_h = {70, 120, NAN, {SET(RF_INTENSITY, INT_EASY)}};
    const run_spec four_h = {70, 240, NAN, {SET(RF_INTENSITY, INT_EASY)}};
    const comparison cmp[] = {
        {"the first 2 h of an easy 4 h run use more than 55 % of what the 4 h use", four_h,
         two_h, M_MUSCLE_USED_G, X, MORE, 0.55, 0},
    };
    RUN_COMPARISONS(cmp);
    /* used = store (1 - exp(-demand / store)): not linear in the metrics, so computed here */
    double f[RF_COUNT];
    result full;
    build_run(&four_h, f);
    eval(f, &full);
    double store = full.m[M_MUSCLE_STORE_BEFORE_G].x;
    double demand = full.m[M_CHO_OXIDISED_G].x * (1 - pv(P_LIVER_SHARE));
    const model_case cases[] = {
        {"4 h easy: first-order use of the store", four_h,
         {NEAR(M_MUSCLE_USED_G, X, store * (1 - exp(-demand / store)), 1e-6),
          NEAR(M_MUSCLE_REMAINING_PCT, X, 100 * exp(-demand / store), 1e-6)}},
    };
    RUN_CASES(cases);
}

static void test_muscle_store_depends_on_sex_and_training_status(void **state)
{
    (void)state;
    /* trained runners start well above 20 g/kg (Neufer 1991, Asp 1997) */
    assert_true(pv(P_GLYCOGEN_DENSITY_TRAINED) > 20);
    const model_case cases[] = {
        {"a trained man: his leg-muscle share of body mass times the trained density",
         {70, 30, 5, {SET(RF_SEX, SEX_MALE), SET(RF_TRAINING_STATUS, STATUS_TRAINED)}},
         {NEAR(M_MUSCLE_STORE_BEFORE_G, X,
               70 * pv(P_MUSCLE_FRACTION_MALE) * pv(P_GLYCOGEN_DENSITY_TRAINED), 1e-9)}},
        {"a novice woman",
         {70, 30, 5, {SET(RF_SEX, SEX_FEMALE), SET(RF_TRAINING_STATUS, STATUS_NOVICE)}},
         {NEAR(M_MUSCLE_STORE_BEFORE_G, X,
               70 * pv(P_MUSCLE_FRACTION_FEMALE) * pv(P_GLYCOGEN_DENSITY_NOVICE), 1e-9),
          NOT_ASSUMED(A_SEX_UNSPECIFIED)}},
        {"a novice who does not give a sex: between the two, and said",
         {70, 30, 5, {SET(RF_TRAINING_STATUS, STATUS_NOVICE)}},
         {NEAR(M_MUSCLE_STORE_BEFORE_G, X,
               70 * pv(P_MUSCLE_FRACTION_UNSPECIFIED) * pv(P_GLYCOGEN_DENSITY_NOVICE), 1e-9),
          ASSUMED(A_SEX_UNSPECIFIED)}},
    };
    RUN_CASES(cases);
}

static void test_running_fasted_halves_the_liver_store(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"fed: 1.3 g per kg of body mass", {70, 30, 5, {{0, RF_POSTRUN, 0}}},
         {NEAR(M_LIVER_STORE_BEFORE_G, X, 70 * 1.3, 1e-9)}},
        {"after a night's fast: half", {70, 30, 5, {SET(RF_FASTED, 1)}},
         {NEAR(M_LIVER_STORE_BEFORE_G, X, 70 * 1.3 / 2, 1e-9)}},
    };
    RUN_CASES(cases);
}

static void test_unfuelled_marathon_race_exceeds_the_store_and_risks_the_wall(void **state)
{
    (void)state;
    const run_spec race = {70, 210, 42.195, {SET(RF_INTENSITY, INT_RACE)}};
    const model_case cases[] = {
        {"a 3.5 h marathon race without food: a shortfall beyond both stores, the wall risk, "
         "and a store used in proportion to what is left, never quite emptied (Asp 1999)",
         race,
         {ABOVE(M_SHORTFALL_G, X, 0), IS(M_WALL_RISK, 1), IN(M_MUSCLE_REMAINING_PCT, X, 5, 40),
          BELOW_T(M_MUSCLE_USED_G, X, 0, T(1, M_MUSCLE_STORE_BEFORE_G, X)),
          ASSUMPTION_T(A_GLYCOGEN_SHORTFALL, 0, 0, 1e-9, T(1, M_SHORTFALL_G, X)),
          NEAR_TTT(M_SHORTFALL_G, X, 0, 1e-9, T(1, M_CHO_OXIDISED_G, X),
                   T(-1, M_MUSCLE_STORE_BEFORE_G, X), T(-1, M_LIVER_STORE_BEFORE_G, X))}},
        {"with 60 g/h of carbohydrate an easy long run stays within the store",
         {70, 210, 42.195, {SET(RF_INTENSITY, INT_EASY), SET(RF_CARBOHYDRATE_G, 210)}},
         {IS(M_WALL_RISK, 0), NOT_ASSUMED(A_GLYCOGEN_SHORTFALL)}},
    };
    RUN_CASES(cases);
    /* Rapoport 2010: the stores would have lasted roughly 30 km (a ratio of metrics) */
    double f[RF_COUNT];
    result r;
    build_run(&race, f);
    eval(f, &r);
    double stores = r.m[M_MUSCLE_STORE_BEFORE_G].x + r.m[M_LIVER_STORE_BEFORE_G].x;
    assert_between(42.195 * stores / r.m[M_CHO_OXIDISED_G].x, 20, 35);
}

static void test_water_released_is_3_g_per_g_of_glycogen_used(void **state)
{
    (void)state;
    const run_spec run = {70, 60, 12, {{0, RF_POSTRUN, 0}}};
    const model_case cases[] = {
        {"3 g of water per g of glycogen used", run,
         {NEAR_T(M_WATER_RELEASED_G, X, 0, 1e-9, T(3.0, M_ENDOGENOUS_USED_G, X))}},
    };
    RUN_CASES(cases);
    /* both the glycogen used and the water per gram are uncertain: wider than either (ratios
     * of metrics, computed here) */
    double f[RF_COUNT];
    result r;
    build_run(&run, f);
    eval(f, &r);
    double rel = r.m[M_WATER_RELEASED_G].hi / r.m[M_WATER_RELEASED_G].x;
    assert_true(rel > r.m[M_ENDOGENOUS_USED_G].hi / r.m[M_ENDOGENOUS_USED_G].x);
    assert_true(rel > ph(P_GLYCOGEN_WATER_G_G) / pv(P_GLYCOGEN_WATER_G_G));
}

static void test_restore_time_is_fast_phase_then_slow_phase(void **state)
{
    (void)state;
    double fast = pv(P_RESYNTHESIS_FAST_G_KG_H), slow = pv(P_RESYNTHESIS_SLOW_G_KG_H);
    double fast_h = pv(P_RESYNTHESIS_FAST_H);
    assert_near(pr_model_restore_h(P, tri_const(2.6), 0).x, 2.6 / fast, 1e-9);
    assert_near(pr_model_restore_h(P, tri_const(10), 0).x, fast_h + (10 - fast_h * fast) / slow,
                1e-9);
    assert_near(pr_model_restore_h(P, tri_const(0), 0).x, 0, 1e-9);
    /* a full store (Sherman 1992: back within about 24 h) */
    assert_between(pr_model_restore_h(P, tri_const(17), 0).x, 20, 30);
    tri t = pr_model_restore_h(P, tri_make(8, 10, 12), 0);
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
    assert_near(pr_model_restore_h(P, tri_const(10), 1).x, fast_h + (10 - fast_h * fast) / slow,
                1e-9);
    const run_spec level = {70, 70, 15, {{0, RF_POSTRUN, 0}}};
    const model_case cases[] = {
        {"a marathon: still refilling after two days", {70, 200, 42.195, {{0, RF_POSTRUN, 0}}},
         {ABOVE(M_RESTORE_H, X, 48)}},
        {"a level 15 km: back within a day (Costill 1981)", level, {BELOW(M_RESTORE_H, X, 24)}},
    };
    RUN_CASES(cases);
    const comparison cmp[] = {
        {"800 m down (and up) over the same 15 km: more than 1.5 times as long", level,
         {70, 70, 15, {SET(RF_ELEVATION_LOSS_M, 800), SET(RF_ELEVATION_GAIN_M, 800)}},
         M_RESTORE_H, X, MORE, 1.5, 0},
    };
    RUN_COMPARISONS(cmp);
}

/* ---- fluid and heat ---- */

static void test_du_bois_area_of_70_kg_170_cm_runner_is_1_81_m2(void **state)
{
    (void)state;
    assert_near(pr_model_du_bois_m2(P, 70, tri_const(170)).x, 1.81, 0.005);
}

static void test_saturation_vapour_pressure_is_2_34_kpa_at_20c(void **state)
{
    (void)state;
    assert_near(pr_model_psat_kpa(P, tri_const(20)).x, 2.338, 0.002);
    assert_near(pr_model_psat_kpa(P, tri_const(0)).x, 0.6105, 1e-9);
}

static void test_hot_saturated_air_is_uncompensable_and_sweat_hits_the_ceiling(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"50 degrees C, saturated: the air takes up no sweat; sweating at the ceiling, said",
         SWEAT_RUN(50, 100),
         {IS(M_HEAT_UNCOMPENSABLE, 1), NEAR(M_SWEAT_RATE_L_H, X, pv(P_SWEAT_CEILING_L_H), 1e-9),
          ASSUMPTION(A_UNCOMPENSABLE, 0, pv(P_SWEAT_CEILING_L_H), 1e-9),
          NEAR(M_HEAT_MAX_EVAP_W, X, 0, 1e-9)}},
    };
    RUN_CASES(cases);
}

static void test_extreme_cold_keeps_sweat_at_its_floor(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"-40 degrees C: nothing to evaporate; sweat at its floor", SWEAT_RUN(-40, 50),
         {NEAR(M_SWEAT_RATE_L_H, X, pv(P_SWEAT_FLOOR_L_H), 1e-9),
          NEAR(M_HEAT_REQUIRED_EVAP_W, X, 0, 1e-9), IS(M_HEAT_UNCOMPENSABLE, 0)}},
    };
    RUN_CASES(cases);
}

static void test_sun_and_a_treadmill_without_fan_make_more_sweat(void **state)
{
    (void)state;
    const run_spec shade = {70, 60, 12, {{0, RF_POSTRUN, 0}}};
    const run_spec treadmill = {70, 60, 12, {SET(RF_SURFACE, SURFACE_TREADMILL)}};
    const comparison cmp[] = {
        {"full sun adds heat", shade, {70, 60, 12, {SET(RF_SUN, SUN_FULL)}}, M_SWEAT_LOSS_L, X,
         MORE, 1, 0},
        {"a treadmill has no headwind", shade, treadmill, M_SWEAT_LOSS_L, X, MORE, 1, 0},
    };
    RUN_COMPARISONS(cmp);
    const model_case cases[] = {
        {"and the treadmill's still air is said", treadmill, {ASSUMED(A_TREADMILL_AIR)}},
    };
    RUN_CASES(cases);
}

static void test_run_without_distance_cools_at_the_speed_its_intensity_implies(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"no distance: the speed at which ACSM gives steady's oxygen uptake, (0.70 x 50 - 3.5) "
         "/ 0.2 m/min, in km/h",
         {70, 60, NAN, {SET(RF_INTENSITY, INT_STEADY), SET(RF_VO2MAX_ML_KG_MIN, 50)}},
         {ASSUMPTION(A_SPEED_FROM_INTENSITY, 0, (0.7 * 50 - 3.5) / 0.2 * 0.06, 1e-9),
          UNKNOWN(M_SPEED_KM_H)}},
    };
    RUN_CASES(cases);
}

static void test_missing_height_uses_the_default_for_the_runners_sex(void **state)
{
    (void)state;
    const run_spec no_height = {70, 60, 12, {SET(RF_SEX, SEX_FEMALE)}};
    const run_spec height = {70, 60, 12, {SET(RF_SEX, SEX_FEMALE), SET(RF_HEIGHT_CM, 164)}};
    const model_case cases[] = {
        {"a woman without a height: the average woman's, said", no_height,
         {ASSUMPTION(A_HEIGHT_DEFAULT, 0, 164, 1e-9)}},
        {"with her height given, nothing assumed", height, {NOT_ASSUMED(A_HEIGHT_DEFAULT)}},
    };
    RUN_CASES(cases);
    const comparison cmp[] = {
        {"the same height gives the same sweat", no_height, height, M_SWEAT_LOSS_L, X, NEAR_K,
         1, 1e-12},
        {"a known height narrows the range", no_height, height, M_SWEAT_LOSS_L, WIDTH, LESS, 1,
         0},
    };
    RUN_COMPARISONS(cmp);
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
                     PR_FLUID_STATUS_WORDS[(int)r.m[M_FLUID_STATUS].x]);
    }
}

static void test_sodium_loss_uses_the_athletes_sweat_or_36_mmol_l(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"1 l of sweat at Baker 2016's median 36 mmol/l (22.99 mg/mmol), 300 mg taken; "
         "potassium 6 mmol/l (39.10 mg/mmol)",
         {70, 60, 10, {SET(RF_PRE_KG, 70), SET(RF_POST_KG, 69), SET(RF_SODIUM_MG, 300)}},
         {NEAR(M_SODIUM_LOSS_MG, X, 1.0 * 36 * 22.99, 1e-9),
          NEAR(M_SODIUM_NET_LOSS_MG, X, 36 * 22.99 - 300, 1e-9),
          NEAR(M_POTASSIUM_LOSS_MG, X, 1.0 * 6 * 39.10, 1e-9),
          ASSUMPTION(A_SWEAT_SODIUM_DEFAULT, 0, 36, 1e-9)}},
        {"the athlete's own 60 mmol/l: exact, nothing assumed",
         {70, 60, 10,
          {SET(RF_PRE_KG, 70), SET(RF_POST_KG, 69), SET(RF_SODIUM_MG, 300),
           SET(RF_SWEAT_SODIUM_MMOL_L, 60)}},
         {NEAR(M_SODIUM_LOSS_MG, X, 60 * 22.99, 1e-9),
          NEAR(M_SWEAT_SODIUM_MMOL_L, HI, 60, 1e-12), NOT_ASSUMED(A_SWEAT_SODIUM_DEFAULT)}},
    };
    RUN_CASES(cases);
}

static void test_drinking_more_than_sweat_gains_body_mass(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"2 l drunk in a cool hour: intake minus sweat and breath is a gain, overhydrated",
         {70, 60, 10, {SET(RF_TEMPERATURE_C, 10), SET(RF_FLUID_ML, 2000)}},
         {ABOVE(M_NET_BALANCE_L, X, 0),
          NEAR_TT(M_NET_BALANCE_L, X, 2.0, 1e-9, T(-1, M_SWEAT_LOSS_L, X),
                  T(-1, M_RESPIRATORY_LOSS_L, X)),
          IS(M_FLUID_STATUS, FS_OVERHYDRATED), ABOVE(M_BODY_MASS_CHANGE_PCT, LO, 0)}},
    };
    RUN_CASES(cases);
}

static void test_weigh_in_gain_means_no_sweat_loss_and_says_so(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"70 -> 70.8 kg with 0.3 l drunk: no sweat loss (not a negative one), said; the "
         "measured change stays",
         {70, 60, 10, {SET(RF_PRE_KG, 70), SET(RF_POST_KG, 70.8), SET(RF_FLUID_ML, 300)}},
         {NEAR(M_SWEAT_LOSS_L, X, 0, 1e-12), NEAR(M_SWEAT_LOSS_L, HI, 0, 1e-12),
          NEAR(M_BODY_MASS_CHANGE_KG, X, 0.8, 1e-9), IS(M_FLUID_STATUS, FS_OVERHYDRATED),
          ASSUMED(A_WEIGH_IN_GAIN)}},
    };
    RUN_CASES(cases);
}

/* ---- muscle water ---- */

static void test_muscles_lose_glycogen_water_and_their_share_of_the_deficit(void **state)
{
    (void)state;
    double muscle_kg = 70 * pv(P_MUSCLE_FRACTION_UNSPECIFIED);
    double share = muscle_kg * 0.75 / (70 * 0.60);
    assert_near(share, 0.256, 0.001);
    /* the cells lose more than their proportional share (Hackney 2012) */
    double factor = pv(P_MUSCLE_WATER_LOSS_FACTOR);
    assert_true(factor > 1);
    /* deficit = 2500 g lost - 4 g per g of glycogen used (its water and itself);
     * water = 3 used + factor share deficit; volume = -(water + used) / muscle */
    double fs = factor * share, per_pct = muscle_kg * 1000 / 100;
    const model_case cases[] = {
        {"70 -> 67.5 kg over 2 h: the muscles lose their glycogen's water and more than their "
         "share of the rest of the deficit",
         {70, 120, 24, {SET(RF_PRE_KG, 70), SET(RF_POST_KG, 67.5)}},
         {NEAR_TT(M_MUSCLE_WATER_LOSS_G, X, fs * 2500, 1e-6, T(3, M_MUSCLE_USED_G, X),
                  T(-4 * fs, M_ENDOGENOUS_USED_G, X)),
          NEAR_TT(M_MUSCLE_VOLUME_CHANGE_PCT, X, -fs * 2500 / per_pct, 1e-9,
                  T(-4 / per_pct, M_MUSCLE_USED_G, X),
                  T(4 * fs / per_pct, M_ENDOGENOUS_USED_G, X)),
          BELOW(M_MUSCLE_VOLUME_CHANGE_PCT, HI, 0)}},
    };
    RUN_CASES(cases);
}

static void test_muscles_keep_their_free_water_when_body_mass_is_kept(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"no body-mass change: only the glycogen's water",
         {70, 60, 10, {SET(RF_PRE_KG, 70), SET(RF_POST_KG, 70)}},
         {NEAR_T(M_MUSCLE_WATER_LOSS_G, X, 0, 1e-9, T(3, M_MUSCLE_USED_G, X))}},
    };
    RUN_CASES(cases);
}

/* ---- training context ---- */

static void test_acwr_and_week_increase_come_from_recent_weeks(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"52 km this week against a 40 km average",
         {70, 60, 10, {SET(RF_ACUTE_WEEK_KM, 52), SET(RF_CHRONIC_WEEK_KM, 40)}},
         {NEAR(M_ACWR, X, 1.3, 1e-12), NEAR(M_WEEK_INCREASE_PCT, X, 30, 1e-9)}},
    };
    RUN_CASES(cases);
}

static void test_acwr_is_unknown_without_recent_weeks(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"no recent weeks: unknown, nothing assumed", {70, 60, 10, {{0, RF_POSTRUN, 0}}},
         {UNKNOWN(M_ACWR), UNKNOWN(M_WEEK_INCREASE_PCT), NOT_ASSUMED(A_NO_CHRONIC_LOAD)}},
        {"a 4-week average of 0: unknown, and said",
         {70, 60, 10, {SET(RF_ACUTE_WEEK_KM, 20), SET(RF_CHRONIC_WEEK_KM, 0)}},
         {UNKNOWN(M_ACWR), ASSUMED(A_NO_CHRONIC_LOAD)}},
    };
    RUN_CASES(cases);
}

static void test_steep_descent_gives_high_doms_risk_to_novices_only(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"350 m down over 10 km, a novice",
         {70, 60, 10, {SET(RF_ELEVATION_LOSS_M, 350), SET(RF_TRAINING_STATUS, STATUS_NOVICE)}},
         {IS(M_DOMS_RISK, DOMS_HIGH), NEAR(M_ECCENTRIC_M_PER_KM, X, 35, 1e-12)}},
        {"the same, a trained runner",
         {70, 60, 10, {SET(RF_ELEVATION_LOSS_M, 350), SET(RF_TRAINING_STATUS, STATUS_TRAINED)}},
         {IS(M_DOMS_RISK, DOMS_MODERATE)}},
        {"a big jump in weekly load makes the descent new again",
         {70, 60, 10,
          {SET(RF_ELEVATION_LOSS_M, 350), SET(RF_TRAINING_STATUS, STATUS_TRAINED),
           SET(RF_ACUTE_WEEK_KM, 60), SET(RF_CHRONIC_WEEK_KM, 40)}},
         {IS(M_DOMS_RISK, DOMS_HIGH)}},
    };
    RUN_CASES(cases);
}

static void test_descent_per_km_alone_can_make_soreness_likely(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"160 m down over 5 km: under 300 m, but 32 m/km",
         {70, 30, 5, {SET(RF_ELEVATION_LOSS_M, 160), SET(RF_TRAINING_STATUS, STATUS_NOVICE)}},
         {IS(M_DOMS_RISK, DOMS_HIGH)}},
        {"80 m down: 16 m/km, over half the threshold",
         {70, 30, 5, {SET(RF_ELEVATION_LOSS_M, 80), SET(RF_TRAINING_STATUS, STATUS_NOVICE)}},
         {IS(M_DOMS_RISK, DOMS_MODERATE)}},
    };
    RUN_CASES(cases);
}

static void test_race_after_a_load_spike_gives_high_doms_risk(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"a 10 km race, trained",
         {70, 40, 10, {SET(RF_INTENSITY, INT_RACE), SET(RF_TRAINING_STATUS, STATUS_TRAINED)}},
         {IS(M_DOMS_RISK, DOMS_MODERATE)}},
        {"the same race after a 60 % jump in weekly load",
         {70, 40, 10,
          {SET(RF_INTENSITY, INT_RACE), SET(RF_TRAINING_STATUS, STATUS_TRAINED),
           SET(RF_ACUTE_WEEK_KM, 64), SET(RF_CHRONIC_WEEK_KM, 40)}},
         {IS(M_DOMS_RISK, DOMS_HIGH)}},
    };
    RUN_CASES(cases);
}

static void test_flat_easy_run_gives_low_doms_risk_in_a_24_to_72_h_window(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"7 km easy on the flat: low, usually worst 24 to 72 h after (Cheung 2003)",
         {70, 40, 7, {SET(RF_INTENSITY, INT_EASY)}},
         {IS(M_DOMS_RISK, DOMS_LOW), NEAR(M_DOMS_PEAK_H_LOW, X, 24, 0),
          NEAR(M_DOMS_PEAK_H_HIGH, X, 72, 0)}},
    };
    RUN_CASES(cases);
}

/* ---- run summary and edge cases ---- */

static void test_run_hours_speed_and_hours_since_are_filled(void **state)
{
    (void)state;
    const model_case cases[] = {
        {"15 km in 90 minutes, ended 3 h ago", {70, 90, 15, {SET(RF_ENDED_H_AGO, 3)}},
         {NEAR(M_HOURS, X, 1.5, 1e-12), NEAR(M_SPEED_KM_H, X, 10, 1e-12),
          NEAR(M_HOURS_SINCE_RUN, X, 3, 1e-12)}},
        {"ended_h_ago not given: the contract default, 0", {70, 90, 15, {{0, RF_POSTRUN, 0}}},
         {NEAR(M_HOURS_SINCE_RUN, X, 0, 0)}},
    };
    RUN_CASES(cases);
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
            fail_msg("%s differs", PR_METRICS[i].name);
    assert_true(zero.m[M_EXPENDITURE_KCAL].x > 0);
}

/* pr_model_evaluate() does not clear the table first: every metric must be written, for every
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
                fail_msg("%s is not written (run kind %d)", PR_METRICS[i].name, kind);
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
    const run_field_info *fi = &PR_RUN_FIELDS[id];
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
        const run_field_info *fi = &PR_RUN_FIELDS[i];
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
                     PR_METRICS[i].name, t.lo, t.x, t.hi, f[RF_BODY_MASS_KG], f[RF_DURATION_MIN],
                     f[RF_DISTANCE_KM], f[RF_TEMPERATURE_C], f[RF_RELATIVE_HUMIDITY_PCT]);
    }
    assert_true(r->as.n < PR_MAX_ASSUMPTIONS);
    /* an enumerated field's %0 prints as a word: v[0] must be one */
    for (size_t i = 0; i < r->as.n; i++) {
        const pr_assumption *a = &r->as.item[i];
        if (a->field >= 0 && PR_RUN_FIELDS[a->field].type == FT_ENUM &&
            strstr(pr_assumption_template((assumption_code)a->code), "%0")) {
            double v = a->v[0];
            if (!(v >= 0 && v < count_words(PR_RUN_FIELDS[a->field].words) && v == floor(v)))
                fail_msg("assumption %d on %s prints %g as a word", a->code,
                         PR_RUN_FIELDS[a->field].path, v);
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
        const run_field_info *fi = &PR_RUN_FIELDS[i];
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
            fail_msg("%s: %s [%g %g %g] -> [%g %g %g]", what, PR_METRICS[used[i]].name,
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
            pr_model_evaluate(&q, f, r.m, &r.as);
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
        print_message("# %-32s %5.1f %% of %zu draws inside\n", PR_METRICS[ADVICE_METRICS[j]].name,
                      100 * share, total[j]);
        if (share < 0.65 || share > 0.95)
            fail_msg("%s: %.1f %% of sampled outputs inside the interval",
                     PR_METRICS[ADVICE_METRICS[j]].name, 100 * share);
        all_in += inside[j];
        all += total[j];
    }
    assert_between((double)all_in / (double)all, 0.72, 0.88);
}

/* pr_model_evaluate_fast() leaves only the lazy metrics' intervals out, and
 * pr_model_complete_intervals() then gives exactly pr_model_evaluate()'s table. */
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
        pr_model_evaluate_fast(P, f, fast.m, &fast.as);
        assert_int_equal(fast.as.n, full.as.n);
        for (int i = 0; i < M_COUNT; i++) {
            tri a = full.m[i], b = fast.m[i];
            if (isnan(a.x)) {
                assert_true(isnan(b.x));
                continue;
            }
            assert_true(a.x == b.x);
            if (pr_model_metric_has_lazy_interval(i)) {
                assert_true(b.lo == b.x && b.hi == b.x);
                lazy_seen += a.lo < a.hi;
            } else {
                assert_true(a.lo == b.lo && a.hi == b.hi);
            }
        }
        pr_model_complete_intervals(P, f, fast.m);
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
        defaults += !isnan(PR_RUN_FIELDS[i].def);
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
            fail_msg("%s: %g outside [%g, %g]", PR_PARAM_NAMES[i], P->value[i], P->low[i],
                     P->high[i]);
    for (int k = 0; k < C_COUNT; k++)
        for (unsigned j = 1; j < P->curve[k].n; j++)
            assert_true(P->curve[k].x[j] > P->curve[k].x[j - 1]);
}

static void test_parameter_ids_are_unique_and_found_by_name(void **state)
{
    (void)state;
    for (int i = 0; i < P_COUNT; i++) {
        assert_int_equal(pr_param_index(PR_PARAM_NAMES[i]), i);
        assert_int_equal(pr_curve_index(PR_PARAM_NAMES[i]), -1);
    }
    for (int k = 0; k < C_COUNT; k++)
        assert_int_equal(pr_curve_index(PR_CURVE_NAMES[k]), k);
    assert_int_equal(pr_param_index("no_such_parameter"), -1);
    assert_int_equal(pr_param_index(NULL), -1);
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
        snprintf(needle, sizeof needle, "`%s`", PR_PARAM_NAMES[i]);
        if (!strstr(doc, needle))
            fail_msg("docs/model.md does not describe parameter %s", PR_PARAM_NAMES[i]);
    }
    for (int k = 0; k < C_COUNT; k++) {
        snprintf(needle, sizeof needle, "`%s`", PR_CURVE_NAMES[k]);
        if (!strstr(doc, needle))
            fail_msg("docs/model.md does not describe curve %s", PR_CURVE_NAMES[k]);
    }
}

static void test_every_assumption_has_a_template(void **state)
{
    (void)state;
    for (int i = 0; i < A_COUNT; i++) {
        const char *t = pr_assumption_template((assumption_code)i);
        assert_non_null(t);
        assert_true(strlen(t) > 10);
    }
    assert_null(pr_assumption_template(A_COUNT));
    assert_string_equal(pr_assumption_template(A_DEFAULT), "%f not given: assumed %0");
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
        cmocka_unit_test(test_carbohydrate_burned_includes_the_food_burned_in_place_of_fat),
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

