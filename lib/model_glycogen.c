/*
 * Glycogen balance (model.md section 4): how much of the energy came from carbohydrate, how
 * much of that the food taken during the run covered, what the leg muscles and the liver gave
 * up, what is left, the water that was bound to it and how long restoring it takes. Owns the
 * energy.carbohydrate_fraction and glycogen.* metrics.
 */
#include "model_impl.h"

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

tri pr_model_restore_h(const kb_params *p, tri used_g_per_kg, int damaged)
{
    tri fast = param_tri(p, P_RESYNTHESIS_FAST_G_KG_H);
    tri fast_h = param_tri(p, P_RESYNTHESIS_FAST_H);
    tri slow = param_tri(p, P_RESYNTHESIS_SLOW_G_KG_H);
    if (damaged) {
        /* Damaged fibres take glucose up and rebuild glycogen more slowly: both phases. */
        tri k = param_tri(p, P_RESYNTHESIS_DAMAGE_FACTOR);
        fast = tri_mul(fast, k);
        slow = tri_mul(slow, k);
    }
    double u = used_g_per_kg.x;
    tri_spread s = tri_spread_start(restore_h(u, fast.x, fast_h.x, slow.x));
    tri_spread_add(&s, restore_h(used_g_per_kg.lo, fast.x, fast_h.x, slow.x),
                   restore_h(used_g_per_kg.hi, fast.x, fast_h.x, slow.x));
    tri_spread_add(&s, restore_h(u, fast.lo, fast_h.x, slow.x),
                   restore_h(u, fast.hi, fast_h.x, slow.x));
    tri_spread_add(&s, restore_h(u, fast.x, fast_h.lo, slow.x),
                   restore_h(u, fast.x, fast_h.hi, slow.x));
    tri_spread_add(&s, restore_h(u, fast.x, fast_h.x, slow.lo),
                   restore_h(u, fast.x, fast_h.x, slow.hi));
    return tri_max(tri_fix(tri_spread_end(s)), tri_const(0));
}

#ifndef TRI_EXPECTED_ONLY /* once, in the full model */
double pr_model_refilled_g_per_kg(const kb_params *p, double hours, int damaged)
{
    /* restore_h() turned around: the fast rate for its first hours, then the slow one. */
    double fast = p->value[P_RESYNTHESIS_FAST_G_KG_H], fast_h = p->value[P_RESYNTHESIS_FAST_H];
    double slow = p->value[P_RESYNTHESIS_SLOW_G_KG_H];
    if (damaged) {
        fast *= p->value[P_RESYNTHESIS_DAMAGE_FACTOR];
        slow *= p->value[P_RESYNTHESIS_DAMAGE_FACTOR];
    }
    if (!(hours > 0))
        return 0;
    return hours <= fast_h ? fast * hours : fast * fast_h + slow * (hours - fast_h);
}
#endif

/* Whether the run damaged the working muscles enough to slow glycogen resynthesis: a long
 * descent (the DOMS thresholds of pr_model_load) or a marathon-like distance (Asp 1997/1998). */
static int muscle_damaged(const model_ctx *c)
{
    return model_muscle_damaged(c->p, c->f);
}


void pr_model_glycogen(model_ctx *c)
{
    /* Share of energy from carbohydrate at the run's intensity (shifted by training status
     * at low intensities only, where trained runners burn more fat), plus the spread between
     * people at the same intensity. */
    tri shifted = tri_add(c->u, par(c, CHO_SHIFT_BY_STATUS[c->status]));
    tri fraction = tri_clamp(tri_add(curve_tri(&c->p->curve[C_CHO_FRACTION], shifted),
                                     par(c, P_CHO_FRACTION_SPREAD)),
                             0, 1);
    tri cho_g = tri_div(tri_mul(c->energy_kcal, fraction), par(c, P_KCAL_PER_G_CHO));

    /* Food eaten during the run is oxidised no faster than the gut absorbs it, and never
     * beyond the carbohydrate burned. */
    double intake_g = fld(c, RF_CARBOHYDRATE_G);
    tri absorbable = tri_min(tri_const(intake_g),
                             tri_scale(par(c, P_EXOGENOUS_MAX_G_H), c->hours));
    tri exogenous = tri_min(absorbable, cho_g);
    if (intake_g > 0 && exogenous.x < intake_g - 0.5)
        assume(c->as, A_EXOGENOUS_LIMITED, RF_CARBOHYDRATE_G, exogenous.x, intake_g);

    /* Blood glucose (the liver's share) and muscle glycogen split the carbohydrate burned.
     * Glucose from the gut replaces the liver's output first (Jeukendrup 1999: enough of it
     * stops the liver's output); only a part of what is left over spares muscle glycogen
     * (Tsintzas 1995; none in Jeukendrup's cyclists). */
    tri liver_share = par(c, P_LIVER_SHARE);
    tri liver_need = tri_mul(cho_g, liver_share);
    tri liver_demand = tri_max(tri_sub(liver_need, absorbable), tri_const(0));
    tri beyond_liver = tri_max(tri_sub(absorbable, liver_need), tri_const(0));
    tri muscle_demand = tri_max(tri_sub(tri_mul(cho_g, tri_sub(tri_const(1), liver_share)),
                                        tri_mul(beyond_liver, par(c, P_EXOGENOUS_MUSCLE_SPARING))),
                                tri_const(0));

    static const param_id FRACTION_BY_SEX[] = {P_MUSCLE_FRACTION_FEMALE,
                                               P_MUSCLE_FRACTION_MALE};
    param_id fraction_id = c->sex < 0 ? P_MUSCLE_FRACTION_UNSPECIFIED : FRACTION_BY_SEX[c->sex];
    c->muscle_kg = tri_scale(par(c, fraction_id), c->mass_kg);
    tri density = par(c, DENSITY_BY_STATUS[c->status]);
    tri muscle_store = tri_mul(c->muscle_kg, density);
    if (c->hist && !isnan(c->hist->muscle_start.x)) /* what earlier runs left (history) */
        muscle_store = tri_mul(muscle_store, c->hist->muscle_start);
    tri liver_store = tri_scale(par(c, P_LIVER_GLYCOGEN_G_KG), c->mass_kg);
    if (fld(c, RF_FASTED) > 0)
        liver_store = tri_mul(liver_store, par(c, P_LIVER_FASTED_FACTOR));

    /* Muscle glycogen is used in proportion to what is left (first order): fast while the
     * store is full, slower as it empties, as blood glucose and fat take over; so a store is
     * never quite emptied and a marathon leaves some in most muscles (Asp 1999). Per kg of
     * muscle: used = density x (1 - exp(-demand / store)). */
    tri depletion = tri_div(muscle_demand, muscle_store);
    tri left = tri_exp(tri_neg(depletion));
    tri used_fraction = tri_sub(tri_const(1), left);
    tri muscle_used = tri_mul(muscle_store, used_fraction);
    tri liver_used = tri_min(liver_demand, liver_store);

    /* What the run would have needed beyond all the carbohydrate it had (both stores and
     * what the gut supplied) is the shortfall, and a runner who met it would have slowed down
     * (Rapoport 2010). As muscle glycogen runs low, blood glucose takes over more of the
     * work, so food counts here even though it spares little muscle glycogen (Coyle 1983:
     * feeding delays fatigue). */
    tri shortfall = tri_max(
        tri_sub(tri_sub(cho_g, exogenous), tri_add(muscle_store, liver_store)), tri_const(0));
    int wall = shortfall.x > 0;
    if (wall)
        assume(c->as, A_GLYCOGEN_SHORTFALL, -1, shortfall.x, NAN);

    c->muscle_used_g = muscle_used;
    c->glycogen_used_g = tri_add(muscle_used, liver_used);
    c->water_released_g = tri_mul(c->glycogen_used_g, par(c, P_GLYCOGEN_WATER_G_G));
    c->muscle_used_g_per_kg = tri_mul(density, used_fraction);

    /* Of the food beyond the liver's part, what does not spare muscle glycogen is burned in
     * place of fat (Jeukendrup 1999: glucose taken during exercise lowered fat oxidation, not
     * muscle glycogen oxidation), so a fed run burns more carbohydrate, and a larger share of
     * its energy comes from it, than the intensity alone gives: the carbohydrate burned is
     * never less than what came from food and from glycogen together. */
    tri burned = cho_g, burned_fraction = fraction;
    if (intake_g > 0) {
        tri on_top = tri_mul(beyond_liver,
                             tri_sub(tri_const(1), par(c, P_EXOGENOUS_MUSCLE_SPARING)));
        tri kcal_per_g = par(c, P_KCAL_PER_G_CHO);
        burned = tri_min(tri_add(cho_g, on_top), tri_div(c->energy_kcal, kcal_per_g));
        burned_fraction = tri_clamp(
            tri_add(fraction, tri_div(tri_mul(on_top, kcal_per_g), c->energy_kcal)), 0, 1);
    }

    tri *m = c->m;
    m[M_CARBOHYDRATE_FRACTION] = burned_fraction;
    m[M_CHO_OXIDISED_G] = burned;
    m[M_EXOGENOUS_OXIDISED_G] = exogenous;
    m[M_ENDOGENOUS_USED_G] = c->glycogen_used_g;
    m[M_MUSCLE_USED_G] = muscle_used;
    m[M_LIVER_USED_G] = liver_used;
    m[M_MUSCLE_STORE_BEFORE_G] = muscle_store;
    m[M_LIVER_STORE_BEFORE_G] = liver_store;
    m[M_MUSCLE_REMAINING_PCT] = tri_pct(left);
    m[M_LIVER_REMAINING_PCT] =
        tri_pct(tri_max(tri_sub(tri_const(1), tri_div(liver_demand, liver_store)), tri_const(0)));
    m[M_SHORTFALL_G] = shortfall;
    m[M_WALL_RISK] = tri_const(wall);
    m[M_WATER_RELEASED_G] = c->water_released_g;
    m[M_RESTORE_H] = pr_model_restore_h(c->p, c->muscle_used_g_per_kg, muscle_damaged(c));
}
