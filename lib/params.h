/*
 * The physiology models' parameters as the models read them: a flat array of value/low/high
 * per parameter and a few piecewise-linear curves, indexed by the ids of params.def. The
 * knowledge-base compiler fills a kb_params once (looking each name of PR_PARAM_NAMES and
 * PR_CURVE_NAMES up among the YAML `parameters`); the models only read it.
 */
#ifndef POSTRUN_PARAMS_H
#define POSTRUN_PARAMS_H

#include "tri.h"

typedef enum param_id {
#define PARAM(id, name) id,
#include "params.def"
    P_COUNT
} param_id;

typedef enum curve_id {
#define CURVE(id, name) id,
#include "params.def"
    C_COUNT
} curve_id;

/* Most points a curve may have (docs/knowledge-base.md: 2..16). */
#define KB_CURVE_MAX_POINTS 16

/* A piecewise-linear curve through (x[i], y[i]), x strictly increasing, flat beyond the ends. */
typedef struct kb_curve {
    unsigned n;
    double x[KB_CURVE_MAX_POINTS], y[KB_CURVE_MAX_POINTS];
} kb_curve;

/*
 * Quantities that depend on parameters only and cost a transcendental function each, computed
 * once by pr_params_derive() so that pr_model_evaluate() need not (it is called up to a million
 * times a second). `key` holds the parameter values they came from: the models use the cache
 * only while those still match, so a kb_params changed (or never derived) after the fact is
 * still evaluated correctly, only more slowly.
 */
#define KB_DERIVED_KEY 13
typedef struct kb_derived {
    double key[KB_DERIVED_KEY];
    tri height_term[3]; /* default height ^ Du Bois height exponent: female, male, unspecified */
} kb_derived;

/* The shape of a parameter's distribution between and beyond its 10th and 90th percentiles
 * (`low`, `high`). The propagation uses only the percentiles; the shape says how to draw the
 * parameter (the tests compare the propagated intervals with seeded samples). */
enum { PARAM_DIST_NORMAL, PARAM_DIST_LOGNORMAL, PARAM_DIST_UNIFORM };

typedef struct kb_params {
    double value[P_COUNT], low[P_COUNT], high[P_COUNT]; /* low/high: 10th, 90th percentiles */
    unsigned char dist[P_COUNT];                         /* PARAM_DIST_* */
    kb_curve curve[C_COUNT];
    kb_derived derived; /* pr_params_derive() */
} kb_params;

/* Fills p->derived. Call once after the last change to values, ranges and curves. */
void pr_params_derive(kb_params *p);

/* Whether p->derived matches the parameters (pr_model_evaluate() checks it on each call). */
int pr_params_derived_ok(const kb_params *p);

/* YAML ids, indexed by param_id / curve_id. */
extern const char *const PR_PARAM_NAMES[P_COUNT];
extern const char *const PR_CURVE_NAMES[C_COUNT];

/* Index of a parameter / curve by YAML id; -1 when the models do not use that id. */
int pr_param_index(const char *name);
int pr_curve_index(const char *name);

/* A parameter as a tri: its value and its range. */
static inline tri param_tri(const kb_params *p, param_id id)
{
    if (TRI_X_ONLY)
        return tri_const(p->value[id]);
    return tri_make(p->low[id], p->value[id], p->high[id]);
}

/* The curve at x: linear between points, the end value beyond the ends. NaN for no points. */
static inline double curve_eval(const kb_curve *c, double x)
{
    if (c->n == 0 || isnan(x))
        return NAN;
    if (x <= c->x[0])
        return c->y[0];
    unsigned i = 1;
    while (i < c->n && x > c->x[i])
        i++;
    if (i == c->n)
        return c->y[c->n - 1];
    double t = (x - c->x[i - 1]) / (c->x[i] - c->x[i - 1]);
    return c->y[i - 1] + t * (c->y[i] - c->y[i - 1]);
}

/*
 * The curve over a tri: x at the argument's x, and the least and greatest value over
 * [lo, hi]. A piecewise-linear curve takes its extremes at the interval's ends or at a point
 * inside it, so this is exact for any curve (an overlay need not keep it monotone).
 */
static inline tri curve_tri(const kb_curve *c, tri a)
{
    double x = curve_eval(c, a.x);
    if (TRI_X_ONLY || a.lo == a.hi)
        return tri_const(x);
    double lo = curve_eval(c, a.lo), hi = curve_eval(c, a.hi);
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    for (unsigned i = 0; i < c->n; i++)
        if (c->x[i] > a.lo && c->x[i] < a.hi) {
            if (c->y[i] < lo)
                lo = c->y[i];
            if (c->y[i] > hi)
                hi = c->y[i];
        }
    return tri_fix(tri_make(lo, x, hi));
}

#endif
