/*
 * The assumption record shared by the defaults step and the models: codes and numbers are
 * stored while evaluating, and text is made from assumptions.def's templates only when an
 * assessment is printed.
 */
#include "model.h"

static const char *const TEMPLATES[A_COUNT] = {
#define ASSUMPTION(id, text) text,
#include "assumptions.def"
#undef ASSUMPTION
};

void assume(pr_assumptions *as, assumption_code code, int field, double v0, double v1)
{
    if (!as || as->n >= PR_MAX_ASSUMPTIONS)
        return;
    pr_assumption *a = &as->item[as->n++];
    a->code = (uint16_t)code;
    a->field = (int16_t)field;
    a->v[0] = v0;
    a->v[1] = v1;
}

const char *assumption_template(assumption_code code)
{
    return (unsigned)code < A_COUNT ? TEMPLATES[code] : NULL;
}
