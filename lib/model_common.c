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

const char *pr_assumption_template(assumption_code code)
{
    return (unsigned)code < A_COUNT ? TEMPLATES[code] : NULL;
}
