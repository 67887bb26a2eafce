/*
 * Glycogen balance (model.md section 4): how much of the energy came from carbohydrate, how
 * much of that the food taken during the run covered, what the leg muscles and the liver gave
 * up, what is left, the water that was bound to it and how long restoring it takes. Owns the
 * energy.carbohydrate_fraction and glycogen.* metrics.
 */
#include "model_internal.h"

static const param_id CHO_SHIFT_BY_STATUS[] = {P_CHO_SHIFT_NOVICE, P_CHO_SHIFT_RECREATIONAL,
                                               P_CHO_SHIFT_TRAINED, P_CHO_SHIFT_ELITE};

static const param_id DENSITY_BY_STATUS[] = {P_GLYCOGEN_DENSITY_NOVICE,
                                             P_GLYCOGEN_DENSITY_RECREATIONAL,
                                             P_GLYCOGEN_DENSITY_TRAINED, P_GLYCOGEN_DENSITY_ELITE};

/* The piecewise restore time for one set of rates (increasing in `used`, decreasing in each
 * rate and in the fast phase's length, since the fast rate is the higher one). */
static double restore_h(double used, double fast, double fast_h, double slow)
{
    double fast_phase = fast * fast_h;
    if (used <= fast_phase)
        return used / fast;
    return fast_h + (used - fast_phase) / slow;
}

tri model_restore_h(const kb_params *p, tri used_g_per_kg)
{
    tri fast = param_tri(p, P_RESYNTHESIS_FAST_G_KG_H);
    tri fast_h = param_tri(p, P_RESYNTHESIS_FAST_H);
    tri slow = param_tri(p, P_RESYNTHESIS_SLOW_G_KG_H);
    return tri_fix(tri_make(restore_h(used_g_per_kg.lo, fast.hi, fast_h.hi, slow.hi),
                            restore_h(used_g_per_kg.x, fast.x, fast_h.x, slow.x),
                            restore_h(used_g_per_kg.hi, fast.lo, fast_h.lo, slow.lo)));
}

/* What is left of a store, in %, written as 1 - used/store so that the store's range counts
 * once. */
static tri remaining_pct(tri used, tri store)
{
    return tri_pct(tri_max(tri_sub(tri_const(1), tri_div(used, store)), tri_const(0)));
}

void model_glycogen(model_ctx *c)
{
    /* Trained runners burn more fat at the same relative intensity: shift u before the
     * lookup (model.md). */
    tri shifted = tri_add(c->u, par(c, CHO_SHIFT_BY_STATUS[c->status]));
    tri fraction = tri_clamp(curve_tri(&c->p->curve[C_CHO_FRACTION], shifted), 0, 1);
    tri cho_g = tri_div(tri_mul(c->energy_kcal, fraction), par(c, P_KCAL_PER_G_CHO));

    /* Food eaten during the run is oxidised no faster than the gut absorbs it, and never
     * beyond the carbohydrate burned. */
    double intake_g = fld(c, RF_CARBOHYDRATE_G);
    tri absorbable = tri_min(tri_const(intake_g),
                             tri_scale(par(c, P_EXOGENOUS_MAX_G_H), c->hours));
    tri exogenous = tri_min(absorbable, cho_g);
    if (intake_g > 0 && exogenous.x < intake_g - 0.5)
        assume(c->as, A_EXOGENOUS_LIMITED, RF_CARBOHYDRATE_G, exogenous.x, intake_g);

    /* Demand on the stores, written against `absorbable` so that cho_g counts once. */
    tri demand = tri_max(tri_sub(cho_g, absorbable), tri_const(0));
    tri liver_share = par(c, P_LIVER_SHARE);
    tri muscle_demand = tri_mul(demand, tri_sub(tri_const(1), liver_share));
    tri liver_demand = tri_mul(demand, liver_share);

    static const param_id FRACTION_BY_SEX[] = {P_MUSCLE_FRACTION_FEMALE,
                                               P_MUSCLE_FRACTION_MALE};
    param_id fraction_id = c->sex < 0 ? P_MUSCLE_FRACTION_UNSPECIFIED : FRACTION_BY_SEX[c->sex];
    c->muscle_kg = tri_scale(par(c, fraction_id), c->mass_kg);
    tri density = par(c, DENSITY_BY_STATUS[c->status]);
    tri muscle_store = tri_mul(c->muscle_kg, density);
    tri liver_store = tri_scale(par(c, P_LIVER_GLYCOGEN_G_KG), c->mass_kg);
    if (fld(c, RF_FASTED) > 0)
        liver_store = tri_mul(liver_store, par(c, P_LIVER_FASTED_FACTOR));

    /* A store cannot give more than it holds: what the run would have needed beyond it is the
     * shortfall, and a runner who met it would have slowed down (Rapoport 2010). */
    tri muscle_used = tri_min(muscle_demand, muscle_store);
    tri liver_used = tri_min(liver_demand, liver_store);
    tri shortfall = tri_add(tri_max(tri_sub(muscle_demand, muscle_store), tri_const(0)),
                            tri_max(tri_sub(liver_demand, liver_store), tri_const(0)));
    int wall = shortfall.x > 0;
    if (wall)
        assume(c->as, A_GLYCOGEN_SHORTFALL, -1, shortfall.x, NAN);

    c->muscle_used_g = muscle_used;
    c->glycogen_used_g = tri_add(muscle_used, liver_used);
    c->water_released_g = tri_mul(c->glycogen_used_g, par(c, P_GLYCOGEN_WATER_G_G));

    /* Per kg of muscle, used/muscle = min(demand/muscle, density): again each range once. */
    c->muscle_used_g_per_kg = tri_min(tri_div(muscle_demand, c->muscle_kg), density);

    tri *m = c->m;
    m[M_CARBOHYDRATE_FRACTION] = fraction;
    m[M_CHO_OXIDISED_G] = cho_g;
    m[M_EXOGENOUS_OXIDISED_G] = exogenous;
    m[M_ENDOGENOUS_USED_G] = c->glycogen_used_g;
    m[M_MUSCLE_USED_G] = muscle_used;
    m[M_LIVER_USED_G] = liver_used;
    m[M_MUSCLE_STORE_BEFORE_G] = muscle_store;
    m[M_LIVER_STORE_BEFORE_G] = liver_store;
    m[M_MUSCLE_REMAINING_PCT] = remaining_pct(muscle_demand, muscle_store);
    m[M_LIVER_REMAINING_PCT] = remaining_pct(liver_demand, liver_store);
    m[M_SHORTFALL_G] = shortfall;
    m[M_WALL_RISK] = tri_const(wall);
    m[M_WATER_RELEASED_G] = c->water_released_g;
    m[M_RESTORE_H] = model_restore_h(c->p, c->muscle_used_g_per_kg);
}
