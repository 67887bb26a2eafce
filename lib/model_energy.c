/*
 * Energy (model.md section 3): what the run cost, from distance and climbing when the
 * distance is known (the cost of running per kilometre hardly depends on speed), else from
 * intensity and time. Owns energy.expenditure_kcal and energy.metabolic_power_w, and the
 * Minetti cost curve the climbing costs come from.
 */
#include "model_internal.h"

double model_minetti_cr(const kb_params *p, double grade)
{
    /* The polynomial was fitted over -0.45..+0.45 and turns back beyond it. */
    double lim = p->value[P_MINETTI_GRADE_LIMIT];
    double i = grade > lim ? lim : grade < -lim ? -lim : grade;
    const double *v = p->value;
    return ((((v[P_MINETTI_C5] * i + v[P_MINETTI_C4]) * i + v[P_MINETTI_C3]) * i +
             v[P_MINETTI_C2]) * i + v[P_MINETTI_C1]) * i + v[P_MINETTI_C0];
}

void model_energy(model_ctx *c)
{
    tri e;
    if (!isnan(c->distance_km)) {
        tri c_flat = par(c, P_C_FLAT);
        tri per_kg = tri_sub(tri_add(tri_scale(c_flat, c->distance_km),
                                     tri_scale(par(c, P_C_UP), fld(c, RF_ELEVATION_GAIN_M))),
                             tri_scale(par(c, P_C_DOWN), fld(c, RF_ELEVATION_LOSS_M)));
        /* Steep descents save energy only up to a point: braking costs too. */
        tri floor_per_kg = tri_scale(tri_mul(par(c, P_ENERGY_FLOOR_FRACTION), c_flat),
                                     c->distance_km);
        e = tri_scale(tri_max(per_kg, floor_per_kg), c->mass_kg);
    } else {
        /* Oxygen used (l) times its energy equivalent. */
        tri o2_l = tri_scale(tri_mul(c->u, c->vo2max), c->mass_kg * c->minutes / ML_PER_L);
        e = tri_mul(o2_l, par(c, P_KCAL_PER_L_O2));
    }
    c->energy_kcal = e;
    c->power_w = tri_scale(e, J_PER_KCAL / (c->minutes * S_PER_MIN));

    c->m[M_EXPENDITURE_KCAL] = c->energy_kcal;
    c->m[M_METABOLIC_POWER_W] = c->power_w;
}
