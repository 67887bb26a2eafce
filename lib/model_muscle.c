/*
 * The water the working muscles lost (docs/model.md section 5), from the glycogen they burned
 * and their share of the body's water deficit. Owns the muscle.* metrics.
 */
#include "model_impl.h"

/*
 * The working muscles' water: the water that was bound to their glycogen, plus their share of
 * the body's free-water deficit. The deficit is the mass lost beyond the glycogen burned and
 * its bound water (which left without drawing on the body-water compartments), and the legs
 * lose their share of it in proportion to the water they hold: leg muscle mass times muscle
 * water content over total body water (about 0.26, whatever the body mass), times a loss
 * factor above 1 (cell water is lost more than in proportion). Volume follows mass
 * (muscle density is close to 1.06 kg/l), counting the glycogen itself as well. The volume
 * change is written per kg of muscle so that the muscle mass's range counts once:
 *   change = -(used/kg x (1 + water/g) + water fraction x deficit / body water).
 */
void pr_model_muscle(model_ctx *c)
{
    tri lost_g = tri_scale(c->m[M_BODY_MASS_CHANGE_KG], -G_PER_KG);
    tri deficit_g = tri_max(
        tri_sub(lost_g, tri_add(c->glycogen_used_g, c->water_released_g)), tri_const(0));
    tri body_water_g = tri_scale(par(c, P_BODY_WATER_FRACTION), c->mass_kg * G_PER_KG);
    /* Cells give up more than their proportional share of a water deficit (the extracellular
     * space is defended): the loss factor scales the proportional share. */
    tri water_fraction = tri_mul(par(c, P_MUSCLE_WATER_FRACTION),
                                 par(c, P_MUSCLE_WATER_LOSS_FACTOR));
    tri water_per_glycogen = par(c, P_GLYCOGEN_WATER_G_G);

    tri share = tri_div(tri_mul(tri_scale(c->muscle_kg, G_PER_KG), water_fraction),
                        body_water_g);
    tri water_g = tri_add(tri_mul(c->muscle_used_g, water_per_glycogen),
                          tri_mul(share, deficit_g));

    tri glycogen_part = tri_scale(
        tri_mul(c->muscle_used_g_per_kg, tri_add(tri_const(1), water_per_glycogen)),
        1.0 / G_PER_KG);
    tri deficit_part = tri_div(tri_mul(water_fraction, deficit_g), body_water_g);

    c->m[M_MUSCLE_WATER_LOSS_G] = water_g;
    c->m[M_MUSCLE_VOLUME_CHANGE_PCT] = tri_neg(tri_pct(tri_add(glycogen_part, deficit_part)));
}
