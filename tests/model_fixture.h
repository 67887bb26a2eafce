/*
 * Model parameters for tests, read from data/parameters.yaml (the one source of truth) with a
 * minimal libyaml reader, until tests can use the knowledge-base loader itself.
 */
#ifndef POSTRUN_MODEL_FIXTURE_H
#define POSTRUN_MODEL_FIXTURE_H

#include <stddef.h>

#include "params.h"

/* Fills `p` from the `parameters` of the YAML file at `path`. Returns 0 when every parameter
 * and curve of params.def was found, else -1 with the reason in `why`. */
int model_fixture_load(kb_params *p, const char *path, char *why, size_t why_size);

/* The bundled parameters: $POSTRUN_DATA_DIR/parameters.yaml, else the build's
 * POSTRUN_DATA_DIR (default: POSTRUN_SOURCE_ROOT/data), derived (pr_params_derive()). Loaded
 * once; NULL (with the reason printed to stderr) when that fails. */
const kb_params *model_fixture_params(void);

#endif
