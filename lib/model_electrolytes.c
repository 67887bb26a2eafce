/*
 * Electrolytes (model.md section 5): the sodium and potassium the sweat carried away. Owns
 * fluid.sweat_sodium_mmol_l and fluid.sodium_loss_mg, fluid.sodium_net_loss_mg,
 * fluid.potassium_loss_mg.
 */
#include "model_impl.h"

/* Sodium and potassium lost in the sweat (model.md section 5), from the sweat loss already in
 * the table. */
void pr_model_electrolytes(model_ctx *c)
{
    tri *m = c->m;
    tri sweat = m[M_SWEAT_LOSS_L];
    tri sodium = tri_const(c->f[RF_SWEAT_SODIUM_MMOL_L]);
    if (isnan(sodium.x)) {
        sodium = par(c, P_SWEAT_SODIUM_MMOL_L);
        assume(c->as, A_SWEAT_SODIUM_DEFAULT, RF_SWEAT_SODIUM_MMOL_L, sodium.x, NAN);
    }
    tri sodium_mg = tri_mul(tri_mul(sweat, sodium), par(c, P_SODIUM_MG_PER_MMOL));
    m[M_SWEAT_SODIUM_MMOL_L] = sodium;
    m[M_SODIUM_LOSS_MG] = sodium_mg;
    m[M_SODIUM_NET_LOSS_MG] = tri_sub(sodium_mg, tri_const(fld(c, RF_SODIUM_MG)));
    m[M_POTASSIUM_LOSS_MG] = tri_mul(tri_mul(sweat, par(c, P_SWEAT_POTASSIUM_MMOL_L)),
                                     par(c, P_POTASSIUM_MG_PER_MMOL));
}
