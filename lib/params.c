/* The YAML ids of the model parameters (params.def), and lookups by id. */
#include "params.h"

#include <string.h>

#include "model.h"

const char *const PR_PARAM_NAMES[P_COUNT] = {
#define PARAM(id, name) name,
#include "params.def"
};

const char *const PR_CURVE_NAMES[C_COUNT] = {
#define CURVE(id, name) name,
#include "params.def"
};

static int name_index(const char *const *names, int n, const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int pr_param_index(const char *name)
{
    return name_index(PR_PARAM_NAMES, P_COUNT, name);
}

int pr_curve_index(const char *name)
{
    return name_index(PR_CURVE_NAMES, C_COUNT, name);
}

/* The parameters kb_derived depends on: their ranges, then exact values. */
static const param_id DERIVED_RANGED[] = {P_HEIGHT_FEMALE_CM, P_HEIGHT_MALE_CM,
                                          P_HEIGHT_UNSPECIFIED_CM};
static const param_id DERIVED_EXACT[] = {P_MAGNUS_A_KPA, P_MAGNUS_B, P_MAGNUS_C_C,
                                         P_DUBOIS_HEIGHT_EXPONENT};
#define N_RANGED (sizeof DERIVED_RANGED / sizeof DERIVED_RANGED[0])
#define N_EXACT (sizeof DERIVED_EXACT / sizeof DERIVED_EXACT[0])
_Static_assert(3 * N_RANGED + N_EXACT == KB_DERIVED_KEY, "KB_DERIVED_KEY counts the key");

int pr_params_derived_ok(const kb_params *p)
{
    const double *key = p->derived.key;
    int same = 1;
    /* Compare everything (no early exit): 13 compares are cheaper than the branches. */
    for (size_t i = 0; i < N_RANGED; i++) {
        param_id id = DERIVED_RANGED[i];
        same &= (key[3 * i] == p->low[id]) & (key[3 * i + 1] == p->value[id]) &
                (key[3 * i + 2] == p->high[id]);
    }
    for (size_t i = 0; i < N_EXACT; i++)
        same &= key[3 * N_RANGED + i] == p->value[DERIVED_EXACT[i]];
    return same;
}

void pr_params_derive(kb_params *p)
{
    static const param_id height[] = {P_HEIGHT_FEMALE_CM, P_HEIGHT_MALE_CM,
                                      P_HEIGHT_UNSPECIFIED_CM};
    kb_derived *d = &p->derived;
    for (int i = 0; i < 3; i++)
        d->height_term[i] = tri_pow(param_tri(p, height[i]), p->value[P_DUBOIS_HEIGHT_EXPONENT]);
    for (size_t i = 0; i < N_RANGED; i++) {
        param_id id = DERIVED_RANGED[i];
        d->key[3 * i] = p->low[id];
        d->key[3 * i + 1] = p->value[id];
        d->key[3 * i + 2] = p->high[id];
    }
    for (size_t i = 0; i < N_EXACT; i++)
        d->key[3 * N_RANGED + i] = p->value[DERIVED_EXACT[i]];
}
