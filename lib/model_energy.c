/*
 * Energy (model.md section 3): what the run cost, from distance and climbing when the
 * distance is known (the cost of running per kilometre hardly depends on speed), else from
 * intensity and time. Owns energy.expenditure_kcal and energy.metabolic_power_w, and the
 * Minetti cost curve the climbing costs come from.
 */
#include "model_impl.h"

double pr_model_minetti_cr(const kb_params *p, double grade)
{
    /* The polynomial was fitted over -0.45..+0.45 and turns back beyond it. */
    double lim = p->value[P_MINETTI_GRADE_LIMIT];
    double i = grade > lim ? lim : grade < -lim ? -lim : grade;
    const double *v = p->value;
    return ((((v[P_MINETTI_C5] * i + v[P_MINETTI_C4]) * i + v[P_MINETTI_C3]) * i +
             v[P_MINETTI_C2]) * i + v[P_MINETTI_C1]) * i + v[P_MINETTI_C0];
}

/*
 * The cost of the route relative to the same distance on the flat. The report gives only the
 * totals climbed and descended, so the route is taken as climbing and descending at one mean
 * steepness, (gain + loss) / distance, over the shares of the distance that the gain and the
 * loss take up (a loop with 200 m up and 200 m down over 10 km: half at +4 %, half at -4 %).
 * Each part costs Minetti's Cr at its grade, not a straight line through Cr's slope at +-5 %:
 * the cost rises again on steep descents (braking) and faster on steep climbs.
 */
static double route_cost_ratio(const kb_params *p, double distance_m, double gain_m,
                               double loss_m)
{
    double climb = (gain_m > 0 ? gain_m : 0) + (loss_m > 0 ? loss_m : 0);
    if (!(climb > 0))
        return 1;
    double grade = climb / distance_m;
    double up = gain_m > 0 ? gain_m / climb : 0;
    return (up * pr_model_minetti_cr(p, grade) + (1 - up) * pr_model_minetti_cr(p, -grade)) /
           pr_model_minetti_cr(p, 0);
}

void pr_model_energy(model_ctx *c)
{
    tri e;
    if (!isnan(c->distance_km)) {
        double ratio = route_cost_ratio(c->p, c->distance_km * M_PER_KM,
                                        fld(c, RF_ELEVATION_GAIN_M), fld(c, RF_ELEVATION_LOSS_M));
        e = tri_scale(par(c, P_C_FLAT), c->distance_km * c->mass_kg * ratio);
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
