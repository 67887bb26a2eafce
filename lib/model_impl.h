/*
 * What the model files share: the evaluation context pr_model_evaluate() builds once, with the
 * resolved inputs and the intermediate results one model hands to the next, and the unit
 * conversions (the only numbers the models may write as literals).
 */
#ifndef POSTRUN_MODEL_IMPL_H
#define POSTRUN_MODEL_IMPL_H

#include <math.h>

#include "model.h"

/* Unit conversions, not physiology. */
#define MIN_PER_H 60.0
#define S_PER_MIN 60.0
#define S_PER_H 3600.0
#define M_PER_KM 1000.0
#define G_PER_KG 1000.0
#define ML_PER_L 1000.0
#define J_PER_KCAL 4184.0
#define PCT 100.0

typedef struct model_ctx {
    const kb_params *p;
    const double *f; /* run fields, RF_* */
    tri *m;          /* metrics, M_* */
    pr_assumptions *as;

    /* resolved inputs */
    double mass_kg, minutes, hours;
    double distance_km; /* NaN when not given */
    int status;         /* STATUS_* */
    int sex;            /* SEX_*, or -1 when not given */
    const model_history_in *hist; /* the runs before, or NULL */

    /* handed from one model to the next */
    tri u;             /* intensity, fraction of VO2max (intensity) */
    tri vo2max;        /* ml/kg/min (intensity) */
    tri energy_kcal;   /* (energy) */
    tri power_w;       /* metabolic power (energy) */
    tri muscle_kg;     /* working (leg) muscle mass (glycogen) */
    tri muscle_used_g; /* muscle glycogen used, within the store (glycogen) */
    tri muscle_used_g_per_kg; /* the same per kg of working muscle (glycogen) */
    tri glycogen_used_g;  /* muscle + liver glycogen used (glycogen) */
    tri water_released_g; /* water that was bound to it (glycogen) */
} model_ctx;

/* A run field, or its contract default when not given (NaN when it has none). */
static inline double fld(const model_ctx *c, run_field_id id)
{
    double v = c->f[id];
    return isnan(v) ? PR_RUN_FIELDS[id].def : v;
}

static inline tri par(const model_ctx *c, param_id id)
{
    return param_tri(c->p, id);
}

static inline double parx(const model_ctx *c, param_id id)
{
    return c->p->value[id];
}

/* Each model, in the order pr_model_evaluate() runs them (each reads what earlier ones set). */
void pr_model_intensity(model_ctx *c);
void pr_model_energy(model_ctx *c);
void pr_model_glycogen(model_ctx *c);
void pr_model_fluid(model_ctx *c);
void pr_model_electrolytes(model_ctx *c);
void pr_model_muscle(model_ctx *c);
void pr_model_load(model_ctx *c);
void pr_model_history(model_ctx *c); /* the history.* metrics (model_history.c) */
void pr_model_history_load(model_ctx *c); /* load.acute_km, load.chronic_km (model_history.c) */

/* pr_model_glycogen(), pr_model_electrolytes() and pr_model_muscle() without intervals
 * (model_expected.c). */
void pr_model_glycogen_expected(model_ctx *c);
void pr_model_electrolytes_expected(model_ctx *c);
void pr_model_muscle_expected(model_ctx *c);

#endif
