/*
 * "tri" numbers: an expected value with an interval around it, the arithmetic every model
 * output is computed in.
 *
 * `x` is the value the model gives with every parameter at its `value`; [`lo`, `hi`] bounds
 * what it gives with every parameter anywhere in its [`low`, `high`] range. This is how
 * model.md's "low/high run the same equations with the parameters at the ends of their ranges,
 * in the direction that lowers/raises the output" is implemented without running the models
 * three times or tracking each parameter's direction by hand: every operation below is
 * interval arithmetic on [lo, hi] and plain arithmetic on x. The model's functions are
 * monotone in each argument, so the bounds are valid; where a quantity appears twice in an
 * expression they may be wider than the exact range (the models are written to avoid that
 * where it matters, e.g. 1 - used/store rather than (store - used)/store).
 *
 * Inputs from the run report are degenerate (lo == x == hi). Nothing here allocates, and
 * everything is inline: model_evaluate() is called up to a million times a second.
 *
 * Every operation keeps lo <= x <= hi. IEEE rounding is monotone, so + - * / min and max on
 * ordered inputs stay ordered exactly; libm's exp and pow are not promised to be monotone, so
 * the operations using them (and any code computing the ends separately) end with tri_fix().
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

TRI_INLINE tri tri_add(tri a, tri b)
{
    return tri_make(a.lo + b.lo, a.x + b.x, a.hi + b.hi);
}

TRI_INLINE tri tri_sub(tri a, tri b)
{
    return tri_make(a.lo - b.hi, a.x - b.x, a.hi - b.lo);
}

TRI_INLINE tri tri_neg(tri a)
{
    return tri_make(-a.hi, -a.x, -a.lo);
}

/* Multiplication by a plain number (a unit conversion, an input). */
TRI_INLINE tri tri_scale(tri a, double k)
{
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
    /* The common case (both non-negative: masses, rates, fractions) needs no corners. */
    if (a.lo >= 0 && b.lo >= 0)
        return tri_make(a.lo * b.lo, a.x * b.x, a.hi * b.hi);
    double p1 = a.lo * b.lo, p2 = a.lo * b.hi, p3 = a.hi * b.lo, p4 = a.hi * b.hi;
    return tri_make(tri_min4_(p1, p2, p3, p4), a.x * b.x, tri_max4_(p1, p2, p3, p4));
}

/*
 * Division. The divisor's interval must not contain 0 (the models divide only by masses,
 * durations, stores and other positive quantities); if it does, the bounds are infinite,
 * which is the honest interval answer and which the tests would catch.
 */
TRI_INLINE tri tri_div(tri a, tri b)
{
    if (b.lo <= 0 && b.hi >= 0)
        return tri_make(-INFINITY, a.x / b.x, INFINITY);
    if (a.lo >= 0 && b.lo > 0)
        return tri_make(a.lo / b.hi, a.x / b.x, a.hi / b.lo);
    double q1 = a.lo / b.lo, q2 = a.lo / b.hi, q3 = a.hi / b.lo, q4 = a.hi / b.hi;
    return tri_make(tri_min4_(q1, q2, q3, q4), a.x / b.x, tri_max4_(q1, q2, q3, q4));
}

TRI_INLINE tri tri_min(tri a, tri b)
{
    return tri_make(tri_min2_(a.lo, b.lo), tri_min2_(a.x, b.x), tri_min2_(a.hi, b.hi));
}

TRI_INLINE tri tri_max(tri a, tri b)
{
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

/*
 * a^k for a positive base and an uncertain exponent. For a fixed base the power is monotone
 * in k and for a fixed k monotone in the base, so the extremes sit at the four corners.
 */
TRI_INLINE tri tri_pow_tri(tri a, tri k)
{
    if (tri_is_const(k))
        return tri_pow(a, k.x);
    double p1 = pow(a.lo, k.lo), p2 = pow(a.lo, k.hi), p3 = pow(a.hi, k.lo),
           p4 = pow(a.hi, k.hi);
    return tri_fix(tri_make(tri_min4_(p1, p2, p3, p4), pow(a.x, k.x), tri_max4_(p1, p2, p3, p4)));
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
