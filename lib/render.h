/* Renderers' shared declarations. */
#ifndef POSTRUN_RENDER_H
#define POSTRUN_RENDER_H

#include "assess_impl.h"
#include "yamldom.h"

/* The plain-text report a runner reads in a terminal. Texts must be ready. */
postrun_status render_text(postrun_assessment *a, unsigned flags, postrun_write_fn write,
                           void *ud);

/* The rule behind contribution j of cause i, NULL for priors and symptoms. */
const char *assessment_contrib_rule(const postrun_assessment *a, size_t i, size_t j);

#endif
