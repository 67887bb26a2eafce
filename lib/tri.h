/*
 * "tri" numbers: an expected value with a central probability interval around it, the
 * arithmetic every model output is computed in.
 *
 * `x` is the value the model gives with every parameter at its `value`; `lo` and `hi` are the
 * 10th and 90th percentiles of the output when every uncertain parameter is drawn from its
 * distribution (data/parameters.yaml gives each one's 10th and 90th percentiles as `low` and
 * `high`): [lo, hi] is a central 80 % interval (POSTRUN_INTERVAL_PROBABILITY). The spreads are
 * propagated with the operations, in one pass, without running the models more than once:
 *  - a monotone function of one quantity maps its percentiles to the result's percentiles
 *    exactly (scaling, exp, pow, curves, 1/b);
 *  - an operation on two uncertain quantities treats them as independent and combines, in
 *    quadrature, how far each alone moves the result towards each end (first-order,
 *    linearised propagation; exact for sums of independent normal quantities);
 *  - min and max take the ends' min and max (exact when one side is a plain number).
 * A quantity that appears twice in an expression counts as two independent ones, so the
 * models are written to use each uncertain quantity once where it matters (e.g. 1 - used/store
 * rather than (store - used)/store). tests/test_model.c compares these intervals with the
 * percentiles of seeded samples of the parameters.
 *
 * Inputs from the run report are degenerate (lo == x == hi). Nothing here allocates, and
 * everything is inline: pr_model_evaluate() is called up to a million times a second.
 *
 * Every operation keeps lo <= x <= hi. The operations that compute ends separately through
 * libm (exp and pow are not promised to be monotone) end with tri_fix().
 */
#ifndef POSTRUN_TRI_H
#define POSTRUN_TRI_H

#include <math.h>

/* The operations are a few instructions each and run in every model: inline them even where
 * a compiler's heuristics would not (clang leaves tri_mul and tri_div out of line). The
 * coverage build turns this off (POSTRUN_NO_FORCE_INLINE): gcov would count the branches of
 * every inlined copy at these lines, measuring the call sites instead of this code. */
#if defined(__GNUC__) && !defined(POSTRUN_NO_FORCE_INLINE)
#define TRI_INLINE static inline __attribute__((always_inline))
#else
#define TRI_INLINE static inline
#endif

typedef struct tri {
    double lo, x, hi;
} tri;

/*
 * Compiled with TRI_EXPECTED_ONLY defined (lib/model_expected.c), every operation computes
 * the expected value only and returns lo == x == hi: the same model code, without its
 * intervals, for the assessments that never read them (model.c).
 */
#ifdef TRI_EXPECTED_ONLY
#define TRI_X_ONLY 1
#else
#define TRI_X_ONLY 0
#endif

/* Plain comparisons rather than fmin/fmax, which are library calls unless the compiler may
 * ignore NaN. With a NaN argument the result is not fmin's, which the models never rely on. */
TRI_INLINE double tri_min2_(double a, double b)
{
    return b < a ? b : a;
}

TRI_INLINE double tri_max2_(double a, double b)
{
    return b > a ? b : a;
}

TRI_INLINE tri tri_make(double lo, double x, double hi)
{
    tri r = {lo, x, hi};
    return r;
}

TRI_INLINE tri tri_const(double v)
{
    return tri_make(v, v, v);
}

/* All three NaN: a metric with no value for this run. */
TRI_INLINE tri tri_nan(void)
{
    return tri_const(NAN);
}

TRI_INLINE int tri_is_const(tri a)
{
    return a.lo == a.hi;
}

/* Puts x back inside [lo, hi] after rounding (the bounds widen, x never moves). */
TRI_INLINE tri tri_fix(tri a)
{
    return tri_make(tri_min2_(a.lo, a.x), a.x, tri_max2_(a.hi, a.x));
}

/*
 * Combining the spreads of independent quantities. Each operand contributes how far the result
 * moves down and up when that operand alone goes to its 10th and 90th percentile (the others at
 * their expected values); the result's percentiles are the expected value minus / plus the
 * root sum of squares of those moves. For a sum of independent normal quantities this is
 * exact; for anything smooth it is the first-order (linearised) propagation of the spreads.
 */
TRI_INLINE double tri_rss_(double a, double b)
{
    return sqrt(a * a + b * b);
}

/* The result with expected value x, when operand a alone moves it to a1 or a2 and operand b
 * alone to b1 or b2 (in either order: the lower of each pair counts downwards). */
TRI_INLINE tri tri_combine2_(double x, double a1, double a2, double b1, double b2)
{
    double da = tri_min2_(tri_min2_(a1, a2) - x, 0), ua = tri_max2_(tri_max2_(a1, a2) - x, 0);
    double db = tri_min2_(tri_min2_(b1, b2) - x, 0), ub = tri_max2_(tri_max2_(b1, b2) - x, 0);
    return tri_make(x - tri_rss_(da, db), x, x + tri_rss_(ua, ub));
}

/* The same for a function of several uncertain quantities: start from the expected value,
 * add what each quantity alone at its 10th and 90th percentile gives, end. */
typedef struct tri_spread {
    double x, down2, up2;
} tri_spread;

TRI_INLINE tri_spread tri_spread_start(double x)
{
    tri_spread s = {x, 0, 0};
    return s;
}

TRI_INLINE void tri_spread_add(tri_spread *s, double v1, double v2)
{
    if (TRI_X_ONLY)
        return;
    double d = tri_min2_(tri_min2_(v1, v2) - s->x, 0), u = tri_max2_(tri_max2_(v1, v2) - s->x, 0);
    s->down2 += d * d;
    s->up2 += u * u;
}

TRI_INLINE tri tri_spread_end(tri_spread s)
{
    if (TRI_X_ONLY)
        return tri_const(s.x);
    return tri_make(s.x - sqrt(s.down2), s.x, s.x + sqrt(s.up2));
}

TRI_INLINE tri tri_add(tri a, tri b)
{
    if (TRI_X_ONLY)
        return tri_const(a.x + b.x);
    double x = a.x + b.x;
    if (tri_is_const(b))
        return tri_make(a.lo + b.x, x, a.hi + b.x);
    if (tri_is_const(a))
        return tri_make(a.x + b.lo, x, a.x + b.hi);
    return tri_make(x - tri_rss_(a.x - a.lo, b.x - b.lo), x, x + tri_rss_(a.hi - a.x, b.hi - b.x));
}

TRI_INLINE tri tri_sub(tri a, tri b)
{
    if (TRI_X_ONLY)
        return tri_const(a.x - b.x);
    double x = a.x - b.x;
    if (tri_is_const(b))
        return tri_make(a.lo - b.x, x, a.hi - b.x);
    if (tri_is_const(a))
        return tri_make(a.x - b.hi, x, a.x - b.lo);
    return tri_make(x - tri_rss_(a.x - a.lo, b.hi - b.x), x, x + tri_rss_(a.hi - a.x, b.x - b.lo));
}

TRI_INLINE tri tri_neg(tri a)
{
    return tri_make(-a.hi, -a.x, -a.lo);
}

/* Multiplication by a plain number (a unit conversion, an input). */
TRI_INLINE tri tri_scale(tri a, double k)
{
    if (TRI_X_ONLY)
        return tri_const(a.x * k);
    if (k >= 0)
        return tri_make(a.lo * k, a.x * k, a.hi * k);
    return tri_make(a.hi * k, a.x * k, a.lo * k);
}

TRI_INLINE double tri_min4_(double a, double b, double c, double d)
{
    return tri_min2_(tri_min2_(a, b), tri_min2_(c, d));
}

TRI_INLINE double tri_max4_(double a, double b, double c, double d)
{
    return tri_max2_(tri_max2_(a, b), tri_max2_(c, d));
}

TRI_INLINE tri tri_mul(tri a, tri b)
{
    if (TRI_X_ONLY)
        return tri_const(a.x * b.x);
    double x = a.x * b.x;
    if (tri_is_const(b))
        return tri_scale(a, b.x);
    if (tri_is_const(a))
        return tri_scale(b, a.x);
    if (a.lo >= 0 && b.lo >= 0) {
        /* The common case (masses, rates, fractions): each factor's move times the other's
         * value, in quadrature. The linearised spread ignores the product of the two moves;
         * far out it could cross the worst case (a negative product of two positive
         * quantities): never below the corner. */
        double da = b.x * (a.x - a.lo), db = a.x * (b.x - b.lo);
        double ua = b.x * (a.hi - a.x), ub = a.x * (b.hi - b.x);
        return tri_make(tri_max2_(x - tri_rss_(da, db), a.lo * b.lo), x, x + tri_rss_(ua, ub));
    }
    tri r = tri_combine2_(x, a.lo * b.x, a.hi * b.x, a.x * b.lo, a.x * b.hi);
    double p1 = a.lo * b.lo, p2 = a.lo * b.hi, p3 = a.hi * b.lo, p4 = a.hi * b.hi;
    r.lo = tri_max2_(r.lo, tri_min4_(p1, p2, p3, p4));
    r.hi = tri_min2_(r.hi, tri_max4_(p1, p2, p3, p4));
    return r;
}

/*
 * Division: a times 1/b, where 1/b's percentiles are exactly those of b turned round (a
 * monotone function maps percentiles to percentiles). The divisor's interval must not contain
 * 0 (the models divide only by masses, durations, stores and other positive quantities); if
 * it does, the bounds are infinite, which the tests would catch.
 */
TRI_INLINE tri tri_div(tri a, tri b)
{
    if (TRI_X_ONLY)
        return tri_const(a.x / b.x);
    if (b.lo <= 0 && b.hi >= 0)
        return tri_make(-INFINITY, a.x / b.x, INFINITY);
    /* x is always a.x / b.x, as the expected-only build computes it, to the last bit. */
    double x = a.x / b.x;
    if (tri_is_const(b))
        return b.x > 0 ? tri_make(a.lo / b.x, x, a.hi / b.x) : tri_make(a.hi / b.x, x, a.lo / b.x);
    if (a.lo >= 0 && b.lo > 0) {
        /* The common case: a alone moves x by its own moves over b; b alone to a/b.hi and
         * a/b.lo. */
        double lo_b = a.x / b.hi, hi_b = a.x / b.lo;
        return tri_make(x - tri_rss_((a.x - a.lo) / b.x, x - lo_b), x,
                        x + tri_rss_((a.hi - a.x) / b.x, hi_b - x));
    }
    tri r = tri_fix(tri_mul(a, tri_make(1 / b.hi, 1 / b.x, 1 / b.lo)));
    return tri_fix(tri_make(r.lo, x, r.hi));
}

TRI_INLINE tri tri_min(tri a, tri b)
{
    if (TRI_X_ONLY)
        return tri_const(tri_min2_(a.x, b.x));
    return tri_make(tri_min2_(a.lo, b.lo), tri_min2_(a.x, b.x), tri_min2_(a.hi, b.hi));
}

TRI_INLINE tri tri_max(tri a, tri b)
{
    if (TRI_X_ONLY)
        return tri_const(tri_max2_(a.x, b.x));
    return tri_make(tri_max2_(a.lo, b.lo), tri_max2_(a.x, b.x), tri_max2_(a.hi, b.hi));
}

TRI_INLINE tri tri_clamp(tri a, double lo, double hi)
{
    return tri_min(tri_max(a, tri_const(lo)), tri_const(hi));
}

/* Same with limits that are themselves uncertain (e.g. a parameter). */
TRI_INLINE tri tri_clamp_tri(tri a, tri lo, tri hi)
{
    return tri_min(tri_max(a, lo), hi);
}

TRI_INLINE tri tri_exp(tri a)
{
    if (TRI_X_ONLY)
        return tri_const(exp(a.x));
    if (tri_is_const(a))
        return tri_const(exp(a.x));
    return tri_fix(tri_make(exp(a.lo), exp(a.x), exp(a.hi)));
}

/* a^k for a positive base and a fixed exponent. */
TRI_INLINE tri tri_pow(tri a, double k)
{
    if (tri_is_const(a))
        return tri_const(pow(a.x, k));
    if (k >= 0)
        return tri_fix(tri_make(pow(a.lo, k), pow(a.x, k), pow(a.hi, k)));
    return tri_fix(tri_make(pow(a.hi, k), pow(a.x, k), pow(a.lo, k)));
}

/* a^k for a positive base and an uncertain exponent: the spreads of base and exponent
 * combined. */
TRI_INLINE tri tri_pow_tri(tri a, tri k)
{
    if (tri_is_const(k))
        return tri_pow(a, k.x);
    double x = pow(a.x, k.x);
    return tri_fix(tri_combine2_(x, pow(a.lo, k.x), pow(a.hi, k.x), pow(a.x, k.lo),
                                 pow(a.x, k.hi)));
}

/* An increasing function applied to each end (the tri of f(a)). */
TRI_INLINE tri tri_apply_inc(tri a, double (*f)(double))
{
    if (tri_is_const(a))
        return tri_const(f(a.x));
    return tri_fix(tri_make(f(a.lo), f(a.x), f(a.hi)));
}

/* A decreasing function applied to each end (the ends swap). */
TRI_INLINE tri tri_apply_dec(tri a, double (*f)(double))
{
    if (tri_is_const(a))
        return tri_const(f(a.x));
    return tri_fix(tri_make(f(a.hi), f(a.x), f(a.lo)));
}

/* Percentage of a fraction: a*100. */
TRI_INLINE tri tri_pct(tri a)
{
    return tri_scale(a, 100.0);
}

#endif
